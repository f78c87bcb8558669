"""Hidden markers that let the bot find again what it posted: `<!-- hephaestus:KIND k=v ... -->`.

Values are percent-encoded to a small alphabet, so no user text can end the comment early, add a
key, or look like another marker's field. Pure text: no I/O.

What proves the bot wrote a marker (issue 13, item 2; README "Trusting only its own state"):
- it sits in the leading marker lines of a body (`parse` reads nowhere else; `find` also wants
  the item authored by the bot). Everything the bot echoes (logs, code, titles, comments) comes
  after its own first line, and is made inert besides (`ghbot.engine.render`);
- when a sealing key is active (`sealing(key)`, set per delivery by the dispatcher: the App's
  key is derived from its private key or HEPHAESTUS_MARKER_KEY, the Action's from
  HEPHAESTUS_MARKER_KEY), every marker rendered carries `mac=`, an HMAC-SHA256 of its kind and
  fields under a key bound to the repository, and a marker without a valid one is not read.
  That covers what authorship cannot: `github-actions[bot]` is shared by every workflow of a
  repository. Records files on a branch (git decides who writes there) use `sealed=False`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
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
    r"((?: [a-z][a-z0-9_-]{0,39}=[A-Za-z0-9%._~:/@+-]{0,800}){0,17}) -->"
)
MAC_FIELD = "mac"
_MAC_HEX = 32  # 128 bits
_KEY: ContextVar[bytes | None] = ContextVar("hephaestus_marker_key", default=None)


def derive_key(secret: str | bytes, repository: str) -> bytes:
    """The sealing key for one repository from a secret only the bot holds: a marker sealed
    in one repository is worthless in another."""
    raw = secret.encode() if isinstance(secret, str) else secret
    scope = b"hephaestus markers v1\x00" + repository.lower().encode()
    return hmac.new(hashlib.sha256(raw).digest(), scope, hashlib.sha256).digest()


@contextmanager
def sealing(key: bytes | None) -> Iterator[None]:
    """Render sealed markers and read only sealed ones inside (None: structure only)."""
    token = _KEY.set(key)
    try:
        yield
    finally:
        _KEY.reset(token)


def is_sealing() -> bool:
    return _KEY.get() is not None


def _mac(key: bytes, kind: str, fields: Mapping[str, str]) -> str:
    canonical = kind + "".join(
        f" {k}={quote(v, safe=_SAFE)}" for k, v in fields.items() if k != MAC_FIELD
    )
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()[:_MAC_HEX]


def _authentic(marker: Marker, sealed: bool) -> bool:
    key = _KEY.get()
    if key is None or not sealed:
        return True
    return hmac.compare_digest(marker.get(MAC_FIELD), _mac(key, marker.kind, marker.fields))


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


def render(kind: str, *, sealed: bool = True, **fields: str | int) -> str:
    """`render("check", sha="abc")` -> `<!-- hephaestus:check sha=abc -->` (plus `mac=` while a
    key is active, unless `sealed=False`). Values are truncated to MAX_VALUE characters and
    encoded; keys and kind must be lowercase names."""
    if not _NAME.fullmatch(kind):
        raise MarkerError(f"bad marker kind {kind!r}")
    if len(fields) > MAX_KEYS:
        raise MarkerError(f"a marker holds at most {MAX_KEYS} fields")
    values: dict[str, str] = {}
    for key, value in fields.items():
        if not _NAME.fullmatch(key):
            raise MarkerError(f"bad marker key {key!r}")
        if key != MAC_FIELD:  # a parsed marker's fields passed on: its seal is made afresh
            values[key] = str(value)[:MAX_VALUE]
    mac_key = _KEY.get()
    if sealed and mac_key is not None:
        values[MAC_FIELD] = _mac(mac_key, kind, values)
    parts = [f"<!-- {PREFIX}:{kind}"]
    parts += [f"{key}={quote(value, safe=_SAFE)}" for key, value in values.items()]
    return " ".join(parts) + " -->"


def _marker(match: re.Match[str]) -> Marker:
    fields = {}
    for pair in match.group(2).split():
        key, _, value = pair.partition("=")
        fields[key] = unquote(value)
    return Marker(match.group(1), fields)


def parse_all(body: str, *, sealed: bool = True) -> list[Marker]:
    """Every authentic marker anywhere near the start of `body`, in order (for markers the bot
    puts inside a body it wrote, such as the dashboard's checkboxes)."""
    found = (_marker(m) for m in _MARKER.finditer(body[:SCAN_CHARS]))
    return [m for m in found if _authentic(m, sealed)]


def leading(body: str, *, sealed: bool = True) -> list[Marker]:
    """The authentic markers on the lines that open `body`, before anything else: the only
    place the bot puts the marker of what it posts, and where no echoed text can reach."""
    found = []
    for line in body[:SCAN_CHARS].split("\n"):
        match = _MARKER.fullmatch(line.strip())
        if match is None:
            break
        marker = _marker(match)
        if _authentic(marker, sealed):
            found.append(marker)
    return found


def parse(body: str, kind: str, *, sealed: bool = True) -> Marker | None:
    """The first authentic marker of `kind` among the leading markers of `body`."""
    return next((m for m in leading(body, sealed=sealed) if m.kind == kind), None)


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
