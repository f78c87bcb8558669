"""The generic locator: the error-ish block nearest before a failing step's exit.

For a tool nobody wrote a rule or an extractor for, the cause is still almost always the last
block of output that reads like an error before the step gave up. Walking back from the failure
line, this skips what only says *that* something failed (npm's lifecycle lines, make's
`*** Error 1`, the runner's exit lines), then splits the output into blocks at blank lines, step
headers and changes of indentation back to the margin, and takes the nearest block holding an
error-ish line, from that line to the block's end.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ghbot.engine.triage.extractors import CARET, EXTRACTORS, LINK_ENTRY, PLAYWRIGHT_CONTEXT
from ghbot.engine.triage.firstmatch import FirstMatch, Gate
from ghbot.engine.triage.normalise import Kind, Line

MAX_BLOCKS = 12  # blocks looked at, nearest first (double-spaced output makes many small ones)
MAX_BLOCK_LINES = 40  # lines of an excerpt: the whole cause block counts more than brevity
HEADING_LINES = 8  # a block's heading (the test or file it is about) sits this close above
# Lines that report a failure already explained above them, and the provider's own chatter.
CONSEQUENCE = re.compile(
    # npm's lines, but for the ones naming an error code (ERESOLVE, E404): those are a cause.
    r"(?i)^(?:npm (?:ERR!|error)(?! (?-i:(?:code )?E(?!LIFECYCLE)[A-Z0-9]{3,}))|\s*ELIFECYCLE|"
    r"(?:g?make|mingw32-make|ninja)(?:\[\d+\])?: "
    r"(?:\*\*\*|Leaving directory|build stopped)|make: \*\*\*|ERROR: \".{1,200}\" exited with"
    r"|error Command failed with exit code|info Visit https://|The command \"|\" exited with"
    r"|\S{0,40}Process completed with exit code|Error: Process completed|Done\. Your build exited"
    r"|ERROR: Job failed|Exited with code|script returned exit code|\*\*\* Failed \*\*\*"
    r"|\[ERROR\] (?:-> \[Help|Re-run Maven|To see the full stack|For more information"
    r"|$|Failed to execute goal)|(?:FAILURE|BUILD FAILED|FAILED)$|Error: \d+ tests? failed"
    r"|\[Pipeline\] |travis_"
    # automake's test counts (`# FAIL:  1`, `# ERROR: 0`), clang-tidy's notes on what it hid
    r"|# (?:TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR):\s|Suppressed \d+ warnings \("
    r"|Use -header-filter=)"
)
# An HTTP error status beside the URL or file it answered for (link checkers' reports): read on
# the raw line, as the URL is a path whose words do not count.
_HTTP_ERROR_RE2 = r"[\s\[][45]\d\d\]?\s+(?:https?://\S|[\w.-]{0,100}/[\w./-]{0,200}\.\w)"
HTTP_ERROR = re.compile(_HTTP_ERROR_RE2)
ERRORISH_RE2 = (
    r"(?:error|fail|fatal|exception|panic|abort|throw|traceback|denied|not found|cannot"
    r"|can't|could not|couldn't|unable|invalid|missing|unexpected|undefined|no such|expected"
    r"|segmentation|timed? ?out|assert|refused|not ok\b|mismatch|unknown|wrong|violat|broken"
    r"|\bE\d{2,4}\b|\bE:|\bnot\b.{0,40}\b(?:installed|exist|allowed|supported|defined)"
    f"|{_HTTP_ERROR_RE2})"
)  # also read by the baseline's RE2 scan, so it keeps to the syntax both engines share
ERRORISH = re.compile("(?i)" + ERRORISH_RE2)
STRONG = re.compile(r"(?i)error|fail|fatal|exception|panic|abort|traceback|denied|refused|assert")
# The same answers, trying only the alternatives whose words the line holds: a case-insensitive
# alternation tried at every offset cost ~50 us a line, and a window has up to 80.
_ERRORISH = Gate(re.compile("(?i)" + ERRORISH_RE2.removeprefix("(?:").removesuffix(")")))
_STRONG = Gate(STRONG)


_WORD = re.compile(r"\w")
# the shapes extractors know as consequences (test summaries, `make: *** Error`, the runner's exit)
_SAYS_THAT_IT_FAILED = FirstMatch([e.pattern for e in EXTRACTORS if e.consequence])


# A path (`lib/bundler/friendly_errors.rb:124`) or a snake_case name (`with_friendly_errors`):
# its words are names, not errors. Each is tried only where a token or a word starts: tried at
# every offset, a long line with one slash at its end took 300 steps an offset (70 ms a line).
_PATH = re.compile(
    r"(?<![^\s'\"`(\[])[^\s'\"`(\[]{0,300}[/\\][^\s'\"`)\]]{0,300}|(?<!\w)\w{0,100}_\w{1,100}"
)
WARNING = re.compile(r"(?i)^\W{0,3}(?:\w{1,20} )?(?:warn(?:ing)?|deprecat\w*|notice)\b")
# A tool's diagnostic about a place in a file (`src/a.erl:3:14: can't find include lib`): of a
# run of them, separated by their context lines, the first is the cause and the rest follow.
DIAGNOSTIC = re.compile(r"^[^\s:]{1,300}\.\w{1,12}:\d{1,7}(?::\d{1,5})?:? \S")
# GitHub Actions echoes a run step's script and shell inside the step's header group, up to
# its `##[endgroup]`: the command, not its output.
_WARNED = re.compile(r"(?i)\bwarn(?:ing)?\b")
_ECHOED_SHELL = re.compile(r"^shell: \S")
ECHO_LINES = 60
BARE_PREFIX = 20  # characters of a tool's line prefix
ECHO_BANNER = 3  # lines a runner prints between the step's header and its echo of a command


@dataclass(frozen=True, slots=True)
class Located:
    first: int  # indexes into the window
    last: int
    key: int  # the first error-ish line of the block
    clear: bool = True  # False: no block read like an error, these are the step's last lines


def _words(text: str) -> str:
    """The text with its paths and snake_case names blanked out (most lines hold neither)."""
    if "/" not in text and "\\" not in text and "_" not in text:
        return text
    return _PATH.sub(" ", text)


def _splits(line: Line) -> bool:
    """Blank lines, headers and lines that only say that something failed split blocks."""
    return _splits_text(line.kind, line.text)


@functools.lru_cache(maxsize=1024)  # the block walks ask again about the same lines
def _splits_text(kind: Kind, text: str) -> bool:
    if kind in (Kind.STEP, Kind.MARKER) or not text.strip():
        return True
    return CONSEQUENCE.match(text) is not None or any(_SAYS_THAT_IT_FAILED.matches(text))


def _trivial(line: Line) -> bool:
    """A stray mark too short to say anything (`nl`, `-`, a code fence): inside a block it is
    part of it, but no block or excerpt starts or ends with one."""
    return _trivial_text(line.text[:20])


@functools.lru_cache(maxsize=1024)
def _trivial_text(head: str) -> bool:
    return len(_WORD.findall(head)) < 3


def _indent(line: Line) -> int:
    return len(line.text) - len(line.text.lstrip())


def _heading(window: Sequence[Line], first: int, key: int) -> bool:
    """Whether the block's first line, a few lines above its error line, introduces it: a line
    less indented than the error line with nothing less indented between (a test's title over
    its assertion), or a label ending in `:` over lines as indented as the error line. An error
    back at the margin after an indented list starts a paragraph of its own."""
    if not first < key <= first + HEADING_LINES:
        return False
    depth = _indent(window[key])
    between = [_indent(window[p]) for p in range(first + 1, key) if window[p].text.strip()]
    if _indent(window[first]) < depth:
        return all(d >= depth for d in between)
    return window[first].text.rstrip().endswith(":") and all(d == depth for d in between)


def locate(
    window: Sequence[Line],
    max_lines: int = MAX_BLOCK_LINES,
    in_baseline: Callable[[str], bool] | None = None,
    command: str | None = None,
) -> Located | None:
    """The nearest error-ish block in `window` (the lines before a failure line, in order).

    Never crosses a step header. With no error-ish block, the step's last lines (`clear=False`),
    under the command a runner echoed inside the step (see `_echoed_command`). Lines a passing
    run printed too (`in_baseline`) do not count as error-ish. `command`: the one the failure
    line names (Travis's), whose header is the step's own.
    """
    floor = _output_start(window)
    index = len(window) - 1
    blocks = 0
    weak: Located | None = None
    nearest: Located | None = None
    while index >= 0 and blocks < MAX_BLOCKS:
        while index >= floor and (
            _splits(window[index]) or _trivial(window[index]) or _bare_prefix(window, index)
        ) and not _caret_under_text(window, index, floor):
            index -= 1
        if index < floor:
            break
        last = index
        first = _block_start(window, last, floor, _splits)
        while _trivial(window[first]) or not window[first].text.strip():
            first += 1
        blocks += 1
        words = {p: _words(window[p].text[:500]) for p in range(first, last + 1)}
        errorish = [
            p for p in range(first, last + 1)
            if (_ERRORISH.search(words[p]) or HTTP_ERROR.search(window[p].text[:500]))
            and (in_baseline is None or not in_baseline(window[p].text))
            and not LINK_ENTRY.match(window[p].text)  # its checker's report shows it
            and not PLAYWRIGHT_CONTEXT.match(window[p].text)  # a file name
        ]  # fmt: skip
        if errorish:  # a warning above the error is only context
            key = next((p for p in errorish if not WARNING.match(window[p].text)), errorish[0])
            start = first if _heading(window, first, key) else key
            found = Located(start, min(last, start + max_lines - 1), key)
            if any(_STRONG.search(words[p]) for p in errorish):
                return _first_of_diagnostics(window, found, floor, max_lines)
            weak = weak or found  # `missing`, `expected`: only if no block says error or fail
        if nearest is None:  # the step's last paragraph, up to a stray mark too
            top = max(_block_start(window, last, floor, _splits_strictly), last - max_lines + 1)
            key = top
            if top == floor and _echoed_command(window, floor, command) and (
                last - top + 1 < max_lines
            ):
                top -= 1  # the whole output: shown under the command that printed it
            nearest = Located(top, last, key, clear=False)
        index = first - 1
    return weak or nearest


def _echoed_command(window: Sequence[Line], floor: int, command: str | None) -> bool:
    """Whether the step's output starts under a command that a runner inside the step echoed
    (yarn's `$ cmd` for the script it runs, under its banner), not under the step's own header:
    with no error-like line, what ran says what was checked (a script's `git diff
    --exit-code || (echo 'run the formatter'; exit 1)`). The step's own header is the one
    Travis's failure line names (`command`), or GitHub Actions' group that ended just above."""
    echo = window[floor - 1] if floor > 0 else None
    if echo is None or echo.kind is not Kind.STEP or echo.text == command:
        return False
    for probe in range(floor - 2, max(-1, floor - 2 - ECHO_BANNER), -1):
        line = window[probe]
        if line.kind is Kind.STEP:
            return command is not None and line.text == command
        if line.kind is Kind.MARKER:
            return command is None
        if not line.text.strip():
            return False
    return False


def _bare_prefix(window: Sequence[Line], index: int) -> bool:
    """A line holding only the prefix a tool puts on each of its lines (valgrind's `==41==`,
    `npm ERR!`): that tool's blank line."""
    text = window[index].text.strip()
    if not 0 < len(text) <= BARE_PREFIX or text[-1].isalnum() or index == 0:
        return False
    above = window[index - 1].text.lstrip()
    return above.startswith(text) and len(above) > len(text) + 1


def _caret_under_text(window: Sequence[Line], index: int, floor: int) -> bool:
    """A caret line (`    ^~~~`) under a source line: it ends the diagnostic above it."""
    if index <= floor or not CARET.match(window[index].text):
        return False
    above = window[index - 1]
    return not _splits(above) and not _trivial(above)


def _output_start(window: Sequence[Line]) -> int:
    """The first line of the last step's output: after its header, and after the script a
    GitHub Actions run step echoes in its header group."""
    for start in range(len(window) - 1, -1, -1):
        if window[start].kind is Kind.STEP:
            for probe in range(start + 1, min(len(window), start + ECHO_LINES)):
                if window[probe].kind is Kind.MARKER:
                    echoed = any(_ECHOED_SHELL.match(window[p].text) for p in range(start, probe))
                    return probe + 1 if echoed else start + 1
            return start + 1
    return 0


def _first_of_diagnostics(
    window: Sequence[Line], found: Located, floor: int, max_lines: int
) -> Located:
    """When the block found opens with a file:line diagnostic, the first of the run of such
    blocks just above it (each a diagnostic with its context lines, blank lines between or
    not)."""
    while DIAGNOSTIC.match(window[found.key].text) and found.key == found.first:
        above = found.first - 1
        while above >= floor and not window[above].text.strip() and window[above].kind is Kind.TEXT:
            above -= 1
        if above < floor or _splits(window[above]):
            break
        first = _block_start(window, above, floor, _splits)
        text = window[first].text
        if not DIAGNOSTIC.match(text) or not _ERRORISH.search(_words(text)) or _WARNED.search(text):
            break
        found = Located(first, min(above, first + max_lines - 1), first)
    return found


def _splits_strictly(line: Line) -> bool:
    return _splits(line) or _trivial(line)


def _block_start(
    window: Sequence[Line], last: int, floor: int, splits: Callable[[Line], bool]
) -> int:
    """The first line of the block that ends at `last`: up to the blank line, header or
    consequence above; an unindented line ends the block when the lines below it are indented
    (a frame list hangs under its message). A single blank line above an indented line does not
    end it (double-spaced reports)."""
    first = last
    while first > floor and last - first < 60:
        above = window[first - 1]
        if (
            not above.text.strip() and above.kind is Kind.TEXT and first - 2 >= floor
            and window[first].text[:1].isspace() and not splits(window[first - 2])
        ):  # fmt: skip
            first -= 1
            continue
        if splits(above):
            break
        first -= 1
        if not above.text[:1].isspace() and window[first + 1].text[:1].isspace():
            break
    return first
