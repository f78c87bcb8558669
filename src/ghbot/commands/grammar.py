"""`/hephaestus VERB ARGS...` lines in a comment, outside code, quotes and hidden HTML.

A command is a line that starts (after at most three spaces, as markdown allows) with
`/hephaestus`, case-insensitive, then whitespace-separated words; `"double-quoted words"` stay
one argument. Text inside fenced code blocks, `<pre>` (and the other raw HTML blocks), quoted
replies (with their lazy continuation lines) is someone showing or citing a command, and text
inside an HTML comment is invisible: none of it is a command. The scan errs towards "not a
command" where markdown is ambiguous (an HTML opener inside a code span still hides).
Comments are hostile input: the scan is one pass over at most MAX_BODY characters, lines
longer than MAX_LINE and commands beyond MAX_COMMANDS are reported, not run, and no regex can
backtrack.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

PREFIX = "/hephaestus"
MAX_BODY = 65_536  # GitHub's own limit on a comment body
MAX_LINE = 500
MAX_COMMANDS = 5
MAX_ARGS = 20

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_QUOTE = re.compile(r" {0,3}>")
# Raw HTML whose content GitHub shows verbatim or not at all, and the closer each waits for.
_HTML_OPEN = re.compile(r"<!--|<(pre|script|style|textarea)(?=[\s>]|$)", re.IGNORECASE)
_COMMAND = re.compile(r" {0,3}/hephaestus(?=[ \t]|$)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Command:
    words: tuple[str, ...]  # the verb's word(s) then the arguments, as written
    line: str  # the whole command line, stripped, for quoting back
    line_no: int  # 1-based, in the comment


@dataclass(frozen=True, slots=True)
class Problem:
    line: str  # the offending line, cut to a quotable length
    message: str


@dataclass(frozen=True, slots=True)
class Parsed:
    commands: tuple[Command, ...] = ()
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.commands or self.problems)


def _quotable(line: str) -> str:
    line = line.strip()
    return line if len(line) <= 100 else line[:100] + "…"


def _split(rest: str) -> list[str]:
    """Words with shell-like quoting; ValueError on an unbalanced quote."""
    lexer = shlex.shlex(rest, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""  # `#` is an ordinary character (`fix #12`)
    lexer.escape = ""  # backslashes stay as written (Windows paths, regexes)
    lexer.quotes = '"'  # apostrophes are English ("can't connect"), not quotes
    return list(lexer)


def _hide_html(line: str, closing: str | None) -> tuple[str, str | None]:
    """The part of `line` outside hidden HTML, and the closer still awaited after it. Each
    step moves past what it found, so the scan is linear in the line."""
    lowered = line.lower()
    visible: list[str] = []
    pos = 0
    while True:
        if closing is not None:
            end = lowered.find(closing, pos)
            if end < 0:
                return "".join(visible), closing
            pos, closing = end + len(closing), None
            continue
        opener = _HTML_OPEN.search(line, pos)
        if opener is None:
            visible.append(line[pos:])
            return "".join(visible), None
        visible.append(line[pos : opener.start()])
        tag = opener.group(1)
        closing = f"</{tag.lower()}>" if tag else "-->"
        pos = opener.end()


def parse(body: str) -> Parsed:
    commands: list[Command] = []
    problems: list[Problem] = []
    fence: str | None = None  # the fence that opened the current code block
    closing: str | None = None  # the end of the raw HTML block or comment we are in
    in_quote = False  # the previous line was quoted text a lazy line would continue
    # Lines as markdown sees them: not splitlines(), which also breaks at U+2028 and friends.
    for line_no, raw in enumerate(body[:MAX_BODY].split("\n"), start=1):
        line = raw.removesuffix("\r")
        opening = _FENCE.match(line)
        if fence is not None:
            # Closed by a fence of the same character, at least as long, with nothing after it.
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                if not line[opening.end() :].strip():
                    fence = None
            continue
        if closing is not None:  # the whole line belongs to the hidden block, even past its end
            _, closing = _hide_html(line, closing)
            continue
        if opening:
            fence, in_quote = opening.group(1), False
            continue
        quote = _QUOTE.match(line)
        lazy = in_quote and bool(line.strip())
        in_quote = bool(line[quote.end() :].strip()) if quote else lazy
        line, closing = _hide_html(line, None)
        if quote or lazy:
            continue
        start = _COMMAND.match(line)
        if start is None:
            continue
        if len(commands) >= MAX_COMMANDS:
            problems.append(
                Problem(_quotable(line), f"at most {MAX_COMMANDS} commands per comment: not run")
            )
            break
        if len(line) > MAX_LINE:
            problems.append(Problem(_quotable(line), f"longer than {MAX_LINE} characters: not run"))
            continue
        try:
            words = _split(line[start.end() :])
        except ValueError:
            problems.append(Problem(_quotable(line), "a quote is not closed: not run"))
            continue
        if len(words) > MAX_ARGS + 2:
            problems.append(Problem(_quotable(line), f"more than {MAX_ARGS} arguments: not run"))
            continue
        commands.append(Command(tuple(words), line.strip(), line_no))
    return Parsed(tuple(commands), tuple(problems))
