"""Turn scanned regions into clustered candidate failures.

For each trigger line: the first extractor whose shape matches, plus every known-failure rule
that matches, become one candidate whose excerpt is cut to at most `max_excerpt` lines around
its focus line. Candidates with the same detector and masked key line merge into one template
with a count. Everything kept is bounded: clusters, fallback windows, annotation lines.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

from ghbot.engine.triage.cluster import fingerprint, template
from ghbot.engine.triage.extractors import (
    ANNOTATION,
    CONSEQUENCE,
    EXTRACTORS,
    GENERIC,
    LINK_ENTRY,
    LISTED,
    MAVEN_ADVICE,
    NOT_AN_ERROR,
    PASSED_LINE,
    PYTEST_FAILURE,
    Extractor,
)
from ghbot.engine.triage.firstmatch import FirstMatch, Gate
from ghbot.engine.triage.normalise import Kind, Line, normalise
from ghbot.engine.triage.rules import Catalog, Rule
from ghbot.engine.triage.scan import Lines, Region
from ghbot.engine.triage.steps import STEP_FAILED, StepFailure, command_of, says_step_failed

MAX_CLUSTERS = 1000
MAX_WINDOWS = 8
WINDOW_LINES = 40
MAX_QUOTED_LINES = 40  # lines of a multi-line command Travis quotes in its failure message
MAX_ERROR_LINES = 10_000
STORED_LINE = 1000  # characters kept per excerpt line
MAX_DEFERRED = 4 << 20  # characters of raw paragraph lines kept unnormalised, per collector
RULE_SCORE = 85
CAPTURED_LOOKBACK = 80
CAPTURED_PENALTY = 30  # a test's captured output, below the failure block it belongs to

_FOCUS_END = {"python", "unittest"}  # excerpts whose cause is their last line (the exception)
# The extractors in table order, tried only where they can match (see firstmatch).
_FIRST_MATCH = FirstMatch([extractor.pattern for extractor in EXTRACTORS])
# Each rejects nearly every trigger line: RE2 says so first (see firstmatch.Quick).
_STEP_FAILED = Gate(STEP_FAILED, quick=True)
_PASSED_LINE = Gate(PASSED_LINE, quick=True)
_NOT_AN_ERROR = Gate(NOT_AN_ERROR, quick=True)
_LINK_ENTRY = Gate(LINK_ENTRY, quick=True)
# Of an ASCII line, one RE2 set search says which extractors, and whether the step-exit, the
# passed-line and the link-entry patterns, may match: each is then asked only where it may.
_LINE = FirstMatch([*_FIRST_MATCH.patterns, STEP_FAILED, PASSED_LINE, LINK_ENTRY])
_EXIT, _PASS, _ENTRY = len(EXTRACTORS), len(EXTRACTORS) + 1, len(EXTRACTORS) + 2
# What a line's text alone decides, asked again for the same text (two in five trigger lines
# repeat an earlier one's text: the first repeats of a message, a cascade): answered once.
TEXT_FACTS = 1024  # texts remembered (each at most a capped line)


class _Facts(NamedTuple):
    exit: bool  # says that its step failed
    passed: bool  # reports something that passed
    entry: bool  # a link checker's line about one link: its report shows it (see LINK_ENTRY)
    shapes: tuple[tuple[int, re.Match[str]], ...]  # (extractor number, match), in table order


@functools.lru_cache(maxsize=TEXT_FACTS)
def _facts(text: str) -> _Facts:
    possible = _LINE.possible(text)
    if possible is None:
        return _Facts(
            _STEP_FAILED.match(text), _PASSED_LINE.search(text), _LINK_ENTRY.match(text),
            tuple(_FIRST_MATCH.matches(text)),
        )
    return _Facts(
        _EXIT in possible and _STEP_FAILED.match(text),
        _PASS in possible and _PASSED_LINE.search(text),
        _ENTRY in possible and _LINK_ENTRY.match(text),
        tuple(_FIRST_MATCH.matches(text, possible=[n for n in possible if n < _EXIT])),
    )


@dataclass(slots=True)
class Candidate:
    detector: str
    category: str
    title: str
    score: int
    consequence: bool
    key_line: int
    start_line: int
    end_line: int
    # The excerpt, lines start_line .. end_line. The collector fills it in only for the first
    # candidate of each cluster: the others are counted, never shown.
    lines: list[str]
    key_text: str
    explanation: str
    fix: str
    log: str | None
    rule: Rule | None = None
    count: int = 1
    paragraph: bool = False  # whether lines below the excerpt that go on with it are wanted
    settled: bool = False  # a failure a retry made good: no rule names it (Extractor.settled)
    # the first line of the failure when its excerpt, cut around its root cause, starts below
    # it (a JVM trace's exception line): covered as the excerpt is, never shown
    reach_start: int = 0
    demoted: bool = False  # below the test failure it belongs to, a rule that names it too
    # The last repeat of this cluster in a later step than its first (filled as a first is): a
    # message the preamble or an install step printed too is the failing step's own there.
    later: Candidate | None = None
    step: int = 0  # the number of step headers above it
    # Those lines, raw, with the number of the first: normalised only if a report shows this
    # candidate (a few of up to MAX_CLUSTERS are; normalising them all was a tenth of a run).
    following: tuple[int, list[str]] = (0, [])
    _more: list[str] | None = None

    @property
    def more(self) -> list[str]:
        """Lines below the excerpt that go on with its paragraph, shown with it but never
        matched or covered (a later tool diagnostic in them still becomes a candidate)."""
        if self._more is None:
            self._more = _paragraph_of(*self.following)
            self.following = (0, [])
        return self._more

    @property
    def cluster(self) -> tuple[str, str]:
        return (self.rule.id if self.rule else self.detector, template(self.key_text))

    @property
    def fingerprint(self) -> str:
        kind = f"rule:{self.rule.id}" if self.rule else self.detector
        return fingerprint(kind, self.category, self.key_text)

    def attach(self, rule: Rule) -> None:
        """A known rule also matched inside this excerpt: it names and explains it better."""
        if self.settled:  # the rule's failure (a lost connection) did not last: not the cause
            return
        self.rule = rule
        self.category = rule.category
        self.title = rule.title
        self.explanation = rule.explanation
        self.fix = rule.fix
        self.score = max(self.score, RULE_SCORE - CAPTURED_PENALTY * self.demoted) + rule.priority

    def demote(self) -> None:
        self.score -= CAPTURED_PENALTY
        self.demoted = True


@dataclass(slots=True)
class Collected:
    clusters: dict[tuple[str, str], Candidate] = field(default_factory=dict)
    dropped: int = 0  # candidates beyond MAX_CLUSTERS
    step_failures: list[StepFailure] = field(default_factory=list)  # ##[error], `exited with 1`
    windows: list[tuple[str | None, list[Line]]] = field(default_factory=list)  # before those
    by_key: dict[bytes, tuple[str, str]] = field(default_factory=dict)


class Collector:
    def __init__(self, catalog: Catalog, max_excerpt: int, collected: Collected) -> None:
        self.catalog = catalog
        self.max_excerpt = max(1, max_excerpt)
        self.out = collected
        self._exits: set[int] = set()  # the current region's step exit lines
        self._deferred = 0  # characters of raw paragraph lines kept by candidates (see _fill)
        # The lines the last region's candidates show, by number, and its log: regions may
        # overlap (a region cut at MAX_REGION_LINES, the lines near the end of a 4 MiB chunk
        # yielded again with the next chunk's), and a candidate's excerpt still covers them.
        self._covered: tuple[str | None, dict[int, Candidate]] = (None, {})

    def feed(
        self, region: Region, log: str | None, steps: Sequence[tuple[int, str]] = ()
    ) -> None:
        """Collect the candidates of one region; `steps` (the scanner's step headers so far,
        which reach past the region) tell a repeat in a later step from one in the same."""
        lines = region.lines
        last_log, last = self._covered
        covered = {
            number: owner for number, owner in last.items() if number >= lines.first
        } if last_log == log else {}  # fmt: skip
        self._covered = (log, covered)
        # The step exit lines among the hits, found first: a paragraph shown after an earlier
        # hit stops at them.
        self._exits = {
            index for index in region.hits
            if index < len(lines) and _facts(lines[index].text).exit
        }  # fmt: skip
        for index, key in zip(region.hits, region.keys, strict=True):
            if index >= len(lines):
                continue
            line = lines[index]
            if line.kind in (Kind.STEP, Kind.MARKER) or not line.text.strip():
                continue
            facts = _facts(line.text)
            if facts.passed:
                continue
            step_failed = index in self._exits
            if line.kind is Kind.ERROR or step_failed:
                self._step_failed(lines, index, log)
            rule_hits = [] if facts.entry else self.catalog.match(lines, index)
            owner = covered.get(lines.first + index)
            if owner is not None:
                if rule_hits and owner.rule is None:
                    owner.attach(rule_hits[0].rule)
                elif owner.detector in LISTED and template(line.text) == owner.cluster[1]:
                    owner.count += 1  # a repeat shown in its first one's list of reports
                continue
            extracted = self._extract(lines, index, log)
            candidate, *shape = extracted or (None, None, None)
            for hit in rule_hits:
                if candidate is None or candidate.rule is not None:
                    candidate = self._make(lines, index, hit.first, hit.last, log, None)
                    shape = [None, None]
                else:
                    self._widen(candidate, lines, hit.first, hit.last)
                candidate.attach(hit.rule)
                break
            if candidate is None:
                continue
            if step_failed and candidate.rule is None:  # says that the step failed, not why
                candidate.consequence, candidate.score = True, min(candidate.score, CONSEQUENCE)
            if _in_captured_output(lines, index):
                candidate.demote()  # below the failure block it belongs to
            elif shape[0] is PYTEST_FAILURE and _only_a_command_failed(lines, index):
                candidate.demote()  # below what the command printed
            candidate.step = bisect.bisect_right(steps, candidate.key_line, key=itemgetter(0))
            kept = self._keep(candidate, key)
            if kept is candidate:  # once per template, not per repeat
                self._fill(candidate, lines, index, *shape)
            elif kept.step != candidate.step and (kept.later is None
                                                  or kept.later.step != candidate.step):
                self._fill(candidate, lines, index, *shape)  # once per cluster and step
                kept.later = candidate
            for number in range(candidate.reach_start or candidate.start_line,
                                candidate.end_line + 1):
                covered.setdefault(number, kept)

    def _fill(
        self,
        candidate: Candidate,
        lines: Lines,
        index: int,
        extractor: Extractor | None,
        found: re.Match[str] | None,
    ) -> None:
        """What only a cluster's first candidate shows: its excerpt, title and paragraph."""
        first, last = candidate.start_line - lines.first, candidate.end_line - lines.first
        candidate.lines = [line.text[:STORED_LINE] for line in lines[first : last + 1]]
        if candidate.rule is None:  # a rule's title names it better
            title = ""
            if extractor is not None and found is not None:
                title = extractor.describe(found, lines, index)
                if extractor.name == "python":
                    title = candidate.key_text.strip()[:200]
                elif extractor.root is not None and candidate.key_line != lines.first + index:
                    root = extractor.root[0].sub("", candidate.key_text.strip(), count=1)
                    title = f"{title.removesuffix(':')} (caused by {root})"[:200]
            candidate.title = title or lines[index].text.strip()[:200]
        if candidate.paragraph:
            room = self.max_excerpt - (last - first + 1)
            following = _paragraph_raws(lines, index, last, room, self._exits)
            if self._deferred + sum(map(len, following)) > MAX_DEFERRED:
                candidate._more = _paragraph_of(lines.first + last + 1, following)
            else:
                self._deferred += sum(map(len, following))
                candidate.following = (lines.first + last + 1, following)

    def _extract(
        self, lines: Lines, index: int, log: str | None
    ) -> tuple[Candidate, Extractor | None, re.Match[str] | None] | None:
        """The candidate of the first extractor that takes the line, the extractor and its
        match (for the title, made only if the candidate is kept)."""
        text = lines[index].text
        for number, found in _facts(text).shapes:
            extractor = EXTRACTORS[number]
            if not extractor.accepts(lines, index):
                continue
            if extractor.name == "generic":
                if lines[index].kind is Kind.ERROR:
                    break  # a runner annotation: more than a generic error line
                if _NOT_AN_ERROR.search(text) or _facts(text).entry:
                    return None
            first, last = extractor.extent(lines, index)
            return self._make(lines, index, first, last, log, extractor), extractor, found
        if lines[index].kind is Kind.ERROR:
            return self._make(lines, index, index, index, log, None), None, None
        return None

    def _make(
        self,
        lines: Lines,
        index: int,
        first: int,
        last: int,
        log: str | None,
        extractor: Extractor | None,
    ) -> Candidate:
        focus = last if extractor is not None and extractor.name in _FOCUS_END else index
        if extractor is not None and extractor.root is not None:
            root = extractor.root[0]
            focus = next((p for p in range(last, index, -1) if root.match(lines[p].text)), index)
        after = min(last - focus, self.max_excerpt // 3)
        start = max(first, focus + after - self.max_excerpt + 1)
        end = min(last, start + self.max_excerpt - 1)
        text = lines[index].text
        if extractor is None:
            detector, category, score, consequence = "annotation", "unknown", ANNOTATION, False
            explanation, fix = "The runner reported this error.", "Read the excerpt."
        else:
            detector, category, score = extractor.name, extractor.category, extractor.score
            consequence = extractor.consequence
            explanation, fix = extractor.explanation, extractor.fix
        key_text = lines[focus].text if focus != index and lines[focus].text.strip() else text
        return Candidate(
            detector=detector,
            category=category,
            title="",  # see _fill
            score=score,
            consequence=consequence,
            key_line=lines.first + focus,
            start_line=lines.first + start,
            end_line=lines.first + end,
            lines=[],
            key_text=key_text,
            explanation=explanation or "A line that reports an error.",
            fix=fix or "Read the excerpt; reproduce the failing command locally.",
            log=log,
            # Matched by a word, not a shape: the message goes on to the end of its paragraph.
            paragraph=extractor is None or extractor.name == "generic",
            settled=extractor is not None and extractor.settled,
            reach_start=lines.first + first if start > first else 0,
        )

    def _widen(self, candidate: Candidate, lines: Lines, first: int, last: int) -> None:
        """Grow an extractor's excerpt to the context its rule asks for (within max_excerpt)."""
        base = lines.first
        start = min(candidate.start_line - base, first)
        end = max(candidate.end_line - base, last)
        end = min(end, start + self.max_excerpt - 1)
        if end < candidate.end_line - base:
            return
        candidate.start_line, candidate.end_line = base + start, base + end

    def _keep(self, candidate: Candidate, key: bytes) -> Candidate:
        cluster = candidate.cluster
        existing = self.out.clusters.get(cluster)
        if existing is not None:
            existing.count += 1
            return existing
        if len(self.out.clusters) >= MAX_CLUSTERS:
            self.out.dropped += 1
            return candidate
        self.out.clusters[cluster] = candidate
        if len(self.out.by_key) < MAX_CLUSTERS * 4:
            self.out.by_key[key] = cluster
        return candidate

    def _step_failed(self, lines: Lines, index: int, log: str | None) -> None:
        line = lines[index]
        if len(self.out.step_failures) < MAX_ERROR_LINES:
            command = command_of(line.text) if line.kind is Kind.TEXT else None
            self.out.step_failures.append(StepFailure(log, line.number, command))
        if len(self.out.windows) < MAX_WINDOWS:
            end = _quoted_command_start(lines, index)
            self.out.windows.append((log, [*lines[max(0, end - WINDOW_LINES) : end], line]))

    def count_repeats(self, repeats: dict[bytes, int]) -> None:
        """Verbatim repeats the scanner only counted still add to their template's count."""
        for key, extra in repeats.items():
            cluster = self.out.by_key.get(key)
            if cluster is not None and cluster in self.out.clusters:
                self.out.clusters[cluster].count += extra


_MAVEN_ADVICE = re.compile(MAVEN_ADVICE)
_CAPTURED = re.compile(r"^-{3,} Captured (?:stdout|stderr|log|warnings?) \w{1,20} -{3,}$")
SECTION_TITLE = 300  # characters between a section line's rules


# An `E` line that only says that a command the test ran failed (pip's and many CLIs' functional
# tests, `check=True`): what the command printed, captured under the test, says why.
_COMMAND_FAILED = re.compile(
    r"^E\s.{0,300}?(?:returned (?:non-zero )?(?:exit )?(?:code|status)|exit (?:code|status)"
    r"|CalledProcessError|returncode)"
)


def _in_captured_output(lines: Lines, index: int) -> bool:
    """Inside a test framework's section of the test's own output (pytest's `Captured log
    call`): what the code under test printed, which the failure block above already explains
    unless it only says that a command failed."""
    if not lines.mentions("Captured "):
        return False
    for probe in range(index - 1, max(-1, index - CAPTURED_LOOKBACK), -1):
        text = lines[probe].text
        if _CAPTURED.match(text):
            return not _only_a_command_failed(lines, probe)
        if _is_section(text):
            return False
    return False


def _only_a_command_failed(lines: Lines, index: int) -> bool:
    """Whether the failure block of the test above `index` (up to its `____ test ____` line)
    says only that a command it ran failed."""
    for probe in range(index - 1, max(-1, index - CAPTURED_LOOKBACK), -1):
        text = lines[probe].text
        if _is_section(text):
            return False
        if text.startswith("E") and _COMMAND_FAILED.match(text):
            return True
    return False


def _is_section(text: str) -> bool:
    """pytest's section lines: `____ test_x ____` (rules of `_` around a spaced title) or
    `==== FAILURES ====` (rules of `=`, a title or none), the rules of any length. Measured,
    not matched: the pattern `={3,}.{0,300}={3,}$` backtracked cubically on a long line of `=`
    ending in another character (7 s for 1,000 characters). A line holds no newline."""
    for rule in "_=":
        lead = len(text) - len(text.lstrip(rule))
        trail = len(text) - len(text.rstrip(rule))
        if lead < 3 or trail < 3:
            continue
        if lead == len(text):  # nothing but the rule: two of them meet
            return rule == "=" and lead >= 6
        title = text[lead : len(text) - trail]
        if rule == "=":
            return len(title) <= SECTION_TITLE
        # ` \S...` and `... ` between the rules
        return (
            3 <= len(title) <= SECTION_TITLE + 3 and title[0] == title[-1] == " "
            and not title[1].isspace()
        )  # fmt: skip
    return False


def _quoted_command_start(lines: Lines, index: int) -> int:
    """Where Travis's `The command "..." exited with N.` starts when it quotes a command of
    several lines (a `script: |` block), so that the script's text is not read as its output;
    `index` when the failure line is the whole message."""
    text = lines[index].text
    if text.startswith('The command "') or not ('" exited with' in text or '" failed' in text):
        return index
    for probe in range(index - 1, max(-1, index - MAX_QUOTED_LINES), -1):
        if 'The command "' in lines[probe].text:
            return probe
    return index


def _paragraph_raws(
    lines: Lines, index: int, end: int, room: int, exits: set[int]
) -> list[str]:
    """The raw lines after `end` (at most `room`) that may go on with the paragraph holding line
    `index`: none if it ends inside the excerpt. A blank line, a step header, the runner's error
    line or a step's exit line, one of `exits`, ends it."""
    for probe in range(index + 1, min(len(lines), end + 1)):
        if probe in exits or not lines.texts[probe].strip():
            return []
        line = lines[probe]
        if line.kind is not Kind.TEXT or not line.text.strip():
            return []
    raws: list[str] = []
    for probe in range(end + 1, min(len(lines), end + 1 + room)):
        if probe in exits or not lines.texts[probe].strip():
            break
        raws.append(lines.texts[probe])
    return raws


def _paragraph_of(number: int, raws: list[str]) -> list[str]:
    """The lines of `raws` (the first is line `number`) up to the end of their paragraph."""
    more: list[str] = []
    for offset, raw in enumerate(raws):
        line = normalise(number + offset, raw)
        if line.kind is not Kind.TEXT or not line.text.strip() or says_step_failed(line.text):
            break  # (a step's exit line the scan did not hold as a hit of this region)
        if line.text.startswith("[ERROR] ") and _MAVEN_ADVICE.match(line.text):
            break  # Maven's closing advice under its message
        more.append(line.text[:STORED_LINE])
    return more


def is_generic_only(candidate: Candidate) -> bool:
    return candidate.consequence or candidate.score < GENERIC
