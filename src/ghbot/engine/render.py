"""Markdown helpers for anything the bot posts: fences, collapsible details, bounded truncation.

GitHub rejects comment and issue bodies over 65,536 characters and check summaries over 65,535,
so every renderer cuts with `truncate_middle`, which keeps the head and the tail (the end of a
log is where it failed) and says how much it dropped.
"""

from __future__ import annotations

import html
import re

from ghbot.engine.redact import redact

GITHUB_BODY_LIMIT = 65_536
# Untrusted text made inert keeps its look: a zero-width space breaks what would act.
_ZWSP = "\u200b"
_MENTION = re.compile(r"(?<![A-Za-z0-9_`])@(?=[A-Za-z0-9])")
_COMMAND_LINE = re.compile(r"^([ \t>]*)/(?=hephaestus)", re.IGNORECASE | re.MULTILINE)


def plural(count: int, word: str, many: str = "") -> str:
    """`1 file`, `2 files`; `many` for a word whose plural is not word + s (`fix`, `fixes`)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def inert_html(text: str) -> str:
    """No HTML comment (hence no hidden marker) can open in `text`, even where markdown shows
    it verbatim: other readers of the raw body (the bot's own parsers, other bots) see it."""
    return text.replace("<!--", "<" + _ZWSP + "!--")


def inert(text: str) -> str:
    """Untrusted markdown (a quoted comment, a tool's message) as the bot may post it: no HTML
    comment or marker, no `@mention` that pings, no line that reads as a `/hephaestus` command."""
    text = _MENTION.sub("@" + _ZWSP, inert_html(text))
    return _COMMAND_LINE.sub(lambda m: m.group(1) + "/" + _ZWSP, text)


def fence(text: str, language: str = "") -> str:
    """A fenced code block that cannot be closed early by backticks inside `text`, and in which
    no HTML comment opens (mentions and commands are inert inside code already)."""
    text = inert_html(text)
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{language}\n{text}\n{ticks}"


def details(summary: str, body: str, open_: bool = False) -> str:
    """A collapsible `<details>` block; the summary is escaped, the body is markdown."""
    opened = " open" if open_ else ""
    return f"<details{opened}>\n<summary>{html.escape(summary)}</summary>\n\n{body}\n\n</details>"


def truncate_middle(text: str, limit: int, marker: str = "\n… {n} characters omitted …\n") -> str:
    """`text` cut to at most `limit` characters, keeping its head and tail around a marker."""
    if len(text) <= limit:
        return text
    note = marker.format(n=len(text) - limit)
    room = max(0, limit - len(note) - 20)
    head = room // 2
    tail = room - head
    cut = len(text) - head - tail
    note = marker.format(n=cut)
    return text[:head] + note + (text[-tail:] if tail else "")


def truncate_lines(text: str, max_lines: int) -> str:
    """Keep the first and last lines of a long block, with a line saying how many were dropped."""
    lines = text.split("\n")
    if len(lines) <= max_lines:
        return text
    head = max(1, max_lines // 2)
    tail = max(1, max_lines - head - 1)
    dropped = len(lines) - head - tail
    return "\n".join([*lines[:head], f"… {dropped} lines omitted …", *lines[-tail:]])


_CODE_SPAN = re.compile(r"`([^`\n]{1,300})`")


def inline_with_code(text: str) -> str:
    """Like escape_inline, but `code spans` in the text stay code spans (rule explanations and
    fixes are written with them); everything between them is escaped. Redacted first too."""
    text = redact(" ".join(text.split()))
    out: list[str] = []
    position = 0
    for found in _CODE_SPAN.finditer(text):
        out.append(_escape_chars(text[position : found.start()]))
        out.append(f"`{found.group(1)}`")
        position = found.end()
    out.append(_escape_chars(text[position:]))
    return "".join(out)


def escape_inline(text: str) -> str:
    """One line of text safe inside markdown prose (no HTML, no accidental formatting, no
    mention that pings). Redacted first: escaping splits a token (`ghp\\_...`) so that the
    client's redaction of what it sends could no longer recognise it."""
    return _escape_chars(redact(" ".join(text.split())))


def _escape_chars(text: str) -> str:
    text = html.escape(text, quote=False)
    for char in "\\`*_[]|#":
        text = text.replace(char, "\\" + char)
    return _MENTION.sub("@" + _ZWSP, text)
