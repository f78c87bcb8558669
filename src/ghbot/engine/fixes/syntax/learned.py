"""What people do to fix a syntax error, counted from real pairs: which token edit at which
token context led to the human's own fix.

The table (ranking.json beside this module, built by scripts/build_syntax_ranking.py from broken
StackOverflow snippets and their later revision that parses) maps a context, the abstract tokens
left and right of the edit, to how often each edit was made there. It serves twice: to propose
token edits near an error, and to rank verified repairs by how likely a person made them. It is
plain counts, read once; nothing is downloaded and no model runs.
"""

from __future__ import annotations

import difflib
import json
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from ghbot.engine.analysis.syntax_scan import Scan, scan

_KEYWORDS = frozenset(
    "False None True and as assert async await break class continue def del elif else except "
    "finally for from global if import in is lambda nonlocal not or pass raise return try while "
    "with yield".split()
)
_CLASSES = {"number": "NUMBER", "string": "STRING"}
MAX_TOKENS = 4000  # longer texts are ranked by the rules' costs alone
MAX_EDIT_TOKENS = 3  # an opcode wider than this is scored as a rewrite, not looked up
_SMOOTHING = 2.0  # weight of the context-free frequency when a context was seen rarely
_REWRITE_COST = 4.0  # per token of an opcode wider than MAX_EDIT_TOKENS


@dataclass(frozen=True, slots=True)
class Atom:
    """One abstract token: a keyword or operator as written, else its class; with its offsets."""

    text: str
    start: int
    end: int


def atoms(source: Scan) -> list[Atom]:
    """The abstract token sequence of a (possibly broken) text, layout included.

    NEWLINE ends each logical line; INDENT and DEDENT follow the statement lines' indentation as
    CPython's tokenizer would, so an indentation repair is an edit like any other.
    """
    out: list[Atom] = []
    widths = [0]
    starts = source.statement_lines
    seen_line = 0
    for token in source.tokens:
        if token.kind in ("ws", "comment", "cont"):
            continue
        if token.kind == "newline":
            if token.depth == 0 and out and out[-1].text != "NEWLINE":
                out.append(Atom("NEWLINE", token.start, token.start))
            continue
        line = source.position(token.start)[0]
        if line != seen_line and line in starts:
            seen_line = line
            width = len(source.indent(line).expandtabs(8))
            if width > widths[-1]:
                widths.append(width)
                out.append(Atom("INDENT", token.start, token.start))
            while width < widths[-1]:
                widths.pop()
                out.append(Atom("DEDENT", token.start, token.start))
        out.append(Atom(_abstract(token.kind, token.text), token.start, token.end))
        if len(out) > MAX_TOKENS:
            break
    if out and out[-1].text != "NEWLINE":  # the last line ends a statement, newline or not
        out.append(Atom("NEWLINE", len(source.text), len(source.text)))
    return out


def _abstract(kind: str, text: str) -> str:
    if kind == "name":
        return text if text in _KEYWORDS else "NAME"
    return _CLASSES.get(kind, text)


@dataclass(frozen=True, slots=True)
class TokenEdit:
    """One opcode of the abstract diff: `old` tokens between `left` and `right` became `new`;
    `outer` is the token before `left`, for the widest context."""

    left: str
    right: str
    old: tuple[str, ...]
    new: tuple[str, ...]
    outer: str = "BOS"

    @property
    def key(self) -> str:
        return f"{' '.join(self.old)}\t{' '.join(self.new)}"

    @property
    def context(self) -> str:
        return f"{self.left}\t{self.right}"

    @property
    def contexts(self) -> tuple[str, ...]:
        """Widest first: two tokens on the left, one each side, the left alone, the right alone."""
        wide = f"{self.outer} {self.left}\t{self.right}"
        return (wide, self.context, f"{self.left}\t*", f"*\t{self.right}")


def token_edits(before: list[str], after: list[str]) -> list[TokenEdit]:
    """The opcodes turning one abstract sequence into the other, each with its context."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    edits = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        left = before[i1 - 1] if i1 > 0 else "BOS"
        outer = before[i1 - 2] if i1 > 1 else "BOS"
        right = before[i2] if i2 < len(before) else "EOS"
        old, new = tuple(before[i1:i2]), tuple(after[j1:j2])
        edits.append(TokenEdit(left, right, old, new, outer))
    return edits


@dataclass(frozen=True, slots=True)
class Table:
    contexts: dict[str, dict[str, int]]  # context -> edit key -> times people made it there
    edits: dict[str, int]  # edit key -> times made anywhere
    total: int
    context_totals: dict[str, int] = field(init=False)
    _memo: dict[tuple[str, str], float] = field(init=False)

    def __post_init__(self) -> None:
        totals = {context: sum(counts.values()) for context, counts in self.contexts.items()}
        object.__setattr__(self, "context_totals", totals)
        object.__setattr__(self, "_memo", {})

    def cost(self, edit: TokenEdit) -> float:
        """-log P(edit | context): the widest context backed off to one token each side, that to
        each side alone, and those to the edit's overall frequency, so an unseen context still
        ranks edits."""
        width = max(len(edit.old), len(edit.new))
        if width > MAX_EDIT_TOKENS:
            return _REWRITE_COST * width
        key = edit.key
        wide, middle, left, right = edit.contexts
        if (known := self._memo.get((wide, key))) is not None:
            return known
        prior = (self.edits.get(key, 0) + 0.1) / (self.total + 1.0)
        sides = self._estimate(left, key, prior) * self._estimate(right, key, prior)
        estimate = self._estimate(middle, key, math.sqrt(sides))
        cost = -math.log(self._estimate(wide, key, estimate))
        if len(self._memo) < 100_000:
            self._memo[(wide, key)] = cost
        return cost

    def _estimate(self, context: str, key: str, fallback: float) -> float:
        count = self.contexts.get(context, {}).get(key, 0)
        total = self.context_totals.get(context, 0)
        return (count + _SMOOTHING * fallback) / (total + _SMOOTHING)

    def proposals(self, left: str, right: str, limit: int = 6) -> list[tuple[str, int]]:
        """The edits people made most often between `left` and `right`, most frequent first."""
        seen = self.contexts.get(f"{left}\t{right}", {})
        return sorted(seen.items(), key=lambda item: -item[1])[:limit]


# Beside this module (package data): a plain path, as importlib.resources cost the isolated
# syntax worker a sixth of its start-up.
_RANKING = os.path.join(os.path.dirname(__file__), "ranking.json")


@cache
def table() -> Table:
    with open(_RANKING, encoding="utf-8") as handle:
        raw = json.load(handle)
    return Table(raw["contexts"], raw["edits"], raw["total"])


def repair_cost(before: str, after: str) -> float | None:
    """How unlike a human fix turning `before` into `after` is; None when too long to judge."""
    old, new = atoms(scan(before)), atoms(scan(after))
    if len(old) > MAX_TOKENS or len(new) > MAX_TOKENS:
        return None
    learned = table()
    return sum(
        learned.cost(edit) for edit in token_edits([a.text for a in old], [a.text for a in new])
    )


def contexts_near(source: Scan, offset: int, before: int = 6, after: int = 2) -> Iterator[int]:
    """Indexes into `atoms(source)` of the tokens around `offset`, nearest the error first."""
    found = atoms(source)
    at = next((i for i, atom in enumerate(found) if atom.end > offset), len(found))
    order = [at, at - 1, at + 1, at - 2] + list(range(at - 3, at - before - 1, -1))
    order += list(range(at + 2, at + after + 1))
    yield from (i for i in dict.fromkeys(order) if 0 <= i <= len(found))
