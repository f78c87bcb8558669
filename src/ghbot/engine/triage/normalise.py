"""Clean one raw CI log line: runner timestamps, ANSI colours, progress frames, log commands.

Only the few lines around prefilter hits are normalised, so this is plain Python per line. Every
regex here is anchored or linear, and lines are capped before matching.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import NamedTuple

MAX_LINE = 4096  # characters kept of a line before any matching
RAW_LIMIT = MAX_LINE + 64  # characters of a raw line looked at (room for a timestamp)

_TIMESTAMP = re.compile(r"^\ufeff?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?")
# CSI and OSC sequences, charset designations (`ESC ( B`, tput sgr0's reset that rustfmt's diff
# prints even with NO_COLOR) and the other two-byte escapes: the keypad modes `ESC =` and `ESC >`
# (that a terminal program, the .NET CLI, a curses test, sets with `ESC [?1h` before each line)
# and cursor saves (`ESC 7`) among them, which left a `=` glued to the line's first word.
# Logs saved through a viewer that shows control characters in caret notation carry `^[[36m` for
# `ESC [36m`: those colour and erase sequences go too (with parameters, or SGR's and the erase's
# bare forms: `^[[a-z]` in a printed regex stays).
_ANSI = re.compile(
    r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)"
    r"|\x1b[()*+][0-9A-Za-z]|\x1b[0-~]|\^\[\[(?:[0-9;?]{1,32}[A-Za-z]|[mKJH])"
)
_CARET_ESC = "^["
_GITLAB_SECTION = re.compile(r"section_(start|end):\d+:([A-Za-z0-9_.-]+)(?:\[[^\]]{0,100}\])?")
_TRAVIS = re.compile(r"travis_(fold|time):(start|end):([^\r\n]{0,200})")
_WORKFLOW_CMD = re.compile(
    r"^::(error|warning|notice|debug|group|endgroup)(?: ([^:]{0,500}))?::(.*)"
)
_ACTIONS_MARK = re.compile(r"^##\[(\w+)\](.*)")
_BUILDKIT = re.compile(r"^#\d{1,4} \d{1,6}\.\d{1,4} ")  # docker buildx: `#12 0.532 output`
# sbt's log level before every line it prints (`[info] `, `[error] `, coloured or not): the
# tool's own text follows. The level says little (sbt logs a forked process's stderr, a test's
# logging included, as `[error]`), and the prefix hides every shape anchored at a line's start.
_SBT_LEVEL = re.compile(r"^\[(?:info|warn|error|success|debug)\](?: |$)")
# A JS monorepo task runner's package and task before every line a task prints, as hiding as
# sbt's level: turbo's `web:test: ` (`@acme/web:test:unit: `; `web#test: ` on its own status
# lines), pnpm's `packages/web test: ` (a long path shortened to `.../web`), yarn berry's
# `[web]: `. npm package names are lower case and a task starts with a letter, so `ERROR:root:`
# (Python's logging), `src/a.ts:1:2:`, `Error: x` and URLs are no prefix; nor is a pnpm path
# with a colon or without a slash, nor a level word in the task's place (`src/a.ts error: x`).
# (nx's and Lerna's `--stream` prefix is a bare `web: `, which no line alone tells from a
# message: it stays.)
_LEVELS = "(?:error|warn|warning|note|info|debug|fatal|trace|notice|hint)"
_TASK_PREFIX = re.compile(
    r"^(?:(?:@?[a-z0-9][a-z0-9._~-]{0,100}(?:/[a-z0-9][a-z0-9._~-]{0,100})?[:#]"
    r"|(?:\.\.\.|\u2026)?[\w@.~-]{0,80}/[\w@.~/-]{1,160} )(?!" + _LEVELS + r":)"
    r"[a-z][\w:.-]{0,60}:"
    r"|\[(?!" + _LEVELS + r"\])@?[a-z0-9][a-z0-9._~/-]{0,200}\]:)(?: |$)"
)
_TASK_PREFIX_MAX = 320  # the longest prefix the pattern takes ends by this column
_TASK_FIRST = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@[.\u2026")
_TASK_LAST = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-]")
# Step headers in plain text: Travis's `$ command`, Jenkins's `[Pipeline] { (stage)`, Buildkite's
# `--- :emoji: name` / `+++ ` / `~~~ ` group lines.
_TEXT_STEP = re.compile(
    r"^(?:\$ (?P<cmd>\S.{0,1000})|\[Pipeline\] \{ \((?P<stage>[^)]{1,200})\)"
    r"|(?:---|\+\+\+) (?P<group>:\w{1,40}:.{0,200})|~~~ (?P<hidden>\S.{0,200})"
    # The provider's epilogue after the job's steps: a step of its own, so none reaches into it.
    r"|(?P<epilogue>Done\. Your build exited with \d{1,3}\.|Post job cleanup\.))$"
)


_STEP_FIRST = frozenset("$[-+~DP")


class Kind(StrEnum):
    TEXT = "text"
    ERROR = "error"  # ##[error] / ::error: the runner's or a problem matcher's annotation
    STEP = "step"  # start of a step: ##[group]Run X, a Travis fold or command, a GitLab section
    MARKER = "marker"  # group ends and other structure with no content of its own


class Line(NamedTuple):
    """A tuple, not a frozen dataclass: tens of thousands are made per log, and a frozen
    dataclass's `__init__` (`object.__setattr__` per field) was a quarter of `normalise`."""

    number: int  # 1-based over the raw input
    text: str
    kind: Kind = Kind.TEXT


def strip_timestamp(raw: str) -> str:
    if not raw[:1].isdigit() and not raw.startswith("\ufeff"):
        return raw  # most lines: no regex call
    return _TIMESTAMP.sub("", raw, count=1)


def normalise(number: int, raw: str) -> Line:
    text = strip_timestamp(raw[:RAW_LIMIT])
    if "section_" in text:
        found = _GITLAB_SECTION.search(text)
        if found:
            header = _ANSI.sub("", text[found.end():]).strip("\r ")
            if found.group(1) == "start":
                return Line(number, header or found.group(2), Kind.STEP)
            return Line(number, "", Kind.MARKER)
    if "travis_" in text:
        found = _TRAVIS.search(text)
        if found:
            if found.group(1) == "fold" and found.group(2) == "start":
                return Line(number, found.group(3).strip(), Kind.STEP)
            text = text[: found.start()] + text[found.end():]
            if not _ANSI.sub("", text).strip():
                return Line(number, "", Kind.MARKER)
    if text.endswith("\r"):
        text = text.rstrip("\r")  # a CRLF line ending, not a redraw
    if "\r" in text:
        # A progress bar redraws itself with CR: what the terminal finally showed is the last frame.
        frames = [frame for frame in text.split("\r") if frame.strip()]
        text = frames[-1] if frames else ""
    if "\x1b" in text or _CARET_ESC in text:
        text = _ANSI.sub("", text)
    text = text[:MAX_LINE].rstrip()
    if text[:1] in _TASK_FIRST:
        if text.startswith("[") and text[1:2].islower():
            text = _SBT_LEVEL.sub("", text, count=1)
        # Asked only where the line's first `: ` follows a name's last character with one
        # space at most before it (the prefix ends there), or of a line that is only a prefix
        # (a blank line of the task).
        colon = text.find(": ", 1, _TASK_PREFIX_MAX)
        if (colon > 0 and text[colon - 1] in _TASK_LAST and text.count(" ", 0, colon) <= 1) or (
            text.endswith(":") and " " not in text
        ):
            found = _TASK_PREFIX.match(text)
            if found:
                text = text[found.end():]
    if text.startswith("##["):
        found = _ACTIONS_MARK.match(text)
        if found:
            tag, rest = found.group(1).lower(), found.group(2)
            if tag == "group":
                if rest.startswith("Run "):
                    return Line(number, rest[4:].strip(), Kind.STEP)
                return Line(number, rest, Kind.MARKER)
            if tag == "endgroup":
                return Line(number, "", Kind.MARKER)
            if tag == "error":
                return Line(number, rest, Kind.ERROR)
            if tag == "section" and rest.startswith("Starting: "):  # Azure Pipelines
                return Line(number, rest[10:].strip(), Kind.STEP)
            return Line(number, rest)
    if text.startswith("::"):
        found = _WORKFLOW_CMD.match(text)
        if found:
            command, props, message = found.groups()
            if command == "error":
                return Line(number, _with_location(props or "", message), Kind.ERROR)
            if command in {"group", "endgroup"}:
                return Line(number, message, Kind.MARKER)
            return Line(number, message)
    if text.startswith("#"):
        text = _BUILDKIT.sub("", text, count=1)
    elif text[:1] in _STEP_FIRST:
        found = _TEXT_STEP.match(text)
        if found:
            return Line(number, next(group for group in found.groups() if group), Kind.STEP)
    return Line(number, text)


def _with_location(props: str, message: str) -> str:
    """`::error file=a.py,line=3::msg` reads best as `a.py:3: msg`."""
    fields = dict(part.split("=", 1) for part in props.split(",") if "=" in part)
    where = ":".join(fields[key] for key in ("file", "line", "col") if key in fields)
    return f"{where}: {message}" if where else message
