"""Hidden markers that let the bot find again what it posted: `<!-- hephaestus:KIND k=v ... -->`.

Values are percent-encoded to a small alphabet, so no user text can end the comment early, add a
key, or look like another marker's field. Matching only items the bot authored stops anyone from
planting a marker in their own comment to steer the bot.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar
from urllib.parse import quote, unquote

PREFIX = "hephaestus"
MAX_KEYS = 16
MAX_VALUE = 256  # characters before encoding
# Markers sit at the start of what the bot writes; a bounded prefix is enough to find them.
SCAN_CHARS = 4096

_NAME = re.compile(r"[a-z][a-z0-9_-]{0,39}")
_SAFE = "-._~:/@+"  # kept as is by quote(); everything else becomes %XX
# Linear: each field starts with a space, which neither names nor values contain.
_MARKER = re.compile(
    r"<!-- hephaestus:([a-z][a-z0-9_-]{0,39})"
    r"((?: [a-z][a-z0-9_-]{0,39}=[A-Za-z0-9%._~:/@+-]{0,800}){0,16}) -->"
)


class MarkerError(ValueError):
    """A kind or key outside the marker grammar (a bug in the caller, not user input)."""


@dataclass(frozen=True, slots=True)
class Marker:
    kind: str
    fields: Mapping[str, str]

    def get(self, key: str, default: str = "") -> str:
        return self.fields.get(key, default)

    def matches(self, kind: str, **fields: str) -> bool:
        return self.kind == kind and all(self.fields.get(k) == v for k, v in fields.items())


def render(kind: str, **fields: str | int) -> str:
    """`render("check", sha="abc")` -> `<!-- hephaestus:check sha=abc -->`. Values are truncated
    to MAX_VALUE characters and encoded; keys and kind must be lowercase names."""
    if not _NAME.fullmatch(kind):
        raise MarkerError(f"bad marker kind {kind!r}")
    if len(fields) > MAX_KEYS:
        raise MarkerError(f"a marker holds at most {MAX_KEYS} fields")
    parts = [f"<!-- {PREFIX}:{kind}"]
    for key, value in fields.items():
        if not _NAME.fullmatch(key):
            raise MarkerError(f"bad marker key {key!r}")
        parts.append(f"{key}={quote(str(value)[:MAX_VALUE], safe=_SAFE)}")
    return " ".join(parts) + " -->"


def parse_all(body: str) -> list[Marker]:
    """Every well-formed marker near the start of `body`, in order."""
    found = []
    for match in _MARKER.finditer(body[:SCAN_CHARS]):
        fields = {}
        for pair in match.group(2).split():
            key, _, value = pair.partition("=")
            fields[key] = unquote(value)
        found.append(Marker(match.group(1), fields))
    return found


def parse(body: str, kind: str) -> Marker | None:
    """The first marker of `kind` in `body` (the bot always writes its marker first)."""
    return next((m for m in parse_all(body) if m.kind == kind), None)


class Authored(Protocol):
    @property
    def author(self) -> str: ...

    @property
    def body(self) -> str: ...


T = TypeVar("T", bound=Authored)


def find(items: Iterable[T], bot_login: str, kind: str, **fields: str) -> T | None:
    """The first item authored by `bot_login` whose marker of `kind` carries `fields`."""
    for item in items:
        if item.author.lower() != bot_login.lower():
            continue
        marker = parse(item.body, kind)
        if marker is not None and marker.matches(kind, **fields):
            return item
    return None


def bot_login(app_slug: str) -> str:
    """The login GitHub gives an App's bot user (Action mode: `github-actions[bot]`)."""
    return f"{app_slug}[bot]"
