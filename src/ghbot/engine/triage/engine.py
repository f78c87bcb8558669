"""Triage one input (a log stream, or the several logs of a run-logs zip) into a TriageReport."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import IO

import re2

from ghbot.engine.redact import redact
from ghbot.engine.triage.baseline import Baseline, read_baseline
from ghbot.engine.triage.candidates import Candidate, Collected, Collector
from ghbot.engine.triage.locate import ERRORISH_RE2, MAX_BLOCK_LINES, locate
from ghbot.engine.triage.model import Excerpt, Failure, TriageReport
from ghbot.engine.triage.normalise import Kind, Line
from ghbot.engine.triage.rank import (
    FALLBACK_CONTEXT,
    FALLBACK_SCORE,
    IN_BASELINE,
    LOCATED,
    UNCLEAR,
    adjusted,
    anomalous_line,
    confidence,
    order,
    step_category,
)
from ghbot.engine.triage.rules import Catalog, RuleError, load_catalog
from ghbot.engine.triage.scan import Readable, Scanner
from ghbot.engine.triage.steps import (
    FailingStep,
    StepFailure,
    StepIndex,
    command_of,
    is_preamble,
)

DEFAULT_MAX_EXCERPT = 40
StepOf = Callable[[str | None, int], str | None]
DEFAULT_MAX_FAILURES = 10

# Words and shapes that start a look at a line. Case-insensitive; everything else is skipped at
# RE2 speed. Extractor shapes without a trigger word (Go and flake8 locations, ruff codes, apt's
# `E:`, Jest's bullet, Mocha's and PHPUnit's numbered failures, rustfmt's diffs, the Go race
# detector, ShellCheck, RuboCop, Lua's interpreter and the ones below) are listed as shapes.
TRIGGERS: tuple[str, ...] = (
    r"error", r"fail", r"fatal", r"exception", r"traceback", r"panic", r"abort", r"killed",
    r"denied", r"timed? ?out", r"no space left", r"enospc", r"out of memory", r"\boom",
    r"cannot", r"could not", r"couldn't", r"unable to", r"not found", r"segmentation fault",
    r"core dumped", r"refused", r"exit (?:code|status)", r"exited with", r"rate limit",
    r"too many requests", r"cancel", r"undefined reference", r"undefined symbols",
    r"unresolved", r"err!", r"##\[group\]Run ", r"travis_fold:start", r"section_start:",
    "\u25cf", r"<<< ", r"\.go:\d+:\d+: ", r"\.py:\d+:\d+: [A-Z]",
    r"\.p(?:yx|xd|xi):\d+:\d+: ",  # Cython's errors (a trigger word only in their heading)
    # a failure glyph (✖ ✗ ✘ × ❌) starting a line, maybe after a timestamp, an indent and colour
    # codes (their ESC byte, or `^[` in a log saved in caret notation: see normalise; unbounded
    # repeats: RE2 expands counted ones into its program, whose size is capped)
    "(?m)^(?:\\S+Z )?(?:\\s|(?:\x1b|\\^\\[)\\[[0-9;]*m)*[\u00d7\u2716\u2717\u2718\u274c]",
    # miette's severity and `plugin(rule): ` (oxlint), coloured or not
    r"(?m)^(?:\S+Z )? {1,4}(?:(?:\x1b|\^\[)\[[0-9;]*m)?" "[x!\u00d7\u26a0]"
    r" ?(?:(?:\x1b|\^\[)\[0m)? ?(?:(?:\x1b|\^\[)\[[0-9;]*m)?[\w@/.-]+\([\w@/.-]+\): ",
    r"(?m)^(?:\S+Z )?(?:(?:\x1b|\^\[)\[[0-9;]*m){0,4}[A-Z]{1,4}\d{3,4}"
    r"(?:(?:\x1b|\^\[)\[[0-9;]*m){0,4} ",
    r"(?m)^(?:\S+Z )?E: ", r"(?m)^(?:\S+Z )?\s*\d{1,3}\) \S",
    r"(?m)^(?:\S+Z )?e: ", r"(?m)^(?:\S+Z )?Diff in ", r"DATA RACE", r"\^-*\^? SC\d{4} ",
    r"\.rb(?:\x1b\[0m)?:\d+:\d+: (?:\x1b\[\d+m)?[CWEF](?:\x1b\[0m)?: ",  # coloured too
    r"(?m)^(?:\S+Z )?lua(?:jit|\d\.\d)?: ",
    r"not ok \d", "\\d\\s+\u2716\\s",  # a failed TAP test; stylelint's `3:3  ✖  message`
    r"\.(?:[cm]?jsx?|tsx?|vue):\d+:\d+: ",  # JavaScript Standard Style's offences
    r"Retry #\d",  # a retry's details under a failed Playwright test's
    r"(?m)^(?:\S+Z )?! \S",  # TeX's errors
    r"code style issues (?:were )?found in ",  # prettier --check, its levels only `[warn]`
    r"(?m)^(?:\S+Z )?Issues :-\(",  # awesome_bot's report of the links that failed
    r"(?m)\.\.\. ?(?-i:WARNING|NOTE)\r?$",  # R CMD check's checks that warned or noted
    r'(?m)^(?:\S+Z )?File "[^"\n]{1,300}", line \d{1,7}, in ',  # the doctest runner's failures
    r"(?-i:: WARNING: )",  # Sphinx's warnings (`index.rst:4: WARNING: undefined label: 'x'`)
    # and those about no place, an extension's or typed (`WARNING: msg [config.static_path]`)
    r"(?m)^(?:\S+Z )?(?:(?:\x1b|\^\[)\[[0-9;]*m)?(?-i:WARNING: )(?:[a-z]{1,30}: "
    r"|[^\n]{1,300} \[[a-z][\w-]{0,40}\.[\w.-]{1,60}\](?:\x1b\[[0-9;]*m)?\r?$)",
    r"crashed while running '",  # pytest-xdist's worker that died under a test
    r">> Issue: \[B\d",  # Bandit's findings (no other word of theirs says it failed)
    # Linters none of whose words says it failed: Perl::Critic, PHPMD, Pyflakes, pydocstyle,
    # codespell, Vulture
    r"\(Severity: \d\)", r"\.php:\d+(?:\t|\s{2,}\w+\s{2,}\S)",
    r"imported but unused|undefined name '|assigned to but never used",
    r"(?m)^(?:\S+Z )?\s{2,}D\d{3}: ",
    r":\d+: \S+ ==> \S", r"% confidence(?:, \d+ lines?)?\)",
    # Perl's run-time deaths (`Can't call method "x" on an undefined value at t/a.t line 9.`)
    r"(?-i:Can't |Undefined subroutine |Not an? [A-Z]+ reference |Illegal division by zero)",
    r"(?-i:\d\) broken\s)",  # Sphinx linkcheck's broken link (`(index: line    7) broken `)
    # ERT's failed test, vader's failed block, Vim's v:errors entries, luacheck's warnings,
    r"(?m)^(?:\S+Z )?Test \S+ condition:$", r"\] \(X\) ",
    r"(?m)^(?:\S+Z )?(?:command line\.\.)?(?:script|function) [^\n]{1,500}? line \d+: ",
    r"\.lua:\d+:\d+(?:-\d+)?: ", r"\.[eh]rl:\d+:(?:\d+:)? ",  # and erlc's errors
    # SBCL's compiler warnings and its unhandled conditions (UNBOUND-VARIABLE names no error),
    # FiveAM's failed test, Racket's error context, HLint's hints and ChkTeX's warnings
    r"; caught WARNING:", r"(?-i:Unhandled \S+ in thread|debugger invoked on an? \S)",
    r"(?m)^(?:\S+Z )? [^\s\[\]]+ in [^\s\[\]]+ \[[^\]\n]*\]: ?\r?$",
    r"(?m)^(?:\S+Z )?\s{1,4}context\.\.\.:\r?$",
    r"(?-i:\.l?hs:\d+:\d+(?:-\d+)?: (?:Warning|Suggestion): )",
    r"(?-i:(?m)^(?:\S+Z )?Warning \d+ in \S[^\n]* line \d+: )",
    r"Warnings occurr?ed running dialyzer",  # rebar3's closing line of Dialyzer's warnings
    r"---(?:line \d+ of|while reading) file ",  # BibTeX's errors
    # dune's place of a diff (a cram or expect test's output, a formatter's)
    r'(?m)^(?:\S+Z )?File "[^"\n]{1,300}", line \d+, characters \d+-\d+:\r?$',
    # Step headers (see steps.py): Travis commands, Azure sections, Jenkins stages, Buildkite.
    r"(?m)^\$ ", r"\x1b\[0K\$ ", r"##\[section\]Starting: ", r"\[Pipeline\] \{ \(",
    r"(?m)^(?:\S+Z )?(?:---|\+\+\+) :\w+:", r"(?m)^(?:\S+Z )?~~~ ", r"Post job cleanup\.",
)


def _unanchored_triggers() -> re2._Regexp:
    """The trigger words that match without looking beyond their own characters, in any case
    (a case-sensitive word, `(?-i:Can't )`, misses a literal the rules look for in another)."""
    free = [word for word in TRIGGERS
            if not any(a in word for a in ("^", "$", "\\b", "\\B", "(?-i"))]
    return re2.compile("(?i)" + "|".join(f"(?:{word})" for word in free))


_FREE_TRIGGERS = _unanchored_triggers()


def build_prefilter(catalog: Catalog, extra: tuple[str, ...] = ()) -> re2._Regexp:
    # A rule literal holding a trigger word (`Connection timed out`) adds no line: every line
    # holding the literal holds the word. Left out, the alternation RE2 runs over every byte of
    # the log is about half as long.
    literals = [literal for literal in catalog.literals() if not _FREE_TRIGGERS.search(literal)]
    words = list(TRIGGERS) + [re2.escape(literal) for literal in literals] + list(extra)
    options = re2.Options()
    options.log_errors = False
    options.max_mem = 64 << 20
    try:
        return re2.compile(("(?i)" + "|".join(f"(?:{word})" for word in words)).encode(), options)
    except re2.error:  # the rules' literals, one alternative each, outgrew max_mem
        raise RuleError(
            f"the rules' {len(words) - len(TRIGGERS)} literal words do not fit the prefilter "
            f"({options.max_mem >> 20} MiB): remove or shorten patterns"
        ) from None


@dataclass(frozen=True, slots=True)
class Log:
    """One log to scan: its name inside a zip (None for a plain input) and its step if known."""

    name: str | None
    stream: Readable
    step: str | None = None


class Triage:
    """Reusable: the rule catalog and prefilter are built once, then any number of inputs."""

    def __init__(
        self,
        catalog: Catalog | None = None,
        max_excerpt: int = DEFAULT_MAX_EXCERPT,
        max_failures: int = DEFAULT_MAX_FAILURES,
    ) -> None:
        self.catalog = catalog if catalog is not None else load_catalog()
        self.prefilter = build_prefilter(self.catalog)
        self._baseline_filter: re2._Regexp | None = None
        self.max_excerpt = max(1, max_excerpt)
        self.max_failures = max(1, max_failures)

    def baseline(self, logs: Iterable[Log]) -> Baseline:
        """Read passing logs once; pass the result to `run` for each failed log."""
        if self._baseline_filter is None:
            # also the lines the locator reads as error-like, which hold no trigger word
            self._baseline_filter = build_prefilter(self.catalog, (ERRORISH_RE2,))
        return read_baseline((log.stream for log in logs), self._baseline_filter)

    def run(
        self, source: str, logs: Iterable[Log], baseline: Baseline | None = None
    ) -> TriageReport:
        collected = Collected()
        collector = Collector(self.catalog, self.max_excerpt, collected)
        indexes: dict[str | None, StepIndex] = {}
        sizes: dict[str | None, int] = {}
        tails: list[tuple[str | None, Sequence[Line]]] = []
        total_lines = total_bytes = 0
        for log in logs:
            scanner = Scanner(self.prefilter)
            for region in scanner.run(log.stream):
                collector.feed(region, log.name, scanner.result.steps)
            result = scanner.result
            collector.count_repeats(result.repeats)
            collected.step_failures += [
                StepFailure(log.name, number, None) for number in result.annotations
            ]
            total_lines += result.lines
            total_bytes += result.bytes
            sizes[log.name] = result.lines
            indexes[log.name] = StepIndex(
                [n for n, _ in result.steps], [s for _, s in result.steps], log.step
            )
            if result.tail:
                tails.append((log.name, result.tail))

        def step_of(log: str | None, line: int) -> str | None:
            index = indexes.get(log)
            return index.name_at(line) if index is not None else None

        failing = failing_steps(collected.step_failures, indexes, sizes)

        def inside(log: str | None, line: int) -> bool | None:
            """Whether `line` is in a failing step; None when the log names none (but never
            in the provider's preamble)."""
            if not failing:
                return False if is_preamble(step_of(log, line)) else None
            return any(s.log == log and s.start <= line <= s.end for s in failing)

        candidates = without_rules_inside_tests(
            [in_failing_step(c, inside, step_of) for c in collected.clusters.values()]
        )
        # The locator looks before each failure line; with none (a cut-off log, a plain tool
        # output), before the end of each log, where only a block that reads like an error counts
        # (else the anomalous-line fallback answers).
        # (with the command the failure line names: Travis's `The command "x" exited with 1.`)
        ends: list[tuple[str | None, Sequence[Line], bool, str | None]] = [
            (name, window[:-1], False, command_of(window[-1].text))
            for name, window in collected.windows
            if inside(name, window[-1].number)
        ]
        for name, window, at_end, command in ends or [
            (name, tail, True, None) for name, tail in tails
        ]:
            found = self._located(name, window, self.max_excerpt, baseline, command)
            if found is None or (at_end and found.score != LOCATED):
                continue
            # A clear answer adds its key line; an unclear one, the step's last lines, adds
            # nothing if an extractor or a rule already shows any of them.
            low, high = found.key_line, found.key_line
            if found.score != LOCATED:
                low, high = found.start_line, found.end_line
            if not any(
                c.log == name and c.start_line <= high and low <= c.end_line
                and not c.consequence and (c.detector != "generic" or c.rule is not None)
                for c in candidates
            ):  # an extractor or a rule already shows these lines, and names them better
                candidates.append(found)
        scored: list[tuple[int, Candidate]] = []
        for c in candidates:
            within = inside(c.log, c.key_line)
            if within is False and is_preamble(step_of(c.log, c.key_line)):
                continue  # the preamble's text (sudo's help, kernel flags): not even a runner-up
            scored.append((adjusted(c, within) - discount(c, baseline), c))
        ranked = order(scored)
        primary = [
            c for _, c in ranked if not c.consequence and inside(c.log, c.key_line) is not False
        ]
        fallback = None
        if not primary:
            fallback = self._fallback(collected, tails)
        failures: list[Failure] = []
        if fallback is not None:
            failures.append(self._failure(fallback, FALLBACK_SCORE, step_of, fallback=True))
        for score, candidate in ranked[: self.max_failures - len(failures)]:
            failure = self._failure(candidate, score, step_of, place=len(failures))
            if failures and failure.confidence > failures[-1].confidence:
                # the ranking is the engine's belief: nothing below is surer than above it
                failure = replace(failure, confidence=failures[-1].confidence)
            failures.append(failure)
        names = sorted({s.name for s in failing if s.name is not None})
        return TriageReport(
            source=source,
            failures=tuple(failures),
            lines=total_lines,
            bytes=total_bytes,
            failing_steps=tuple(names),
        )

    @staticmethod
    def _located(
        log: str | None, window: Sequence[Line], max_excerpt: int, baseline: Baseline | None,
        command: str | None = None,
    ) -> Candidate | None:
        found = locate(
            window, min(max_excerpt, MAX_BLOCK_LINES), baseline.has if baseline else None,
            command,
        )
        if found is None:
            return None
        key = window[found.key].text.strip()
        title = key[:200]
        if not found.clear:
            title = f"No clear cause; the failing step's last lines: {key[:160]}"
        return Candidate(
            detector="locator",
            category="unknown",
            title=title,
            score=LOCATED if found.clear else UNCLEAR,
            consequence=False,
            key_line=window[found.key].number,
            start_line=window[found.first].number,
            end_line=window[found.last].number,
            lines=[line.text for line in window[found.first : found.last + 1]],
            key_text=key,
            explanation="No known tool format matched; this is the last error-like output "
            "before the step failed." if found.clear else "Nothing before the step's exit reads "
            "like an error: these are its last lines of output.",
            fix="Read the excerpt and the lines above it; rerun the failing step locally.",
            log=log,
        )

    def _fallback(
        self, collected: Collected, tails: list[tuple[str | None, Sequence[Line]]]
    ) -> Candidate | None:
        windows = [
            (log, [line for line in window[:-1] if line.kind is not Kind.ERROR])
            for log, window in collected.windows
            if window
        ]
        for log, window in [*windows, *reversed(tails)]:
            index = anomalous_line(window)
            if index is None:
                continue
            first = max(0, index - FALLBACK_CONTEXT)
            last = min(len(window) - 1, index + FALLBACK_CONTEXT)
            # Excerpt lines must be consecutive in the raw log: stop at a gap.
            while first < index and window[index].number - window[first].number != index - first:
                first += 1
            while last > index and window[last].number - window[index].number != last - index:
                last -= 1
            key = window[index].text.strip()
            return Candidate(
                detector="fallback",
                category="unknown",
                title=f"Possible cause (no known pattern matched): {key[:160]}",
                score=FALLBACK_SCORE,
                consequence=False,
                key_line=window[index].number,
                start_line=window[first].number,
                end_line=window[last].number,
                lines=[line.text for line in window[first : last + 1]],
                key_text=key,
                explanation="No known failure pattern matched; these are the most unusual lines "
                "just before the step failed.",
                fix="Read the lines around the excerpt in the full log and rerun the step locally.",
                log=log,
            )
        return None

    def _failure(
        self, candidate: Candidate, score: int, step_of: StepOf, fallback: bool = False,
        place: int = 0,
    ) -> Failure:
        step = step_of(candidate.log, candidate.key_line)
        category = candidate.category
        if category == "unknown":
            category = step_category(step)
        rule = candidate.rule
        return Failure(
            category=category,
            title=redact(candidate.title),
            rule=rule.id if rule else None,
            detector="rule" if rule and candidate.detector == "annotation" else candidate.detector,
            fingerprint=candidate.fingerprint,
            confidence=confidence(candidate, score, fallback, place),
            step=step,
            log=candidate.log,
            excerpt=Excerpt(
                candidate.start_line,
                candidate.end_line + len(candidate.more),
                redact("\n".join([*candidate.lines, *candidate.more])),
            ),
            count=candidate.count,
            explanation=candidate.explanation,
            fix=candidate.fix,
            docs=rule.docs if rule else None,
            retry=rule.retry if rule else False,
        )


def discount(candidate: Candidate, baseline: Baseline | None) -> int:
    """A line the passing run printed too is not why this run failed."""
    if baseline is None or not baseline.has(candidate.key_text):
        return 0
    candidate.explanation = f"{candidate.explanation} The passing run printed this line too."
    return IN_BASELINE


def in_failing_step(
    candidate: Candidate, inside: Callable[[str | None, int], bool | None], step_of: StepOf
) -> Candidate:
    """The cluster shown at its repeat in a failing step when its first copy is in the
    provider's preamble, which shows none of its text (`E: Failed to fetch` in Travis's own apt
    output, again in the job's `apt-get update` that failed): there it is the step's own
    failure. (A first copy in a job step that passed stays: what a passing step printed too is
    likelier noise, such as a headless browser's `Failed to connect to the bus`.)"""
    later = candidate.later
    if later is None or not is_preamble(step_of(candidate.log, candidate.key_line)):
        return candidate
    if inside(candidate.log, candidate.key_line) is not False:
        return candidate
    if inside(later.log, later.key_line) is not True:
        return candidate
    later.count = candidate.count
    return later


def without_rules_inside_tests(candidates: list[Candidate]) -> list[Candidate]:
    """A rule that matched a line of a test's failure block (the exception a test raised, such
    as `KeyError: 'x'` or `Connection refused`) is that test's failure, not a cause of its own."""
    blocks = [
        c for c in candidates
        if c.rule is None and c.category == "test" and not c.consequence
        and c.end_line > c.start_line
    ]  # fmt: skip
    if not blocks:
        return candidates
    return [
        c for c in candidates
        if c.rule is None or c.detector != "annotation" or not any(
            b.log == c.log and b.start_line <= c.key_line <= b.end_line for b in blocks
        )
    ]  # fmt: skip


def failing_steps(
    failures: list[StepFailure], indexes: dict[str | None, StepIndex], sizes: dict[str | None, int]
) -> list[FailingStep]:
    """The failing steps, once each, in log order."""
    found: dict[tuple[str | None, int], FailingStep] = {}
    for failure in failures:
        index = indexes.get(failure.log)
        if index is None:
            continue
        step = index.failing(failure, sizes.get(failure.log, failure.line))
        found.setdefault((step.log, step.start), step)
    return list(found.values())


def triage_stream(
    stream: IO[bytes],
    source: str,
    catalog: Catalog | None = None,
    max_excerpt: int = DEFAULT_MAX_EXCERPT,
) -> TriageReport:
    """Triage one plain log."""
    return Triage(catalog, max_excerpt).run(source, [Log(None, stream)])
