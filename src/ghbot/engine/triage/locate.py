"""The generic locator: the error-ish block nearest before a failing step's exit.

For a tool nobody wrote a rule or an extractor for, the cause is still almost always the last
block of output that reads like an error before the step gave up. Walking back from the failure
line, this skips what only says *that* something failed (npm's lifecycle lines, make's
`*** Error 1`, the runner's exit lines), then splits the output into blocks at blank lines, step
headers and changes of indentation back to the margin, and takes the nearest block holding an
error-ish line, from that line to the block's end.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ghbot.engine.triage.extractors import EXTRACTORS
from ghbot.engine.triage.firstmatch import FirstMatch
from ghbot.engine.triage.normalise import Kind, Line

MAX_BLOCKS = 12  # blocks looked at, nearest first (double-spaced output makes many small ones)
MAX_BLOCK_LINES = 30  # lines of an excerpt: the whole cause block counts more than brevity
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
    r"|\[Pipeline\] |travis_)"
)
ERRORISH_RE2 = (
    r"(?:error|fail|fatal|exception|panic|abort|throw|traceback|denied|not found|cannot"
    r"|can't|could not|couldn't|unable|invalid|missing|unexpected|undefined|no such|expected"
    r"|segmentation|timed? ?out|assert|refused|not ok\b|mismatch|unknown|wrong|violat|broken"
    r"|\bE\d{2,4}\b|\bE:|\bnot\b.{0,40}\b(?:installed|exist|allowed|supported|defined))"
)  # also read by the baseline's RE2 scan, so it keeps to the syntax both engines share
ERRORISH = re.compile("(?i)" + ERRORISH_RE2)
STRONG = re.compile(r"(?i)error|fail|fatal|exception|panic|abort|traceback|denied|refused|assert")


_WORD = re.compile(r"\w")
# the shapes extractors know as consequences (test summaries, `make: *** Error`, the runner's exit)
_SAYS_THAT_IT_FAILED = FirstMatch([e.pattern for e in EXTRACTORS if e.consequence])


WARNING = re.compile(r"(?i)^\W{0,3}(?:\w{1,20} )?(?:warn(?:ing)?|deprecat\w*|notice)\b")


@dataclass(frozen=True, slots=True)
class Located:
    first: int  # indexes into the window
    last: int
    key: int  # the first error-ish line of the block
    clear: bool = True  # False: no block read like an error, these are the step's last lines


def _skipped(line: Line) -> bool:
    """Blank lines, headers and lines that only say that something failed split blocks."""
    if line.kind in (Kind.STEP, Kind.MARKER) or len(_WORD.findall(line.text[:20])) < 3:
        return True  # blank, or a stray mark too short to say anything (`nl`, `-`, `.`)
    text = line.text
    return CONSEQUENCE.match(text) is not None or any(_SAYS_THAT_IT_FAILED.matches(text))


def locate(
    window: Sequence[Line],
    max_lines: int = MAX_BLOCK_LINES,
    in_baseline: Callable[[str], bool] | None = None,
) -> Located | None:
    """The nearest error-ish block in `window` (the lines before a failure line, in order).

    Never crosses a step header. With no error-ish block, the step's last block (`clear=False`).
    Lines a passing run printed too (`in_baseline`) do not count as error-ish.
    """
    floor = 0
    for start in range(len(window) - 1, -1, -1):
        if window[start].kind is Kind.STEP:
            floor = start + 1
            break
    index = len(window) - 1
    blocks = 0
    nearest: Located | None = None
    weak: Located | None = None
    while index >= 0 and blocks < MAX_BLOCKS:
        while index >= floor and _skipped(window[index]):
            index -= 1
        if index < floor:
            break
        last = first = index
        # Up to the blank line, header or consequence above; an unindented line ends the block
        # when the lines below it are indented (a frame list hangs under its message).
        while first > floor and last - first < 60:
            above = window[first - 1]
            if _skipped(above):
                break
            first -= 1
            if not above.text[:1].isspace() and window[first + 1].text[:1].isspace():
                break
        blocks += 1
        errorish = [
            p for p in range(first, last + 1)
            if ERRORISH.search(window[p].text[:500])
            and (in_baseline is None or not in_baseline(window[p].text))
        ]  # fmt: skip
        if errorish:  # a warning above the error is only context
            key = next((p for p in errorish if not WARNING.match(window[p].text)), errorish[0])
            found = Located(key, min(last, key + max_lines - 1), key)
            if any(STRONG.search(window[p].text[:500]) for p in errorish):
                return found
            weak = weak or found  # `missing`, `expected`: only if no block says error or fail
        if nearest is None:
            top = max(first, last - max_lines + 1)
            nearest = Located(top, last, top, clear=False)
        index = first - 1
    return weak or nearest
