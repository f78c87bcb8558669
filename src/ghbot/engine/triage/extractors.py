"""Recognisers of the failure output of real tools, one table row per message shape.

An extractor matches a normalised trigger line and says how far the excerpt reaches (lines above
that belong to it, lines below that continue it), what to call it and how likely it is to be the
root cause (`score`). Known messages with a ready explanation live in `rules/*.yml` instead; these
rows know the *shapes*: compiler diagnostics, test-framework failure blocks, tracebacks.
Patterns use stdlib `re` on lines capped at 4,096 characters and have no nested quantifiers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ghbot.engine.triage.normalise import Line
from ghbot.engine.triage.scan import Lines
from ghbot.engine.triage.steps import inside_step

# Ranking scores: a tool's own diagnostic beats a generic "error" line beats a consequence.
TOOL = 70
TEST = 72
ANNOTATION = 45
GENERIC = 25
CONSEQUENCE = 5
# A link checker's report of its dead links: above the generic locator's block, below a tool's
# own diagnostic of the code (links break with no change to the repository, so where the same
# job also failed otherwise, that failure is likelier what the change broke)
LINKS = 55
SIBLING_LINES = 30  # a run of a linter's reports is shown up to this many lines
HEADING_LINES = 60  # a test's heading is this close above its failure
BELOW_LINES = 500  # and a runner's closing counts this close above the failures it lists
MAX_GAP = 2  # blank lines inside one report, or between two of a run of reports
DETAIL_LINES = 3  # a title's message is this close below its heading (see Extractor.detail)


@dataclass(frozen=True, slots=True)
class Span:
    back: re.Pattern[str] | None = None  # lines above that still belong, while they match
    back_max: int = 0
    back_to: re.Pattern[str] | None = None  # or: reach up to the nearest line matching this
    forward: re.Pattern[str] | None = None  # lines below that continue it, while they match
    forward_max: int = 0
    until: re.Pattern[str] | None = None  # or: reach down to the first line matching this
    # and on below that line while lines match this (unittest's diff under its AssertionError)
    then: re.Pattern[str] | None = None
    closing: bool = False  # the first line after `forward` stops belongs too (an exception line)
    # lines below indented deeper than the matched line continue it (blank lines inside too)
    deeper: bool = False
    # the same tool's next reports just below belong too (a linter's list of offences, over a
    # blank line and the `back` lines that head each, such as ESLint's file name)
    siblings: bool = False
    # the source line and a caret line under it follow (CoffeeScript, Elm, many parsers)
    caret: bool = False
    # or come first: `file:line`, the source line and a caret, then a blank line (Node.js)
    caret_above: bool = False


@dataclass(frozen=True, slots=True)
class Extractor:
    name: str
    category: str
    pattern: re.Pattern[str]
    title: str  # str.format template over the pattern's named groups
    score: int
    span: Span = Span()
    explanation: str = ""
    fix: str = ""
    consequence: bool = False  # says that something failed, not why
    # a line above naming the unit (test) for the title: its pattern's first group, or what a
    # function finds above the line (a name that no pattern tells from other text)
    header: re.Pattern[str] | Callable[[Sequence[Line], int], str] | None = None
    # the next line must match too: tells apart frameworks that number failures alike (`  1) `)
    follows: re.Pattern[str] | None = None
    # the first line matching this at most DETAIL_LINES below gives the title more groups: a
    # message printed under a heading that may wrap (SBCL's thread, then its condition's message)
    detail: re.Pattern[str] | None = None
    # the lines just above, nearest first, must match one of these in turn: a log record's own
    # lines over the exception it logged (one tuple per shape of record)
    under: tuple[tuple[re.Pattern[str], ...], ...] = ()
    # a line above, at most BELOW_LINES up and holding the word, must match too: a runner that
    # lists its failed tests twice (the progress list, then the details after its closing
    # counts) reports the details only below the counts
    below: tuple[str, re.Pattern[str]] | None = None
    # the tool runs every unit (a pre-commit hook) whatever the others did: no failure of it is
    # a consequence of an earlier one, so "the first error explains the rest" does not hold
    independent: bool = False
    # (heading, notice): the line is no failure when the nearest heading above it (a line that
    # starts with `heading` and ends with a colon), at most 60 lines up, is a notice's: PHPUnit
    # numbers its warnings, risky and skipped tests as it numbers its failures, each list under
    # its own `There was 1 warning:` (a prefix, not a pattern: it is tried on every line up)
    not_under: tuple[str, re.Pattern[str]] | None = None
    # a further check of the lines around the match (a retry that passed: Playwright's closing
    # list of flaky tests below)
    when: Callable[[Sequence[Line], int], bool] | None = None
    # the failure was made good by a retry (a flaky test): shown, never the cause, and no rule
    # that matches inside it names it
    settled: bool = False
    # (root, through): the last line matching `root` in the run of lines matching `through`
    # just below the excerpt's reach (up to ROOT_LINES) is the cause: a JVM trace's last
    # `Caused by:` among its frames, its root. The excerpt then reaches down to the end of that
    # run, is cut around it, and the title names it; with none, the excerpt is as it was.
    root: tuple[re.Pattern[str], re.Pattern[str]] | None = None

    def accepts(self, lines: Sequence[Line], index: int) -> bool:
        if self.not_under is not None and self.under_notice(lines, index, *self.not_under):
            return False
        if self.when is not None and not self.when(lines, index):
            return False
        if self.under and not any(
            index >= len(record) and all(
                pattern.search(lines[index - offset].text)
                for offset, pattern in enumerate(record, 1)
            )
            for record in self.under
        ):
            return False
        if self.follows is not None and not (
            index + 1 < len(lines) and self.follows.search(lines[index + 1].text)
        ):
            return False
        if self.below is not None:
            word, pattern = self.below
            return any(
                word in lines[probe].text and pattern.search(lines[probe].text)
                for probe in range(index - 1, max(-1, index - BELOW_LINES - 1), -1)
            )
        return True

    @staticmethod
    def under_notice(
        lines: Sequence[Line], index: int, heading: str, notice: re.Pattern[str]
    ) -> bool:
        raw: Sequence[str] | None = None
        if isinstance(lines, Lines):  # the scanner's region: its raw lines say where to look
            if not lines.mentions(heading):
                return False
            raw = lines.texts
        for probe in range(index - 1, max(-1, index - HEADING_LINES - 1), -1):
            if raw is not None and heading not in raw[probe]:
                continue
            text = lines[probe].text
            if text.startswith(heading) and text.endswith(":"):
                return notice.search(text) is not None
        return False

    def heading(self, lines: Sequence[Line], index: int) -> str:
        """The nearest header above (pytest's `____ test_x ____`), at most HEADING_LINES up."""
        if self.header is None:
            return ""
        if not isinstance(self.header, re.Pattern):
            return self.header(lines, index)
        for probe in range(index - 1, max(-1, index - HEADING_LINES - 1), -1):
            found = self.header.search(lines[probe].text)
            if found:
                return found.group(1)
        return ""

    def extent(self, lines: Sequence[Line], index: int) -> tuple[int, int]:
        """First and last index of the excerpt around `lines[index]`."""
        span, first, last = self.span, index, index
        if span.back is not None:
            while first > 0 and index - first < span.back_max and span.back.search(
                lines[first - 1].text
            ):
                first -= 1
        if span.back_to is not None:
            for probe in range(index - 1, max(-1, index - span.back_max - 1), -1):
                if span.back_to.search(lines[probe].text):
                    first = probe
                    break
        if span.caret_above:
            first = _source_above(lines, first)
        if span.forward is not None:
            last = _going_on(lines, last, span.forward, index + span.forward_max)
            if span.closing and last + 1 < len(lines) and lines[last + 1].text.strip():
                last += 1
        if self.root is not None:
            last = _root_end(lines, last, index + ROOT_LINES, *self.root)
        if span.deeper:
            last = _deeper_block_end(lines, index, span.forward_max)
        if span.until is not None:
            for probe in range(index + 1, min(len(lines), index + span.forward_max + 1)):
                if span.until.search(lines[probe].text):
                    last = probe
                    if span.then is not None:
                        last = _going_on(lines, last, span.then, index + span.forward_max)
                    break
        if span.caret and last + 2 < len(lines) and CARET.match(lines[last + 2].text):
            last += 2
        if span.siblings:
            last = self._siblings_end(lines, index, last)
        if first < index or last > index:
            first, last = inside_step(lines, index, first, last)
        while first < index and not lines[first].text.strip():  # no blank edges
            first += 1
        while last > index and not lines[last].text.strip():
            last -= 1
        return first, last

    def _siblings_end(self, lines: Sequence[Line], index: int, last: int) -> int:
        """The last line of the run of reports like this one that starts at `index`."""
        span = self.span
        while last - index < SIBLING_LINES:
            probe = last + 1
            while probe < len(lines) and probe - last <= MAX_GAP and not lines[probe].text.strip():
                probe += 1
            while probe < len(lines) and probe - last <= span.back_max and span.back is not None \
                    and not self.pattern.search(lines[probe].text) \
                    and span.back.search(lines[probe].text):
                probe += 1
            if span.back_to is not None and probe < len(lines) \
                    and span.back_to.search(lines[probe].text):
                probe = self._report_under(lines, probe)  # the next report's own heading
            if probe >= len(lines) or not self.pattern.search(lines[probe].text):
                return last
            following = replace(self, span=replace(span, siblings=False))
            last = max(probe, following.extent(lines, probe)[1])
        return last

    def _report_under(self, lines: Sequence[Line], heading: int) -> int:
        """The first report at most `back_max` lines under `heading`, or `heading`."""
        for probe in range(heading + 1, min(len(lines), heading + self.span.back_max + 1)):
            if self.pattern.search(lines[probe].text) and self.accepts(lines, probe):
                return probe
        return heading

    def describe(self, found: re.Match[str], lines: Sequence[Line], index: int) -> str:
        """The title: the template over the named groups of the match and of the `follows`
        line below it (rake's reason), after the heading above it, if any."""
        groups = found.groupdict()
        if self.follows is not None and index + 1 < len(lines):
            below = self.follows.search(lines[index + 1].text)
            if below is not None:
                groups = {**groups, **below.groupdict()}
        if self.detail is not None:  # (its groups empty when no line below has it)
            groups = {**dict.fromkeys(self.detail.groupindex), **groups}
            for probe in range(index + 1, min(len(lines), index + DETAIL_LINES + 1)):
                more = self.detail.search(lines[probe].text)
                if more is not None:
                    groups = {**groups, **more.groupdict()}
                    break
        values = {key: (value or "").strip() for key, value in groups.items()}
        header = self.heading(lines, index)
        if "{heading}" in self.title:  # the template places it (a report's count after it)
            values["heading"] = header
            header = ""
        title = self.title.format(**values) if values else self.title
        if header:  # (a title of its heading alone: Racket's error line, above its context)
            title = f"{header}: {title}" if title else header
        return " ".join(title.split())[:200]


def _root_end(
    lines: Sequence[Line], last: int, limit: int, root: re.Pattern[str], through: re.Pattern[str]
) -> int:
    """The last of the lines going on below `last` (up to `limit`) when one of them is a root
    cause (see Extractor.root); `last` when none is."""
    probe, found = last + 1, False
    while probe < min(len(lines), limit + 1) and through.search(lines[probe].text):
        found = found or root.match(lines[probe].text) is not None
        probe += 1
    return probe - 1 if found else last


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _going_on(lines: Sequence[Line], last: int, pattern: re.Pattern[str], stop: int) -> int:
    """`last` moved down, up to `stop`, over the lines below it that match `pattern`."""
    blanks = 0
    while last + 1 < len(lines) and last < stop and pattern.search(lines[last + 1].text):
        blanks = 0 if lines[last + 1].text.strip() else blanks + 1
        if blanks > MAX_GAP:  # a report goes on over a blank line or two, not more
            break
        last += 1
    return last


def _deeper_block_end(lines: Sequence[Line], index: int, limit: int) -> int:
    """The last line below `index`, within `limit`, of the block indented deeper than it (a test
    runner's failure details hang under the failed test's name), and of the siblings below that
    failed the same way; blank lines end it only where the indentation goes back out."""
    margin = _indent(lines[index].text)
    status = _STATUS.search(lines[index].text)
    last = index
    if index + 1 < len(lines) and _EXCEPTION_HEAD.match(lines[index + 1].text):
        # the reporter printed the failure's exception at the margin under the test's line
        # (minitest-reporters' SpecReporter): its paragraph is the details
        while last + 1 < min(len(lines), index + limit + 1) and lines[last + 1].text.strip():
            last += 1
        return last
    for probe in range(index + 1, min(len(lines), index + limit + 1)):
        text = lines[probe].text
        if not text.strip():
            continue
        indent = _indent(text)
        if indent < margin or indent == margin and (
            status is None or not text.endswith(status.group())
        ):  # out of the block, or a sibling that did not fail the same way
            break
        last = probe
    return last


def _source_above(lines: Sequence[Line], first: int) -> int:
    """`first`, or the location line above it that names the source line and the caret line
    printed between them (over one blank line)."""
    caret = first - 1
    if caret >= 0 and not lines[caret].text.strip():
        caret -= 1
    if caret >= 2 and CARET.match(lines[caret].text) and _LOCATION.match(lines[caret - 2].text):
        return caret - 2
    return first


# pydocstyle's place of a docstring error (`shop.py:7 in public method `add`:`)
PYDOCSTYLE_PLACE = re.compile(r"^\S{1,300}:\d{1,7} (?:at module level|in (?:public|private)"
                              r" [\w ]{1,40} `[^`]{1,200}`):$")
# The headings of PHPUnit's lists of what it only flags (`There was 1 risky test:`)
PHPUNIT_NOTICE = re.compile(r"(?i)warning|deprecation|notice|risky|incomplete|skipped")
# PHPUnit's closing: failed, or passed with what it flagged (`OK, but there were issues!` in 10)
_PHPUNIT_CLOSING = re.compile(r"^(?:FAILURES!|ERRORS!|WARNINGS!|OK, but .{1,80}!)$")
_PHPUNIT_CLOSINGS = ("FAILURES!", "ERRORS!", "WARNINGS!", "OK, but ")  # (failed ones first)


def _phpunit_flagged_run(lines: Sequence[Line], index: int) -> bool:
    """Whether the numbered test is in a list of what PHPUnit only flags, in a run that closed
    on no failure."""
    if not Extractor.under_notice(lines, index, "There w", PHPUNIT_NOTICE):
        return False
    for probe in range(index + 1, min(len(lines), index + BELOW_LINES + 1)):
        text = lines[probe].text
        if text.startswith(_PHPUNIT_CLOSINGS) and _PHPUNIT_CLOSING.match(text):
            return not text.startswith(_PHPUNIT_CLOSINGS[:2])
    return False


_STACK_DUMP = re.compile(r"^~{5,200} Stack of ")


def _under_stack_dump(lines: Sequence[Line], index: int) -> bool:
    """Whether a thread's stack dump (pytest-timeout's `~~~ Stack of MainThread (1) ~~~`) is
    above the line, at most BELOW_LINES up: the rule closes a dump, not opens one."""
    for probe in range(index - 1, max(-1, index - BELOW_LINES - 1), -1):
        text = lines[probe].text
        if text.startswith("~") and _STACK_DUMP.match(text):
            return True
        if "+ Timeout +" in text:  # another rule first: this one opens a dump
            return False
    return False


# A Gherkin runner's step line (behave, Cucumber): `    Then the total is 10   # steps/cart.py:14`
# (behave 1.2 adds the step's time, `0.001s`); a failed step's details are indented under it.
_GHERKIN_STEP = re.compile(r"^\s{2,}(?:Given|When|Then|And|But|\*) [^#]{1,300}# [^\s:]{1,300}"
                           r":\d{1,7}(?: \d{1,6}\.\d{1,6}s)?$")
_GHERKIN_HEADER = re.compile(r"^\s{2,}((?:Given|When|Then|And|But|\*) [^#]{0,300}[^#\s])"
                             r"\s{1,100}# ")
GHERKIN_WHY = ("A step of a Gherkin scenario failed: the lines under the step give its assertion's"
               " message or the exception it raised, with where.")


def _under_gherkin_step(lines: Sequence[Line], index: int) -> bool:
    """Whether the line is indented under a Gherkin step's line (at most HEADING_LINES up),
    where behave and Cucumber print why a step failed."""
    for probe in range(index - 1, max(-1, index - HEADING_LINES - 1), -1):
        text = lines[probe].text
        if _GHERKIN_STEP.match(text):
            return True
        if text[:1].strip():  # a line at the margin: out of the scenario
            return False
    return False


# (not Node's own modules, `node:assert:90`: where its assert threw, not the caller)
_LOCATION = re.compile(r"^(?!node:)\S{1,300}:\d{1,7}$")
_STATUS = re.compile(r"\s(?:FAIL(?:ED)?|ERROR)$")
_EXCEPTION_HEAD = re.compile(r"^(?:[A-Z]\w{0,60}(?:::|\.)){0,6}\w{0,60}"
                             r"(?:Error|Exception|Assertion|Failure|Failed):")
# a caret line under a source line (`    ^~~~`, Python's `~~~^^^`); the first `^` is the one
# required (tried as any `^` of a long run, the match was quadratic: 0.1 s a 4 KB line)
CARET = re.compile(r"^\s*+~*+\^[~^]*+$")


SPHINX_WARNED = ("Sphinx reported a problem in the documentation; with `-W` (warnings are errors)"
                 " any warning fails the build, the first one listed first.")
# The headline of Sphinx's report when it stops on an error of its own (`Extension error (x)!`
# since 8.0, `Configuration error:` before)
SPHINX_STOPPED = (r"(?:Extension|Configuration|Theme|Sphinx|Build environment|Encoding|Recursion)"
                  r" error|Exception occurred")
SPHINX_STOPPED_WHY = ("Sphinx stopped on an error: an extension failed (or is missing, or does not"
                      " support this Sphinx), or conf.py raised; the exception says which.")
SPHINX_STOPPED_FIX = ("Fix conf.py or the extension named in the headline; pin the Sphinx version"
                      " the extension supports.")
# Lines that only sum up a failure told above them, whatever the tool: never its cause.
SUMMARY = _re(
    r"^\W{0,4}(?:TEST FAILURE\W*$|\*\* [A-Z ]{0,40}FAILED \*\*|BUILD FAIL(?:ED|URE)\b"
    r"|FAILURE: Build failed with an exception|\d+ out of \d+ tests? failed"
    r"|.{0,200}\bdid not pass validation\b|rake aborted!$|Error: One or more errors occurred"
    r"|One or more tests failed|An error occurred when executing task|Aborted due to warnings"
    r"|(?:Some|\d+) tests? (?:failed|errored)\W{0,3}$|Tests? failed\W{0,3}$|Test suite failed"
    r"|.{0,200}\bfailed with exit (?:code |status )?\d{1,3}\W{0,3}$|exiting with code [1-9]"
    r"|ERROR: \".{1,200}\" exited with \d|The following tests? FAILED:?$"
    r"|Errors while running CTest|.{0,200}\bTotal: \d+, Errors: \d+, Failed: \d+"
    r"|Test suite \S{1,200}: FAIL\W{0,3}$|Failing tests:$|Command failed with status \(\d+\)"
    r"|.{0,200}\bfailed with exit (?:code |status )?\d{1,3}|\d+ failing$"
    r"|Executed \d+ tests?, with [1-9]\d* failures?|\S+(?: \S+){0,3} failed\.?$"
    r"|\*\*\*Test Failed\*\*\* \d+ failures?\.$|\d+ items? had failures:$"
    r"|build finished with problems\b|\d+ failures? in (?:tests|setup code|cleanup code)$"
    # tox's closing per environment (4: `py311: FAIL code 1 (...)`, 3: `ERROR:   py311: commands
    # failed`, `ERROR: InvocationError for command ...`) under what its commands printed
    r"|[\w.-]{1,60}: FAIL code \d{1,3} \(|evaluation failed :\(|ERROR: {1,3}[\w.-]{1,60}: commands"
    r" failed$|ERROR: InvocationError for command "
    rf"|(?:{SPHINX_STOPPED})(?: \([\w.]{{1,100}}\))?!$|To report this error to the developers"
    r"|Please also report this if it was a user error|The full traceback has been saved in)"
)
# R CMD check: the lines under a check's `* checking X ... RESULT`, up to the next check (or
# to the last words of the R session it ran, which only say that it stopped); in rcmdcheck's
# summary, up to its next check (`❯ checking`), its next section or its counts
_R_CHECK_DETAIL = _re(r"^(?!\* |\u276f |── |\d{1,4} errors? [\u2714\u2716] |Status: \d"
                      r"|\s{0,4}(?:Execution halted|Error: (?:Test failures"
                      r"|testthat unit tests failed))$)")
_R_CHECK = _re(r"^\* checking ")
# testthat: the lines of one failure's report, up to the next report, a rule or the counts
_TESTTHAT_BODY = _re(r"^(?!\s{0,4}(?:── |══|─{3}|\[ (?:FAIL|OK:) |Error: (?:Test failures$"
                     r"|testthat unit tests failed$)|(?:Failure|Error|Warning|Skip) \())")
_INDENTED = _re(r"^(?:\s|$)")
_INDENTED_NONBLANK = _re(r"^\s+\S")
_CODE_CONTEXT = _re(r"^(?:\s|\d+ \||\s*\|)")  # compiler source lines, carets, notes
# and GCC's and Clang's notes on the error (`f.c:6:39: note: in passing argument 2 of ...`);
# where pip or uv shows the build's output indented, not the next warning or error (at the
# margin they are no context line either) nor ninja's last line
_GCC_CONTEXT = _re(r"^(?!\s{0,12}(?:ninja: build stopped|[^:\s][^:]{0,300}:\d+:(?:\d+:)? "
                   r"(?:warning|error|fatal error): ))"
                   r"(?:\s|\d+ \||\s*\||[^:\s][^:]{0,300}:\d+:(?:\d+:)? note: )")
# The margin of a build's output that a front end shows indented: pip's box (6 spaces), uv's (9).
BOXED = r"^\s{0,12}"
_RUST_CONT = _re(r"^(?:\s|\d+\s*\||=|\s*-->)")
# (an `E` line of a diff that only held spaces loses them when lines are trimmed; `name = value`
# is a local of the frame, `--showlocals`)
_PYTEST_BODY = _re(r"^(?:E(?:\s|$)|>\s|\s{4}|\s*$|[A-Za-z_]\w{0,100} {1,60}= )")

R_CHECK_FAILED = "R CMD check stopped on an ERROR in this check; the lines under it say why."
R_CHECK_FIX = ("Run `R CMD check` on the built tarball locally (or `devtools::check()`) and fix"
               " what this check reports.")
TESTTHAT_FAILED = ("A testthat expectation failed (or the test raised an error): the lines"
                   " under its name give what it got and what it expected, or the backtrace.")
TESTTHAT_FIX = ("Run the test file locally with `testthat::test_file()` and fix the code or the"
                " expectation.")

# A JVM exception's line, qualified by a JVM package root, and the frames below it.
JVM_EXCEPTION = _re(
    r"^(?:Exception in thread \"[^\"]{1,100}\" )?(?P<exc>(?:java|javax|jdk|kotlin|scala|org|com"
    r"|junit)\.(?:[\w$]{1,60}\.){0,8}[\w$]{0,60}(?:Error|Exception|Failure|Failed))"
    r"(?:: (?P<msg>.{1,300}))?$"
)
JVM_FRAMES = _re(r"^(?:\s+at |\s+\.\.\. \d+ (?:more|common)|Caused by: )")
ROOT_LINES = 400  # lines looked at below a failure's for its root cause (Extractor.root)
JVM_CAUSE = _re(r"^Caused by: ")
# A test that `meson test` ran and that failed (its number, name, result, time and why).
MESON_TEST = _re(r"^\s{0,8}\d{1,6}/\d{1,6} (?P<test>\S{1,300}?)\s{1,80}(?P<how>FAIL|TIMEOUT"
                 r"|ERROR|UNEXPECTEDPASS)\s{1,40}[\d.]{1,12}s(?:\s{1,40}(?P<why>\S.{0,200}))?$")
# Ant's junit task: the heading of one test's result (its plain formatter), the message line
# under the result (which titles it), and the lines of the failure up to the blank line after it
ANT_TESTCASE = _re(r"^Testcase: \S{1,300} took [\d.]{1,20} sec$")
ANT_MESSAGE = _re(r"^(?P<msg>\S.{0,300})$")
ANT_JUNIT_BODY = _re(r"^(?!\s*$|Testcase: |Test \S{1,300} FAILED)")
# The lines of a log record that a JVM logger prints above the exception it logs, nearest
# first: java.util.logging's level and message under its header (time, class and method), and
# the `[thread] LEVEL logger - message` line of Logback's, slf4j-simple's and Log4j's defaults.
LOG_RECORDS = (
    (_re(r"^[A-Z]{3,8}: "),
     _re(r"[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d\d:\d\d [AP]M \S{1,300} \S{1,300}$")),
    (_re(r"\[[^\]]{1,100}\] (?:TRACE|DEBUG|INFO|WARN|ERROR)\s{1,5}\S{1,300} - "),),
)

# Playwright Test: each failed test's details under a numbered heading, `  1) [project] ›
# file:line:col › describe › title ───` (the rule fills the line to the terminal's width), over
# the error, its values and the code frame, up to where the next failure, a retry's details
# (`Retry #1 ───`), the attachments or the closing counts begin.
# (its one group, the test's title, also titles a retry's details under it)
PLAYWRIGHT_FAILURE = _re(
    r"^\s{0,8}\d{1,5}\) (?:\[[^\]]{1,100}\] \u203a )?[^\s:]{1,300}:\d{1,7}:\d{1,7} \u203a "
    r"(?P<test>.{0,400}?\S)(?: \u2500{1,300})?$"
)
_PLAYWRIGHT_BODY = _re(
    r"^(?!\s{0,8}\d{1,5}\) |\s{4}(?:Retry #\d|attachment #\d|Error Context: )"
    r"|\s{0,4}\d{1,7} (?:failed|flaky|passed|skipped|interrupted|did not run)\b)(?:\s|$)"
)
_PLAYWRIGHT_FLAKY = re.compile(r"^\s{0,4}(\d{1,5}) flaky$")
# where Playwright saved the failed test's page snapshot: a file name, not an error
_PLAYWRIGHT_CONTEXT = r"^\s{0,8}Error Context: \S"
PLAYWRIGHT_CONTEXT = re.compile(_PLAYWRIGHT_CONTEXT)
PLAYWRIGHT_SPAN = Span(forward=_PLAYWRIGHT_BODY, forward_max=40)
PLAYWRIGHT_FIX = "Run it locally with `npx playwright test FILE:LINE` (the place in its heading)."


def _rule_trimmed(text: str) -> str:
    return text.strip().rstrip("\u2500 ")


def _retried_to_pass(lines: Sequence[Line], index: int) -> bool:
    """Whether the closing counts of the run list the Playwright test headed at `index` under
    `N flaky`: it failed, then passed on a retry. (Playwright shows the flaky tests' details
    after the failed ones', numbered on from them.) A region holds at most MAX_REGION_LINES
    lines; only the ones that say `flaky` are normalised and matched."""
    raw = lines.texts if isinstance(lines, Lines) else None
    heading = lines[index].text
    title = _rule_trimmed(heading[heading.find(") ") + 2 :])
    for probe in range(index + 1, len(lines)):
        if raw is not None and " flaky" not in raw[probe]:
            continue
        found = _PLAYWRIGHT_FLAKY.match(lines[probe].text)
        if found is not None:
            listed = range(probe + 1, min(len(lines), probe + 1 + int(found.group(1))))
            return any(_rule_trimmed(lines[entry].text) == title for entry in listed)
    return False


# pytest's heading of a test's section (`____ test_x ____`, `____ [doctest] mod.f ____`)
# Biome's heading of a diagnostic: the file (and place) and the rule, then a rule of `━`
BIOME_HEADER = _re(r"^(\S{1,300}(?::\d+:\d+)? (?:lint|assist|syntax|parse|suppressions|format"
                   r"|organizeImports)(?:/\S{1,200})?)(?: {1,4}FIXABLE)? {1,4}\u2501")
PYTEST_HEADING = _re(r"^_{3,} (\S.{0,200}?) _{3,}$")
# The lines under a Sphinx ERROR that quote the directive, up to the tool's next message, its
# progress lines (`looking for now-outdated files... none found`) or its closing
SPHINX_DETAIL = _re(r"^(?![^\s:].{0,300}: (?:WARNING|ERROR|CRITICAL|SEVERE): "
                    r"|[A-Za-z][\w -]{0,60}\.\.\.(?: |$)|build (?:finished|succeeded)"
                    r"|Writing evaluated |Warning, treated|WARNING: "
                    r"|(?:g?make|mingw32-make)(?:\[\d+\])?: )")
# Sphinx linkcheck's line about one link (`(index: line    4) ok        URL`)
SPHINX_LINK = _re(r"^\(\s{0,40}\S{1,300}: line\s{1,10}\d{1,7}\) ")
# pytest's numbered docstring line of a doctest's failing example (`018     >>> f(1)`)
DOCTEST_EXAMPLE = _re(r"^\d{3,7} \s{0,40}>>> ")

# pytest's failure block: the test's code, the `E` lines, the frame's locals (`--showlocals`),
# up to `path.py:12: AssertionError`.
PYTEST_FAILURE = Extractor(
    "pytest", "test",
    _re(r"^(?P<path>[\w./\\-]{1,300}\.py):(?P<line>\d+): (?P<exc>[A-Za-z_][\w.]{0,100})$"),
    "{exc} at {path}:{line}", TEST + 5,
    Span(back=_PYTEST_BODY, back_max=25),
    "A test failed: the E lines show the failed assertion or the exception and its values.",
    "Run the test locally (`pytest PATH::TEST -x`), then fix the code or the expectation.",
    header=PYTEST_HEADING,
)

MKDOCS_ABORTED = _re(r"^Aborted with \d{1,6} warnings? in strict mode!$")
MKDOCS_LINES = 300  # a strict build's warnings are this close above its abort


def _strict_mkdocs(lines: Sequence[Line], index: int) -> bool:
    """Whether MkDocs aborted its strict build below the warning at `index`."""
    if isinstance(lines, Lines) and not lines.mentions("in strict mode!"):
        return False
    return any(MKDOCS_ABORTED.match(lines[probe].text)
               for probe in range(index + 1, min(len(lines), index + MKDOCS_LINES + 1)))


# doctest (C++)'s heading of a failed test case, a few lines above each of its assertions
DOCTEST_CASE = _re(r"^TEST CASE:\s{1,4}(\S.{0,200})$")
# A C or C++ source file (cppcheck reports only on those: `[misc]` ends mypy's lines too)
_C_SOURCE = r"\.(?:c|cc|cpp|cxx|c\+\+|h|hh|hpp|hxx|inl|ipp|tpp)"


_CATCH2_DOTS = _re(r"^\.{40,}$")
_CATCH2_RULE = _re(r"^-{40,}$")


def _catch2_case(lines: Sequence[Line], index: int) -> str:
    """Catch2's test case above a failure: its name (and its sections' names, indented) between
    two rules of `-`, over its location and a rule of `.`."""
    for probe in range(index - 1, max(2, index - HEADING_LINES - 1), -1):
        if _CATCH2_DOTS.match(lines[probe].text):
            if not _CATCH2_RULE.match(lines[probe - 2].text):
                return ""
            for top in range(probe - 3, max(-1, probe - 12), -1):
                if _CATCH2_RULE.match(lines[top].text):
                    return lines[top + 1].text.strip() if top + 1 < probe - 2 else ""
            return ""
    return ""


def _in_doctest_case(lines: Sequence[Line], index: int) -> bool:
    """Whether doctest's `TEST CASE:` heading is just above: its assertion lines have the shape
    of Sphinx's `file:line: ERROR: message`."""
    if isinstance(lines, Lines) and not lines.mentions("TEST CASE:"):
        return False  # a Sphinx log's ERROR lines read no heading
    return any(DOCTEST_CASE.match(lines[probe].text)
               for probe in range(index - 1, max(-1, index - HEADING_LINES - 1), -1))


# A linter's report above its count: lines indented under each file's name, blank lines
# between files, and JSHint's own (`src/a.js: line 4, col 10, 'x' is not defined.`)
LINT_REPORT = _re(r"^(?:\s+\S|\s*$|\S{1,300}: line \d{1,7}, col \d{1,7}, )")


# One message of such a report: under a caret (`      ^ 'x' is not defined.`), after JSHint's
# place, after xo's cross and place
LINT_MESSAGE = _re(r"(?:^\s+\^ |^\S{1,300}: line \d{1,7}, col \d{1,7}, |^\s+\u2716\s+\d{1,7}"
                   r":\d{1,7}\s+)(\S.{0,200})$")
LINT_REPORT_LINES = 40


def _lint_report_above(lines: Sequence[Line], index: int) -> bool:
    """Whether the lines just above a count of errors are a linter's report: one of its
    messages among them (javac's `1 error` closes the same indented lines, its own)."""
    for probe in range(index - 1, max(-1, index - LINT_REPORT_LINES - 1), -1):
        text = lines[probe].text
        if LINT_MESSAGE.search(text):
            return True
        if not LINT_REPORT.search(text):
            return False
    return False


TAP_FAILED = _re(r"^\s*not ok \d{1,6}\b(?: -)? ?(?P<test>.{0,300})$")
TAP_BLOCK = 40  # lines of a failed TAP test's YAML block looked at
_TAP_FIELD = re.compile(r"^\s+(stack|diff): [|>]-?$")


def _diff_after_stack(lines: Sequence[Line], index: int) -> bool:
    """Whether the YAML block under the failed TAP test at `index` has its `diff` field after
    its `stack` (node-tap), up to the block's `...`."""
    stack = False
    for probe in range(index + 1, min(len(lines), index + TAP_BLOCK + 1)):
        text = lines[probe].text
        if text.strip() == "...":
            return False
        field = _TAP_FIELD.match(text)
        if field is not None:
            if field.group(1) == "diff":
                return stack
            stack = True
    return False


# The browser Karma names on each line: `Chrome Headless 120.0.0.0 (Linux x86_64)`, `IE 9.0.0
# (Windows 7.0.0)`, `Mobile Safari 11.0.0 (iOS 11.2.6)`, `PhantomJS 2.1.1 (Linux 0.0.0)`
KARMA_BROWSER = r"[A-Z]\w{0,30}(?: [A-Z]\w{0,30}){0,2} \d[\d.]{0,30} \([^()]{1,80}\)"

EXTRACTORS: tuple[Extractor, ...] = (
    # doctest (C++): `t.cpp:10: ERROR: CHECK( a == b ) is NOT correct!` (`FATAL ERROR` for a
    # REQUIRE), the values under it, in the block headed `TEST CASE:  name`. Before Sphinx's
    # row, whose `file:line: ERROR: message` it has the shape of.
    Extractor(
        "doctest-cpp", "test",
        _re(r"^(?P<path>[^\s:(][^:(]{0,300}?)(?::(?P<line>\d{1,7})|\((?P<l2>\d{1,7})\)): "
            r"(?:FATAL )?ERROR: (?P<msg>.{1,300})$"),
        "{msg}", TEST,
        Span(forward=_re(r"^(?:\s|$)"), forward_max=12),
        "A doctest (C++) assertion failed; the `values:` line under it shows both sides.",
        "Run the test binary locally with `--test-case=\"NAME\"` and fix the code or the"
        " expectation.",
        header=DOCTEST_CASE, when=_in_doctest_case,
    ),
    # --- Python -------------------------------------------------------------------------------
    # MkDocs in strict mode: its warnings (`WARNING -  Doc file 'index.md' contains a link ...`)
    # are why it stopped with `Aborted with N warnings in strict mode!` below them; without that
    # line they fail nothing.
    Extractor(
        "mkdocs", "lint",
        _re(r"^WARNING\s{1,4}-\s{1,4}(?P<msg>\S.{0,300})$"),
        "mkdocs --strict: {msg}", TOOL - 10,
        Span(siblings=True),
        "MkDocs builds in strict mode, where a warning (a link to a page or an anchor that does"
        " not exist, a page left out of `nav`) stops the build.",
        "Fix the link or the page the warning names; `mkdocs build --strict` reproduces it.",
        when=_strict_mkdocs,
    ),
    # Sphinx's warnings and errors, `path:line: WARNING: message [type.subtype]` (a docstring's
    # `path:docstring of name:line`, `<unknown>:1`, or no line), each run of them one excerpt; an
    # ERROR goes on with the directive it quotes. `-W` makes any of them fail the build, whose
    # closing (`build finished with problems`) only counts them.
    Extractor(
        "sphinx", "lint",
        # (a file's location has its line, or its directory: `app.db: WARNING: x` is a logger's)
        _re(r"^(?P<loc><[\w ]{1,40}>(?::\d{1,7})?|[^\s:][^:]{0,300}\.\w{1,10}"
            r"(?::docstring of [^:]{1,300})?:\d{1,7}|[^\s:]{0,300}/[^\s/:]{1,300}\.\w{1,10}): "
            r"(?P<level>WARNING|ERROR|CRITICAL|SEVERE): (?P<msg>.{1,300}?)(?: \[[\w.-]{1,60}\])?$"),
        "Sphinx {level}: {msg}", TOOL - 10,
        Span(forward=SPHINX_DETAIL, forward_max=20, siblings=True),
        SPHINX_WARNED,
        "Fix the document or docstring at that line (a missing document, label or target, a"
        " directive's option); `sphinx-build -W --keep-going` lists them all at once.",
    ),
    # A Sphinx warning about no place in a file: an extension's (autodoc's failed import, with
    # the traceback it quotes up to its `[autodoc.import_object]`), or one typed by Sphinx 8+
    # (`[config.cache]`). A bare `WARNING: ` line is not Sphinx's alone (pip's), so one of the two.
    Extractor(
        "sphinx", "lint",
        _re(r"^WARNING: (?P<msg>(?:autodoc|autosummary|intersphinx|napoleon|numpydoc|nbsphinx"
            r"|myst)(?:\.\w{1,40})?: .{1,300}?|.{1,300}?(?= \[[a-z][\w-]{0,40}\.[\w.-]{1,60}\]$))"
            r"(?: \[[\w.-]{1,60}\])?$"),
        "Sphinx WARNING: {msg}", TOOL - 10,
        Span(forward=SPHINX_DETAIL, forward_max=40, siblings=True),
        SPHINX_WARNED,
        "Fix what the warning names (an autodoc import needs the package and its dependencies"
        " installed in the docs job); `sphinx-build -W --keep-going` lists them all at once.",
    ),
    # Sphinx before 8.1 without `--keep-going`: the first warning stops the build, under this
    # line and without its level (`path:4:toctree contains reference to ...`).
    Extractor(
        "sphinx", "lint",
        _re(r"^Warning, treated as error:$"),
        "Sphinx stopped on a warning: {msg}", TOOL,
        Span(forward=_re(r"^(?!(?:g?make|mingw32-make)(?:\[\d+\])?: )"), forward_max=15),
        "Sphinx ran with `-W` (warnings are errors) and stopped on the first warning.",
        "Fix the document at that line; `sphinx-build -W --keep-going` lists every warning.",
        follows=_re(r"^(?:\S[^:]{0,300}:\d{1,7}: ?)?(?P<msg>\S.{0,300})$"),
    ),
    # Sphinx stopped on an error of its own (an extension's, the configuration's): since 8.0 a
    # report whose `Traceback` section ends in the exception, indented, under a headline such as
    # `Extension error (name)!`; before, the headline with a colon and the message below it.
    Extractor(
        "sphinx", "config",
        _re(r"^ {4}(?P<exc>[A-Za-z_][\w.]{0,100}(?:Error|Exception|Exit|Interrupt)): "
            r"(?P<msg>.{1,300})$"),
        "{exc}: {msg}", TOOL,
        Span(back_to=_re(r"^Traceback$"), back_max=60, forward=_re(r"^(?:\s|$)"),
             forward_max=40),
        SPHINX_STOPPED_WHY, SPHINX_STOPPED_FIX,
        header=_re(rf"^((?:{SPHINX_STOPPED})(?: \([\w.]{{1,100}}\))?)!$"),
        below=("Traceback", _re(r"^Traceback$")),
    ),
    Extractor(
        "sphinx", "config",
        _re(rf"^(?P<kind>{SPHINX_STOPPED})(?: \([\w.]{{1,100}}\))?:$"),
        "Sphinx {kind}: {msg}", TOOL,
        Span(forward=_re(r"^(?!The full traceback has been saved|To report this error"
                         r"|Please also report this)"), forward_max=25),
        SPHINX_STOPPED_WHY, SPHINX_STOPPED_FIX,
        follows=_re(r"^\s{0,8}(?P<msg>\S.{0,300})$"),
    ),
    # pytest-timeout's thread method: a test over its time limit has every thread's stack
    # dumped between two `+++ Timeout +++` rules (the first after the test's progress) and the
    # whole run ended there, with no FAILURES section or summary. The closing rule, under a
    # stack, takes the innermost frames, those of the test.
    Extractor(
        "pytest-timeout", "test",
        _re(r"^\+{10,200} Timeout \+{10,200}$"),
        "pytest-timeout ended the run: a test ran over its time limit", TEST,
        Span(back_to=_re(r"^~{5,200} Stack of "), back_max=BELOW_LINES),
        "A test ran longer than pytest-timeout's limit (`--timeout`, `timeout` in the config):"
        " it dumped the threads' stacks, the test's frames last, and ended the whole run (the"
        " thread method; the signal method fails only the test).",
        "Read the last frames: the test waits there (a lock, a network call, a loop that never"
        " ends); fix it, or raise its limit with `@pytest.mark.timeout(N)`.",
        when=_under_stack_dump,
    ),
    # pytest-xdist's report of a test whose worker process died under it, in the FAILURES
    # section under the file's heading and the worker's platform line (the short summary's
    # `FAILED t.py::test - worker 'gw1' crashed while running 't...` only repeats it).
    Extractor(
        "pytest-xdist", "test",
        _re(r"^worker '(?P<worker>[\w-]{1,40})' crashed while running '(?P<test>[^']{1,300})'$"),
        "pytest-xdist worker {worker} crashed while running {test}", TEST + 5,
        Span(back=_re(r"^(?:\[[\w-]{1,40}\] \w|_{3,} \S)"), back_max=2),
        "The worker process running this test died without reporting a result: a crash in"
        " native code (a segfault), `os._exit()` in the code under test, the OOM killer, or a"
        " timeout plugin's kill. xdist replaced the worker and went on with the other tests.",
        "Run that test alone without xdist (`pytest -p no:xdist PATH::TEST`) to see how it"
        " dies; `python -X faulthandler -m pytest` prints a native crash's traceback.",
    ),
    # pytest's progress line of a failed test (`-v`; pytest-xdist's `[gw0] [ 50%] FAILED t`):
    # that it failed, told again with why in the FAILURES section below.
    Extractor(
        "pytest", "test",
        _re(r"^(?:\[[\w-]{1,40}\] \[\s{0,2}\d{1,3}%\] (?:FAILED|ERROR) \S{1,300}\s{0,80}"
            r"|\S{1,300}::\S.{0,300}? (?:FAILED|ERROR)(?:\s{1,100}\[\s{0,2}\d{1,3}%\])?)$"),
        "pytest: a test failed", CONSEQUENCE, consequence=True,
    ),
    # Doctests as pytest reports them (`--doctest-modules`, `--doctest-glob`): under the
    # `[doctest] name` heading the docstring up to the failing example, then what it printed
    # against what was expected, or the exception it raised.
    Extractor(
        "doctest", "test",
        _re(r"^UNEXPECTED EXCEPTION: (?P<exc>[A-Za-z_][\w.]{0,100})\((?P<msg>.{0,300})\)$"),
        "{exc}({msg}) in a doctest", TEST + 5,
        Span(back_to=DOCTEST_EXAMPLE, back_max=30,
             until=_re(r"^[^:\s]{1,300}:\d{1,7}: UnexpectedException$"), forward_max=80),
        "A doctest example raised an exception: the traceback under it shows where.",
        "Run the doctest locally (`pytest --doctest-modules PATH`) and fix the code or the"
        " example.",
        header=PYTEST_HEADING,
    ),
    Extractor(
        "doctest", "test",
        _re(r"^(?P<path>[^:\s]{1,300}):(?P<line>\d{1,7}): (?P<exc>DocTestFailure"
            r"|UnexpectedException)$"),
        "doctest output differs at {path}:{line}", TEST + 5,
        Span(back_to=DOCTEST_EXAMPLE, back_max=40),
        "A doctest example printed something else than the docstring expects: `Expected:`"
        " above `Got:`.",
        "Run the doctest locally (`pytest --doctest-modules PATH`) and fix the code or the"
        " expected output.",
        header=PYTEST_HEADING,
    ),
    # The standard library's doctest runner (`python -m doctest`, `doctest.testmod()`,
    # Sphinx's doctest builder): `File "x.py", line 18, in name` over `Failed example:`, the
    # example, then `Expected:` and `Got:` or `Exception raised:` and its traceback, indented.
    # (Matched on the location, which names the test and the line: a log's `Failed example:`
    # lines are all alike, and would count every failure as one.)
    Extractor(
        "doctest", "test",
        _re(r'^File "(?P<path>[^"]{1,300})", line (?P<line>\d{1,7}), in (?P<name>\S{1,200})$'),
        "{name}: doctest example at {path}:{line} failed", TEST,
        Span(forward=_re(r"^(?:\s|$|Failed example:$|Expected:$|Got:$|Exception raised:$"
                         r"|Expected nothing$|Got nothing$|Differences \()"), forward_max=60),
        "A doctest example printed something else than expected, or raised an exception.",
        "Run the doctests locally (`python -m doctest -v FILE`) and fix the code or the"
        " example's expected output.",
        follows=_re(r"^Failed example:$"),
    ),
    PYTEST_FAILURE,
    Extractor(
        "pytest", "test",
        _re(r"^_{3,} ERROR collecting (?P<path>\S{1,300}) _{3,}$"),
        "pytest could not collect {path}", TEST + 6,
        Span(forward=_re(r"^(?!_{3,} |={3,} )"), forward_max=30),
        "pytest failed to import a test module, so none of its tests ran.",
        "Fix the import error shown (a missing dependency or a syntax error) in that module.",
    ),
    Extractor(
        "pytest", "test",
        # (not unittest's closing `FAILED (failures=1)`, nor karma-mocha-reporter's heading
        # `FAILED TESTS:`)
        _re(r"^(?:FAILED|ERROR) (?!\(|TESTS:$)(?P<test>\S{1,300}?)(?: - (?P<msg>.{0,300}))?$"),
        "pytest: {test} failed {msg}", TEST - 10,
        Span(forward=_re(r"^(?:FAILED|ERROR) "), forward_max=20),
        "pytest's short summary of the failed tests.",
        "Run the failed tests locally with `pytest -x` and read their failure sections.",
    ),
    Extractor(
        "python", "test",
        _re(r"^Traceback \(most recent call last\):"),
        "Python traceback", TOOL,
        Span(forward=_re(r"^(?:\s|Traceback|During handling|The above exception|$)"),
             forward_max=120, closing=True),
        "A Python program raised an exception it did not handle.",
        "Read the last frame in your code and the exception message on the last line.",
        # its frames are `  File "x.py", line 3, in f` (buttercup's Lisp backtrace has the same
        # heading over `  fn(args...` frames)
        follows=_re(r"^\s+File "),
    ),
    # Python's faulthandler on a crash (a segfault in native code, an abort): each thread's
    # frames, innermost first, the crashing one's under `Current thread` (after pytest's
    # progress characters on the same line, when a test crashed its process).
    Extractor(
        "faulthandler", "test",
        _re(r"^[.FEsxX]{0,1000}Fatal Python error: (?P<msg>.{1,300})$"),
        "Python crashed: {msg}", TOOL,
        Span(forward=_re(r"^(?:\s*$|\s+File \"|(?:Current t|T)hread 0x[0-9a-f]{1,16} "
                         r"|\s+<no Python frame>|Extension modules: |Python runtime state: )"),
             forward_max=120),
        "The Python process crashed (its faulthandler printed each thread's frames): a fault"
        " in native code, or an abort.",
        "Read the crashing thread's innermost frames (`Current thread`, first) and reproduce"
        " with `python -X faulthandler`.",
    ),
    # A chained exception: the one raised last is what stopped the program, and the one it was
    # raised from (its message just above the separator) says why. Above the tracebacks' own row.
    Extractor(
        "python", "test",
        _re(r"^(?:The above exception was the direct cause of the following exception"
            r"|During handling of the above exception, another exception occurred):$"),
        "Python exception raised from another", TOOL + 10,
        Span(back=_re(r"^(?:\s*$|[A-Za-z_][\w.]{0,200}(?:Error|Exception|Exit|Interrupt)\b)"),
             back_max=2, forward=_re(r"^(?:\s|Traceback|$)"), forward_max=120, closing=True),
        "A Python program raised an exception while handling another one; the first line here"
        " is the original error, the last line the exception that stopped the program.",
        "Fix the original error (the first line); the frames show where each was raised.",
    ),
    # groovyc (and Gradle's compileGroovy, and a Gradle script's compilation): its errors come
    # under `startup failed:`, each `FILE: LINE: message @ line L, column C.` (a static check's
    # message runs on over several lines), the source line and a caret, up to its count (`1
    # error`); their lines hold no word of error. Before the JVM exceptions' rows, which would take
    # the heading alone.
    Extractor(
        "groovyc", "compile",
        _re(r"^(?:org\.codehaus\.groovy\.control\.MultipleCompilationErrorsException: )?"
            r"startup failed:$"),
        "{msg}", TOOL,
        Span(until=_re(r"^\d{1,5} errors?$"), forward_max=60),
        "The Groovy compiler rejected the code (the lines under `startup failed:`).",
        "Fix the code at that file and line; `groovyc FILE` (or the Gradle task) reproduces it.",
        follows=_re(r"^(?:(?:build|settings|script|initialization script) file ')?[^\s'][^']{0,300}"
                    r"'?: \d{1,7}: (?P<msg>.{1,300}?)(?: @ line \d{1,7}, column \d{1,7}\.)?$"),
    ),
    # An exception a JVM program logged and went on after (a test that provokes an error on
    # purpose, a retry): the record's lines, then the trace. Below a plain error line; before the
    # thrown exceptions' row, which would take the same line.
    Extractor(
        "jvm-logged", "test", JVM_EXCEPTION, "logged {exc}: {msg}", GENERIC - 5,
        Span(back=_re("|".join(p.pattern for record in LOG_RECORDS for p in record)), back_max=2,
             forward=JVM_FRAMES, forward_max=25),
        "The program logged an exception it had caught (a log record, then the trace) and went"
        " on: rarely why the build failed.",
        "Look for the failure the test runner or the build reports; this trace is the program's"
        " own log.",
        under=LOG_RECORDS,
    ),
    # Before Python's exception row: JVM exceptions are qualified by a JVM package root.
    # Its whole trace, down through each `Caused by:` and its frames: the last is the root cause
    # (an application context that failed to load over the file it could not read), often some
    # 60 frames down, past any excerpt that starts at the exception's line.
    Extractor(
        "jvm-exception", "test", JVM_EXCEPTION, "{exc}: {msg}", TOOL - 5,
        Span(forward=JVM_FRAMES, forward_max=25),
        "A JVM test or program threw an exception; the `at` frames show where.",
        "Find the first frame in your code under the exception and fix the code or expectation.",
        header=_re(r"^\d{1,4}\) (\w{1,200}\([\w.$]{1,200}\))$"),
        root=(JVM_CAUSE, JVM_FRAMES),
    ),
    # Less's compiler (lessc): `NameError: variable @x is undefined in styles.less on line 3,
    # column 10:` over the lines around it, each after its number. Before the exceptions' row.
    Extractor(
        "less", "compile",
        _re(r"^(?P<exc>[A-Z]\w{0,40}Error): (?P<msg>.{1,300}) in (?P<path>\S{1,300}\.less)"
            r" on line (?P<line>\d{1,7}), column \d{1,7}:$"),
        "Less: {msg} ({exc})", TOOL,
        Span(forward=_re(r"^\d{1,7} "), forward_max=5),
        "Less could not compile the stylesheet: the lines under the message are the ones around"
        " the place it names.",
        "Fix the stylesheet at that line (an undefined variable or mixin: its `@import`);"
        " `npx lessc FILE` reproduces it.",
    ),
    # An exception line of any language: Python prints its frames above it, JavaScript and .NET
    # below it (`    at f (file.js:3:9)`).
    Extractor(
        "exception", "test",
        # (Node.js puts its error code after the name: `AssertionError [ERR_ASSERTION]: ...`)
        _re(r"^(?P<exc>(?:[A-Za-z_]\w{0,60}\.){0,4}[A-Za-z_]\w{0,60}(?:Error|Exception|Exit))"
            r"(?: \[[A-Z][A-Z0-9_]{1,60}\])?: (?P<msg>.{1,300})"),
        "{exc}: {msg}", TOOL - 5,
        # below it: Node's assertion diff (`+ actual - expected`, then `+`/`-` lines), frames,
        # and .NET's line between an inner exception's frames and the outer one's (where it was
        # caught and thrown on, often the caller's own code)
        Span(back=_INDENTED_NONBLANK, back_max=4,
             forward=_re(r"^(?:\s+at \S|[+-] \S|\s+\^+$|\s+--- End of (?:inner exception )?stack"
                         r" trace|$)"), forward_max=25, caret_above=True),
        "A program raised an exception it did not handle.",
        "Read the frames around the exception and fix the code or the input it names.",
    ),
    Extractor(
        "unittest", "test",
        # (as Python prints it: 3.11+ ends the qualified name with the test's own)
        _re(r"^(?P<kind>FAIL|ERROR): (?P<test>\w{1,200}) \((?P<cls>[\w.]{1,300})\)"),
        "unittest: {test} ({cls}) {kind}", TEST,
        # (and on to the rule that ends the report: an assertion's diff of the values, `- a`,
        # `?  ^`, `+ b`, comes under its AssertionError)
        Span(until=_re(r"^(?:[A-Za-z_][\w.]*(?:Error|Exception)\b|AssertionError)"),
             forward_max=80, then=_re(r"^(?!={20,}$|-{20,}$)")),
        "A unittest test failed or errored.",
        "Run it locally with `python -m unittest MODULE.CLASS.TEST` and fix the assertion.",
    ),
    Extractor(
        "mypy", "lint",
        _re(r"^(?P<path>[^:\s]{1,300}\.pyi?):(?P<line>\d+):(?:\d+:)? error: (?P<msg>.{1,300}?)"
            r"(?:  \[(?P<code>[\w-]{1,60})\])?$"),
        "mypy: {msg}", TOOL - 5,
        Span(siblings=True),
        explanation="mypy found a type error.",
        fix="Fix the types at that line, or add a targeted `# type: ignore[code]` with a reason.",
    ),
    # ty (Astral's type checker): `error[rule]: message`, its place (` --> app.py:5:15`) and
    # frame, `info:` notes, up to the next diagnostic. (rustc's codes are `E0308`, its own row.)
    Extractor(
        "ty", "lint",
        _re(r"^error\[(?P<rule>[a-z][a-z0-9-]{1,60})\]: (?P<msg>\S.{0,300})$"),
        "ty {rule}: {msg} ({where})", TOOL - 5,
        Span(forward=_re(r"^(?!(?:error|warning)\[|Found \d)"), forward_max=25),
        "ty found a type error; the frame below points at the code, `info:` says where the other"
        " side was declared.",
        "Fix the types at that place, or add a targeted `# ty: ignore[rule]` with a reason.",
        follows=_re(r"^\s{0,4}--> (?P<where>\S{1,300}:\d{1,7}:\d{1,7})$"),
    ),
    # pyright: `  /path/app.py:5:15 - error: message` under the file's name, what it adds indented
    # below (the rule's name last, `(reportAssignmentType)`).
    Extractor(
        "pyright", "lint",
        _re(r"^\s{0,4}(?P<path>\S{1,300}?\.pyi?):(?P<line>\d+):(?P<col>\d+) - error: "
            r"(?P<msg>.{1,300})$"),
        "pyright: {msg}", TOOL - 5,
        Span(forward=_re(r"^\s{4,}\S"), forward_max=10, siblings=True),
        "pyright found a type error; the lines under it say why, the rule in brackets last.",
        "Fix the types at that line, or add a targeted `# pyright: ignore[rule]` with a reason.",
    ),
    # Cython: `Error compiling Cython file:`, the source framed by two rules of 60 `-` with a
    # caret at the column, then `file.pyx:3:17: message` under the closing rule; one such block
    # per error. cythonize() then raises CompileError: its traceback below is the same failure.
    # (Its warnings, `warning: file.pyx:...`, come unframed and are not errors.)
    Extractor(
        "cython", "compile",
        _re(BOXED + r"(?P<path>[^:\s][^:]{0,300}\.(?:pyx|pxd|pxi|py)):(?P<line>\d{1,7})"
            r":(?P<col>\d{1,7}): (?P<msg>.{1,300})"),
        "{msg}", TOOL,
        Span(back_to=_re(BOXED + r"Error compiling Cython file:$"), back_max=40,
             until=_re(BOXED + r"Cython\.Compiler\.Errors\.CompileError: "), forward_max=40,
             siblings=True),
        "Cython could not compile the module: the framed source shows where (the caret marks the"
        " column), the line under it why.",
        "Fix the code at that file, line and column; `cython -3 FILE` (or the build) reproduces"
        " it.",
        under=((_re(BOXED + r"-{60}$"),),),
    ),
    # Cython's performance hints (a place, then a list of possible solutions that talk of
    # exceptions and error codes): printed on builds that pass too, never why one failed.
    Extractor(
        "cython", "compile",
        _re(BOXED + r"performance hint: [^:\s][^:]{0,300}\.p(?:yx|xd|xi|y):\d{1,7}:\d{1,7}: "),
        "Cython performance hint", CONSEQUENCE,
        Span(forward=_re(BOXED + r"(?:Possible solutions:$|\t\d)"), forward_max=8),
        consequence=True,
    ),
    Extractor(
        "flake8", "lint",
        _re(r"^(?P<path>[^:\s]{1,300}\.py):(?P<line>\d+):(?P<col>\d+): "
            r"(?P<code>[A-Z]{1,3}\d{1,4}) (?P<msg>.{1,300})"),
        "{code} {msg}", TOOL - 10,
        Span(siblings=True),
        explanation="A linter (ruff or flake8) reported a violation.",
        fix="Fix the line, or run `ruff check --fix` for the fixable rules.",
    ),
    # Pylint's own layout: a colon after the message id, the message's name at the end, and a
    # `************* Module x` line heading each module's messages.
    Extractor(
        "pylint", "lint",
        _re(r"^(?P<path>[^:\s]{1,300}\.py):(?P<line>\d+):(?P<col>\d+): "
            r"(?P<code>[CRWEFI]\d{4}): (?P<msg>.{1,300}?)(?: \((?P<symbol>[\w-]{1,80})\))?$"),
        "pylint {code} {msg}", TOOL - 10,
        Span(back=_re(r"^\*{13} Module \S"), back_max=1, siblings=True),
        explanation="Pylint reported a message about the code: E (error) and F (fatal) messages"
        " are likely bugs, C, R and W ones style and smells that the job fails on too.",
        fix="Fix the line, or disable that check for it (`# pylint: disable=NAME`) if it is wrong.",
    ),
    Extractor(
        "ruff", "lint",
        _re(r"^(?P<code>[A-Z]{1,4}\d{3,4}) (?:\[\*\] )?(?P<msg>.{1,300})$"),
        "{code} {msg}", TOOL - 12,
        Span(forward=_re(r"^\s*(?:-->|\||\d+ \||= |$)"), forward_max=12, siblings=True),
        "ruff reported a lint violation.",
        "Fix the line, or run `ruff check --fix` for the fixable rules.",
    ),
    # Bandit's report: per issue `>> Issue: [B602:name] message`, its severity, confidence and
    # location, the source lines around it (`7\t    code`, a blank one as `7`), a rule of
    # dashes. It fails on any issue at or above the severity asked for; its closing metrics
    # only count them.
    Extractor(
        "bandit", "lint",
        _re(r"^>> Issue: \[(?P<code>B\d{3}):(?P<name>\w{1,80})\] (?P<msg>.{1,300})$"),
        "bandit {code}: {msg}", TOOL - 10,
        Span(forward=_re(r"^(?:\s|\d{1,7}(?:\t|$)|-{40,}$|$)"), forward_max=16, siblings=True),
        "Bandit, a security linter, flagged code that may be unsafe (a shell command, pickle,"
        " a hard-coded password, an `assert` that -O removes).",
        "Fix the code at the location given, or mark a reviewed false positive with"
        " `# nosec BXXX` (or skip that test in the Bandit configuration).",
    ),
    # Pyflakes: `path:line:col: message` (before 2.2 without the column), with no code; only
    # its own messages, as a Python warning (`x.py:3: DeprecationWarning: ...`) looks alike.
    Extractor(
        "pyflakes", "lint",
        _re(r"^(?P<path>[^:\s]{1,300}\.pyi?):(?P<line>\d{1,7}):(?:\d{1,7}:)? "
            r"(?P<msg>'[^']{1,200}' imported but unused|undefined name '[^']{1,200}'"
            r"|local variable '[^']{1,200}' (?:is assigned to but never used|defined .{1,200})"
            r"|redefinition of unused '[^']{1,200}' from line \d{1,7}"
            r"|'[^']{1,200}' may be undefined, or defined from star imports: .{1,300}"
            r"|'from [^']{1,200} import \*' used; unable to detect undefined names"
            r"|f-string is missing placeholders|import '[^']{1,200}' from line \d{1,7} shadowed"
            r" by loop variable|duplicate argument '[^']{1,200}' in function definition)$"),
        "pyflakes: {msg}", TOOL - 10,
        Span(siblings=True),
        "Pyflakes found an error in the code: a name used but never defined, an import or a"
        " variable never used.",
        "Fix the line: define or import the name, or remove what is unused.",
    ),
    # `twine check dist/*`: per distribution `Checking path: FAILED`, then its errors (and, with
    # `--strict`, warnings) as its logger prints them: a level padded to 9 columns, the message
    # wrapped under it at that margin.
    Extractor(
        "twine", "lint",
        _re(r"^Checking (?P<dist>\S{1,300}): FAILED(?:, due to warnings)?$"),
        "twine check: {dist} failed", TOOL - 10,
        Span(forward=_re(r"^(?:(?:ERROR|WARNING) {2,8}\S| {9}|$)"), forward_max=30),
        "`twine check` found a distribution PyPI would reject or not render: its long"
        " description (the README) has markup errors, or metadata it needs is missing.",
        "Fix the README at the line given (`python -m readme_renderer README.rst` checks it) or"
        " set `readme`/`long_description_content_type` to its format, rebuild, check again.",
    ),
    # codespell: `path:line: misspelling ==> correction` (a list of them when it is unsure)
    Extractor(
        "codespell", "lint",
        _re(r"^(?P<path>[^:\s]{1,300}):(?P<line>\d{1,7}): (?P<word>\S{1,100}) ==> "
            r"(?P<fix>\S.{0,200})$"),
        "codespell: {word} ==> {fix}", TOOL - 10,
        Span(siblings=True),
        "codespell found words it takes for misspellings, in the code, comments or docs.",
        "Fix the spelling (`codespell -w` writes the fixes), or add a word that is right to its"
        " ignore list (`--ignore-words-list`, `ignore-words-list` in setup.cfg or pyproject).",
    ),
    # Vulture: `path:line: unused function 'x' (60% confidence)`
    Extractor(
        "vulture", "lint",
        _re(r"^(?P<path>[^:\s]{1,300}\.pyi?):(?P<line>\d{1,7}): (?P<msg>(?:unused (?:import|"
            r"variable|function|class|method|attribute|property)|unreachable code after) "
            r"'[^']{1,200}'|redundant if-condition) \((?P<conf>\d{1,3})% confidence"
            r"(?:, \d{1,7} lines?)?\)$"),
        "vulture: {msg} ({conf}% confidence)", TOOL - 10,
        Span(siblings=True),
        "Vulture found code it takes for dead: never used, or never reached.",
        "Remove the code, or list what is used in ways Vulture cannot see in a whitelist file"
        " (`vulture --make-whitelist`); `--min-confidence` sets how sure it must be.",
    ),
    # pydocstyle: a line per place (`path:3 in public function `f`:`), its code and message
    # indented under it.
    Extractor(
        "pydocstyle", "lint",
        _re(r"^\s{2,}(?P<code>D\d{3}): (?P<msg>.{1,300})$"),
        "pydocstyle {code}: {msg}", TOOL - 10,
        Span(back=PYDOCSTYLE_PLACE, back_max=1, siblings=True),
        "pydocstyle found a docstring that breaks the convention checked (PEP 257, numpy or"
        " google): missing, or not formatted as it requires.",
        "Write or fix the docstring at that place, or leave the code out of the checked"
        " convention (`--add-ignore=D1XX`).",
        under=((PYDOCSTYLE_PLACE,),),
    ),
    # --- C, C++, linkers, make, cmake ---------------------------------------------------------
    # SwiftLint's Xcode-style report: a compiler's location and severity, then the rule's name
    # (`Line Length Violation`) and id. Before the compilers' row, which would call it compile.
    Extractor(
        "swiftlint", "lint",
        _re(r"^(?P<path>[^:\s][^:]{0,300}\.swift):(?P<line>\d+):(?:\d+:)? error: "
            r"(?P<rule>[\w ]{1,80} Violation): (?P<msg>.{1,300})$"),
        "SwiftLint {rule}: {msg}", TOOL - 10,
        Span(siblings=True),
        "SwiftLint found code that breaks a lint rule set to fail the build.",
        "Fix the lines, or run `swiftlint --fix` for the correctable rules.",
    ),
    # Emacs Lisp linters (package-lint, as MELPA checks packages; elisp-lint): `calc.el:12:0:
    # error: message`, the compiler's shape on a Lisp file. Before the compilers' row.
    Extractor(
        "elisp-lint", "lint",
        _re(r"^(?P<path>[^:\s]{1,300}\.el):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.{1,300})$"),
        "{msg}", TOOL - 10,
        Span(forward=_re(r"^[^:\s]{1,300}\.el:\d+:\d+: (?:error|warning): "), forward_max=20),
        "An Emacs Lisp linter (package-lint or elisp-lint) found a problem in the package.",
        "Fix the line; `emacs -batch -f package-lint-batch-and-exit FILE` reproduces it.",
    ),
    # GHC: `Main.hs:7:21: error:` (`error: [GHC-83865]` since 9.6, `[-Wx, Werror=x]` for a
    # warning made an error), the message on the indented lines below, then the source framed
    # with `|` and its carets.
    Extractor(
        "ghc", "compile",
        _re(r"^(?P<path>[^:\s]{1,300}\.l?hs):(?P<line>\d+):(?P<col>\d+)(?:-\d+)?: error:"
            r"(?: \[[^\]]{1,200}\])?$"),
        "GHC: {msg} at {path}:{line}:{col}", TOOL,
        Span(forward=_CODE_CONTEXT, forward_max=30),
        "GHC (the Haskell compiler) rejected the code (or a warning made an error by -Werror,"
        " named in brackets); the indented lines say why.",
        "Fix the code at that file and line; `cabal build` (or `stack build`) reproduces it.",
        # the message, indented under the location (GHC 9 bullets it)
        detail=_re(r"^\s{4}(?:\u2022 )?(?P<msg>\S.{0,300})$"),
    ),
    # stack's closing lines: that a package failed to build (`--  While building package`, the
    # command it ran and its exit code under it) or its tests failed (and with what exit code);
    # why is GHC's error or the test output above.
    Extractor(
        "stack", "compile",
        _re(r"^(?:--  While building package \S{1,300} |Test suite failure for package \S{1,300}$"
            r"|[\w.-]{1,200}> Test suite \S{1,200} failed$"
            r"|\s{4}Process exited with code: ExitFailure -?\d{1,4}$"
            r"|\s{4}[\w.-]{1,200}:\s{1,4}exited with: ExitFailure -?\d{1,4}$)"),
        "stack: a package failed to build or its tests failed", CONSEQUENCE,
        Span(forward=_re(r"^\s{4,}\S"), forward_max=6), consequence=True,
    ),
    # Haskell's doctest: `file.hs:5: failure in expression `e'`, then `expected:` and `but got:`
    # (a caret under the first difference), or an `error in expression` with the exception.
    Extractor(
        "haskell-doctest", "test",
        _re(r"^(?P<path>[^:\s]{1,300}\.l?hs):(?P<line>\d+): (?P<kind>failure|error) in expression"
            r" `(?P<expr>.{1,300})'$"),
        "doctest {kind} in `{expr}` at {path}:{line}", TEST,
        Span(forward=_re(r"^(?:expected: |\s{0,4}but got: |\s+\S)"), forward_max=30),
        "A Haskell doctest example (a `>>>` line in a comment) printed something else than the"
        " comment expects: `expected` against `but got`.",
        "Run it locally with `cabal repl --with-ghc=doctest` (or `doctest FILE`) and fix the code"
        " or the expected output in the comment.",
    ),
    # HLint's hints (`file.hs:4:1-25: Warning: Eta reduce`, `Found:` and `Perhaps:` below), each
    # one a report of the run; any hint fails `hlint` (its closing `3 hints`).
    Extractor(
        "hlint", "lint",
        _re(r"^(?P<path>[^:\s]{1,300}\.l?hs):(?P<line>\d+):(?P<col>\d+)(?:-\d+)?: "
            r"(?P<level>Warning|Suggestion|Error|Ignore): (?P<msg>.{1,300})$"),
        "HLint {level}: {msg}", TOOL - 10,
        Span(forward=_re(r"^(?:Found:$|Perhaps:$|Note: |Why not:$|\s+\S)"), forward_max=20,
             siblings=True),
        "HLint (the Haskell linter) suggests a change; the job fails on any hint it reports.",
        "Apply the hint (`hlint --refactor` can), or ignore it in `.hlint.yaml` with a reason.",
        # (the code it found below: GHC before 7.8 printed its warnings on one such line too)
        follows=_re(r"^Found:$"),
    ),
    # --- C and C++ tools ----------------------------------------------------------------------
    # clang-tidy's check made an error by `--warnings-as-errors` (`WarningsAsErrors:`): the
    # compiler's shape, the check's name after the message. (Its message holds no `[`: one split.)
    Extractor(
        "clang-tidy", "lint",
        _re(r"^(?P<path>[^:\s][^:]{0,300}):(?P<line>\d{1,7}):(?P<col>\d{1,7}): (?:error|warning): "
            r"(?P<msg>[^\[]{1,300}) \[(?P<check>[^\]\s]{1,200}?),-warnings-as-errors\]$"),
        "clang-tidy {check}: {msg}", TOOL - 10,
        Span(forward=_GCC_CONTEXT, forward_max=6, siblings=True, caret=True),
        "clang-tidy found code that breaks one of its checks (named in brackets), and the job"
        " makes its warnings errors (`--warnings-as-errors`, `WarningsAsErrors:` in .clang-tidy).",
        "Fix the line as the check asks (the line under the caret is its fix-it; `clang-tidy"
        " --fix` applies them), or turn the check off in .clang-tidy.",
    ),
    # `clang-format --dry-run --Werror`: each place the file differs from its style
    Extractor(
        "clang-format", "lint",
        _re(r"^(?P<path>[^:\s][^:]{0,300}):(?P<line>\d{1,7}):(?P<col>\d{1,7}): (?:error|warning): "
            r"code should be clang-formatted \[-Wclang-format-violations\]$"),
        "clang-format: {path} is not formatted", TOOL - 10,
        Span(caret=True, siblings=True),
        "clang-format (in check mode) found lines that differ from the style in .clang-format;"
        " the caret marks each place.",
        "Run `clang-format -i` on the files with the clang-format version the job uses (versions"
        " format differently) and commit the result.",
    ),
    # cppcheck, with `--error-exitcode`: since 1.85 `file:line:col: severity: message [id]`, the
    # source and a caret under it; before, `[file:line]: (severity) message` (chains of places
    # joined by ` -> `).
    Extractor(
        "cppcheck", "lint",
        _re(r"^(?P<path>[^:\s][^:]{0,300}" + _C_SOURCE + r"):(?P<line>\d{1,7}):\d{1,7}: "
            r"(?P<sev>error|warning|style|performance|portability): "
            r"(?P<msg>.{1,300}?) \[(?P<id>[a-z][A-Za-z0-9_]{1,80})\]$"),
        "cppcheck {sev}: {msg} [{id}]", TOOL - 10,
        Span(caret=True, siblings=True),
        "cppcheck (a static analyser) found a likely bug, and `--error-exitcode` fails the job"
        " on what it finds.",
        "Fix the code at that line (the id in brackets names the check), or suppress a false"
        " positive with `// cppcheck-suppress ID` on the line above.",
    ),
    Extractor(
        "cppcheck", "lint",
        _re(r"^\[(?P<path>[^\]\s:]{1,300}):(?P<line>\d{1,7})\](?: -> \[[^\]\s]{1,300}\]){0,8}: "
            r"\((?P<sev>error|warning|style|performance|portability)\) (?P<msg>.{1,300})$"),
        "cppcheck {sev}: {msg}", TOOL - 10,
        Span(siblings=True),
        "cppcheck (a static analyser) found a likely bug, and `--error-exitcode` fails the job"
        " on what it finds.",
        "Fix the code at that line, or suppress a false positive with `// cppcheck-suppress ID`"
        " on the line above.",
    ),
    # cpplint's findings (`a.cc:3:  Missing spaces around =  [whitespace/operators] [4]`) hold no
    # word a trigger knows: its closing count does, and they are the lines above it (with its
    # `Done processing FILE` after each file's).
    Extractor(
        "cpplint", "lint",
        _re(r"^Total errors found: (?P<count>[1-9]\d{0,6})$"),
        "cpplint found {count} style problems", TOOL - 10,
        Span(back=_re(r"^(?:\S{1,300}:\d{1,7}:  .{1,600}  \[[\w/+-]{1,80}\] \[[1-5]\]$"
                      r"|Done processing \S|Ignoring \S|Skipping input )"), back_max=30),
        "cpplint (Google's C++ style checker) found lines that break the style guide; each names"
        " its category and confidence in brackets.",
        "Fix the lines it lists, or filter the category out (`--filter=-whitespace/braces`,"
        " CPPLINT.cfg); `// NOLINT(category)` silences one line.",
    ),
    # Catch2: `t.cpp:10: FAILED:`, the expression, `with expansion:` and its values (or the
    # message, the exception, the signal) indented under their lowercase headings; the compact
    # reporter's one line `t.cpp:10: failed: expression for: values`.
    Extractor(
        "catch2", "test",
        _re(r"^(?P<path>[^\s:(][^:(]{0,300}?)(?::(?P<line>\d{1,7})|\((?P<l2>\d{1,7})\)): FAILED:$"),
        "{expr} failed at {path}:{line}{l2}", TEST,
        Span(forward=_re(r"^(?:\s|$|[a-z][a-z ]{0,60}:$)"), forward_max=20),
        "A Catch2 assertion failed; the lines under it give the expression and, after `with"
        " expansion:`, its values.",
        "Run the test binary locally with the test case's name (`./tests \"NAME\"`) and fix the"
        " code or the expectation.",
        follows=_re(r"^\s{0,8}(?P<expr>\S.{0,300})$"), header=_catch2_case,
    ),
    Extractor(
        "catch2", "test",
        _re(r"^(?P<path>[^\s:(][^:(]{0,300}?):(?P<line>\d{1,7}): failed: (?P<expr>.{1,300}?)"
            r"(?: for: (?P<values>.{1,300}))?$"),
        "{expr} failed at {path}:{line}", TEST,
        explanation="A Catch2 assertion failed; `for:` gives its values.",
        fix="Run the test binary locally with the test case's name and fix the code or the"
        " expectation.",
    ),
    # Their closing counts (doctest's behind `[doctest] `)
    Extractor(
        "catch2", "test",
        _re(r"^(?:\[doctest\] )?(?:test cases|assertions)\s{0,4}:\s{1,4}\d{1,9} \|[\w |]{0,100}"
            r"\bfailed\b|^\[doctest\] Status: FAILURE!$"),
        "tests failed", CONSEQUENCE, consequence=True,
    ),
    # Boost.Test: `t.cpp(10): error: in "suite/case": check a == b has failed [7 != 6]` (`fatal
    # error` for a REQUIRE; `error in "case": ...` before 1.59), `last checkpoint` lines under
    # it; `unknown location(0): fatal error: in "case": std::runtime_error: boom` for an
    # exception. Before nvcc's row, whose `file(line): error: ` it has the shape of.
    Extractor(
        "boost-test", "test",
        _re(r"^(?P<path>[^\s(][^(]{0,300})\((?P<line>\d{1,7})\): (?:fatal )?error:? in "
            r"\"(?P<test>[^\"]{1,300})\": (?P<msg>.{1,300})$"),
        "{test}: {msg}", TEST,
        Span(forward=_re(r"^[^\s(][^(]{0,300}\(\d{1,7}\): last checkpoint"), forward_max=3,
             siblings=True),
        "A Boost.Test check failed; the brackets at the end give both sides.",
        "Run the test binary locally with `--run_test=SUITE/CASE` and fix the code or the"
        " expectation.",
    ),
    Extractor(
        "boost-test", "test",
        _re(r"^\*\*\* \d{1,9} failures? (?:is|are) detected in (?:the )?test (?:module|suite) "),
        "Boost.Test tests failed", CONSEQUENCE, consequence=True,
    ),
    # CppUnit's text runner: `1) test: Suite::test (F) line: 17 t.cpp`, then the assertion and
    # its values, up to a blank line; `(E)` for an exception. Its counts come above them.
    Extractor(
        "cppunit", "test",
        _re(r"^\d{1,6}\) test: (?P<test>\S{1,300}) \((?P<kind>[FE])\)"
            r"(?: line: (?P<line>\d{1,7}) (?P<path>\S.{0,300}))?$"),
        "{test}: {msg}", TEST,
        Span(forward=_re(r"^\S"), forward_max=20),
        "A CppUnit assertion failed (F) or the test threw (E); the lines under it give the"
        " expected and the actual value.",
        "Run the test runner locally and fix the code or the expectation at that line.",
        follows=_re(r"^(?P<msg>\S.{0,300})$"),
    ),
    Extractor(
        "cppunit", "test",
        _re(r"^(?:!!!FAILURES!!!$|Run:\s{1,10}\d{1,9}\s{1,10}Failures: \d{1,9}\s{1,10}"
            r"Errors: \d{1,9}$)"),
        "CppUnit tests failed", CONSEQUENCE, consequence=True,
    ),
    # The sanitizers' reports (`==123==ERROR: AddressSanitizer: heap-buffer-overflow on ...`,
    # LeakSanitizer's `detected memory leaks`, ThreadSanitizer's `WARNING: ... data race`), up
    # to their `SUMMARY:` line: the access, its stack, where the memory came from. (A crash they
    # report, `SEGV on unknown address`, is also the segfault rule's.)
    Extractor(
        "sanitizer", "test",
        _re(r"^[=\s]{0,8}(?:==\d{1,10}== ?ERROR|WARNING): (?P<tool>Address|Leak|Thread|Memory"
            r"|HWAddress)Sanitizer: (?P<kind>detected memory leaks|data race|thread leak"
            r"|[\w-]{1,80})"),
        "{tool}Sanitizer: {kind}", TEST,
        Span(forward=_re(r"^(?![=\s]{0,8}SUMMARY: \w{1,40}Sanitizer)"), forward_max=80,
             closing=True),
        "A sanitizer caught a memory or threading bug at run time (an access out of bounds or"
        " after free, a leak, a data race); the stack under it shows where, and the lines after"
        " it where the memory was allocated or freed.",
        "Fix the access in the first frame of your code in the stack; rebuild with the same"
        " `-fsanitize=` flag to reproduce it locally.",
    ),
    # UndefinedBehaviorSanitizer: `u.c:4:29: runtime error: message`, the stack under it with
    # `print_stacktrace=1`, then its SUMMARY line
    Extractor(
        "ubsan", "test",
        _re(r"^(?P<path>[^:\s][^:]{0,300}):(?P<line>\d{1,7}):\d{1,7}: runtime error: "
            r"(?P<msg>.{1,300})$"),
        "UBSan: {msg} at {path}:{line}", TEST,
        Span(forward=_re(r"^(?:\s{1,8}#\d{1,4} 0x|\s*$|SUMMARY: UndefinedBehaviorSanitizer)"),
             forward_max=40),
        "UndefinedBehaviorSanitizer caught undefined behaviour at run time (an overflow, a shift"
        " too far, a misaligned or null access) at that line; the stack under it shows the calls.",
        "Fix the operation at that line (check the range before it, widen the type); build with"
        " `-fsanitize=undefined` and `UBSAN_OPTIONS=print_stacktrace=1` to reproduce it.",
    ),
    # clang's closing count of its errors, clang-tidy's of the warnings it made errors
    Extractor(
        "clang", "compile",
        _re(r"^(?:(?:\d{1,6} warnings? and )?\d{1,6} errors? generated\.$"
            r"|\d{1,6} warnings? treated as errors?$|Error while processing \S)"),
        "clang failed", CONSEQUENCE, consequence=True,
    ),
    # autoconf's configure: `configure: error: message`, under the `checking for X... no` that
    # failed (and `in '/path':` when it names the dir); the message goes on over blank lines
    # (pkg-config's `Package 'x' ... not found` and its advice), up to `See 'config.log'`.
    Extractor(
        "configure", "config",
        _re(r"^configure: error: (?!in [`'][^']{0,300}':$)(?P<msg>.{1,300})$"),
        "configure: {msg}", TOOL,
        Span(back=_re(r"^(?:configure: error: in [`']|checking .{1,300}\.\.\. (?:no|not found"
                      r"|none)$)"), back_max=2,
             forward=_re(r"^(?!checking |config\.status: |(?:g?make|mingw32-make)(?:\[\d+\])?: )"),
             forward_max=12),
        "The configure script stopped: a check it needs failed (a library, header or program"
        " missing, or a compiler that does not work); the `checking ...` line above says which.",
        "Install what it names (the library's -dev package) or point configure at it (see"
        " `./configure --help`); config.log holds the failed check's compiler errors.",
    ),
    Extractor(
        "gcc", "compile",
        # (indented too: pip and other build front ends indent the compiler's output they show)
        _re(BOXED + r"(?P<path>[^:\s][^:]{0,300}):(?P<line>\d+):(?:(?P<col>\d+):)? "
            r"(?:fatal )?error: (?P<msg>.{1,300})"),
        "{msg}", TOOL,
        Span(back=_re(r"(?:In function|In file included from|                 from |"
                      r"In member function|instantiated from|required from)"), back_max=6,
             forward=_GCC_CONTEXT, forward_max=6, siblings=True, caret=True),
        "The compiler rejected the source at this location.",
        "Fix the code at the reported file and line; the caret marks the column.",
    ),
    # gfortran: `file.f90:5:21:`, a blank line, the source line and a line marking the column
    # with `1`, then `Error: message` (`Fatal Error:` where it stops, `compilation terminated.`)
    Extractor(
        "gfortran", "compile",
        _re(BOXED + r"(?:Fatal )?Error: (?P<msg>.{1,300})"),
        "{msg}", TOOL,
        Span(back_to=_re(BOXED + r"[^:\s][^:]{0,300}\.[fF]\w{0,3}:\d{1,7}:\d{1,7}(?:-\d{1,7})?:$"),
             back_max=5, forward=_re(BOXED + r"compilation terminated\.$"), forward_max=1,
             siblings=True),
        "The Fortran compiler rejected the source at this location (the `1` under the source"
        " line marks the column).",
        "Fix the code at the reported file and line; the build (or `gfortran -c FILE`) reproduces"
        " it.",
        under=((_re(r"^\s{0,20}\|[\s12]{1,400}$"),),),
    ),
    Extractor(
        "ld", "compile",
        _re(r"(?:undefined reference to|Undefined symbols for architecture|"
            r"cannot find -l|multiple definition of|unresolved external symbol)"
            r" ?(?P<sym>.{0,200})"),
        "link error: {sym}", TOOL,
        Span(back=_re(r"(?:in function|: In function)"), back_max=2,
             forward=_re(r"(?:undefined reference|referenced from|^\s)"), forward_max=8),
        "The linker could not resolve a symbol: a missing library, object file or definition.",
        "Link the library that defines the symbol (target_link_libraries / -l) or define it.",
    ),
    Extractor(
        "make", "config",
        _re(r"^make(?:\[\d+\])?: \*\*\* No rule to make target '?(?P<target>[^',]{1,200})"),
        "make: no rule to make target {target}", TOOL,
        explanation="make was asked for a file or target that no rule produces.",
        fix="Check the target name and that the file it needs exists (or is generated first).",
    ),
    Extractor(
        "make", "compile",
        _re(r"^(?:g?make|mingw32-make)(?:\[\d+\])?: \*\*\* (?:\[(?P<target>[^\]]{1,200})\] )?"
            r"Error \d+"),
        "make target {target} failed", CONSEQUENCE, consequence=True,
    ),
    Extractor(
        "cmake", "config",
        _re(r"^CMake Error(?: at (?P<where>\S{1,300}))?:? ?(?P<msg>.{0,200})"),
        "CMake error {where} {msg}", TOOL,
        Span(forward=_re(r"^(?:\s|$)"), forward_max=15),
        "CMake failed while configuring the project.",
        "Read the message under the CMake Error line: usually a missing package or a bad path.",
    ),
    # Meson's configure errors name their place in the build definition (`meson.build:2:7: ERROR:
    # Dependency "x" not found`), a missing dependency or program under the lookup that found
    # nothing.
    Extractor(
        "meson", "config",
        _re(BOXED + r"(?P<path>(?:[^:\s]{0,300}/)?(?:meson\.build|meson\.options"
            r"|meson_options\.txt)):(?P<line>\d{1,7}):(?P<col>\d{1,7}): ERROR: (?P<msg>.{1,300})"),
        "meson: {msg}", TOOL,
        Span(back=_re(BOXED + r"(?:$|(?:(?:Run-time |Build-time )?[Dd]ependency|Program)"
                      r" \S.{0,300} found: NO\b)"), back_max=3),
        "Meson could not configure the project: the line names the place in the build definition"
        " and why (a dependency it could not find, an option it does not know).",
        "Install the missing dependency (its -dev package, or set PKG_CONFIG_PATH to where it is)"
        " or fix the option or the call at that line; `meson setup build` reproduces it.",
    ),
    # meson-python, the build backend, stopped before Meson ran or after it failed to set up:
    # each line of its message has the prefix.
    Extractor(
        "meson-python", "config",
        _re(BOXED + r"meson-python: error: (?P<msg>.{1,300})"),
        "meson-python: {msg}", TOOL,
        Span(forward=_re(BOXED + r"meson-python: error: "), forward_max=10),
        "meson-python (the project's build backend) could not build it: its settings in"
        " pyproject.toml, or the tools it needs (meson, ninja), are wrong.",
        "Fix the `[tool.meson-python]` settings or install the tool it names; `pip install .`"
        " reproduces it.",
    ),
    # pypa/build's closing lines when the build backend failed: its output above says why.
    Extractor(
        "python-build", "dependency",
        _re(r"^(?:ERROR Backend subprocess exited when trying to invoke |TIP pass --env-dir )"),
        "the build backend failed", CONSEQUENCE, consequence=True,
    ),
    # nvcc (CUDA's compiler, an EDG front end): `file.cu(4): error: message`, the source line and
    # a caret under it, then `1 error detected in the compilation of "file.cu".` Before
    # GoogleTest's row: its Windows shape is the same up to its message (`Value of:`, `Expected`).
    Extractor(
        "nvcc", "compile",
        _re(BOXED + r"(?P<path>[^\s(][^(]{0,300}\.(?:cuh?|cc|cpp|cxx|c|hh|hpp|hxx|h|inl))"
            r"\((?P<line>\d{1,7})\): (?:catastrophic )?error(?: #\d{1,6}-D)?: "
            r"(?!Value of:|Expected|Failed$|The difference|Death test|Actual)(?P<msg>.{1,300})"),
        "{msg}", TOOL,
        Span(caret=True, siblings=True),
        "The CUDA compiler rejected the source at this location; the caret marks the column.",
        "Fix the code at the reported file and line; the build (or `nvcc -c FILE`) reproduces it.",
    ),
    Extractor(
        "nvcc", "compile",
        _re(BOXED + r"\d{1,6} errors? detected in the compilation of "),
        "nvcc failed", CONSEQUENCE, consequence=True,
    ),
    # ninja's last line, also where a front end shows it indented (the summary row reads it at
    # the margin only)
    Extractor(
        "ninja", "compile", _re(BOXED + r"ninja: build stopped: "), "ninja failed", CONSEQUENCE,
        consequence=True,
    ),
    # scikit-build-core's closing line when CMake or the build under it failed
    Extractor(
        "scikit-build-core", "compile", _re(BOXED + r"\*\*\* CMake (?:configuration|build) failed"),
        "CMake failed", CONSEQUENCE, consequence=True,
    ),
    # uv's lines about a build backend that failed (its output, indented, below them).
    Extractor(
        "uv", "dependency",
        _re(r"^(?:error: Failed to build `|  cause: (?:The build backend returned an error$"
            r"|Call to `[\w.:]{1,200}` failed)|hint: Build failures usually indicate a problem)"),
        "the build backend failed", CONSEQUENCE, consequence=True,
    ),
    # `meson test`: `2/2 project:name FAIL  0.02s  exit status 1`, then the command it ran
    # (`>>> `) and, with --print-errorlogs, the test's output between two rules of `―` (the
    # first with a `✀` in it). Listed again under `Summary of Failures:`, over its counts: that
    # list and the counts only say which failed.
    Extractor(
        "meson-test", "test", MESON_TEST, "meson test: {test} {how} {why}", TEST,
        Span(forward=_re(r"^>>> "), until=_re("^\u2015{20,}$"), forward_max=60),
        "A test run by `meson test` failed; the lines under it are the command it ran and, with"
        " --print-errorlogs, what the test printed.",
        "Run it locally with `meson test -C BUILDDIR --print-errorlogs NAME`.",
        not_under=("Summary of Failures", _re(r"^Summary of Failures:$")),
    ),
    Extractor(
        "meson-test", "test",
        _re(MESON_TEST.pattern + r"|^(?:Fail|Timeout|Unexpected Pass):\s{1,40}[1-9]\d{0,6}"
            r"\s{0,10}$|^Summary of Failures:$"),
        "meson test failed", CONSEQUENCE, consequence=True,
    ),
    # GoogleTest: `file:line: Failure`, the expectation, up to the test's `[  FAILED  ]` line.
    Extractor(
        "gtest", "test",
        _re(r"^(?P<path>\S{1,300}?)(?::(?P<line>\d{1,7}): Failure|\((?P<l2>\d{1,7})\): error: )"),
        "gtest failure at {path}:{line}{l2}", TEST,
        Span(until=_re(r"^\[  FAILED  \] "), forward_max=30),
        "A GoogleTest expectation failed; the lines below give the expected and the actual value.",
        "Run it locally with `--gtest_filter=SUITE.TEST` on the test binary.",
        header=_re(r"^\[ RUN      \] (\S{1,200})"),
    ),
    Extractor(
        "gtest", "test",
        _re(r"^(?:\[  FAILED  \] (?:\d{1,6} tests?, listed below:|[\w/.]{1,300}$)"
            r"| ?\d{1,6} FAILED TESTS?$)"),
        "gtest failed", CONSEQUENCE, consequence=True,
    ),
    Extractor(
        "ctest", "test",
        _re(r"^\s*\d{1,6}/\d{1,6} Test\s+#\d{1,6}: (?P<test>\S{1,200}) \.*\s*\*{3}"
            r"(?P<how>Failed|Exception: [\w ]{1,60}|Timeout|Not Run)"),
        "ctest: {test} {how}", TEST,
        # `--output-on-failure` prints the test's own output under it, up to the next test
        Span(forward=_re(r"^(?!\s*Start\s+\d{1,6}: |\s*\d{1,6}/\d{1,6} Test\s+#|\s*$)"),
             forward_max=25),
        "A CTest test failed; the lines under it are what the test printed.",
        "Run it locally with `ctest --output-on-failure -R NAME` in the build directory.",
    ),
    Extractor(
        "ctest", "test",
        # its closing count and the list under `The following tests FAILED:`
        _re(r"^(?:\d{1,3}% tests passed, \d{1,6} tests? failed out of \d{1,6}$|\s+\d{1,6} - "
            r"\S{1,200} \((?:Failed|Timeout|Not Run|SEGFAULT|OTHER_FAULT|ILLEGAL|BUS_ERROR"
            r"|INTERRUPT|NUMERICAL|Subprocess aborted|Child aborted|Exception)\)$)"),
        "ctest failed", CONSEQUENCE, consequence=True,
    ),
    Extractor(
        "collect2", "compile",
        _re(r"(?:collect2: error: ld returned|clang(?:\+\+)?: error: linker command failed)"),
        "linker failed", CONSEQUENCE, consequence=True,
    ),
    # --- Rust ---------------------------------------------------------------------------------
    Extractor(
        "cargo", "compile",
        _re(r"^error: (?:could not compile|aborting due to|test failed, to rerun|"
            r"process didn't exit successfully)"),
        "cargo failed", CONSEQUENCE, consequence=True,
    ),
    Extractor(
        "rustc", "compile",
        _re(r"^error(?P<code>\[E\d{4}\])?: (?P<msg>.{1,300})"),
        "error{code}: {msg}", TOOL,
        Span(forward=_RUST_CONT, forward_max=30, siblings=True),
        "The compiler rejected the code.",
        "Fix the code at the `-->` location; `rustc --explain CODE` details the error code.",
        # git, clang's driver and many tools print `error: ...` too: rustc's has a location
        follows=_re(r"^\s*--> \S"),
    ),
    Extractor(
        "rust-test", "test",
        _re(r"thread '(?P<test>[^']{1,200})'(?: \(\d+\))? panicked at (?P<where>\S{1,300})"),
        "test {test} panicked at {where}", TEST,
        Span(back=_re(r"^---- .* ----$"), back_max=1,
             forward=_re(r"^(?!note: |\s*$|---- |failures:|stack backtrace:)"), forward_max=8),
        "A Rust test (or program) panicked: an assertion or unwrap failed.",
        "Run `cargo test NAME` locally; the lines after `panicked at` give left/right values.",
    ),
    Extractor(
        "cargo", "test",
        _re(r"^test (?P<test>\S{1,300}) \.\.\. FAILED$"),
        "test {test} failed", TEST - 20,
        explanation="A Rust test failed; its panic message is printed under `failures:`.",
        fix="Run `cargo test NAME` locally.",
    ),
    Extractor(
        "cargo", "test",
        _re(r"^test result: FAILED\."),
        "cargo test failed", CONSEQUENCE, consequence=True,
    ),
    # --- Go -----------------------------------------------------------------------------------
    Extractor(
        "go", "compile",
        _re(r"^(?:\S{1,300}/)?(?P<path>[\w.-]{1,200}\.go):(?P<line>\d+):(?P<col>\d+): "
            r"(?P<msg>.{1,300})"),
        "{path}:{line}: {msg}", TOOL,
        Span(back=_re(r"^# \S"), back_max=1, forward=_re(r"^(?:\S+\.go:\d+:\d+: |\s)"),
             forward_max=10, siblings=True),
        "The Go compiler (or vet) rejected the code.",
        "Fix the code at that file and line; `go build ./...` reproduces it.",
    ),
    Extractor(
        "pytest", "test",
        _re(r"^=* ?(?:\d+ (?:failed|passed|errors?|skipped|xfailed|warnings?|deselected)"
            r"(?:, )?){1,8} in [\d.]+s"),
        "pytest summary", CONSEQUENCE, consequence=True,
    ),
    Extractor(
        "regrtest", "test",  # CPython's test runner: its closing lines only count the failures
        _re(r"^(?:== Tests result: FAILURE|Total tests: run=\d+ failures=[1-9]|Total test files:"
            r" run=\d+/\d+ failed=|\d+ tests? failed:$|test \w{1,200} failed$|\w{1,200} failed "
            r"\(\d+ (?:failures?|errors?)\)$|Result: FAILURE$)"),
        "regrtest failed", CONSEQUENCE, consequence=True,
    ),
    Extractor(
        "unittest", "test",
        _re(r"^FAILED \((?:failures|errors)=\d+"),
        "unittest summary", CONSEQUENCE, consequence=True,
    ),
    Extractor(
        "go-test", "test",
        _re(r"^\s*--- FAIL: (?P<test>\S{1,200})"),
        "go test: {test} failed", TEST,
        # (`go test -v` and runners over `go test -json` print a test's messages as they come,
        # under its `=== RUN`, before its result)
        Span(back=_re(r"^(?:\s{4,}\S|=== (?:RUN|CONT|PAUSE|NAME) )"), back_max=20,
             forward=_re(r"^(?:\s{4,}|\s+--- FAIL)"), forward_max=20),
        "A Go test failed; the indented lines are its t.Error / t.Fatal messages.",
        "Run `go test -run '^TEST$' ./PKG` locally.",
    ),
    # gotestsum (a runner over `go test -json`) lists each failed test again at the end, under
    # `=== Failed`, with all it printed (a panic's trace unindented, over blank lines) up to the
    # next one or its closing counts: `=== FAIL: pkg TestName (0.00s)`.
    Extractor(
        "go-test", "test",
        _re(r"^=== FAIL: (?P<pkg>\S{1,300}) {1,2}(?:(?P<test>\S{1,300}) )?\([\d.]{1,12}s\)$"),
        "go test: {test} failed in {pkg}", TEST,
        Span(forward=_re(r"^(?!=== FAIL: |DONE \d)"), forward_max=30),
        "A Go test failed; the indented lines are what it printed (t.Error / t.Fatal, a panic).",
        "Run `go test -run '^TEST$' ./PKG` locally (gotestsum passes flags after `--`).",
    ),
    Extractor(
        "go", "test",
        _re(r"^panic: (?P<msg>.{1,300})"),
        "panic: {msg}", TOOL,
        Span(forward=_re(r"^(?:\s|goroutine |\[|$|\S+\(|created by)"), forward_max=14),
        "A Go program panicked.",
        "Read the first frame of the goroutine trace that is in your package.",
    ),
    Extractor(
        "go-test", "test",
        _re(r"^(?:FAIL\s+\S+\s+[\d.]+s|FAIL$|--- FAIL$)"),
        "go test failed", CONSEQUENCE, consequence=True,
    ),
    # --- JavaScript and TypeScript ------------------------------------------------------------
    Extractor(
        "jest", "test",
        _re(r"^\s*● (?!Console$)(?P<test>.{1,300})$"),  # `● Console`: logs, not a failure
        "{test}", TEST,
        Span(forward=_re(r"^(?!\s*● )"), forward_max=25),
        "A Jest test failed; the lines below show expected versus received.",
        "Run it locally with `npx jest -t 'NAME'`.",
    ),
    # Playwright Test's details of a failed test, titled by the test; a flaky one's (listed as
    # such in the closing counts) only says what a retry made good.
    Extractor(
        "playwright", "flaky",
        PLAYWRIGHT_FAILURE, "{test} (flaky: passed on a retry)", CONSEQUENCE,
        PLAYWRIGHT_SPAN,
        "A Playwright test failed, then passed when retried: it is reported flaky, which does"
        " not fail the run by itself.",
        PLAYWRIGHT_FIX, when=_retried_to_pass, settled=True,
    ),
    Extractor(
        "playwright", "test",
        PLAYWRIGHT_FAILURE, "{test}", TEST,
        PLAYWRIGHT_SPAN,
        "A Playwright test failed; the lines under its heading give the error (expected versus"
        " received, an exception, a timeout) and the line of the test it stopped at.",
        PLAYWRIGHT_FIX,
    ),
    # A retry's details under the test's (`Retry #1 ───`): the same failure again, or the one
    # a flaky test's later retry made good; never the cause of its own.
    Extractor(
        "playwright", "test",
        _re(r"^\s{4}Retry #(?P<retry>\d{1,3}) \u2500{0,300}$"),
        "retry #{retry} failed too", CONSEQUENCE,
        PLAYWRIGHT_SPAN,
        "A retry of a Playwright test failed; the test's own details above say how it failed"
        " first.",
        PLAYWRIGHT_FIX, header=PLAYWRIGHT_FAILURE, settled=True,
    ),
    # Emacs's byte compiler: `file.el:3:20: Error: message` under the form it was in (`In
    # toplevel form:`, `In calc-total:`); warnings made errors (byte-compile-error-on-warn) too.
    Extractor(
        "emacs-byte-compile", "compile",
        _re(r"^(?P<path>[^:\s]{1,300}\.el):(?P<line>\d+):(?P<col>\d+): ?(?P<kind>Error|Warning): "
            r"(?P<msg>.{1,300})$"),
        "{msg}", TOOL,
        Span(back=_re(r"^In (?:toplevel form|end of data|[^:\s]{1,200}):$"), back_max=1,
             forward=_re(r"^\s+\S"), forward_max=4, siblings=True),
        "The Emacs byte compiler rejected the file (with byte-compile-error-on-warn, a warning"
        " counts as an error).",
        "Fix the code at that file and line; `emacs -batch -f batch-byte-compile FILE`"
        " reproduces it.",
    ),
    # Emacs Lisp's ERT: under `Test NAME condition:` the failed `should` form, the values it
    # compared and ERT's explanation of the difference (or the error signalled), indented; its
    # status lines (`   FAILED  2/2  name`) are indented too and end it.
    Extractor(
        "ert", "test",
        _re(r"^Test (?P<test>\S{1,200}) condition:$"),
        "ERT test {test} failed", TEST,
        Span(forward=_re(r"^(?!\s+(?:FAILED|passed|failed|skipped)\s+\d)\s+\S"), forward_max=30),
        "An Emacs Lisp ERT test failed; the condition gives the failed `should` form, the values it"
        " compared (:form, :value) and how they differ, or the error the test signalled.",
        "Run it locally: `emacs -batch -l ert -l TEST_FILE --eval"
        " '(ert-run-tests-batch-and-exit \"NAME\")'`.",
    ),
    # Emacs Lisp's buttercup: after a rule of 40 `=`, each failed spec's name, its backtrace and
    # `FAILED: message` (an error in the spec: `error: (void-function f)`).
    Extractor(
        "buttercup", "test",
        _re(r"^(?P<kind>FAILED|error): (?P<msg>.{1,300})$"),
        "buttercup: {msg}", TEST,
        Span(back_to=_re(r"^={40}$"), back_max=40),
        "An Emacs Lisp buttercup spec failed; the line names the expectation and the value it got.",
        "Run it locally with `buttercup -L . --pattern 'NAME'` (or `eask test buttercup`).",
        below=("=" * 40, _re(r"^={40}$")),
    ),
    # Clojure's compiler (1.10+, `lein test`, `clojure -M`): `Syntax error compiling at
    # (file.clj:3:20).` (or `macroexpanding NAME at`, `reading source at`), the message below it.
    Extractor(
        "clojure", "compile",
        _re(r"^Syntax error (?:\w{1,40} ){0,3}(?:\(\w{1,100}\) )?(?:compiling|macroexpanding"
            r"|reading source)(?: \S{1,200})? at \((?P<where>[^()\s]{1,300})\)\.$"),
        "Clojure: {msg} ({where})", TOOL,
        Span(forward=_re(r"^\S"), forward_max=3),
        "The Clojure compiler rejected a form while loading a namespace, so nothing in it ran.",
        "Fix the form at that file, line and column; `lein check` (or `clojure -M -e \"(require"
        " 'NS)\"`) reproduces it.",
        follows=_re(r"^(?P<msg>\S.{0,300})$"),
    ),
    # and at run time (`lein run`, a test namespace's top level): `Execution error
    # (ArithmeticException) at calc.core/mean (core.clj:3).`, the message below it.
    Extractor(
        "clojure", "test",
        _re(r"^Execution error (?:\((?P<exc>[\w.$]{1,200})\) )?at (?:\S{1,300} )?"
            r"\((?P<where>[^()\s]{1,300})\)\.$"),
        "Clojure {exc}: {msg} ({where})", TOOL - 5,
        Span(forward=_re(r"^\S"), forward_max=3),
        "A Clojure program threw an exception nothing caught; the line under it is its message.",
        "Fix the code at that function and line; the `Full report at:` file has the whole trace.",
        follows=_re(r"^(?P<msg>\S.{0,300})$"),
    ),
    # Alcotest (OCaml): each failed test's name boxed, then the check's message and `Expected:`
    # and `Received:`, then where it was raised. Before vitest, whose `FAIL name` it also prints.
    Extractor(
        "alcotest", "test",
        _re(r"^\u2502 \[(?P<kind>FAIL|ERROR|EXN)\]\s{1,80}(?P<suite>\S.{0,200}?)\s{1,80}\d{1,6}"
            r"\s{1,80}(?P<test>\S.{0,200}?)\.?\s{0,200}\u2502$"),
        "Alcotest: {suite} {test} failed", TEST,
        Span(forward=_re(r"^(?!Raised at |Logs saved to |Called from | ?\u2500{10})"),
             forward_max=30),
        "An Alcotest test failed: the check's message, the value it expected and the one it got.",
        "Run it locally with `dune test` (or the test binary with `test NAME`).",
    ),
    # Alcotest's progress line of a failed test (`> [FAIL]  suite  1  name.`): told again, boxed,
    # with why, below.
    Extractor(
        "alcotest", "test",
        _re(r"^> \[(?:FAIL|ERROR|EXN)\]\s"), "Alcotest: a test failed", CONSEQUENCE,
        consequence=True,
    ),
    # Common Lisp's RT (`rt:do-tests`): `Test NAME failed`, the form, then the expected and the
    # actual values.
    Extractor(
        "cl-rt", "test",
        _re(r"^Test (?P<test>\S{1,200}) failed$"),
        "RT: {test} failed", TEST,
        Span(forward=_re(r"^(?:Form: |Expected values?: |Actual values?: |\s+\S)"), forward_max=15),
        "A Common Lisp RT test failed: its form, the value it should return and the one it did.",
        "Run it locally with `(rt:do-test 'NAME)` and fix the code or the expected value.",
        follows=_re(r"^Form: "),
    ),
    # Racket's rackunit, as `raco test` prints it: between two rules of 20 `-`, `FAILURE` (a
    # check that did not hold) or `ERROR` (an exception), then the check's fields (`name:`,
    # `location:`, `actual:`, `expected:`) or the exception's message.
    Extractor(
        "rackunit", "test",
        _re(r"^(?P<kind>FAILURE|ERROR)$"),
        "rackunit: {check} {kind} {where}", TEST,
        Span(back=_re(r"^(?!-{20}$)\S"), back_max=2,
             forward=_re(r"^(?!-{20}$)"), forward_max=30),
        "A rackunit check failed (FAILURE: `actual` against `expected`) or raised an exception"
        " (ERROR: its message).",
        "Run it locally with `raco test FILE` and fix the code or the check at its location.",
        follows=_re(r"^name:\s{1,40}(?P<check>\S{1,200})$"),
        detail=_re(r"^location:\s{1,40}(?P<where>\S.{0,300})$"),
    ),
    # Before vitest's `FAIL name`: clojure.test's `FAIL in (test) (file.clj:7)`.
    Extractor(
        "clojure-test", "test",
        _re(r"^(?P<kind>FAIL|ERROR) in \((?P<test>[^()]{1,200})\) \((?P<where>[^()]{1,300})\)$"),
        "{test} {kind} at {where}", TEST,
        Span(forward=_re(r"^(?!\s*$|(?:FAIL|ERROR) in \()"), forward_max=15),
        "A clojure.test assertion failed; `expected` and `actual` below give the values.",
        "Run it locally with `lein test :only NS/TEST` (or `clojure -X:test`).",
    ),
    # automake's test harness: in test-suite.log (printed by `make check VERBOSE=1`, or by the
    # job) each failed test's section, headed `FAIL: name` over a rule of `=`, its output, and
    # `FAIL name (exit status: 1)` closing it; in the progress list, `FAIL: name` alone (its
    # output is in the log file).
    Extractor(
        "automake", "test",
        _re(r"^(?P<how>FAIL|ERROR|XPASS) (?P<test>\S{1,300}) \(exit status: (?P<code>\d{1,3})\)$"),
        "make check: {how} {test} (exit status {code})", TEST,
        Span(back_to=_re(r"^(?:FAIL|ERROR|XPASS): \S{1,300}$"), back_max=200),
        "A test of automake's harness (`make check`) failed; the lines above are what it"
        " printed, from test-suite.log.",
        "Run `make check TESTS=NAME` locally and read NAME.log.",
    ),
    Extractor(
        "automake", "test",
        _re(r"^(?P<how>FAIL|ERROR|XPASS): (?P<test>\S{1,300})(?: \d{1,6}(?: - .{0,300})?)?$"),
        "make check: {how} {test}", TEST - 20,
        explanation="A test of automake's harness (`make check`) failed; what it printed is in"
        " its .log file and test-suite.log (`make check VERBOSE=1` prints it).",
        fix="Run `make check TESTS=NAME` locally and read NAME.log.",
    ),
    Extractor(
        "automake", "test",
        _re(r"^# (?:FAIL|ERROR|XPASS):\s{1,4}[1-9]\d{0,6}$"),
        "make check failed", CONSEQUENCE, consequence=True,
    ),
    Extractor(
        "vitest", "test",
        # (`× name` in its progress list is a marked failure, below: the details come later)
        _re(r"^\s*FAIL\s+(?P<test>\S.{0,300}\S)$"),
        "{test}", TEST - 3,
        Span(forward=_re(r"^(?:\s*(?:AssertionError|Error|TypeError|Expected|Received|[-+] |❯|at )"
                         r"|\s*$)"), forward_max=12),
        "A JavaScript test failed.",
        "Run the failing test file locally and compare expected with received.",
    ),
    Extractor(
        "minitest", "test",
        _re(r"^\s+\d{1,4}\) (?P<kind>Failure|Error):$"),
        "minitest: test {kind}", TEST,
        Span(forward=_re(r"^(?!\s+\d{1,4}\) |\d+ runs, |\s*$)"), forward_max=15),
        "A Minitest test failed; the lines below name the test and the expected value.",
        "Run it locally with `ruby -Itest TEST_FILE -n TEST_NAME`.",
    ),
    # minitest-reporters and Rails' runner: an unnumbered `Failure:` over `Class#test [file:line]`
    Extractor(
        "minitest", "test",
        _re(r"^(?P<kind>Failure|Error):$"),
        "minitest: test {kind}", TEST,
        Span(forward=_re(r"^(?!\s*$|\d+ (?:runs|tests), )"), forward_max=15),
        "A Minitest test failed; the lines below name the test and the expected value.",
        "Run it locally with `ruby -Itest TEST_FILE -n TEST_NAME` (or `rails test FILE:LINE`).",
        follows=_re(r"^\S{1,300}#\S.{0,300} \[\S{1,300}:\d{1,7}\]:?$"),
    ),
    # rebar3's EUnit report: numbered like RSpec's, each test an Erlang `module:function/arity`.
    Extractor(
        "rebar3-eunit", "test",
        _re(r"^\s+\d{1,4}\) (?P<test>[a-z]\w{0,200}:\S{1,200}/\d{1,3})(?::? .{0,300})?$"),
        "EUnit test {test} failed", TEST,
        Span(forward=_re(r"^(?:\s|$)"), forward_max=15),
        "An Erlang EUnit test failed; the lines below give the assertion and the expected and"
        " actual values.",
        "Run it locally with `rebar3 eunit --module=MODULE`.",
        follows=_re(r"^\s+(?:Failure/Error:|%%)"),
    ),
    Extractor(
        "rspec", "test",
        _re(r"^\s+\d{1,4}\) (?P<test>.{1,300})$"),
        "{test}", TEST,
        # (not on into the next example's report, `  2) name`)
        Span(forward=_re(r"^(?!\s{1,4}\d{1,4}\) )(?:\s|$)"), forward_max=15),
        "An RSpec example failed; the lines below give the expectation and the values.",
        "Run it locally with the `rspec ./spec/FILE:LINE` command listed under Failed examples.",
        follows=_re(r"^\s+(?:Failure/Error:|Got \d+ failures)"),
    ),
    # RSpec could not load a spec file (or a `before(:suite)` hook raised): no example ran;
    # the exception and its frames follow, before the counts (`1 error occurred outside of
    # examples`).
    Extractor(
        "rspec", "test",
        _re(r"^An error occurred (?P<what>while loading \S{1,300}?|in an? `?[\w(): ]{1,60}'?"
            r" hook)\.(?: - Did you mean\?)?$"),
        "rspec: an error occurred {what}", TEST,
        Span(forward=_re(r"^(?!Finished in |\d+ examples?, |An error occurred )"), forward_max=30),
        "RSpec stopped before running the examples of a file: loading it (or a suite hook)"
        " raised, most often a missing file or gem it requires, or a syntax error.",
        "Fix what the exception names (the path required, the gem in the Gemfile); `rspec FILE`"
        " reproduces it.",
    ),
    # Haskell's HUnit (runTestTT): `### Failure in: 1:name`, the source line, expected and got.
    Extractor(
        "hunit", "test",
        _re(r"^### (?P<kind>Failure|Error) in: (?P<test>.{1,300})$"),
        "HUnit {kind} in test {test}", TEST,
        Span(forward=_re(r"^(?!###|Cases: \d)\S|^\s+\S"), forward_max=20),
        "A Haskell HUnit test failed; the lines below give where, what it expected and what it"
        " got.",
        "Run the test program locally (`cabal test`) and compare expected and got.",
    ),
    # Haskell's QuickCheck: `*** Failed! Falsified (after 3 tests and 2 shrinks):` and the
    # counterexample on the lines below (a thrown exception's message first).
    Extractor(
        "quickcheck", "test",
        _re(r"^\*\*\* Failed! (?P<what>[A-Z][\w ]{0,60}?)(?: \((?P<after>after [^)]{1,100})\))?:"),
        "QuickCheck property failed: {what} {after}", TEST,
        Span(forward=_re(r"^(?!\*\*\* |\+\+\+ OK|=== )\S|^\s+\S"), forward_max=12),
        "A QuickCheck property failed; the lines below are the (shrunk) counterexample.",
        "Run the property locally on that counterexample and fix the code or the property.",
    ),
    # Haskell's hspec: under `Failures:`, each failure numbered, the source location above it and
    # the expectation (expected / but got) indented under it. (Not RSpec's list, above.)
    Extractor(
        "hspec", "test",
        _re(r"^\s{2}\d{1,4}\) (?P<test>\S.{0,300})$"),
        "hspec: {test} failed", TEST,
        Span(back=_re(r"^\s{2}\S{1,300}:\d+:\d+:\s*$"), back_max=1,
             forward=_re(r"^\s{3,}\S"), forward_max=25),
        "A Haskell hspec example failed; the lines under it give what it expected and what it got.",
        "Run it locally with `cabal test --test-options='--match \"/DESCRIBE/IT/\"'` (the `To"
        " rerun use` line gives the path).",
        follows=_re(r"^\s{3,}(?!Failure/Error:)\S"),
        below=("Failures:", _re(r"^Failures:$")),
    ),
    Extractor(
        "exunit", "test",
        _re(r"^\s+\d{1,4}\) (?P<test>(?:test|doctest|property) .{1,250}) "
            r"\((?P<mod>[\w.]{1,200})\)$"),
        "{mod}: {test}", TEST,
        Span(forward=_re(r"^(?:\s|$)"), forward_max=15),
        "An ExUnit test failed; the lines below give the assertion, left and right.",
        "Run it locally with `mix test FILE:LINE` (the path under the test name).",
    ),
    Extractor(
        "jasmine", "test",
        _re(r"^\d{1,4}\) (?P<test>\S.{0,300})$"),
        "{test}", TEST,
        Span(forward=_re(r"^(?:\s|$)"), forward_max=20),
        "A Jasmine spec failed; its Message lines give the expectation.",
        "Run it locally with `npx jasmine --filter='NAME'`.",
        follows=_re(r"^\s+Message:$"),
    ),
    # node-tap's YAML block puts the stack before the source line and the diff of the values
    # (`diff: |`, `--- expected`, `+++ actual`): the block goes on to its `...`.
    Extractor(
        "tap", "test",
        TAP_FAILED, "test {test} failed", TEST,
        Span(until=_re(r"^\s+\.\.\.$"), forward_max=TAP_BLOCK),
        "A TAP test failed; the diff at the end of its diagnostics gives what it expected and"
        " what it got.",
        "Run that test file alone locally.",
        when=_diff_after_stack,
    ),
    # TAP (tape, node-tap, bats, prove -v): the failed test and its diagnostics, a YAML block
    # indented under it or `#` lines.
    Extractor(
        "tap", "test",
        TAP_FAILED,
        "test {test} failed", TEST,
        # (up to the stack trace its YAML block may end with: the reporter's own frames; over
        # the blank lines of a message in it, node --test's `-3 !== -4` under its heading)
        Span(forward=_re(r"^(?:\s+(?!stack: )\S|#\s|$)"), forward_max=25),
        "A TAP test failed; the lines under it give what it expected and what it got.",
        "Run that test file alone locally.",
    ),
    # PHP CS Fixer's dry run numbers each file it would change, like a test runner its
    # failures, with the rules (`-v`) and the diff (`--diff`) under it. Before Mocha's row.
    Extractor(
        "php-cs-fixer", "lint",
        _re(r"^\s{0,6}\d{1,6}\) (?P<path>\S{1,300}\.php)(?: \((?P<rules>[^()]{1,500})\))?$"),
        "PHP CS Fixer would change {path}", TOOL - 10,
        Span(until=_re(r"^\s*-{5,} end diff -{5,}$"), forward_max=40),
        "PHP CS Fixer found code that breaks the project's coding style.",
        "Run `php-cs-fixer fix` locally and commit the result.",
    ),
    Extractor(
        "mocha", "test",
        _re(r"^\s+\d{1,4}\) (?P<test>.{1,300})$"),
        "{test}", TEST - 8,
        # below: the indented details, up to the next failure or the closing counts; the run
        # of failures is one list (the first's excerpt shows the others below it)
        Span(forward=_re(r"^(?!\s+\d{1,4}\) |\s+\d+ (?:passing|failing|pending)\b)(?:\s|$)"),
             forward_max=15, siblings=True),
        "A Mocha test failed.",
        "Run it locally with `npx mocha --grep 'NAME'`.",
        # The failure's details (its nested title or error, indented below it), not the entry
        # in the run's progress list, followed by the next entry, a passing test or a blank.
        follows=_re(r"^\s+(?![\u2713\u2714]|\d{1,4}\) )\S"),
        below=("failing", _re(r"^\s*\d+ failing$")),
    ),
    Extractor(
        "tsc", "compile",
        _re(r"^(?P<path>\S{1,300}\.[cm]?[jt]sx?)(?:\((?P<line>\d+),(?P<col>\d+)\):|:(?P<l2>\d+):"
            r"(?P<c2>\d+) -) error (?P<code>TS\d+): (?P<msg>.{1,300})"),
        "{code}: {msg}", TOOL,
        Span(forward=_CODE_CONTEXT, forward_max=6, siblings=True),
        "The TypeScript compiler found a type error.",
        "Fix the types at that file and line; `npx tsc --noEmit` reproduces it.",
    ),
    # Biome: a rule of `━` after the place and the rule that fired, a blank line, then the
    # message marked with a cross (`✖`, `×` without colours), the code frame and its notes
    # indented under it, up to the next diagnostic. (Its closing `ci` block only sums up.)
    Extractor(
        "biome", "lint",
        _re(r"^\s{2}[\u2716\u00d7] (?P<msg>\S.{0,300})$"),
        "{msg}", TOOL - 5,
        Span(back_to=BIOME_HEADER, back_max=2, forward=_re(r"^(?:\s|$)"), forward_max=30),
        "Biome's linter or formatter reported an error; the frame below shows the code.",
        "Run `npx biome check --write` for the fixable ones (FIXABLE), fix the others by hand.",
        header=BIOME_HEADER,
        under=((_re(r"^\s*$"), BIOME_HEADER),),
    ),
    # yamllint's table under each file's name: `  5:9       error    message  (rule)`, titled by
    # the first error (its warnings, shown around it, fail a run only with `--strict`)
    Extractor(
        "yamllint", "lint",
        _re(r"^\s{1,4}(?P<line>\d{1,7}):(?P<col>\d{1,7})\s{1,20}error\s{1,20}"
            r"(?P<msg>\S.{0,300}?)\s{1,20}\((?P<rule>[a-z][\w-]{0,60})\)$"),
        "yamllint {rule}: {msg}", TOOL - 10,
        Span(back=_re(r"^(?:\s{1,4}\d{1,7}:\d{1,7}\s|\S{1,300}\.ya?ml$)"), back_max=8,
             siblings=True),
        "yamllint found YAML that breaks one of its rules; the file's name heads its lines.",
        "Fix the line, or relax that rule in `.yamllint` deliberately.",
    ),
    # markdownlint-cli2: `README.md:3:81 error MD013/line-length Line length [Expected: 80; ...]`,
    # one a line under its `Summary: 2 error(s)`.
    Extractor(
        "markdownlint", "lint",
        _re(r"^(?P<path>\S{1,300}?):(?P<line>\d{1,7})(?::\d{1,7})? error (?P<rule>MD\d{3}"
            r"(?:/[\w-]{1,60})?) (?P<msg>\S.{0,300})$"),
        "markdownlint {rule}: {msg}", TOOL - 10,
        Span(siblings=True),
        "markdownlint found Markdown that breaks one of its rules (the rule's name is its link"
        " in markdownlint's docs).",
        "Fix the line, or run `markdownlint-cli2 --fix` for the rules it can fix; configure a"
        " rule off in `.markdownlint.json` deliberately.",
    ),
    # miette's diagnostics (oxlint and other JS tools written in Rust): the severity (`x` or `×`
    # for an error, `!` or `⚠` for a warning that `--deny-warnings` fails), `plugin(rule):
    # message`, the frame that opens with the place, `help:` last.
    Extractor(
        "miette", "lint",
        _re(r"^\s{1,4}[x!\u00d7\u26a0] {1,2}(?P<rule>[\w@/.-]{1,100}(?:\([\w@/.-]{1,100}\))?): "
            r"(?P<msg>\S.{0,300})$"),
        "{where}: {rule}: {msg}", TOOL - 5,
        Span(forward=_re(r"^(?!\s{1,4}[x!\u00d7\u26a0] {1,2}[\w@/.-]{1,100}[(:])(?:\s|$)"),
             forward_max=25),
        "A linter (oxlint, or another tool that reports with miette) found a problem; the frame"
        " below points at the code, its `help:` line says what to do.",
        "Fix the code at that place, or run the linter with `--fix` where the rule can.",
        follows=_re(r"^\s{1,6}(?:,-|\u256d\u2500)\[(?P<where>\S{1,300}?:\d+:\d+)\]$"),
    ),
    Extractor(
        "eslint", "lint",
        # (stylelint's report is the same table, an error marked with a cross)
        _re(r"^\s+(?P<line>\d+):(?P<col>\d+)\s+(?:error|\u2716)\s+(?P<msg>.{1,300}?)\s+"
            r"(?P<rule>[\w@/-]+)$"),
        "eslint {rule}: {msg}", TOOL - 10,
        Span(back=_re(r"^(?:\s+\d+:\d+\s|/|[A-Za-z]:\\|\S+\.\w{1,10}$)"), back_max=8,
             siblings=True),
        "ESLint reported an error.",
        "Fix the line, or run `npx eslint --fix` for fixable rules.",
    ),
    # Prettier's `--check` (its `[warn] `/`[error] ` levels are removed like sbt's): the files
    # it would reformat, listed above its closing line, and a file it cannot parse, with its
    # code frame; then the line saying that checking stopped.
    Extractor(
        "prettier", "lint",
        _re(r"^Code style issues (?:were )?found in (?P<what>the above file|\d+ files)\. "
            r"(?:Run Prettier(?: with --write)? to fix|Forgot to run Prettier\?)"),
        "Prettier would reformat {what}", TOOL - 10,
        Span(back=_re(r"^\S{1,300}\.\w{1,12}$"), back_max=SIBLING_LINES),
        "`prettier --check` found files that are not formatted the way Prettier writes them:"
        " they are listed above its closing line.",
        "Run `npx prettier --write` on the listed files and commit the result.",
    ),
    Extractor(
        "prettier", "compile",
        _re(r"^(?P<path>\S{1,300}\.\w{1,12}): (?P<exc>\w{0,40}Error): (?P<msg>.{1,300}) "
            r"\((?P<line>\d+):(?P<col>\d+)\)$"),
        "Prettier cannot parse {path}: {msg}", TOOL,
        # `\s*(?:>\s*)?`, not `\s*>?\s*`: two runs of spaces side by side split a long blank
        # line every way (quadratic: 0.3 s for 4,096 spaces)
        Span(forward=_re(r"^\s*(?:>\s*)?\d+ \||^\s+\|"), forward_max=12),
        "Prettier could not parse a file it was asked to check: the code has a syntax error,"
        " shown in the frame under it.",
        "Fix the syntax at that line and column; the build or the linter reports it too.",
    ),
    Extractor(
        "prettier", "lint",
        _re(r"^Error occurred when checking code style in (?:the above file|\d+ files)\.$"),
        "Prettier stopped", CONSEQUENCE, consequence=True,
    ),
    # Karma's progress and dots reporters: `Browser version (OS version) test name FAILED`, or
    # `... ERROR` for the browser (a script that threw as it loaded, a disconnect), the error
    # and its frames indented under it; each browser's `Executed N of M (1 FAILED)` and the
    # closing `TOTAL: 1 FAILED` only count them.
    Extractor(
        "karma", "test",
        _re(rf"^(?P<browser>{KARMA_BROWSER})(?: (?P<test>\S.{{0,300}}?))? (?P<how>FAILED|ERROR)$"),
        "{test} {how} in {browser}: {why}", TEST,
        # the indented details, then the browser's count and Karma's own error log lines about
        # it (`03 08 2019 14:13:39.543:ERROR [reporter.x]: ...`); the reports of the other
        # browsers (or tests) that failed right below belong to the run
        Span(forward=_re(rf"^(?:\s+\S|{KARMA_BROWSER}: Executed |\d\d \d\d \d{{4}} [\d:.]{{8,12}}"
                         r":(?:ERROR|WARN) \[)"), forward_max=25, siblings=True),
        "A test failed in the browser Karma ran it in (or the browser reported an error of its"
        " own: a script that threw while loading, a disconnect); the indented lines say how.",
        "Run `karma start --single-run` locally with the same browser; the frames name the test"
        " file and line.",
        follows=_re(r"^\s+(?P<why>\S.{0,200})$"),
    ),
    # karma-mocha-reporter: under its `FAILED TESTS:` heading, each failed test (`✖ name`, under
    # its suites) with the browser, the message and the frames indented under it, up to the
    # next one
    Extractor(
        "karma", "test",
        _re(r"^\s+\u2716 (?P<test>\S.{0,300}?)(?: \(\d{1,7} times?\))?$"),
        "{test} FAILED", TEST,
        Span(forward=_re(r"^(?!\s+\u2716 )\s+\S"), forward_max=25),
        "A test failed in the browser Karma ran it in; the lines under it give the browser, the"
        " failed expectation and its frames.",
        "Run `karma start --single-run` locally with the same browser; the frames name the test"
        " file and line.",
        below=("FAILED TESTS:", _re(r"^FAILED TESTS:$")),
    ),
    Extractor(
        "karma", "test",
        _re(rf"^(?:{KARMA_BROWSER}: Executed \d{{1,7}} of \d{{1,7}}.{{0,80}}"
            r"\b(?:FAILED|ERROR|DISCONNECTED)\b|TOTAL: \d{1,7} FAILED\b)"
            # (its launcher's last word on a browser that would not start: why is above)
            r"|\[launcher\]: \S{1,100} failed \d{1,3} times \(cannot start\)\. Giving up\.$"),
        "karma tests failed", CONSEQUENCE, consequence=True,
    ),
    # webpack's `ERROR in ./src/a.js 3:1` (`ERROR in ./src/a.js` before webpack 5), the message
    # on the next line (`Module not found: Error: Can't resolve`, `Module parse failed:`, a
    # loader's error) and its context up to the blank line that ends each error.
    Extractor(
        "webpack", "compile",
        _re(r"^ERROR in (?P<where>\S.{0,300})$"),
        "webpack: {msg} ({where})", TOOL,
        Span(forward=_re(r"^(?!\s*$|ERROR in |WARNING in )"), forward_max=30),
        "webpack could not build a module: the message names the import it could not resolve,"
        " the syntax it could not parse or the loader that failed.",
        "Fix the import or the code at that place (a missing loader: configure one in"
        " `module.rules`); `npx webpack` reproduces it.",
        # (not a module's place, `./src/a.ts 2:2-8`, over a loader's own report: below)
        follows=_re(r"^(?!\./\S{1,300} \d{1,7}:\d{1,7}(?:-\d{1,7})?$)(?P<msg>\S.{0,300})$"),
    ),
    # ts-loader's report under webpack's `ERROR in` and the module's place: `[tsl] ERROR in
    # path(2,3)` over the compiler's code and message, indented.
    Extractor(
        "webpack", "compile",
        _re(r"^\[tsl\] ERROR in (?P<path>\S{1,300})\((?P<line>\d{1,7}),\d{1,7}\)$"),
        "{code}: {msg}", TOOL,
        Span(back=_re(r"^(?:ERROR in \S|\./\S{1,300} \d{1,7}:\d)"), back_max=2,
             forward=_re(r"^\s+\S"), forward_max=10),
        "TypeScript (through webpack's ts-loader) found a type error.",
        "Fix the types at that file and line; `npx tsc --noEmit` reproduces it.",
        follows=_re(r"^\s+(?P<code>TS\d{1,6}): (?P<msg>.{1,300})$"),
    ),
    # Rolldown's errors (Vite 8's `vite build`): `[CODE] message`, then the frame that opens
    # with the place (`╭─[ src/main.js:1:23 ]`), its labels and help, up to Node's stack frames.
    Extractor(
        "rolldown", "compile",
        _re(r"^\[(?P<code>[A-Z][A-Z_]{2,40})\] (?P<msg>\S.{0,300})$"),
        "{code} at {where}: {msg}", TOOL,
        Span(forward=_re(r"^(?!\s{4}at )(?:\s|\u2500|$)"), forward_max=30),
        "The bundler (Rolldown, under Vite) could not build a module: an import it cannot"
        " resolve, or code it cannot parse, at the place the frame shows.",
        "Fix the import or the code at that place; `npx vite build` reproduces it.",
        follows=_re(r"^\s{1,6}\u256d\u2500\[ ?(?P<where>\S{1,300}?:\d+:\d+) ?\]$"),
    ),
    Extractor(
        "rolldown", "compile",
        _re(r"^(?:\u2717 Build failed in [\d.]{1,12}m?s|error during build:"
            r"|Build failed with \d{1,6} errors?:)$"),
        "the build failed", CONSEQUENCE, consequence=True,
    ),
    # Next.js's build (create-react-app's too): `Failed to compile.`, then each module's place,
    # its error and code frame, up to its `> Build failed because of webpack errors`; with
    # Turbopack, `Error: Turbopack build failed with N errors:` and each place, `Error: message`
    # and frame, over Next's own stack frames.
    Extractor(
        "next", "compile",
        _re(r"^Failed to compile\.$"),
        "build failed to compile: {msg}", TOOL,
        Span(forward=_re(r"^(?!> Build failed because of )"), forward_max=30),
        "The app's build could not compile a module: the place, the error (an import it cannot"
        " resolve, a syntax or type error) and its code frame are below.",
        "Fix the import or the code at that place; `npm run build` reproduces it.",
        detail=_re(r"^(?!\./)(?P<msg>\S.{0,300})$"),
    ),
    Extractor(
        "next", "compile",
        _re(r"^Error: Turbopack build failed with \d{1,6} errors?:$"),
        "Turbopack: {msg}", TOOL,
        Span(forward=_re(r"^(?!\s{4}at )"), forward_max=40),
        "Turbopack (Next.js's bundler) could not build a module: each place is followed by its"
        " error and code frame.",
        "Fix the import or the code at that place; `next build` reproduces it.",
        detail=_re(r"^Error: (?P<msg>\S.{0,300})$"),
    ),
    Extractor(
        "next", "compile",
        _re(r"^(?:> Build (?:error occurred|failed because of \w{1,40} errors)|Failed to type"
            r" check\.)$"),
        "next build failed", CONSEQUENCE, consequence=True,
    ),
    Extractor(
        "webpack", "compile",
        _re(r"^(?:webpack \S{1,40} compiled with [1-9]\d* errors?\b|webpack compiled with"
            r" [1-9]\d* errors?\b)"),
        "webpack failed", CONSEQUENCE, consequence=True,
    ),
    # Rollup's error (`[!] RollupError: msg`, `[!] Error: Could not resolve ...` before 3.0),
    # then the docs' URL, the place and its code frame, then Rollup's own frames.
    Extractor(
        "rollup", "compile",
        _re(r"^\[!\] (?P<exc>(?:\w{1,60})?Error): (?P<msg>.{1,300})$"),
        "Rollup: {msg}", TOOL,
        Span(forward=_re(r"^(?!\s+at \S|\s*$)"), forward_max=15),
        "Rollup could not bundle the code: an import it cannot resolve, a name a module does"
        " not export, or a syntax error, at the place under the message.",
        "Fix the import or the code at that place; `npx rollup -c` reproduces it.",
    ),
    # Dart Sass (`sass`, and the plugins that wrap it): `Error: message`, then the code frame
    # drawn with box characters and the stylesheet's place (`styles.scss 3:10  root stylesheet`).
    Extractor(
        "sass", "compile",
        _re(r"^(?:\s{0,8}\S{1,300}\.s[ac]ss:\d{1,7}:\d{1,7}: )?Error: (?P<msg>.{1,300})$"),
        "Sass: {msg}", TOOL,
        Span(forward=_re(r"^\s{0,12}(?:\d{1,7}\s{1,4})?[\u2577\u2502\u2575|,']"
                         r"|^\s{2,}\S{1,300} \d{1,7}:\d{1,7} "), forward_max=15),
        "Sass could not compile the stylesheet: the frame under the message marks the place.",
        "Fix the stylesheet at that line (an undefined variable or mixin: its `@use` or"
        " `@import`); `npx sass FILE` reproduces it.",
        follows=_re(r"^\s{0,12}[\u2577,]$"),
    ),
    # gulp's report of an error a plugin emitted (plugin-error's format): the plugin, then the
    # message up to its `Details:` (which repeat the message, field by field).
    Extractor(
        "gulp", "compile",
        _re(r"^(?:\[[\d:]{8}\] )?Error in plugin [\"'](?P<plugin>[^\"']{1,100})[\"']$"),
        "gulp plugin {plugin} failed", TOOL,
        Span(forward=_re(r"^(?!Details:$|\s*$|\[[\d:]{8}\] )"), forward_max=25),
        "A gulp plugin failed on a file; the message under it says why.",
        "Fix what the message names; `npx gulp TASK` reproduces it.",
    ),
    Extractor(
        "gulp", "compile",
        _re(r"^(?:\[[\d:]{8}\] )?'[^']{1,100}' errored after "),
        "gulp task failed", CONSEQUENCE, consequence=True,
    ),
    # CSSLint: under the file's name, `1: error at line 3, col 3`, the message, the source line.
    Extractor(
        "csslint", "lint",
        _re(r"^\d{1,6}: error at line (?P<line>\d{1,7}), col (?P<col>\d{1,7})$"),
        "CSSLint: {msg}", TOOL - 10,
        # (each error under its file's name again, a blank line before it: back_max also bounds
        # how far below one error the next one's lines may start)
        Span(back=_re(r"^\S{1,300}\.css$"), back_max=2, forward=_re(r"\S"), forward_max=2,
             siblings=True),
        "CSSLint found a problem it was told to count as an error in a stylesheet.",
        "Fix the rule at that line, or turn the rule into a warning in `.csslintrc`.",
        follows=_re(r"^(?P<msg>\S.{0,300})$"),
    ),
    # JavaScript Standard Style (standard, semistandard, ts-standard): each offence indented
    # under its `standard: Use JavaScript Standard Style` line, the rule in brackets after the
    # message since standard 8 (not before); a warning (`(no-var) (warning)`) does not fail.
    Extractor(
        "standard", "lint",
        _re(r"^\s{2}(?P<path>\S{1,300}\.(?:[cm]?jsx?|tsx?|vue)):(?P<line>\d{1,7}):\d{1,7}: "
            r"(?P<msg>.{1,300}?)(?: \((?P<rule>[\w@/-]{1,100})\))?(?<! \(warning\))$"),
        "JavaScript Standard Style: {msg}", TOOL - 10,
        # (under its heading; a parser's crash quotes its own source, indented deeper)
        Span(back=_re(r"^[\w-]{1,40}: Use JavaScript Standard Style\b"), back_max=1,
             forward=_re(r"^\s{3,}\S"), forward_max=6, siblings=True),
        "The JavaScript Standard Style linter (standard or one of its kin) found code that breaks"
        " its rules.",
        "Run `npx standard --fix` locally for the fixable ones, then fix the rest by hand.",
    ),
    # A linter's closing count (JSHint's `2 errors`, grunt-contrib-jshint's `>> 1 error in 1
    # file`, HTMLHint's `Scanned 1 files, found 2 errors in 1 files`, xo's `11 errors`) under
    # its report, whose lines are indented under each file's name (JSHint's own, `file: line 4,
    # col 10, message`, are not): the excerpt is the report. Its lines hold no word a line is
    # looked at for (`'x' is not defined.`, `Doctype must be declared`), their count does.
    Extractor(
        "lint-report", "lint",
        _re(r"^\s{0,4}(?:>> |Scanned \d{1,7} files?, found )?(?P<count>[1-9]\d{0,6}) errors?"
            r"(?: in \d{1,7} files?)?(?: \(\d{1,7} ?m?s\))?$"),
        "{heading} (lint errors: {count})", TOOL - 10,
        Span(back=LINT_REPORT, back_max=LINT_REPORT_LINES),
        "A linter (JSHint, HTMLHint, xo) found errors; its report above lists each with its"
        " place.",
        "Fix each error listed; run the linter locally on the files it names.",
        header=LINT_MESSAGE,  # (the report's nearest message titles it)
        when=_lint_report_above,
    ),
    # AVA (3 and later): the failed tests' details between rules of `─` above its closing count.
    Extractor(
        "ava", "test",
        _re(r"^\s{2}(?P<count>[1-9]\d{0,6}) (?:tests? failed|uncaught exceptions?"
            r"|unhandled rejections?)$"),
        "{heading} (AVA: {count} failed)", TEST,
        Span(back=_re(r"^(?!\s{2}[\u2714\u2718\u2716] )"), back_max=60),
        "An AVA test failed; the details above its count give the assertion, its place and the"
        " difference between the actual and the expected value.",
        "Run it locally with `npx ava FILE --match 'TITLE'`.",
        # (the failed test in its progress list: `✘ [fail]: name` since AVA 4, `✖ name` before)
        header=_re(r"^\s{2}[\u2718\u2716] (?:\[fail\]: )?(\S.{0,200}?)\s*$"),
        when=lambda lines, index: any(
            lines[probe].text.strip() == "\u2500" for probe in range(max(0, index - 3), index)
        ),
    ),
    # Grunt's line when a task failed (its report above says why) and its last words.
    Extractor(
        "grunt", "unknown",
        _re(r"^(?:Warning: Task \"[^\"]{1,200}\" failed\. Use --force to continue\.$"
            r"|>> \d{1,7} (?:errors?|warnings?|problems?|files? lint free|failures?)\b)"),
        "grunt task failed", CONSEQUENCE, consequence=True,
    ),
    Extractor(
        "npm", "dependency",
        _re(r"^npm (?:ERR!|error) (?:code (?:ELIFECYCLE|1)|errno 1|Lifecycle script|"
            r"command failed|A complete log|Exit status|This is probably not a problem|"
            r"Failed at the|path |workspace |location |command sh )"),
        "npm script failed", CONSEQUENCE, consequence=True,
    ),
    Extractor(
        "npm", "dependency",
        _re(r"^npm (?:ERR!|error) (?:code )?(?P<code>E[A-Z0-9]{2,30})\b"),
        "npm error {code}", TOOL - 5,
        # the whole message: ERESOLVE names the conflicting packages a dozen lines down, between
        # bare `npm error` lines; it ends where npm points to its debug log.
        Span(forward=_re(r"^npm (?:ERR!|error)(?: (?!A complete log)|$)"), forward_max=25),
        "npm failed while installing or running a script.",
        "Read the npm error code and message; `npm ci` locally reproduces install errors.",
    ),
    Extractor(
        "pnpm", "dependency",
        # (not `ERR_PNPM_RECURSIVE_FAIL`: a task of `pnpm -r run` failed, see task-runner)
        _re(r"^(?:Error: |\s?)(?P<code>ERR_PNPM_(?!RECURSIVE_(?:RUN_FIRST_)?FAIL\b)[A-Z0-9_]{2,60})"
            r"\b ?(?P<msg>.{0,300})"),
        "pnpm {code} {msg}", TOOL - 5,
        # pnpm >= 10 puts the message on the indented lines below the code.
        Span(forward=_re(r"^(?:\s|$)"), forward_max=12),
        "pnpm failed while resolving or installing dependencies.",
        "Read the pnpm error code and message; `pnpm install` locally reproduces it.",
    ),
    Extractor(
        "yarn", "dependency",
        _re(r"(?:error Command failed with exit code|ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL|"
            r"ELIFECYCLE\s+(?:Command|Test) failed|info Visit https://yarnpkg)"),
        "script failed", CONSEQUENCE, consequence=True,
    ),
    # Lerna's own errors (`lerna version` / `lerna publish` in a release job): a code and its
    # message, continued on the next `lerna ERR! ` lines (the files of a dirty working tree).
    Extractor(
        "lerna", "config",
        _re(r"^lerna ERR! (?P<code>E[A-Z0-9]{2,30}) (?P<msg>\S.{0,300})"),
        "lerna {code}: {msg}", TOOL - 5,
        Span(forward=_re(r"^lerna ERR! "), forward_max=25),
        "Lerna stopped with an error of its own before versioning or publishing anything.",
        "Read its code and message; the same lerna command reproduces it locally.",
    ),
    # JS monorepo task runners' closing lines name the task that failed, never why: the tool's
    # output above says that (each line's `web:test: ` prefix removed by normalise). turbo's
    # status line (`web#test:  ERROR  command (DIR) npm run test exited (1)`, also as an
    # `::error::` annotation), its `--continue` warning, run summary and `Failed:` list; pnpm's
    # `Failed` task end, `ERR_PNPM_RECURSIVE_FAIL` and its closing `ERROR  pkg@1.0.0 test: `cmd``;
    # yarn berry's `The command failed in workspace`; nx's and Lerna's `Running target(s) ...
    # failed` and `Failed tasks:`; Lerna 6's own runner's `lerna ERR! npm run test exited 1 in
    # 'web'` and its headers over the task's output.
    Extractor(
        "task-runner", "unknown",
        _re(r"^(?:\s?ERROR\s+)?(?:command \(\S.{0,300}\) \S.{0,300} exited \(\d{1,3}\)$"
            r"|run failed: command\s.{0,300}exited \(\d{1,3}\)$)"
            r"|^\s?WARNING\s+command finished with error, but continuing"
            r"|^Failed:\s+[\w@./~-]{1,200}#\w"
            r"|^(?:Failed$|\s?ERR_PNPM_RECURSIVE_FAIL\b|Summary: \d+ fails?, \d+ pass"
            r"|\s?ERROR\s+\S{1,200}@\S{1,100} [\w:.-]{1,60}: `)"
            r"|^The command failed (?:in workspace \S{1,200} with exit code \d{1,3}$"
            r"|for workspaces that are depended upon)|^Failed with errors in "
            r"|^\s?(?:NX|Lerna \(powered by Nx\))\s+Running targets? .{1,300} failed$"
            r"|^Failed tasks:$|^lerna ERR! (?:npm|yarn|pnpm) run \S{1,100} "
            r"(?:exited \d{1,3} in '|std(?:out|err):$)"),
        "a monorepo task failed", CONSEQUENCE, consequence=True,
    ),
    # --- JVM ----------------------------------------------------------------------------------
    # Checkstyle's violations (its command line, its Ant task, Gradle's checkstyle tasks):
    # `[ERROR] FILE:LINE:COL: message [Check]`, one a line. Before javac's row, which reads the
    # same location (Maven prints javac's errors under `[ERROR] `).
    Extractor(
        "checkstyle", "lint",
        _re(r"^\[(?:ERROR|WARN)\] (?P<path>\S{1,300}?\.java):(?P<line>\d{1,7})(?::\d{1,7})?: "
            r"(?P<msg>.{1,300}?) \[(?P<check>\w{1,80})\]$"),
        "{check}: {msg}", TOOL,
        Span(siblings=True),
        "Checkstyle found code that breaks the project's style rules (the check is in brackets).",
        "Fix each violation at its file and line, or change the rule in the Checkstyle"
        " configuration.",
    ),
    # Maven's compiler plugin with warnings made errors (`-Werror`, `failOnWarning`): javac's
    # warnings under `[WARNING] COMPILATION WARNING :`, then its one error naming the file
    # only. The excerpt reaches up to the warnings' heading. Before javac's row, which would
    # take the error's line alone.
    Extractor(
        "werror", "compile",
        _re(r"^\[ERROR\] \S{1,300}: warnings found and -Werror specified$"),
        "warnings treated as errors", TOOL,
        Span(back_to=_re(r"^\[WARNING\] COMPILATION WARNING :$"), back_max=60),
        "The build treats compiler warnings as errors (-Werror or the compiler plugin's"
        " failOnWarning), and the warnings above fired.",
        "Fix the code the warnings point at, or disable that one warning with a reason.",
        header=_re(r"^\[WARNING\] (\S{1,300}:\[\d{1,7},\d{1,7}\] .{1,200})$"),
    ),
    Extractor(
        "javac", "compile",
        # Gradle's plain console glues the task name to the first diagnostic: `:compileJava/…`.
        _re(r"^(?:\[ERROR\] |:compile\w{0,40}(?=/))?(?P<path>\S{1,300}\.(?:java|kt|scala|groovy))"
            r"(?::\[?(?P<line>\d+)[,:]?(?P<col>\d+)?\]?)?:? (?:error: )?(?P<msg>.{1,300})"),
        "{path}:{line}: {msg}", TOOL - 2,
        Span(forward=_CODE_CONTEXT, forward_max=4, siblings=True),
        "The Java/Kotlin compiler rejected the code.",
        "Fix the code at that file and line; `mvn -q compile` or `gradle compileJava` reproduces.",
    ),
    Extractor(
        "kotlin", "compile",
        _re(r"^e: (?:file://)?(?P<path>\S{1,300}?)(?::\d+:\d+|: \(\d+, \d+\)):? (?P<msg>.{1,300})"),
        "{msg}", TOOL,
        explanation="The Kotlin compiler rejected the code.",
        fix="Fix the code at that file and line.",
    ),
    Extractor(
        "junit", "test",
        # `name(Class)` (JUnit 4), `name()` (JUnit Platform), `Class.name --` (Surefire 3)
        _re(r"^(?:\[ERROR\] )?(?P<test>[\w.$]{1,200}(?:\([\w.$]{0,200}\)|\.\w{1,200}))\s+"
            r"(?:-- )?(?:Time elapsed: \S+ s(?:ec)?\s+)?<<< (?:FAILURE|ERROR)!"),
        "test {test} failed", TEST,
        Span(forward=_re(r"^(?!\[INFO\]|\[ERROR\] Tests run|\s*$)"), forward_max=8),
        "A JUnit test failed (Maven Surefire / Failsafe).",
        "Run it locally with `mvn -Dtest=CLASS#METHOD test`.",
        root=(JVM_CAUSE, JVM_FRAMES),
    ),
    # The JUnit Platform's console launcher: under `Failures (N):`, each failed test's engine,
    # class and method, its source, then `=> exception: message` and the frames indented under
    # it (its tree above marks the test with a cross mid-line, which no trigger reads).
    Extractor(
        "junit-console", "test",
        _re(r"^\s{2,8}=> (?P<exc>[\w$.]{1,300}?(?:Error|Exception|Failure|Throwable)\w{0,40})"
            r"(?:: (?P<msg>.{1,300}))?$"),
        "{msg}", TEST,
        Span(back=_re(r"^\s{2,8}\S"), back_max=2, forward=_re(r"^\s{5,}\S"), forward_max=25),
        "A JUnit test run by the JUnit Platform's console launcher failed; the exception and its"
        " frames are under the test's name.",
        "Run it alone with `--select-method CLASS#METHOD` (or the build's test task) and fix the"
        " code or the expectation.",
        # (`JUnit Jupiter:CalcTest:adds()`: the engine, the class and the test)
        header=_re(r"^\s{2}([\w ]{1,60}:\S.{0,300})$"),
    ),
    # Ant's junit task, its plain formatter (`Testcase: NAME took 0.01 sec`, then `FAILED` or
    # `Caused an ERROR` indented on a line of its own) and its brief one (both on one line): then
    # the message and the trace, up to a blank line.
    Extractor(
        "ant-junit", "test",
        _re(r"^\t(?:FAILED|Caused an ERROR)$"),
        "{msg}", TEST,
        Span(back=ANT_TESTCASE, back_max=1, forward=ANT_JUNIT_BODY, forward_max=25),
        "A JUnit test run by Ant's junit task failed; the lines below give its message and"
        " trace.",
        "Run the test class locally with `ant test` (or its JUnit runner) and fix the code or the"
        " expectation.",
        header=_re(r"^Testcase: (\S{1,300}) took "),
        follows=ANT_MESSAGE,
        under=((ANT_TESTCASE,),),
    ),
    Extractor(
        "ant-junit", "test",
        _re(r"^Testcase: (?P<test>\S{1,300}):\t(?:FAILED|Caused an ERROR)$"),
        "{test}: {msg}", TEST,
        Span(forward=ANT_JUNIT_BODY, forward_max=25),
        "A JUnit test run by Ant's junit task failed; the lines below give its message and"
        " trace.",
        "Run the test class locally with `ant test` (or its JUnit runner) and fix the code or the"
        " expectation.",
        follows=ANT_MESSAGE,
    ),
    # The junit task's own line for a class that failed: with results written to files only, all
    # the log says (below the details when a formatter prints them too).
    Extractor(
        "ant-junit", "test",
        _re(r"^Test (?P<test>[\w.$]{1,300}) FAILED(?: \((?P<why>timeout|crashed)\))?$"),
        "test class {test} failed", TEST - 10,
        explanation="A JUnit test class run by Ant's junit task failed; its results went to the"
        " report files (TEST-*.xml), not to the log.",
        fix="Read the class's report (build/TEST-CLASS.xml or .txt) or rerun it with a plain"
        " formatter (`<formatter type=\"plain\" usefile=\"false\"/>`).",
    ),
    # TestNG's runner (`-verbose 2` and above): `FAILED: name`, then the exception and its frames.
    Extractor(
        "testng", "test",
        _re(r"^FAILED(?: CONFIGURATION)?: (?P<test>\S.{0,300})$"),
        "test {test} failed", TEST,
        Span(forward=_re(r"^(?!\s*$|(?:PASSED|FAILED|SKIPPED)(?: CONFIGURATION)?: |={10})"),
             forward_max=25),
        "A TestNG test (or its configuration method) failed; the exception below says how.",
        "Run it locally with `-testclass CLASS -methods CLASS.NAME`, or the build's test task.",
        # (ninja's `FAILED: target` is followed by the command it ran)
        follows=_re(r"^(?:[\w$]{1,60}\.){1,10}[\w$]{0,60}(?:Error|Exception|Failure|Throwable)"
                    r"(?::|$)"),
    ),
    Extractor(
        "gradle", "test",
        _re(r"^(?P<test>\S{1,200} > .{1,200}) FAILED$"),
        "test {test} failed", TEST,
        Span(forward=_re(r"^\s+\S"), forward_max=6),
        "A Gradle test task reported a failed test.",
        "Run it locally with `gradle test --tests 'CLASS.METHOD'`.",
    ),
    # ScalaTest's standard-out reporter (sbt's `test`, Maven's scalatest plugin): a failed test's
    # line in the suite's list, the message and its `(File.scala:72)` indented under it. Its
    # closing counts (`*** 1 TEST FAILED ***`) and sbt's `Failed tests:` list only sum up.
    Extractor(
        "scalatest", "test",
        _re(r"^\s{0,40}- (?P<test>\S.{0,400}?) \*\*\* FAILED \*\*\*$"),
        "{test}: failed", TEST,
        Span(deeper=True, forward_max=30),
        "A ScalaTest test failed; the lines indented under it give the assertion and where it"
        " failed.",
        "Run it locally with `sbt \"testOnly SUITE -- -z 'TEST NAME'\"`.",
    ),
    Extractor(
        "gradle", "compile",
        _re(r"^\* What went wrong:"),
        "Gradle build failed", TOOL - 15,
        Span(forward=_re(r"^(?!\* Try:|\s*$)"), forward_max=10),
        "Gradle stopped the build; the lines below say which task failed and why.",
        "Run the failed task locally with `--stacktrace`.",
    ),
    # Ant stopped the build on a task that failed: its location in the build file and why, under
    # `BUILD FAILED`. Not when it only says that a compiler, tests or a checker failed above (or
    # heads a chain of build files: the last one's line says why).
    Extractor(
        "ant", "config",
        _re(r"^BUILD FAILED$"),
        "Ant: {msg}", TOOL - 15,
        Span(forward=_re(r"^(?!\s*$|Total time: )"), forward_max=10),
        "Ant stopped the build: a task failed at this line of the build file.",
        "Fix what the message names (a missing file, a task or property); rerun with `ant -v`.",
        follows=_re(r"^\S.{0,300}?\.xml:\d{1,7}: (?!Compile failed; see the compiler error"
                    r"|(?:The )?[Tt]ests? (?:\S{1,300} )?failed\b|Got \d{1,7} errors? and"
                    r"|(?:Java|exec) returned: |Coverage check failed due to violated rules"
                    r"|The following error occurred while executing this line:$)"
                    r"(?P<msg>.{1,300})$"),
    ),
    Extractor(
        "maven", "dependency",
        _re(r"^\[ERROR\] Failed to execute goal (?P<goal>\S{1,200})"),
        "maven goal {goal} failed", GENERIC - 5,
        explanation="Maven stopped at a failed goal; the errors above it usually say why.",
        fix="Scroll up to the first [ERROR] line; rerun locally with `mvn -e`.",
    ),
    Extractor(
        "maven", "test",
        _re(r"^(?:\[ERROR\] )?Tests run: \d+, Failures: \d+, Errors: \d+.*FAIL"),
        "maven tests failed", CONSEQUENCE, consequence=True,
    ),
    # --- .NET ---------------------------------------------------------------------------------
    Extractor(
        "msbuild", "compile",
        _re(r"^\s*(?P<path>[^()\s][^()]{0,300})\((?P<line>\d+),(?P<col>\d+)\): error "
            r"(?P<code>[A-Z]{2,5}\d{3,5}): (?P<msg>.{1,300}?)(?: \[[^\]]{1,300}\])?$"),
        "{code}: {msg}", TOOL,
        Span(siblings=True),
        explanation="The .NET compiler (MSBuild) rejected the code.",
        fix="Fix the code at that file and line; `dotnet build` reproduces it.",
    ),
    # MSBuild's and xbuild's error about a project or targets file itself, with no line in it
    # (`demo.csproj: error : message`, `Microsoft.Common.targets: error MSB3021: ...`): a
    # target's Error task, a task that failed. The first explains those after it.
    Extractor(
        "msbuild", "config",
        # (the message may run on with a whole trace on its line)
        _re(r"^\s{0,8}(?P<path>[^\s:()][^:()]{0,300}?\.(?:\w{1,10}proj|sln|targets|props)) ?:"
            r" error(?: (?P<code>[A-Z]{2,5}\d{3,5}))? ?: (?P<msg>.{1,300})"),
        "{msg}", TOOL - 5,
        explanation="MSBuild stopped on an error of the project or its targets, not of the code"
        " (a target's check, a task that could not run).",
        fix="Read the message: it names what the build needs (a restored package, a file, an"
        " SDK); `msbuild`/`xbuild` on the project reproduces it.",
    ),
    # NUnit's console runners: `1) Test Failure : Name` (NUnit 2; `Test Error`, `SetUp Error`,
    # `TearDown Error`), each with its message, values and trace, up to the next one.
    Extractor(
        "nunit", "test",
        _re(r"^\s{0,4}\d{1,5}\) (?:Test )?(?:Failure|Failed|Error|SetUp Error|TearDown Error)"
            r" : (?P<test>\S{1,300})$"),
        "test {test} failed", TEST,
        Span(forward=_re(r"^(?!\s{0,4}\d{1,5}\) \S|Tests Not Run:|Tests run: )"),
             forward_max=25),
        "An NUnit test failed; the lines below give the expected and actual values, or the"
        " exception, and the trace.",
        "Run it locally with `nunit-console ASSEMBLY -run=NAME` (or `dotnet test --filter NAME`).",
    ),
    Extractor(
        "dotnet-test", "test",
        _re(r"^\s*Failed (?P<test>[\w.]{1,300}) \[[^\]]{1,40}\]$"),
        "test {test} failed", TEST,
        Span(forward=_re(r"^\s{2,}\S"), forward_max=10),
        "A .NET test failed.",
        "Run it locally with `dotnet test --filter FullyQualifiedName~NAME`.",
    ),
    # --- Containers and packages --------------------------------------------------------------
    Extractor(
        "docker", "infra",
        _re(r"^(?:ERROR: failed to solve|ERROR: failed to build|The command '.{1,300}' returned"
            r" a non-zero code|ERROR: process \"|failed to solve:|Error: building at STEP \"RUN )"),
        "docker build step failed", CONSEQUENCE + 10, consequence=True,
    ),
    Extractor(
        "apt", "dependency",
        _re(r"^E: (?P<msg>.{1,300})"),
        "apt: {msg}", TOOL - 5,
        explanation="apt could not install packages.",
        fix="Run `apt-get update` first, check the package name for this distribution release.",
    ),
    # --- Go race detector, rustfmt -----------------------------------------------------------
    Extractor(
        "go-race", "test",
        _re(r"^WARNING: DATA RACE$"),
        "go: data race detected", TEST + 5,
        Span(forward=_re(r"^(?!={10,}$)"), forward_max=40),
        "The race detector saw two goroutines touch the same memory without synchronisation.",
        "Guard the shared variable (sync.Mutex, sync/atomic or a channel); the stacks show both"
        " accesses.",
    ),
    Extractor(
        "rustfmt", "lint",
        _re(r"^Diff in (?P<path>\S{1,300}?)(?::\d+:| at line \d+:)$"),
        "rustfmt: {path} is not formatted", TOOL - 10,
        Span(forward=_re(r"^(?!Diff in |\s*$)|^ "), forward_max=20),
        "`cargo fmt --check` found code that rustfmt would reformat.",
        "Run `cargo fmt` and commit the result.",
    ),
    # --- Gherkin: behave, Cucumber, Cucumber.js -----------------------------------------------
    # A failed step's details, indented under its line: behave's assertion message, or the
    # exception that ends its traceback; Cucumber's message over the exception's class in
    # brackets, then the backtrace down to the feature's line. The lists of failing scenarios
    # and the counts below them only sum these up (test-summary's row).
    Extractor(
        "behave", "test",
        _re(r"^\s{2,}(?:ASSERT FAILED|Assertion Failed): (?P<msg>.{0,300})$"),
        "step failed: {msg}", TEST,
        Span(back_to=_GHERKIN_STEP, back_max=HEADING_LINES, forward=_re(r"^\s{6,}\S"),
             forward_max=10),
        GHERKIN_WHY, "Run that scenario locally (`behave FEATURE:LINE`) and fix the code or the"
        " step's expectation.",
        header=_GHERKIN_HEADER, when=_under_gherkin_step,
    ),
    Extractor(
        "behave", "test",
        _re(r"^\s{4,}(?P<exc>(?:[A-Za-z_]\w{0,60}\.){0,4}[A-Za-z_]\w{0,60}(?:Error|Exception"
            r"|Exit)): (?P<msg>.{1,300})$"),
        "step failed ({exc}) {msg}", TEST,
        Span(back_to=_GHERKIN_STEP, back_max=HEADING_LINES),
        GHERKIN_WHY, "Run that scenario locally (`behave FEATURE:LINE`) and fix the code the"
        " traceback ends in.",
        header=_GHERKIN_HEADER, when=_under_gherkin_step,
    ),
    Extractor(
        "cucumber", "test",
        _re(r"^\s{4,}(?:(?P<msg>\S.{0,300}?) )?"
            r"\((?P<exc>[A-Z]\w{0,80}(?:::[A-Z]\w{0,80}){0,6})\)$"),
        "step failed ({exc}) {msg}", TEST,
        Span(back_to=_GHERKIN_STEP, back_max=HEADING_LINES,
             until=_re(r"\.feature:\d{1,7}:in [`']"), forward_max=40),
        GHERKIN_WHY, "Run that scenario locally (`cucumber FEATURE:LINE`, as listed under Failing"
        " Scenarios) and fix the code or the step's expectation.",
        header=_GHERKIN_HEADER, when=_under_gherkin_step,
        follows=_re(r"^\s+\S{1,300}:\d{1,7}:in [`']"),
    ),
    # Cucumber.js: under `Failures:`, each failed scenario's steps with a mark, the failed one's
    # `✖` and its error indented under it.
    Extractor(
        "cucumber-js", "test",
        _re(r"^\s{2,}\u2716 (?P<step>(?:Given|When|Then|And|But|\*) .{1,300}?) # \S{1,300}"
            r":\d{1,7}$"),
        "step failed: {step}", TEST,
        Span(deeper=True, forward_max=40),
        GHERKIN_WHY, "Run that scenario locally (`cucumber-js FEATURE:LINE`) and fix the code or"
        " the step's expectation.",
    ),
    # --- Ruby ---------------------------------------------------------------------------------
    # Ruby's Test::Unit (test-unit 3): each fault between two rules of `=`, its kind and test
    # first, then the exception or the assertion's message, the backtrace, the source around
    # the line (`=> 13:`) and a diff of the values.
    Extractor(
        "test-unit", "test",
        _re(r"^(?P<kind>Failure|Error): (?P<test>\w{1,200})\((?P<cls>[\w:]{1,300})\)"
            r"(?: \[[^\]]{1,300}\])?:?$"),
        "Test::Unit: {test} ({cls}) {kind}", TEST,
        Span(forward=_re(r"^(?!={20,}$)"), forward_max=40),
        "A Test::Unit test failed (an assertion) or raised an error; the lines below give the"
        " message, where, and the values.",
        "Run it locally with `ruby -Itest TEST_FILE --name TEST_NAME`.",
        under=((_re(r"^={20,}$"),),),
    ),
    # Rake's own reason for stopping, on the line after `rake aborted!`: no Rakefile, a task it
    # does not know, an exception raised while loading the Rakefile (with its frames). When
    # that line is `Command failed with status (N)`, a command the task ran failed and printed
    # why above: then `rake aborted!` only sums it up (SUMMARY's row).
    Extractor(
        "rake", "unknown",
        _re(r"^rake aborted!$"),
        "rake stopped: {reason}", TOOL,
        Span(until=_re(r"^\(See full trace by running task with --trace\)$"), forward_max=12),
        "Rake stopped before it ran the task: the line under `rake aborted!` says why.",
        "Fix what that line names (the Rakefile, the task's name, a gem the Rakefile requires);"
        " `rake --tasks` lists the tasks it knows.",
        follows=_re(r"^(?!Command failed with status)(?P<reason>\S.{0,300})"),
    ),
    Extractor(
        "ruby", "test",
        _re(r"^(?P<path>\S{1,300}\.rb):(?P<line>\d+):in [`'](?P<where>[^'`]{1,200})': "
            r"(?P<msg>.{1,300}) \((?P<exc>[A-Z][\w:]{0,100})\)$"),
        "{exc}: {msg}", TOOL,
        Span(forward=_re(r"^(?:\s+from |\s*$|\s+\^|\S.{0,300}\S$)"), forward_max=4),
        "A Ruby program raised an exception it did not handle.",
        "Read the file and line named before `in`, and the `from` frames below it.",
    ),
    Extractor(
        "ruby", "compile",
        _re(r"^(?:-e|\S{1,300}\.(?:rb|rake|ru|gemspec)):(?P<line>\d+): "
            r"(?P<msg>syntax errors?\b.{0,300})"),
        "Ruby {msg}", TOOL,
        Span(forward=_re(r"^(?:\s|\S.{0,300}\.rb:\d+: )"), forward_max=10),
        "Ruby could not parse the file.",
        "Fix the code at that line (often a missing `end` or bracket above it); `ruby -c FILE`"
        " checks the syntax.",
    ),
    Extractor(
        "rubocop", "lint",
        _re(r"^(?P<path>\S{1,300}\.(?:rb|rake|gemspec|ru)|\S{0,300}(?:Gemfile|Rakefile)):"
            r"(?P<line>\d+):(?P<col>\d+): (?P<sev>[CWEF]): (?:\[Correctable\] )?"
            r"(?P<cop>[A-Z]\w{0,60}/\w{1,80}): (?P<msg>.{1,300})"),
        "{cop}: {msg}", TOOL - 10,
        Span(forward=_re(r"^\s+\S"), forward_max=2, siblings=True),
        "RuboCop reported an offence.",
        "Fix the line, or run `rubocop -a` for the correctable cops.",
    ),
    # --- PHP ----------------------------------------------------------------------------------
    Extractor(
        "php", "compile",
        _re(r"^(?:PHP )?(?P<kind>(?:Catchable |Recoverable )?[Ff]atal error|Parse error):\s+"
            r"(?P<msg>.{1,300})"),
        "PHP {kind}: {msg}", TOOL,
        Span(forward=_re(r"^(?:Stack trace:|#\d{1,4} |\s+thrown in )"), forward_max=15),
        "PHP stopped on a fatal or parse error.",
        "Fix the code at the file and line in the message; `php -l FILE` checks the syntax.",
    ),
    Extractor(
        "phpunit", "test",
        _re(r"^\d{1,4}\) (?P<test>[\w\\]{1,200}::\w{1,200})"),
        "phpunit: {test} failed", TEST,
        # (up to the next numbered test or the list's end: an array diff runs for many lines)
        Span(forward=_re(r"^(?!\d{1,4}\) |FAILURES!|ERRORS!|--$)"), forward_max=30),
        "A PHPUnit test failed; the lines below give the assertion and where.",
        "Run it locally with `phpunit --filter TEST`.",
        # (PHPUnit 9's and 10's lists: errors and failures are failures; warnings, deprecations,
        # notices, risky, incomplete and skipped tests are not)
        not_under=("There w", PHPUNIT_NOTICE),
    ),
    # ... unless the run closed on no failure (`WARNINGS!`, `OK, but incomplete, skipped, or
    # risky tests!`) and still failed: run with `--fail-on-warning`, `--fail-on-risky` (or
    # failOnWarning="true" in phpunit.xml and the like), what it flagged is why. Below a tool's
    # own diagnostic, should the job have failed on something else as well.
    Extractor(
        "phpunit", "test",
        _re(r"^\d{1,4}\) (?P<test>[\w\\]{1,200}::\w{1,200})"),
        "phpunit: {test} flagged, which fails this strict run", TOOL - 20,
        Span(forward=_re(r"^(?!\d{1,4}\) |There w|WARNINGS!|OK, but )"), forward_max=12),
        "PHPUnit ran with a strictness option (`--fail-on-warning`, `--fail-on-risky`,"
        " `--fail-on-incomplete`, or failOnWarning=\"true\" and the like in phpunit.xml): no test"
        " failed, but one it flagged fails the run.",
        "Fix what the message says (a deprecated assertion; a test without assertions needs one"
        " or `$this->expectNotToPerformAssertions()`), or drop that strictness option.",
        when=_phpunit_flagged_run,
    ),
    # PHPUnit's `--testdox`: a cross before the test's name made into words, the failure's
    # lines in a box-drawn margin under it (`   │ Failed asserting ...`; 10+ opens it with
    # `┐` and `├`); the same list again under `Summary of non-successful tests:`.
    Extractor(
        "phpunit", "test",
        _re(r"^ \u2718 (?P<test>\S.{0,300})$"),
        "phpunit: {test} failed", TEST,
        Span(forward=_re(r"^\s{3}[\u2500-\u257f]"), forward_max=40),
        "A PHPUnit test failed; the lines under it give the assertion and where.",
        "Run it locally with `phpunit --filter TEST` (the method's name, not its testdox words).",
        follows=_re(r"^\s{3}[\u2502\u2510\u251c]"),
    ),
    # PHP_CodeSniffer's table: `FILE: path`, a count, then ` LINE | ERROR | message` rows (a
    # long message goes on in `   |       | ` rows).
    Extractor(
        "phpcs", "lint",
        _re(r"^\s*\d{1,7} \| ERROR \| (?:\[[ x]\] )?(?P<msg>\S.{0,300})$"),
        "phpcs: {msg}", TOOL - 10,
        Span(back_to=_re(r"^FILE: \S"), back_max=6, forward=_re(r"^\s+\|\s+\|"),
             forward_max=4, siblings=True),
        "PHP_CodeSniffer found code that breaks the coding standard.",
        "Fix the lines, or run `phpcbf` for the violations marked [x].",
    ),
    # PHPMD's text report: `path:line`, the rule's name (since 2.8), the message; a tab
    # between them before.
    Extractor(
        "phpmd", "lint",
        _re(r"^(?P<path>\S{1,300}\.(?:php|inc|phtml)):(?P<line>\d{1,7})(?:\t|\s{2,100}"
            r"(?P<rule>[A-Z]\w{1,80})\s{1,100})(?P<msg>\S.{0,300})$"),
        "PHPMD: {rule} {msg}", TOOL - 10,
        Span(siblings=True),
        "PHPMD (PHP Mess Detector) found code that breaks one of the rule sets the job checks:"
        " unused code, naming, complexity.",
        "Fix the line as the message asks, or suppress the rule for that code with"
        " `@SuppressWarnings(PHPMD.RuleName)` in its docblock.",
    ),
    # --- Perl, Elixir, Erlang, Lua ----------------------------------------------------------------
    Extractor(
        "perl-tap", "test",
        # (a subtest's, indented 4 spaces a level, holds the values; its parent's only says the
        # subtest failed)
        _re(r"^ {0,32}#\s+Failed test(?: '(?P<test>.{1,200})'| (?P<where>at .{1,200}))?$"),
        "test {test}{where} failed", TEST,
        # (every diagnostic line under it, up to the next failed test or the count of them:
        # Test2's indented by one space, `# at t/x.t line 5.`, and its table of what it got
        # against its check, `# | -1  | eq | 3     |`; Test::Pod's `# lib/X.pm (9): message`)
        Span(forward=_re(r"^ {0,32}#(?!\s{1,3}(?:Failed test|Looks like you ))(?:\s|$)"),
             forward_max=20),
        "A Perl (Test::More / TAP) test failed; the `#` lines give got and expected.",
        "Run it locally with `prove -lv TEST_FILE`.",
    ),
    # Perl died at run time: its message, ` at FILE line N.` (and the filehandle's line read
    # last, `, <STDIN> line 3.`); a test script that dies ends its TAP there, which prove
    # then counts as a bad plan or a non-zero exit.
    Extractor(
        "perl", "test",
        _re(r"^(?P<msg>(?:Can't (?:call method|locate object method|use an undefined value"
            r"|use string|use global|coerce|modify|return|find|open)|Undefined subroutine"
            r"|Not an? (?:HASH|ARRAY|CODE|SCALAR|GLOB) reference|Modification of a read-only"
            r"|Illegal (?:division by zero|modulus zero)|Attempt to (?:bless|access))\b.{0,300}?)"
            r" at (?P<path>\S{1,300}) line (?P<line>\d{1,7})(?:, <\w{1,100}> (?:line|chunk)"
            r" \d{1,9})?\.$"),
        "Perl died: {msg}", TOOL,
        Span(forward=_re(r"^\s+\S{1,300}\(.{0,300}\) called at \S"), forward_max=20),
        "A Perl program (or a test script) died at run time: the message says why, the file and"
        " line where (a Carp trace, when confess was used, under it).",
        "Fix the code at that line: the value it used is undefined or not what it expected.",
    ),
    # cpanminus (`cpanm --installdeps .`): its errors start with `! ` as TeX's do; the first
    # says which module or distribution it could not find, fetch, configure or install, the
    # next ones that the dependencies failed and that it gave up.
    Extractor(
        "cpanm", "dependency",
        _re(r"^! (?P<msg>(?:Couldn't find module or a distribution|Finding \S{1,200}"
            r"(?: \([^)]{0,80}\))? on (?:cpanmetadb|mirror)|Installing (?!the dependencies)\S"
            r"|Configure failed for|Can't configure the distribution|Download \S"
            r"|Failed to fetch distribution|Timed out \()\b.{0,300})$"),
        "cpanm: {msg}", TOOL,
        Span(forward=_re(r"^! "), forward_max=6),
        "cpanm could not install a Perl module the project needs: not on the mirrors it asked"
        " (a typo, a module never released to CPAN, an index it could not read), or its"
        " distribution failed to build or test (its build.log says why).",
        "Check the module's name and version in cpanfile (or Makefile.PL), read the build.log"
        " it names, or install the module's system library first.",
    ),
    Extractor(
        "cpanm", "dependency",
        _re(r"^! (?:Installing the dependencies failed: |Bailing out the installation for )"),
        "cpanm gave up", CONSEQUENCE, consequence=True,
    ),
    # Perl::Critic's violations (verbosity 4 and 5, 8 with the policy's name): a file's path
    # when it checks several, the message, where, the book's page and the severity; a clean
    # file is `path source OK`.
    Extractor(
        "perlcritic", "lint",
        # (not a TAP diagnostic's `#   message`: Test::Perl::Critic's, inside its failed test)
        _re(r"^(?:\S{1,300}: )?(?:\[(?P<policy>[\w:]{1,120})\] )?(?P<msg>[^\s#].{0,300}?)"
            r" at line (?P<line>\d{1,7}), column \d{1,7}\.(?:  .{0,300}?)? {1,2}"
            r"\(Severity: (?P<sev>\d)\)$"),
        "Perl::Critic: {msg} (severity {sev})", TOOL - 10,
        Span(siblings=True),
        "Perl::Critic found code that breaks a policy at the severity the job checks (5 the"
        " gentlest, 1 the most brutal).",
        "Fix the line as the policy asks (`perlcritic --verbose 9` explains it), or exempt it"
        " with `## no critic (PolicyName)` and a reason.",
    ),
    # `mix format --check-formatted`: the files it would change listed below (1.15+ with a diff).
    Extractor(
        "mix-format", "lint",
        _re(r"^\*\* \(Mix\) mix format failed due to --check-formatted\.$"),
        "mix format --check-formatted: files are not formatted", TOOL,
        Span(forward=_re(r"^(?:The following files are not formatted:$|\s|$)"), forward_max=30),
        "The job checks the code's formatting (`mix format --check-formatted`), and the files"
        " listed are not formatted as `mix format` would.",
        "Run `mix format` and commit the result.",
    ),
    # `mix compile --warnings-as-errors`: the warnings above (`warning: message` and the place
    # indented under it; 1.15+ frames it with `│` and `└─ file:line`) are why.
    Extractor(
        "werror", "compile",
        _re(r"^Compilation failed due to warnings while using the --warnings-as-errors option$"),
        "warnings treated as errors", TOOL,
        Span(back=_re(r"^(?:\s{0,8}warning: |\s|$)"), back_max=40),
        "The build treats Elixir's compiler warnings as errors (`--warnings-as-errors`), and the"
        " warning above fired.",
        "Fix the code the warning points at (an unused variable takes a leading underscore).",
        header=_re(r"^\s{0,8}warning: (\S.{0,200})$"),
    ),
    # `mix test --warnings-as-errors`: the tests passed, but compiling them warned; the warnings
    # came before the tests' dots and counts, up to the nearest of them.
    Extractor(
        "werror", "compile",
        _re(r"^ERROR! Test suite aborted after successful execution due to warnings while using"
            r" the --warnings-as-errors option$"),
        "warnings treated as errors", TOOL,
        Span(back_to=_re(r"^\s{0,8}warning: "), back_max=60),
        "The test run treats Elixir's compiler warnings as errors (`--warnings-as-errors`): the"
        " tests passed, but the warning above fired while compiling them.",
        "Fix the code the warning points at (an unused variable takes a leading underscore).",
        header=_re(r"^\s{0,8}warning: (\S.{0,200})$"),
    ),
    Extractor(
        "elixir", "compile",
        _re(r"^\*\* \((?P<exc>[A-Z][\w.]{0,100})\) (?P<msg>.{1,300})"),
        "{exc}: {msg}", TOOL,
        Span(back=_re(r"^== Compilation error"), back_max=1,
             forward=_re(r"^\s+(?:\(|\S+\.exs?:\d+)"), forward_max=12),
        "Elixir raised an error (a compile error, or an exception in a script or mix task).",
        "Fix the code at the file and line in the message.",
    ),
    # Erlang's EUnit: `module: name...*failed*`, the call stack (`in function`, `in call
    # from`) and the assertion's term (`**error:{assertEqual,[...,{expected,6},{value,7}]}`).
    Extractor(
        "eunit", "test",
        _re(r"^\s*(?P<test>\S.{0,300}?)\.\.\.\*failed\*$"),
        "EUnit test {test} failed", TEST,
        Span(forward=_re(r"^(?:in (?:function|call from) |\*\*|\s+(?!\[done in )\S)"),
             forward_max=30),
        "An Erlang EUnit test failed; the `**error:` term names the assertion, the expression and"
        " the expected and actual values.",
        "Run it locally with `rebar3 eunit --module=MODULE` (or `eunit:test(MODULE, [verbose])`).",
    ),
    # --- Lisps, OCaml -------------------------------------------------------------------------
    # SBCL's compiler (compile-file, ASDF): a full WARNING or an ERROR fails the build (ASDF's
    # COMPILE-FILE-ERROR below only says so). Its `; in: DEFUN NAME` and the form come first,
    # the message on the `;   ` lines under `; caught WARNING:`. (STYLE-WARNINGs fail nothing.)
    Extractor(
        "sbcl", "compile",
        _re(r"^; caught (?P<kind>ERROR|WARNING):$"),
        "SBCL {kind}: {msg}", TOOL,
        # up to its form (`; in:`), or its file's heading for a READ error, which has no form;
        # down over the message, whose paragraphs a `;` line parts
        Span(back_to=_re(r"^; (?:in|file): \S|^; compiling file "), back_max=25,
             forward=_re(r"^;(?:\s{2,}\S|\s{0,4}$)"), forward_max=15),
        "The Lisp compiler (SBCL) caught a WARNING or an ERROR in this form: ASDF counts the file"
        " as failed to compile (its COMPILE-FILE-ERROR follows from this).",
        "Fix the form named on the `; in:` line (a type conflict, an undefined variable, a wrong"
        " number of arguments), or the place a READ error names (an unbalanced parenthesis).",
        follows=_re(r"^;\s{2,}(?P<msg>\S.{0,300})$"),
    ),
    # SBCL with the debugger disabled (`--non-interactive`, `--script`) on a condition nothing
    # handled: `Unhandled TYPE in thread #<...>:` (the thread's name may wrap), the message
    # indented below, then a backtrace; interactive, `debugger invoked on a TYPE in thread`.
    Extractor(
        "sbcl", "test",
        _re(r"^(?:Unhandled|debugger invoked on an?) (?P<cond>[\w/:.*+%<>=-]{1,200}) "
            r"(?:@[0-9a-fA-F]{1,20} )?in thread\b"),
        "SBCL: unhandled {cond}: {msg}", TOOL - 5,
        Span(forward=_re(r"^\s{1,80}\S"), forward_max=20),
        "A Common Lisp program (SBCL) signalled a condition nothing handled: the indented lines"
        " give its message; the backtrace below shows the calls.",
        "Read the message and the first frames of the backtrace in your code.",
        detail=_re(r"^\s{2}(?P<msg>\S.{0,300})$"),
    ),
    # FiveAM's failure details: each failed test `NAME in SUITE [description]: ` between rules of
    # dashes, the form, `evaluated to`, its value, `which is not`, the test and the expected value.
    Extractor(
        "fiveam", "test",
        _re(r"^ (?P<test>[^\s\[\]]{1,200}) in (?P<suite>[^\s\[\]]{1,200}) \[[^\]]{0,300}\]: ?$"),
        "FiveAM: {test} in {suite} failed", TEST,
        Span(forward=_re(r"^(?! -{10,}$)"), forward_max=30),
        "A FiveAM check failed: the form, what it evaluated to, and the value it was compared"
        " with (or the condition it signalled).",
        "Run the suite locally with `(fiveam:run! 'SUITE)` and fix the code or the check.",
    ),
    # Racket's error for a `require` of a collection no package provides: the module path and the
    # collection under it (not the directories it looked in, nor the context below).
    Extractor(
        "racket", "dependency",
        _re(r"^(?:\S{1,300}: )?collection not found$"),
        "Racket: collection not found for module path {mod}", TOOL,
        Span(forward=_re(r"^\s{2}(?!in collection directories:)\S"), forward_max=4),
        "A `require` named a collection that no installed package provides.",
        "Install the package providing it (`raco pkg install --auto --batch NAME`).",
        follows=_re(r"^\s{2}for module path: (?P<mod>\S.{0,300})$"),
    ),
    # FiveAM's counts and the heading of its failure details: they only sum up.
    Extractor(
        "fiveam", "test",
        _re(r"^(?:\s{4}Fail: \d{1,9} \(\s{0,2}\d{1,3}%\)| Failure Details:)$"),
        "FiveAM: checks failed", CONSEQUENCE, consequence=True,
    ),
    # Racket's error display: `where: message` (a place, then the name), its fields indented
    # (`in:`, `expected:`, `given:`), then `context...:` and the frames. Matched on that line,
    # which every such error prints; the message is the nearest unindented line above.
    Extractor(
        "racket", "compile",
        _re(r"^\s{1,4}context\.\.\.:$"),
        "", TOOL,
        Span(back_to=_re(r"^\S.{0,300}?: "), back_max=20),
        "Racket raised an error (at compile time, `raco make`, or when running): the first line"
        " names where and why, the indented fields the details.",
        "Fix the code at the place the first line names (an unbound identifier is a typo or a"
        " missing `require`).",
        header=_re(r"^(\S.{0,300})$"),  # (the lines below it are indented)
        # (a missing collection's error is the row above's, told once)
        when=lambda lines, index: not any(
            lines[probe].text.endswith("collection not found")
            for probe in range(index - 1, max(-1, index - 21), -1)),
    ),
    # dune's diff of a file against the output a test or a formatter made (a cram test's
    # `run.t.corrected`, ppx_expect's, `dune build @fmt`'s): the file's place, the diff command
    # that exited 1, then the unified diff. `dune promote` takes the new output.
    Extractor(
        "dune", "test",
        _re(r'^File "(?P<path>[^"]{1,300})", line \d{1,7}, characters \d{1,7}-\d{1,7}:$'),
        "dune: {path} differs from the output the test made", TEST,
        Span(forward=_re(r"^(?:\s{0,12}\S{1,100}(?: \(internal\))? \(exit \d{1,3}\)$|\(cd |diff |"
                         r"index |--- |\+\+\+ |@@ |[-+ ]|$)"), forward_max=40),
        "A dune test's output (a cram test, an expect test) or a formatter's (`dune build @fmt`)"
        " differs from the file: the diff shows the expected lines (-) and what it got (+).",
        "Fix the code, or if the new output is right run `dune promote` (after `dune test` or"
        " `dune build @fmt`) and commit the file.",
        follows=_re(r"^\s{0,12}\S{1,100}(?: \(internal\))? \(exit \d{1,3}\)$"),
    ),
    # OCaml's compiler (and dune's report of it): `File "x.ml", line 3, characters 26-33:`, the
    # source line and carets, then `Error: message` going on indented.
    Extractor(
        "ocaml", "compile",
        _re(r"^Error(?: \(warning \d{1,4}(?: \[[\w-]{1,60}\])?\))?: (?P<msg>.{1,300})$"),
        "OCaml: {msg}", TOOL,
        Span(back_to=_re(r'^File "[^"]{1,300}", lines? \d{1,7}(?:-\d{1,7})?, characters'
                         r' \d{1,7}-\d{1,7}:$'), back_max=12,
             forward=_re(r"^\s{2,}\S"), forward_max=20),
        "The OCaml compiler rejected the code at this place (or a warning made an error).",
        "Fix the code at that file, line and characters; `dune build` reproduces it.",
        # (a place with characters: a Python doctest's `File "x.py", line 3, in f` is not one)
        when=lambda lines, index: any(
            lines[probe].text.startswith('File "') and ", characters " in lines[probe].text
            for probe in range(index - 1, max(-1, index - 13), -1)),
    ),
    # Vim's vader.vim: a failed block is `(N/M) [EXECUTE] (X) message`, the block's title on the
    # line before, a Vim error's stack on `> ` lines under it.
    Extractor(
        "vader", "test",
        _re(r"^\s*\(\s*\d{1,5}/\d{1,5}\) \[[A-Z ]{2,12}\] \(X\) (?P<msg>.{1,300})$"),
        "{msg}", TEST,
        Span(forward=_re(r"^\s+> "), forward_max=10),
        "A Vim plugin's Vader test failed; the line gives the failed assertion or Vim error.",
        "Run it locally with `vim -Nu VIMRC -c 'Vader! TEST.vader'`.",
        header=_re(r"^\s*\(\s*\d{1,5}/\d{1,5}\) \[[A-Z ]{2,12}\] (?!\(X\) )(\S.{0,200})$"),
    ),
    # Vim's own assert functions: each failure is kept in v:errors as where it happened and the
    # message (`function Test_x line 1: Expected 6 but got 7`); runners modelled on Vim's
    # runtest.vim head them with `Found errors in Test_x():`. Below the generic locator's block:
    # Vim's own runtest.vim shows them again in its closing `Failures:` list, after its reruns of
    # flaky tests, and that list is the verdict.
    Extractor(
        "vim-assert", "test",
        _re(r"^(?:command line\.\.)?(?:script|function) .{1,500}? line \d{1,7}: "
            r"(?P<msg>.{1,300})$"),
        "Vim test assertion: {msg}", GENERIC + 10,
        Span(back=_re(r"^Found errors in \S"), back_max=1, siblings=True),
        "A Vim script test failed: an assert_*() call recorded this message in v:errors.",
        "Run the test file locally (`vim -Nu NONE -Es -S RUNNER`) and compare expected and got.",
        header=_re(r"^Found errors in (\S{1,200}?)(?:\(\))?:$"),
    ),
    # rebar3's cross reference check (`rebar3 xref`): each finding a warning with the place, the
    # first one after rebar3's `===> ` prefix; any of them fails the command. A call to a function
    # that does not exist is a bug; code nothing uses (listed first) is a lesser finding, shown
    # on its own so that it does not take the calls below it into its excerpt.
    Extractor(
        "xref", "lint",
        _re(r"^(?:===> )?(?P<path>[^:\s]{1,300}\.erl):(?P<line>\d+): Warning: "
            r"(?!\S{1,300} is unused )(?P<msg>.{1,300}) \(Xref\)$"),
        "Xref: {msg}", TOOL - 10,
        Span(siblings=True),
        "rebar3's cross reference check found a call to a function that does not exist (a typo,"
        " a missing dependency) or is deprecated.",
        "Fix the call, or add the application that defines the function to the app's"
        " dependencies.",
    ),
    Extractor(
        "xref", "lint",
        _re(r"^(?:===> )?(?P<path>[^:\s]{1,300}\.erl):(?P<line>\d+): Warning: "
            r"(?P<msg>\S{1,300} is unused .{1,200}) \(Xref\)$"),
        "Xref: {msg}", TOOL - 20,
        explanation="rebar3's cross reference check found code that nothing uses (an export or a"
        " local function), which its checks count as a failure.",
        fix="Remove the code, or list it under `xref_ignores` in rebar.config (or drop that check"
        " from `xref_checks`).",
    ),
    # Dialyzer as rebar3 runs it: each file's name on a line of its own, its warnings under it
    # (`Line 7 Column 2: message`; before rebar3 3.14 `  7: message`), then this closing line
    # (`occured` before 3.14). Its warnings hold no trigger word: they are reached from here.
    Extractor(
        "dialyzer", "lint",
        _re(r"^===> Warnings occurr?ed running dialyzer: \d{1,7}$"),
        "", TOOL - 10,
        Span(back=_re(r"^(?:Line \d{1,7}(?: Column \d{1,7})?: |\s{0,4}\d{1,7}: |[^\s:]{1,300}"
                      r"\.[eh]rl$|\s*$|===> Warnings written to )"), back_max=40),
        "Dialyzer found a discrepancy between the code and its types: a spec that does not match"
        " what the function returns, a call that can never succeed, a pattern that never matches.",
        "Fix the code or the -spec at that line; `rebar3 dialyzer` reproduces it.",
        header=_re(r"^(?:Line \d{1,7}(?: Column \d{1,7})?|\s{0,4}\d{1,7}): (\S.{0,200})"),
    ),
    # Dialyzer's warnings: erlc's `file.erl:7:2: message` shape, after its `Proceeding with
    # analysis...`, the message going on indented (a success typing over several lines).
    Extractor(
        "dialyzer", "lint",
        _re(r"^(?P<path>[^:\s]{1,300}\.[eh]rl):(?P<line>\d+):(?:(?P<col>\d+):)? "
            r"(?P<msg>\S.{0,300})$"),
        "Dialyzer: {msg}", TOOL - 10,
        Span(forward=_re(r"^\s{2,}\S"), forward_max=20, siblings=True),
        "Dialyzer found a discrepancy between the code and its types: a spec that does not match"
        " what the function returns, a call that can never succeed, a pattern that never matches.",
        "Fix the code or the -spec at that line; `rebar3 dialyzer` (or `dialyzer --plt PLT"
        " FILES`) reproduces it.",
        below=("Proceeding with analysis", _re(r"^\s{0,4}Proceeding with analysis\.\.\.$")),
    ),
    # erlc: `calc.erl:3:14: message` (no `error:` word; warnings say `Warning:`), the source line
    # and a caret under it on `%`-prefixed lines (OTP 24+). The first error alone: the ones after
    # it often follow from it (a missing include leaves its macros undefined).
    Extractor(
        "erlc", "compile",
        _re(r"^(?P<path>[^:\s]{1,300}\.[eh]rl):(?P<line>\d+):(?:(?P<col>\d+):)? "
            r"(?![Ww]arning: )(?P<msg>\S.{0,300})$"),
        "{msg}", TOOL,
        Span(forward=_re(r"^%\s{1,10}\d{0,7}\|"), forward_max=4),
        "The Erlang compiler rejected the module at this location.",
        "Fix the code at that file and line (a missing include: add its application, such as"
        " eunit, to the build's dependencies).",
    ),
    # Common Test as rebar3 prints it (`rebar3 ct`): `%%% SUITE ==> case: FAILED`, then the
    # reason on `%%% SUITE ==> ` lines, a long term going on indented.
    Extractor(
        "common-test", "test",
        _re(r"^%%% (?P<suite>[^\s:]{1,300}) ==> (?P<case>[^\s:]{1,300}): FAILED$"),
        "Common Test {suite}:{case} failed: {reason}", TEST,
        Span(forward=_re(r"^(?:%%% [^\s:]{1,300} ==> (?![^\s:]{1,300}: (?:FAILED|SKIPPED"
                         r"|auto_skipped)$)|\s{1,80}\S)"), forward_max=25),
        "An Erlang Common Test case failed; the lines under it give the reason (a badmatch gives"
        " the value it got) and the stack.",
        "Run it locally with `rebar3 ct --suite=SUITE --case=CASE` and read the log it names.",
        detail=_re(r"^%%% [^\s:]{1,300} ==> (?P<reason>\S.{0,300})$"),
    ),
    # PropEr (Erlang's property testing): `Failed: After 51 test(s).`, the counterexample it
    # found, then `Shrinking ...(3 time(s))` and the smallest one, which is what to read.
    Extractor(
        "proper", "test",
        _re(r"^Failed: After (?P<n>\d{1,9}) test\(s\)\.$"),
        "PropEr: a property failed after {n} tests", TEST,
        Span(forward=_re(r"^(?!Failed: After |=+$|OK: Passed )"), forward_max=15),
        "A PropEr property did not hold: the first term under it is the input that broke it, the"
        " one under `Shrinking` the smallest such input.",
        "Run the property on the shrunk counterexample (`proper:check(PROP, [CounterExample])`)"
        " and fix the code or the property.",
    ),
    Extractor(
        "common-test", "test",
        _re(r"^(?P<suite>\w{1,200}_SUITE):(?P<case>\w{1,200}) failed on line (?P<line>\d{1,9})$"),
        "Erlang test {suite}:{case} failed on line {line}", TEST,
        # its `Reason:` line and a long term's continuation, up to Common Test's dashed rule
        Span(forward=_re(r"^(?!- - - )\s{0,40}\S"), forward_max=20),
        "An Erlang Common Test case failed; the Reason line says how (a badmatch gives the value"
        " it got, a case_clause the value no clause matched).",
        "Run the case locally with `ct_run -dir DIR -suite SUITE -case CASE` and read its log.",
    ),
    Extractor(
        "lua", "test",
        _re(r"^(?:lua(?:jit|\d\.\d)?): (?P<path>[^:\s]{1,300}):(?P<line>\d+): (?P<msg>.{1,300})"),
        "Lua error: {msg}", TOOL,
        Span(forward=_re(r"^(?:stack traceback:|\s)"), forward_max=12),
        "A Lua script raised an error it did not handle.",
        "Fix the code at the file and line in the message; the traceback lists the callers.",
    ),
    Extractor(
        "busted", "test",
        _re(r"^(?P<kind>Failure|Error) (?:->|→) (?P<path>\S{1,300}) @ (?P<line>\d+)$"),
        "busted: {kind} at {path}:{line}", TEST,
        Span(forward=_re(r"^(?!(?:Failure|Error) (?:->|→) |\s*$)"), forward_max=7),
        "A Lua busted test failed; the lines below name it and give passed versus expected.",
        "Run it locally with `busted --filter 'NAME'`.",
    ),
    # LuaUnit: under `Failed tests:`, each failed test numbered, then `file.lua:14: expected: 6,
    # actual: 7` (or the error) and its stack traceback.
    Extractor(
        "luaunit", "test",
        _re(r"^\d{1,4}\) (?P<test>[A-Za-z_][\w.:]{0,200})$"),
        "LuaUnit: test {test} failed", TEST,
        Span(forward=_re(r"^(?!\d{1,4}\) |Ran \d+ tests? )(?:\S|\s+\S)"), forward_max=15),
        "A LuaUnit test failed; the line below gives where, what it expected and what it got.",
        "Run it locally with `lua TEST_FILE -p NAME` (or `--pattern NAME`).",
        follows=_re(r"^\S{1,300}\.lua:\d+: "),
    ),
    # luacheck: under `Checking FILE  N warnings`, one indented `file:line:col: message` a
    # warning (the `(W211)` code with --codes); warnings fail the run as errors do.
    Extractor(
        "luacheck", "lint",
        _re(r"^\s*(?P<path>[^:\s]{1,300}\.lua):(?P<line>\d+):(?P<col>\d+)(?:-\d+)?: "
            r"(?:\((?P<code>[EW]\d{3})\) )?(?P<msg>.{1,300})$"),
        "luacheck: {msg}", TOOL - 10,
        Span(back_to=_re(r"^Checking \S"), back_max=3, siblings=True),
        "luacheck found problems in Lua code (unused or undefined variables, shadowing, syntax).",
        "Fix the lines, or allow a global in .luacheckrc (`globals`, `read_globals`).",
    ),
    # --- R ------------------------------------------------------------------------------------
    Extractor(
        "r", "test",
        # `Error in CALL : message`, the message often on the indented line below
        _re(r"^Error in (?P<call>\S.{0,200}?) ?: ?(?P<msg>.{0,300})$"),
        # no stronger than a plain error line: R prints caught errors (tests of expected
        # failures, `print(e)`) the same way; the locator finds the one before `Execution halted`
        "R error in {call}: {msg}", GENERIC,
        # (a parse error's source lines are numbered: `3: }`, then a caret)
        Span(forward=_re(r"^(?:\s+\S|Calls: |\d{1,6}: )"), forward_max=8),
        "An R script stopped on an error; the call that raised it is named first.",
        "Fix the call (a missing package needs installing in the job: `install.packages()` or"
        " the r-lib setup actions).",
    ),
    Extractor("r", "test", _re(r"^Execution halted$"), "R stopped", CONSEQUENCE,
              consequence=True),
    # R CMD check runs its checks in turn, `* checking X ... OK|NOTE|WARNING|ERROR`, each one's
    # details under it. A check that ERRORs is why it failed, its whole block the cause; but for
    # the installation, whose block only points to its log (`See ‘.../00install.out’`): the
    # installer's own error, where the job prints that log (rcmdcheck does), ranks above it.
    Extractor(
        "r-cmd-check", "dependency",
        _re(r"^(?:\*|\u276f) checking whether (?:the )?package \S{1,200} can be installed"
            r" \.\.\. ?ERROR$"),
        "R CMD check could not install the package", CONSEQUENCE + 10,
        Span(forward=_R_CHECK_DETAIL, forward_max=10),
        "R CMD check could not install the package: the cause is in the installation's output"
        " (00install.out in the check directory), shown further down when the job prints it.",
        "Install the package locally (`R CMD INSTALL .`) and fix what it reports: a syntax error"
        " in R/, a missing system library or an R package the job did not install.",
    ),
    Extractor(
        "r-cmd-check", "test",
        _re(r"^(?:\*|\u276f) checking (?P<check>.{1,300}?) \.\.\. ?ERROR$"),
        "R CMD check failed checking {check}", TEST,
        Span(forward=_R_CHECK_DETAIL, forward_max=60),
        R_CHECK_FAILED, R_CHECK_FIX,
    ),
    # A check that shows its progress (`* checking tests ...`, `  Running ‘testthat.R’`) gives
    # its result on a line of its own.
    Extractor(
        "r-cmd-check", "test",
        _re(r"^\s{0,4}ERROR$"),
        "R CMD check failed", TEST,
        Span(back_to=_R_CHECK, back_max=30, forward=_R_CHECK_DETAIL, forward_max=60),
        R_CHECK_FAILED, R_CHECK_FIX,
        header=_re(r"^\* (checking .{1,300}?) \.\.\.$"),
        below=("* checking ", _re(r"^\* checking .{1,300} \.\.\.$")),
    ),
    # A check that only warned or noted: never the cause while a check ERRORs, but the cause
    # where the job fails on warnings (Travis's `warnings_are_errors`, rcmdcheck's `error_on`),
    # so a WARNING ranks above a plain error line and a NOTE (its explanation may well say
    # "most likely included in error") below one.
    Extractor(
        "r-cmd-check", "test",
        _re(r"^(?:\*|\u276f) checking (?P<check>.{1,300}?) \.\.\. ?WARNING$"),
        "R CMD check warned checking {check}", GENERIC + 8,
        Span(forward=_R_CHECK_DETAIL, forward_max=60),
        "R CMD check warned about this check: the job fails on it where it treats warnings as"
        " errors.", R_CHECK_FIX,
    ),
    Extractor(
        "r-cmd-check", "test",
        _re(r"^(?:\*|\u276f) checking (?P<check>.{1,300}?) \.\.\. ?NOTE$"),
        "R CMD check noted checking {check}", CONSEQUENCE + 4,
        Span(forward=_R_CHECK_DETAIL, forward_max=60),
        "R CMD check noted this: the job fails on it only where it treats notes as errors.",
        R_CHECK_FIX,
    ),
    # Its counts (rcmdcheck's too, and the headings of its sections of the install's and the
    # tests' output), the lines of the scripts around it that fail the job on them (Travis's R
    # support, rcmdcheck), and the installer's last words after the error that stopped it.
    Extractor(
        "r-cmd-check", "test",
        _re(r"^(?:Status: \d{1,4} (?:ERROR|WARNING|NOTE)|\d{1,4} errors? [\u2714\u2716] \| "
            r"|── (?:Install|Test) failures? ─|Found warnings, treating as errors"
            r"|(?:Error: ){0,3}R CMD check found (?:ERROR|WARNING|NOTE)s"
            r"|ERROR: (?:compilation failed|lazy loading failed|loading failed"
            r"|unable to collate and parse R files) for package )"),
        "R CMD check failed", CONSEQUENCE, consequence=True,
    ),
    # testthat's failure reports, each with the expectation's message (or the error and its
    # backtrace) below: `── Failure (test-x.R:12:3): name ──` (3.2; `('test-x.R:12')` before,
    # without the rules in the progress reporter), `── 1. Failure: name (@test-x.R#12) ──` (2.x).
    Extractor(
        "testthat", "test",
        _re(r"^\s{0,4}(?:── )?(?P<kind>Failure|Error) \('?(?P<at>[^()':]{1,300}\.[Rr]:\d{1,7}"
            r"(?::\d{1,5})?)'?\): (?P<test>.{0,300}?)(?: ─+)?$"),
        "testthat {kind} in {test} ({at})", TEST,
        Span(forward=_TESTTHAT_BODY, forward_max=40),
        TESTTHAT_FAILED, TESTTHAT_FIX,
    ),
    Extractor(
        "testthat", "test",
        _re(r"^\s{0,4}── \d{1,5}\. (?P<kind>Failure|Error): (?P<test>.{1,300}?)"
            r"(?: \(@(?P<at>[^)]{1,300})\)?)?\s{0,4}─*$"),
        "testthat {kind} in {test} ({at})", TEST,
        Span(forward=_TESTTHAT_BODY, forward_max=40),
        TESTTHAT_FAILED, TESTTHAT_FIX,
    ),
    # Its closing counts, the heading over its failures' reports (3.x), its list of the failed
    # tests' names (2.x) and its last words.
    Extractor(
        "testthat", "test",
        _re(r"^\s{0,4}(?:\[ FAIL [1-9]\d{0,5} \| WARN \d{1,6} \| SKIP \d{1,6} \| PASS"
            r"|══ Failed tests ═"
            r"|\[ OK: \d{1,6} \| SKIPPED: \d{1,6} \| WARNINGS: \d{1,6} \| FAILED: [1-9]"
            r"|Error: (?:Test failures|testthat unit tests failed)$"
            r"|\d{1,5}\. (?:Failure|Error): .{1,300}\(@[^)]{1,300}\)\s{0,4}$)"),
        "tests failed", CONSEQUENCE, consequence=True,
    ),
    # --- TeX ----------------------------------------------------------------------------------
    Extractor(
        "tex", "compile",
        _re(r"^!\s+==> Fatal error occurred|^! Emergency stop\.$|^Latexmk: Errors, so I did not"),
        "TeX stopped", CONSEQUENCE, consequence=True,
    ),
    # latexmk's closing summary of the tools that failed (`  biber paper: Biber errors: See file
    # 'paper.blg'`) and its repeat of biber's error: what failed is told above them.
    Extractor(
        "tex", "compile",
        _re(r"^(?:Collected error summary \(may duplicate other messages\):$|Biber error: \[\d"
            r"|\s{2}(?:\S{1,100} )?\S{1,100}: (?:gave an error$|Command for '|\w{1,40} errors?:"
            r" See file ))"),
        "latexmk: a tool failed", CONSEQUENCE, Span(forward=_re(r"^\s{2}\S"), forward_max=10),
        consequence=True,
    ),
    # Biber's errors (biblatex's backend), in its log's `LEVEL - message` lines: a .bib file it
    # cannot find or parse (`ERROR - BibTeX subsystem: FILE, line 9, syntax error: ...`).
    Extractor(
        "biber", "compile",
        _re(r"^ERROR - (?P<msg>.{1,300})$"),
        "Biber: {msg}", TOOL, Span(),
        "Biber (biblatex's bibliography backend) could not read the bibliography: a .bib file it"
        " cannot find, or an entry it cannot parse at the line it names.",
        "Fix the .bib entry at that line (a missing comma or brace), or the path given to"
        " `\\addbibresource`; `biber FILE.bcf` reproduces it.",
        below=("This is Biber", _re(r"^INFO - This is Biber \d")),
    ),
    Extractor(
        "tex", "compile",
        # TeX's `! message`, then where: `l.4 \foobar` and the rest of that input line below
        _re(r"^! (?P<msg>\S.{0,300})$"),
        "TeX: {msg}", TOOL,
        Span(forward=_re(r"^(?:l\.\d{1,7} |<[*\w ]{0,40}> |\s+\S)"), forward_max=6),
        "TeX (LaTeX) stopped on an error in the document: the `l.N` line shows where.",
        "Fix the document at that line (an undefined command often means a missing \\usepackage);"
        " a missing `.sty` file needs its TeX package installed on the runner.",
    ),
    # BibTeX's errors: `message---line 9 of file refs.bib` (or `---while reading file x.aux`),
    # the entry's text on ` : ` lines, then what it did about it.
    Extractor(
        "bibtex", "compile",
        _re(r"^(?P<msg>\S.{0,300}?)---(?:line (?P<line>\d{1,7}) of|while reading) file"
            r" (?P<path>\S{1,300})$"),
        "BibTeX: {msg} ({path}:{line})", TOOL,
        Span(forward=_re(r"^(?: :(?: |$)|\(Error may have been on previous line\)$|I'm skipping"
                         r" whatever remains of this )"), forward_max=8, siblings=True),
        "BibTeX could not read the bibliography database (or the .aux file) at this place: a"
        " missing comma or brace, a repeated key, a missing field.",
        "Fix the entry at that line of the .bib file; `bibtex FILE.aux` reproduces it (its .blg"
        " log says the same).",
    ),
    # ChkTeX's report: `Warning 2 in paper.tex line 3: message`, the source line and a caret.
    Extractor(
        "chktex", "lint",
        _re(r"^(?P<level>Warning|Error) (?P<code>\d{1,4}) in (?P<path>\S.{0,300}?) line"
            r" (?P<line>\d{1,7}): (?P<msg>.{1,300})$"),
        "ChkTeX {level} {code}: {msg}", TOOL - 10,
        Span(forward=_re(r"^(?!(?:Warning|Error|Message) \d{1,4} in )"), forward_max=2,
             siblings=True),
        "ChkTeX (the LaTeX linter) reported a typographic or markup problem; the job fails on"
        " any warning it prints.",
        "Fix the line (the caret points at the place), or silence that warning with a `% chktex"
        " N` comment or in `.chktexrc`.",
    ),
    # --- Shell, pre-commit --------------------------------------------------------------------
    Extractor(
        "shellcheck", "lint",
        _re(r"^\s*\^-*\^? (?P<code>SC\d{4}) \((?P<sev>\w{1,10})\): (?P<msg>.{1,300})"),
        "shellcheck {code}: {msg}", TOOL - 10,
        Span(back_to=_re(r"^In \S{1,300} line \d+:$"), back_max=8),
        "ShellCheck found a problem in a shell script.",
        "Fix the line (the wiki page for the SC code explains it), or disable it with a"
        " `# shellcheck disable=SCxxxx` comment and a reason.",
    ),
    Extractor(
        "pre-commit", "lint",
        _re(r"^(?P<hook>\S.{0,100}?)\.{3,300}(?:\([^)]{0,100}\))?Failed$"),
        "pre-commit hook {hook} failed", TOOL,
        Span(forward=_re(r"^(?!\S.{0,100}?\.{3,300}(?:\([^)]{0,100}\))?(?:Passed|Failed|Skipped)$"
                         r"|pre-commit hook\(s\) made changes)"), forward_max=15),
        "A pre-commit hook failed or changed files.",
        "Run `pre-commit run --all-files` locally and commit what the hooks change.",
        independent=True,
    ),
    # --- Link checkers: the report of the links that failed, as each tool closes its run -------
    # awesome_bot: under `Issues :-(` its lists of failed links, duplicates (and Markdown
    # mistakes), each under a `> ` heading. Its `> White listed:` list above is allowed to fail.
    Extractor(
        "awesome_bot", "lint", _re(r"^Issues :-\($"), "awesome_bot found links with issues", LINKS,
        Span(forward=_re(r"^(?:> \w[\w ]{0,40}$|\s+\S)"), forward_max=60),
        "awesome_bot checked the links of a file: these are dead, redirected or duplicate.",
        "Fix or remove each link listed (a redirect: use the URL it points to); allow a known"
        " flaky host with `--white-list`.",
    ),
    # markdown-link-check: the dead links, each `[✖] URL → Status: N`, under its count.
    Extractor(
        "markdown-link-check", "lint", _re(r"^\s*ERROR: (?P<count>\d+) dead links? found!$"),
        "markdown-link-check: {count} dead links", LINKS,
        Span(forward=_re(r"^\s*\[\u2716\] "), forward_max=60),
        "markdown-link-check found links that do not answer (status 0: no connection at all).",
        "Fix or remove each dead link listed; ignore a known flaky host in the config's"
        " `ignorePatterns`.",
    ),
    # html-proofer: its failures, per file (`- ./_site/x.html`, then `  *  ...` for each), above
    # the count it ends on.
    Extractor(
        "html-proofer", "lint",
        _re(r"^(?:htmlproofer [\d.]{1,20} \| Error:\s+)?HTML-Proofer found (?P<count>\d+)"
            r" failures?!$"),
        "HTML-Proofer: {count} failures", LINKS,
        Span(back=_re(r"^(?:[-*] \S|\s+\S|$)"), back_max=60),
        "html-proofer checked the built site: these links, images or anchors are broken.",
        "Fix each link or file listed under its page; rerun `htmlproofer` on the built site.",
    ),
    # lychee: `Issues found in N input(s)`, the failed links per input, then its counts.
    Extractor(
        "lychee", "lint",
        _re(r"^\W{0,4}\d+ Total \(in [^)]{1,30}\).{0,200}?\b(?P<count>[1-9]\d*) Errors?\b"),
        "lychee: {count} failed links", LINKS,
        Span(back=_re(r"^(?:\[[^\]]{1,300}\]|$)"), back_to=_re(r"^Issues found in \d+ inputs?\."),
             back_max=60),
        "lychee checked the links of the inputs listed: these failed.",
        "Fix or remove each link listed; exclude a known flaky host in `lychee.toml` or"
        " `.lycheeignore`.",
    ),
    # Sphinx's linkcheck builder: one line per link as its check ends (in no order), `(doc: line
    # N) broken URL - why`; the list from the first broken one is the report.
    Extractor(
        "sphinx-linkcheck", "lint",
        _re(r"^\(\s{0,40}(?P<doc>\S{1,300}): line\s{1,10}(?P<line>\d{1,7})\) broken\s{1,20}"
            r"(?P<url>\S{1,2000})(?: - (?P<msg>.{1,300}))?$"),
        "Sphinx linkcheck: broken link {url} in {doc}", LINKS,
        Span(forward=SPHINX_LINK, forward_max=60),
        "Sphinx's linkcheck builder checked the documentation's links: these are broken (an error"
        " status, a host that does not resolve, a missing anchor).",
        "Fix or remove each broken link; ignore a known flaky host with `linkcheck_ignore` in"
        " conf.py.",
    ),
    # Summaries that only count failures (RSpec, ExUnit, Minitest, PHPUnit, prove, busted, hooks,
    # EUnit, buttercup, HUnit, LuaUnit, ScalaTest, sbt, gotestsum, TestNG's suite and each test
    # in it, the JUnit Platform's console launcher).
    Extractor(
        "test-summary", "test",
        _re(r"^(?:\d+ (?:examples?|tests?|properties|doctests?), \d+ failures?|"
            r"\d+ (?:runs|tests), \d+ assertions, \d+ failures|Tests: \d+, Assertions: \d+|"
            r"FAILURES!$|"
            r"ERRORS!$|Failed examples:$|There (?:was|were) \d+ (?:failure|error)s?:$|"
            r"Result: FAIL$|Failed \d+/\d+ subtests|Dubious, test returned|# Looks like you failed|"
            r"\d+ successe?s? / \d+ failures?|pre-commit hook\(s\) made changes|"
            r"\d+ specs?, \d+ failures?|# fail\s+\d+$|\d+ failures?, \d+ errors?\.$|"
            r"\W{0,3}\d+ problems? \(\d+ errors?, \d+ warnings?\)|"
            r"Failed: \d+\.\s+Skipped: \d+\.\s+Passed: \d+\.|"
            r"Cases: \d+\s+Tried: \d+\s+Errors: \d+\s+Failures: \d+|"
            r"Ran \d+ tests? in [\d.]+ seconds, .{0,80}\b[1-9]\d* (?:failures?|errors?)\b|"
            r"Ran \d+ specs?, \d+ failed\b|"
            r"\*\*\* \d+ TESTS? FAILED \*\*\*$|Failed: Total \d+, Failed \d+, Errors \d+|"
            r"=== (?:Failed|Errors)$"
            r"|DONE \d+ tests?(?:, \d+ skipped)?, \d+ (?:failures?|errors?)\b|"
            # behave's and Cucumber's counts and lists of the scenarios that failed
            r"\d+ (?:features?|scenarios?|steps?) passed, \d+ failed, |"
            r"\d+ (?:scenarios?|steps?) \((?:\d+ \w+, ){0,4}\d+ failed\b|"
            r"(?:Failing|Errored) [Ss]cenarios:$|"
            r"\s{0,8}(?:Total )?[Tt]ests run: \d+, (?:Passes: \d+, )?Failures: [1-9]\d*,"
            r" Skips: \d+|"
            # the JUnit Platform console launcher's
            r"\[\s{0,12}[1-9]\d{0,6} (?:tests|containers) failed\s{0,12}\]$)"),
        "tests failed", CONSEQUENCE, consequence=True,
    ),
    # and a linter's or type checker's (Ruff, Biome, oxlint, pyright, ty, markdownlint-cli2, MkDocs)
    Extractor(
        "lint-summary", "lint",
        _re(r"^(?:Found \d+ errors?\.$|Found \d+ warnings? and \d+ errors?\.$"
            r"|Found \d+ diagnostics?$|Summary: \d+ error\(s\)$"
            r"|Aborted with \d{1,6} warnings? in strict mode!$"
            r"|\s{0,4}(?:[\u2716\u00d7] )?Some errors were emitted while running checks\.$"
            r"|\d+ errors?, \d+ warnings?, \d+ informations?$)"),
        "the linter found errors", CONSEQUENCE, consequence=True,
    ),
    Extractor("summary", "unknown", SUMMARY, "build failed", CONSEQUENCE, consequence=True),
    # A test runner that prints one status per test in a column (tasty, many shell and editor
    # test suites): the failed test's line, and the details indented under it.
    Extractor(
        "test-status", "test",
        # (`name ... FAIL` is a progress line whose details come later: unittest, R CMD check)
        # (`message : ERROR` is a log line: a test's name runs up to its colon)
        _re(r"^\s*(?P<test>\S(?:.{0,200}?\S)?)(?::\s+|\s{2,})(?:FAIL(?:ED)?|ERROR)"
            r"(?: \(\d[\d.]{0,10} ?m?s\))?$"),
        "test {test} failed", TEST - 5,
        Span(deeper=True, forward_max=40),
        "A test failed; the lines indented under its name say how.",
        "Run that test alone locally and compare what it expected with what it got.",
    ),
    # xcpretty (the formatter Xcode jobs pipe xcodebuild through) shows a compiler error as a
    # cross before its location, without the word `error`, and the source line and caret under
    # it after a blank line. Before its marked failures below.
    Extractor(
        "xcpretty", "compile",
        _re(r"^\s*\u274c\s+(?P<path>[^:\s][^:]{0,300}):(?P<line>\d+):(?:(?P<col>\d+):)? "
            r"(?P<msg>\S.{0,300})$"),
        "{msg}", TOOL,
        Span(forward=_re(r"^(?:\s|$)"), forward_max=8, siblings=True),
        "The compiler rejected the source at this location (as xcpretty shows xcodebuild's"
        " errors).",
        "Fix the code at that file and line; `xcodebuild build` (or `swift build`) reproduces it.",
    ),
    # The Swift runtime stopping the program (a test trapped): an index out of range, a nil
    # unwrapped, a `fatalError()`, with where when it knows. SwiftPM then only says the test
    # process died.
    Extractor(
        "swift", "test",
        _re(r"^(?:(?P<path>\S{1,300}\.swift):(?P<line>\d+): )?Fatal error: (?P<msg>.{0,300}\S)$"),
        "Swift fatal error: {msg}", TEST,
        explanation="The Swift runtime stopped the program on a trap (an index out of range, an"
        " unwrapped nil, a fatalError) while a test ran.",
        fix="Run `swift test --filter TEST` locally; the crash's backtrace shows the frame in"
        " your code.",
    ),
    Extractor(
        "swift", "test",
        _re(r"^error: Exited with (?:unexpected )?signal code \d{1,3}$"),
        "the test process crashed", CONSEQUENCE, consequence=True,
    ),
    # A line a reporter marks with a failure glyph (xcpretty, tap-spec, ava, linters' summaries):
    # the failed check, whatever the tool.
    Extractor(
        "marked-failure", "test",
        # (not a linter's count of problems, such as ESLint's `✖ 1 problem (0 errors, 1 warning)`,
        # nor the heading of a list of failures, such as Node's `✖ failing tests:`)
        # (nor Playwright's: its `dot` reporter's line of glyphs, `×F·±`, and its `list`
        # reporter's entry of a failed test, `✘  1 [project] › file:3:1 › title (5ms)`, whose
        # details come after the run)
        _re(r"^\s*[\u00d7\u2716\u2717\u2718\u274c]\s*(?!\d+ problems? \()"
            r"(?![\u00b7\u00b0\u00d7\u00b1FT]{1,400}$)"
            r"(?!\d{1,6} (?:\[[^\]]{1,100}\] \u203a )?[^\s:]{1,300}:\d{1,7}:\d{1,7} \u203a )"
            r"(?P<what>\S.{0,300}[^:])$"),
        # below the generic locator's block: a reporter often marks the failure in its progress
        # list first and shows its details further down
        "{what}", GENERIC + 10,
        Span(deeper=True, forward_max=12),
        "A test or check the tool marked as failed.",
        "Run that check locally; the lines under it say what it expected.",
    ),
    # A compiler told to treat warnings as errors: the warning above is the cause.
    Extractor(
        "werror", "compile",
        _re(r"(?i)^(?:<no location info>: ?)?(?:Failing due to -Werror"
            r"|(?:\w{1,20}: )?error: warnings found and -Werror specified"
            r"|\w{1,20}: all warnings being treated as errors)"),
        "warnings treated as errors", TOOL,
        # up over the warnings and their indented context lines
        Span(back=_re(r"^(?:\s|$|<no location info>|\S.{0,300}?:\d+(?::\d+)?:? [Ww]arning\b)"),
             back_max=40),
        "The build treats compiler warnings as errors (-Werror), and the warning above fired.",
        "Fix the code the warning points at, or disable that one warning with a reason.",
        header=_re(r"^(\S.{0,300}?:\d+(?::\d+)?:? [Ww]arning\b)"),
    ),
    # scalac's `-Xfatal-warnings` (`-Werror` in 2.13 and 3): its warnings' explanations run on
    # unindented lines, so the excerpt reaches up to the warning itself.
    Extractor(
        "werror", "compile",
        _re(r"^error: No warnings can be incurred under -(?:Xfatal-warnings|Werror)\.$"),
        "warnings treated as errors", TOOL,
        Span(back_to=_re(r"^\S.{0,300}?\.scala:\d+(?::\d+)?: warning: "), back_max=40),
        "The build treats compiler warnings as errors (-Xfatal-warnings), and the warning above"
        " fired.",
        "Fix the code the warning points at, or silence that one warning with @nowarn and a"
        " reason.",
        header=_re(r"^(\S.{0,300}?\.scala:\d+(?::\d+)?: warning: .{1,200})"),
    ),
    # --- Runner and generic -------------------------------------------------------------------
    Extractor(
        "runner", "infra",
        _re(r"^(?:Process completed with exit code|Error: Process completed with exit code|"
            r"ERROR: Job failed|Error: The process '.{1,300}' failed with exit code)"),
        "step failed", CONSEQUENCE, consequence=True,
    ),
    Extractor(
        "generic", "unknown",
        _re(r"(?i)(?:^|[\s\[(:])(?:error|fatal|failed|failure|exception)(?:\b|:)"),
        "", GENERIC,
        explanation="A line that reports an error; no known tool format was recognised.",
        fix="Read the excerpt; reproduce the failing command locally.",
    ),
)

# The tools whose reports come in lists, each excerpt showing the run of them below its first.
LISTED = frozenset(e.name for e in EXTRACTORS if e.span.siblings)

# A link checker's line about one link (awesome_bot's `  3. [L12]  URL error`, markdown-link-check's
# `[✖] URL → Status: 0`, html-proofer's `  *  External link URL failed`, lychee's `[404] URL |`):
# a finding of that checker, shown in its report, so no rule reads it as the job's own network
# failure (a DNS lookup, a 5xx) and it makes no failure of its own.
LINK_ENTRY = re.compile(
    r"^\s*(?:\d{1,5}\. \[L\d{1,7}\] |\[\u2716\] \S{1,2000} \u2192 Status: "
    r"|\*  External (?:link|image) \S{1,2000} failed"
    r"|(?:[\u2717\u2714] )?\[(?:\d{3}|ERROR|ERR|TIMEOUT)\] [a-z]{2,10}://\S{1,2000}"
    r"(?: \(at \d{1,7}:\d{1,7}\))? \| "
    r"|\(\s{0,40}\S{1,300}: line\s{1,10}\d{1,7}\) (?:broken|redirect|timeout|rate-limited)\s)"
)

# Maven's closing advice under its errors, never a cause: the help links, where Surefire's
# reports are, how to see more and how to resume the build.
MAVEN_ADVICE = (r"\[ERROR\] (?:-> \[Help|Re-run Maven|To see the full stack|For more information"
                r"|\[Help \d{1,3}\] https?://|After correcting the problems|\s{1,8}mvn <goals> "
                r"|Please refer to )")

# A test that passed, whatever its name says (`test_permission_denied PASSED`, TAP's `ok 3 -`,
# a check mark): never a cause, and never a rule's trigger.
PASSED_LINE = re.compile(
    r"(?:\sPASSED(?:\s+\[|\s*$)|\s\.\.\. (?:ok|passed)$|^\s*(?:\u2713|\u2714|\u221a)\s"
    r"|^\s*ok \d{1,6}\b|\[\s*(?:OK|PASS(?:ED)?)\s*\]$|^PASS\s"
    r"|\S(?::\s+|\s{2,})(?:OK|PASS(?:ED)?)(?: \(\d[\d.]{0,10} ?m?s\))?$)"
)

# A line that only looks like an error: counts of zero, flags, option names, file names.
NOT_AN_ERROR = re.compile(
    r"(?i)(?:\b0 (?:errors?|failed|failures?)\b|errors?: 0\b|failures?: 0\b|-W?error\b"
    r"|continue-on-error|if-no-files-found|fail-fast|--no-fail|error_?log|errors?\.(?:py|rs|go|ts|js|h|c)"
    r"|\berrors?\.(?:o|obj|lo|a|so|rb|java|kt|php|pl|swift)\b"
    r"|\berror-?handling|allow-failure|onerror|ignore-errors|failed(?:: |=)0\b|expected-failure"
    r"|\b0 (?:tests|containers) failed\b"
    r"|^_{3,} [^_].{0,300} _{3,}$"  # pytest's section headings (`___ ERROR at setup of t ___`)
    r"|^\[ERROR\]$|^" + MAVEN_ADVICE +  # (Maven's empty error lines too, trimmed)
    # Cython's heading (the line closing its block says why) and its warnings
    r"|" + BOXED + r"Error compiling Cython file:$"
    r"|" + BOXED + r"warning: [^:\s][^:]{0,300}\.p(?:yx|xd|xi|y):\d{1,7}:\d{1,7}: "
    f"|{_PLAYWRIGHT_CONTEXT})"
)
