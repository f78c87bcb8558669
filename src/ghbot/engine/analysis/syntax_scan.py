"""A forgiving tokenizer for Python source that may not parse.

`tokenize` stops at the first problem; syntax diagnosis and repair need the whole picture: every
token, where each bracket opens and closes, which strings never end, and how lines are indented.
Every regex here is linear: its alternatives start with disjoint characters.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\f]+)
    |(?P<comment>\#[^\r\n]*)
    |(?P<newline>\r\n|\r|\n)
    |(?P<cont>\\(?:\r\n|\r|\n))
    |(?P<string>[rRbBuUfF]{0,2}(?:'''|\"\"\"|'|\"))
    |(?P<number>0[xXoObB][0-9a-fA-F_]*[lL]?
        |(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[jJlL]?)
    |(?P<name>[^\W\d]\w*)
    |(?P<open>[(\[{])
    |(?P<close>[)\]}])
    |(?P<op>\*\*=?|//=?|>>=?|<<=?|->|:=|!=|<>|\.\.\.|[-+*/%@&|^=<>!]=?|[~,;.:`\\$?])
    |(?P<other>.)
    """,
    re.VERBOSE,
)
# The rest of a string after its opening quote, up to and including the closing quote.
_STRING_END = {
    "'": re.compile(r"(?:[^'\\\r\n]|\\(?:\r\n|[\s\S]))*'"),
    '"': re.compile(r'(?:[^"\\\r\n]|\\(?:\r\n|[\s\S]))*"'),
    "'''": re.compile(r"(?:[^'\\]|\\[\s\S]|'(?!''))*'''"),
    '"""': re.compile(r'(?:[^"\\]|\\[\s\S]|"(?!""))*"""'),
}
_LINE_REST = re.compile(r"[^\r\n]*")

PAIRS = {"(": ")", "[": "]", "{": "}"}
OPENERS = {closer: opener for opener, closer in PAIRS.items()}


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # ws comment newline cont string number name open close op other
    start: int  # character offsets into the text
    end: int
    text: str
    depth: int = 0  # brackets open before this token
    terminated: bool = True  # False for a string that never ends

    @property
    def is_atom_end(self) -> bool:
        """Can end an expression operand (so a comma may follow)."""
        return self.kind in ("name", "number", "string", "close") and self.text not in _KEYWORDS

    @property
    def is_atom_start(self) -> bool:
        return (
            self.kind in ("name", "number", "string", "open") and self.text not in _KEYWORDS
        ) or (self.text in ("-", "~", "not", "lambda", "await", "*", "**", "..."))


_KEYWORDS = frozenset(
    "and as assert async await break class continue def del elif else except finally for from "
    "global if import in is lambda nonlocal not or pass raise return try while with yield".split()
)


@dataclass(frozen=True, slots=True)
class BracketIssue:
    kind: str  # unclosed | unmatched | mismatched
    token: int  # index of the offending bracket token
    opener: int | None = None  # for mismatched: the opener it meets


@dataclass
class Scan:
    text: str
    tokens: list[Token]
    issues: list[BracketIssue]
    line_starts: list[int] = field(repr=False)

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), both 1-based, of a character offset."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def offset(self, line: int, column: int) -> int:
        line = max(1, min(line, len(self.line_starts)))
        start = self.line_starts[line - 1]
        return min(start + max(column, 1) - 1, self.line_end(line))

    def line_end(self, line: int) -> int:
        """Offset of the line break ending `line` (or of the end of the text)."""
        if line < len(self.line_starts):
            end = self.line_starts[line] - 1
            if end > 0 and self.text[end] == "\n" and self.text[end - 1] == "\r":
                end -= 1
            return end
        return len(self.text)

    def line_text(self, line: int) -> str:
        return self.text[self.line_starts[line - 1] : self.line_end(line)]

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def token_at(self, offset: int) -> int:
        """Index of the first significant token that ends after `offset`."""
        index = bisect.bisect_right(self._token_ends, offset)
        while index < len(self.tokens) and self.tokens[index].kind == "ws":
            index += 1
        return index

    @cached_property
    def _token_ends(self) -> list[int]:
        return [token.end for token in self.tokens]

    @cached_property
    def names(self) -> frozenset[str]:
        return frozenset(token.text for token in self.tokens if token.kind == "name")

    def code_end(self, line: int) -> int:
        """Offset just past the last code character of a line, before any comment."""
        start = self.line_starts[line - 1]
        end = self.line_end(line)
        index = self.token_at(start)
        last = start + len(self.line_text(line)) - len(self.line_text(line).lstrip())
        while index < len(self.tokens) and self.tokens[index].start < end:
            token = self.tokens[index]
            if token.kind == "comment":
                break
            if token.kind not in ("ws", "newline"):
                last = min(token.end, end) if token.kind != "string" or token.terminated else end
            index += 1
        return last

    def indent(self, line: int) -> str:
        text = self.line_text(line)
        return text[: len(text) - len(text.lstrip(" \t\f"))]

    def is_blank(self, line: int) -> bool:
        """True for empty and comment-only lines outside strings."""
        stripped = self.line_text(line).strip()
        return (not stripped or stripped.startswith("#")) and line not in self.lines_in_strings

    @cached_property
    def lines_in_strings(self) -> frozenset[int]:
        """Lines that begin inside a multi-line string, whose leading blanks are string content."""
        lines: set[int] = set()
        for token in self.tokens:
            if token.kind == "string" and token.end - token.start > 3 and "\n" in token.text:
                first = self.position(token.start)[0]
                last = self.position(token.end - 1)[0]
                lines.update(range(first + 1, last + 1))
        return frozenset(lines)

    @cached_property
    def statement_lines(self) -> frozenset[int]:
        """Lines whose first token starts a logical line (not inside brackets or strings)."""
        lines: set[int] = set()
        at_start = True
        for token in self.tokens:
            if token.kind in ("ws", "comment", "cont"):
                continue
            if token.kind == "newline":
                at_start = at_start or token.depth == 0
                continue
            if at_start:
                lines.add(self.position(token.start)[0])
                at_start = False
        return frozenset(lines)


def scan(text: str) -> Scan:
    tokens: list[Token] = []
    issues: list[BracketIssue] = []
    stack: list[int] = []  # token indexes of open brackets
    position = 0
    length = len(text)
    while position < length:
        match = _TOKEN.match(text, position)
        if match is None:  # only at a lone "\r\n" split; the "other" branch takes anything else
            position += 1
            continue
        kind = match.lastgroup or "other"
        end = match.end()
        terminated = True
        if kind == "string":
            quote = (
                match.group()[-3:] if match.group()[-3:] in ("'''", '"""') else match.group()[-1]
            )
            closing = _STRING_END[quote].match(text, end)
            if closing is not None:
                end = closing.end()
            else:
                terminated = False
                rest = _LINE_REST.match(text, end)  # always matches, maybe empty
                end = length if len(quote) == 3 or rest is None else rest.end()
        elif kind == "newline" and text[position] == "\r" and text.startswith("\r\n", position):
            end = position + 2
        index = len(tokens)
        tokens.append(Token(kind, position, end, text[position:end], len(stack), terminated))
        if kind == "open":
            stack.append(index)
        elif kind == "close":
            _close(tokens, stack, issues, index)
        position = end
    issues.extend(BracketIssue("unclosed", index) for index in stack)
    issues.sort(key=lambda issue: tokens[issue.token].start)
    return Scan(text, tokens, issues, _line_starts(text))


def _close(tokens: list[Token], stack: list[int], issues: list[BracketIssue], index: int) -> None:
    char = tokens[index].text
    if not stack:
        issues.append(BracketIssue("unmatched", index))
        return
    if tokens[stack[-1]].text == OPENERS[char]:
        stack.pop()
        return
    # It closes something deeper: the brackets above it were never closed.
    for depth in range(len(stack) - 1, -1, -1):
        if tokens[stack[depth]].text == OPENERS[char]:
            issues.append(BracketIssue("mismatched", index, stack[-1]))
            del stack[depth:]
            return
    issues.append(BracketIssue("mismatched", index, stack[-1]))
    stack.pop()


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for match in re.finditer(r"\r\n|\r|\n", text):
        starts.append(match.end())
    return starts
