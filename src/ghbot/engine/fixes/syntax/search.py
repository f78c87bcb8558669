"""Bounded search for the cheapest chain of verified edits that makes a text compile.

Each round diagnoses the first error of a state, tries that error's candidates (cheapest first)
and keeps those that either make the whole text compile or move the first error forward. A
small beam of states survives each round, so a file with several errors is repaired one error
at a time. Time, rounds, beam width and compiles per state are all capped.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from ghbot.engine.analysis.syntax_diagnose import (
    Diagnosis,
    ParseError,
    diagnose,
    diagnose_plain,
    first_error,
)
from ghbot.engine.analysis.syntax_scan import scan
from ghbot.engine.fixes.syntax.candidates import candidates, comment_out
from ghbot.engine.fixes.syntax.edits import Candidate, apply, map_back

_TOKENIZER_ERROR = re.compile(
    r"^(unterminated|unmatched|closing parenthesis|'.' was never closed|invalid character|"
    r"invalid non-printable|inconsistent use of tabs)"
)


@dataclass(frozen=True, slots=True)
class Limits:
    seconds: float = 0.9  # the whole search, last resort included: none takes a second
    rounds: int = 10
    beam: int = 2
    compiles_per_state: int = 30
    successes_per_state: int = 4
    max_chars: int = 300_000  # larger texts (generated code) get a diagnosis but no search


DEFAULT_LIMITS = Limits()
_SEARCH_SHARE = 0.7  # of the time, for the search proper
MAX_GUESSES = 2  # single-token guesses on one repair path


@dataclass(frozen=True, slots=True)
class Step:
    """One diagnosed error and the candidate applied to it; offsets are in the text before it."""

    diagnosis: Diagnosis
    start: int  # the diagnosis' range as offsets
    end: int
    candidate: Candidate | None


@dataclass(frozen=True, slots=True)
class State:
    text: str
    cost: float
    steps: tuple[Step, ...]
    error: ParseError | None  # the first error of `text`, None once it compiles

    def original_range(self, index: int) -> tuple[int, int]:
        """Step `index`'s range mapped back to offsets in the original text."""
        start, end = self.steps[index].start, self.steps[index].end
        for earlier in reversed(self.steps[:index]):
            if earlier.candidate is not None:
                start = map_back(start, earlier.candidate.edits)
                end = map_back(end, earlier.candidate.edits)
        return start, max(start, end)


@dataclass(frozen=True, slots=True)
class SearchResult:
    complete: list[State]  # states whose text compiles, cheapest first
    deepest: State  # the path that got furthest; its steps name every error found on the way


def search(text: str, limits: Limits = DEFAULT_LIMITS) -> SearchResult:
    started = time.monotonic()
    deadline = started + limits.seconds * _SEARCH_SHARE  # the rest is the last resort's
    start = State(text, 0.0, (), first_error(text))
    if start.error is None:
        return SearchResult([start], start)
    if len(text) > limits.max_chars or _beyond_limits(start.error):
        error = start.error
        step = Step(diagnose_plain(error), error.offset, error.offset + 1, None)
        return SearchResult([], State(text, 0.0, (step,), error))
    complete: list[State] = []
    beam = [start]
    deepest = start
    for _ in range(limits.rounds):
        successors: list[State] = []
        for state in beam:
            if time.monotonic() > deadline:
                break
            successors.extend(_expand(state, limits, deadline))
        complete.extend(state for state in successors if state.error is None)
        partial = sorted((s for s in successors if s.error is not None), key=lambda s: s.cost)
        if complete:
            best = min(state.cost for state in complete)
            partial = [state for state in partial if state.cost < best]
        if not partial or time.monotonic() > deadline:
            break
        beam = partial[: limits.beam]
        deepest = beam[0]
    if not complete:
        rescued = _last_resort(start, limits, started + limits.seconds)
        complete.extend([rescued] if rescued is not None else [])
    complete.sort(key=lambda state: (state.cost, _changed(text, state.text)))
    if complete:
        deepest = complete[0]
    elif not deepest.steps or deepest.steps[-1].candidate is not None:
        deepest = _with_final_step(deepest)
    return SearchResult(complete, deepest)


# CPython's own nesting limits: no small edit repairs these, and every compile of such a text
# is slow (a nesting bomb kept the search busy for its whole time budget).
_NESTING_LIMITS = (
    "too complex to parse",
    "too many nested parentheses",
    "too many levels of indentation",
    "too many statically nested blocks",
)


def _beyond_limits(error: ParseError) -> bool:
    return error.message.startswith(_NESTING_LIMITS)


def _expand(state: State, limits: Limits, deadline: float) -> list[State]:
    error = state.error
    assert error is not None
    source = scan(state.text)
    diagnosis = diagnose(error, source)
    start = source.offset(diagnosis.line, diagnosis.column)
    end = source.offset(diagnosis.end_line, diagnosis.end_column)
    bracket_issues = len(source.issues)
    found: list[State] = []
    guesses = sum(1 for step in state.steps if step.candidate and step.candidate.token)
    for tried, candidate in enumerate(candidates(error, diagnosis, source)):
        if tried >= limits.compiles_per_state or time.monotonic() > deadline:
            break
        if candidate.token and guesses >= MAX_GUESSES:
            continue  # more guesses than that rewrite the file rather than repair it
        text = apply(state.text, candidate.edits)
        new_error = first_error(text)
        step = Step(diagnosis, start, end, candidate)
        if new_error is not None and not _progress(
            error, new_error, candidate, text, bracket_issues
        ):
            continue
        found.append(State(text, state.cost + candidate.cost, (*state.steps, step), new_error))
        if new_error is None and len(found) >= limits.successes_per_state:
            break
    return found


def _last_resort(state: State, limits: Limits, deadline: float) -> State | None:
    """When no repair was found: comment out the statement at each error that no ordinary
    candidate repairs, until the text compiles. Greedy, and as bounded as the search."""
    for _ in range(limits.rounds * 2):
        if state.error is None:
            return state
        if time.monotonic() > deadline:
            return None
        successors = _expand(state, limits, deadline)
        done = [successor for successor in successors if successor.error is None]
        if done:
            return min(done, key=lambda successor: successor.cost)
        source = scan(state.text)
        candidate = comment_out(state.error, source)
        if candidate is None:
            return None
        text = apply(state.text, candidate.edits)
        diagnosis = diagnose(state.error, source)
        start = source.offset(diagnosis.line, diagnosis.column)
        step = Step(diagnosis, start, start, candidate)
        new_error = first_error(text)
        if new_error is not None and (new_error.line, new_error.message) == (
            state.error.line,
            state.error.message,
        ):
            return None  # commenting it out changed nothing
        state = State(text, state.cost + candidate.cost, (*state.steps, step), new_error)
    return None


def _progress(
    old: ParseError, new: ParseError, candidate: Candidate, text: str, bracket_issues: int
) -> bool:
    mapped = map_back(new.offset, candidate.edits)
    if candidate.token:  # a guess must clear the error's line, not nudge the error along it
        return new.line > old.line + candidate.edits[0].content.count("\n")
    if mapped > old.offset:
        return True
    # CPython's tokenizer reports these ahead of any parser error above them: once one is
    # repaired, an earlier error may surface, and that is progress too.
    if _TOKENIZER_ERROR.search(old.message) and (mapped, new.message) != (old.offset, old.message):
        return True
    return candidate.bracket and len(scan(text).issues) < bracket_issues


def _with_final_step(state: State) -> State:
    """Record the error where the search stopped, so it is reported even without a repair."""
    error = state.error
    assert error is not None
    source = scan(state.text)
    diagnosis = diagnose(error, source)
    start = source.offset(diagnosis.line, diagnosis.column)
    end = source.offset(diagnosis.end_line, diagnosis.end_column)
    return State(state.text, state.cost, (*state.steps, Step(diagnosis, start, end, None)), error)


def _changed(before: str, after: str) -> int:
    """Characters outside the common prefix and suffix: a tie-breaker for equal costs."""
    prefix = common_prefix(before, after)
    suffix = common_prefix(before[prefix:][::-1], after[prefix:][::-1])
    return len(before) + len(after) - 2 * (prefix + suffix)


def common_prefix(first: str, second: str) -> int:
    """Length of the common prefix, by bisection on slice comparisons (fast on long texts)."""
    low, high = 0, min(len(first), len(second))
    while low < high:
        middle = (low + high + 1) // 2
        if first[:middle] == second[:middle]:
            low = middle
        else:
            high = middle - 1
    return low
