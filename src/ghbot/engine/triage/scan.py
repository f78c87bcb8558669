"""Stream a raw log in large chunks and hand over only the small regions around trigger lines.

The whole log is never held: a chunk (4 MiB) plus a carry of a few dozen lines. One RE2 pattern
finds trigger lines (linear time, hundreds of MB/s); lines are counted with `bytes.count`. Every
hit becomes a region of `before` + `after` lines of context; overlapping regions merge. Lines
that repeat verbatim (a cascade, a retry loop) are counted, not re-extracted.
"""

from __future__ import annotations

import builtins
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, overload

import re2

from ghbot.engine.re2match import first_match
from ghbot.engine.triage.normalise import RAW_LIMIT, Kind, Line, normalise

CHUNK = 4 << 20
MAX_PENDING = 1 << 20  # a single line longer than this keeps only its head
PENDING_KEEP = 64 << 10
MAX_REGION_LINES = 1500
MAX_STEPS = 5000
MAX_KEYS = 50_000
REPEAT_LIMIT = 3  # the first occurrences of a verbatim line are extracted, the rest counted
TAIL_LINES = 80
# A trigger line costs a regex call (~5 us), one that is not a repeat its extraction too (~100
# us): millions of them took minutes. After MAX_TRIGGERS of them, or MAX_EXTRACTED new ones, lines
# are only counted, and the last TAIL_SCAN bytes of the log get a budget of their own (enough for
# each of their lines, however short).
MAX_TRIGGERS = 1_000_000
MAX_EXTRACTED = 20_000
TAIL_SCAN = 32 << 10
TAIL_BUDGET = (TAIL_SCAN, TAIL_SCAN // 4)  # a trigger line has 4 bytes at least: `oom\n`
KEY_BYTES = 300


class Readable(Protocol):
    """What a log stream must offer: a file, a zip member, a pipe, a capped reader."""

    def read(self, size: int = -1, /) -> bytes: ...


class Lines(Sequence[Line]):
    """Consecutive raw lines, normalised only when looked at (most context is never read)."""

    __slots__ = ("first", "texts", "_cache", "_mentions", "_joined")

    def __init__(self, first: int, texts: list[str]) -> None:
        self.first = first
        self.texts = texts
        # One slot per line, None until normalised: read a hundred thousand times per run of
        # the shared logs, a list index is the cheapest lookup (a negative index too).
        self._cache: list[Line | None] = [None] * len(texts)
        self._mentions: dict[str, bool] = {}
        self._joined: str | None = None

    def mentions(self, word: str) -> bool:
        """Whether any raw line holds `word` (once per region and word; `word` holds no line
        break). One search of the region's text joined once, not a generator over its lines."""
        found = self._mentions.get(word)
        if found is None:
            if self._joined is None:
                self._joined = "\n".join(self.texts)
            found = self._mentions[word] = word in self._joined
        return found

    def __len__(self) -> int:
        return len(self.texts)

    @overload
    def __getitem__(self, index: int) -> Line: ...

    @overload
    def __getitem__(self, index: slice) -> list[Line]: ...

    def __getitem__(self, index: int | slice) -> Line | list[Line]:
        if isinstance(index, slice):
            return [self._line(i) for i in range(*index.indices(len(self.texts)))]
        line = self._cache[index]
        return self._line(index) if line is None else line

    def __iter__(self) -> Iterator[Line]:
        return map(self._line, range(len(self.texts)))

    def _line(self, index: int) -> Line:
        line = self._cache[index]
        if line is None:
            number = index if index >= 0 else index + len(self.texts)
            line = self._cache[index] = normalise(self.first + number, self.texts[index])
        return line


@dataclass(slots=True)
class Region:
    lines: Lines  # consecutive lines; lines[0].number is the first line's number
    hits: list[int]  # indexes into `lines` of the trigger lines
    keys: list[bytes]  # the repeat key of each hit


@dataclass(slots=True)
class ScanResult:
    lines: int = 0
    bytes: int = 0  # shadows the type inside the class body: below it is builtins.bytes
    steps: list[tuple[int, str]] = field(default_factory=list)  # (first line, step name)
    tail: Sequence[Line] = ()
    # hits skipped as verbatim repeats
    repeats: Counter[builtins.bytes] = field(default_factory=Counter)
    annotations: list[int] = field(default_factory=list)  # lines of repeated ##[error] skipped


def repeat_key(raw: bytes) -> bytes:
    """The line without its runner timestamp: the same message at another time is a repeat."""
    if raw[4:5] == b"-" and raw[10:11] == b"T":
        space = raw.find(b" ", 0, 40)
        if space != -1:
            raw = raw[space + 1 :]
    return raw[:KEY_BYTES]


# Bytes in every step header line (see normalise): only lines holding one are normalised here.
_STEP_MARKS = re.compile(
    rb"##\[group\]Run |travis_fold:start:|section_start:|\$ |##\[section\]Starting: "
    rb"|\[Pipeline\] \{ \(|--- :|\+\+\+ :|~~~ |Done\. Your build exited|Post job cleanup\."
)


class Scanner:
    def __init__(self, prefilter: re2._Regexp, before: int = 40, after: int = 40) -> None:
        self.prefilter = prefilter
        self._first = first_match(prefilter)
        self.before = before
        self.after = after
        self.result = ScanResult()
        self._seen: Counter[bytes] = Counter()
        self._budget = (MAX_TRIGGERS, MAX_EXTRACTED)  # trigger lines, new ones
        self._scanned = 0  # where the last _scan stopped in its buffer

    def run(self, stream: Readable, chunk: int = CHUNK) -> Iterator[Region]:
        carry, carry_line, scan_from, pending = b"", 1, 0, b""
        last_byte = b""
        ahead = stream.read(chunk)
        while True:
            # A chunk is read ahead, so the last one is known to be the last: a log of one chunk
            # (nearly every log) is scanned in one pass, with no chunk boundary for a failure's
            # lines to straddle (its lines were yielded twice, in two regions).
            data, ahead = ahead, stream.read(chunk) if ahead else b""
            eof = not ahead
            if data:
                self.result.bytes += len(data)
                last_byte = data[-1:]
            buf = carry + pending + data if pending or carry else data
            if eof:
                cut = len(buf)
            else:
                cut = buf.rfind(b"\n", len(carry)) + 1
                if cut == 0:
                    pending = buf[len(carry) :]
                    if len(pending) > MAX_PENDING:
                        pending = pending[:PENDING_KEEP]
                    continue
            pending = buf[cut:] if not eof else b""
            buf = buf[:cut] if not eof else buf
            limit = len(buf) if eof else _back(buf, len(buf), self.after, scan_from)[0]
            cursor = _Cursor(carry_line)
            tail = eof and self._spent
            if tail:
                self._budget = TAIL_BUDGET  # the end of the log, where failures show
            self._scanned = 0
            if not self._spent:
                yield from self._scan(buf, scan_from, limit, cursor)
            if eof and not tail and self._spent:
                # Out of trigger lines inside the last chunk: its last TAIL_SCAN bytes still get
                # the tail's budget, as when they come in a chunk of their own.
                self._budget = TAIL_BUDGET
                yield from self._scan(buf, max(_tail_start(buf), self._scanned), len(buf), cursor)
            if eof:
                # Lines of text: a trailing newline ends the last line, it does not start one.
                total = cursor.line_at(buf, len(buf))
                self.result.lines = total - 1 if last_byte in (b"\n", b"") else total
                self._keep_tail(buf, cursor)
                return
            if self._spent:
                # Out of trigger lines: only count lines, and keep the last TAIL_SCAN bytes
                # unscanned for the end of the log.
                start = max(_tail_start(buf), self._scanned)  # never scan a line twice
                carry_line, carry, scan_from = cursor.line_at(buf, start), buf[start:], 0
                continue
            start, walked = _back(buf, limit, self.before, 0)
            carry_line = cursor.line_at(buf, limit) - walked
            carry = buf[start:]
            scan_from = limit - start

    @property
    def _spent(self) -> bool:
        return min(self._budget) <= 0

    def _scan(self, buf: bytes, pos: int, limit: int, cursor: _Cursor) -> Iterator[Region]:
        # Once per trigger line: attributes are bound to locals and the budget is two ints,
        # written back before every yield and at the end.
        first, seen_keys, result = self._first, self._seen, self.result
        steps, repeats, annotations = result.steps, result.repeats, result.annotations
        after, before = self.after, self.before
        triggers, extracted = self._budget
        region: _Open | None = None
        while pos < limit:
            if triggers <= 0 or extracted <= 0:
                self._scanned = pos
                break
            at = first(buf, pos, limit)
            if at < 0:
                break
            triggers -= 1
            start = buf.rfind(b"\n", 0, at) + 1
            end = buf.find(b"\n", at)
            if end == -1:
                end = len(buf)
            pos = end + 1
            number = cursor.line_at(buf, start)
            key = repeat_key(buf[start : min(end, start + KEY_BYTES + 64)])
            if _STEP_MARKS.search(key):
                line = normalise(number, buf[start:end].decode("utf-8", "replace"))
                if line.kind is Kind.STEP:
                    if len(steps) < MAX_STEPS:
                        steps.append((number, line.text[:120]))
                    continue
            seen = seen_keys.get(key, 0)
            if seen >= REPEAT_LIMIT:
                repeats[key] += 1
                if key.startswith(b"##[error]") and len(annotations) < MAX_STEPS:
                    annotations.append(number)  # still marks its step as failed
                continue
            if seen or len(seen_keys) < MAX_KEYS:
                seen_keys[key] = seen + 1
            extracted -= 1
            # Within `after` + `before` lines of the previous hit (their context overlaps): same
            # region. Its end is found only once, when it closes, so a burst of hits costs a
            # comparison each.
            if (
                region is not None
                and number <= region.last_number + after + before
                and number - region.first < MAX_REGION_LINES
            ):
                region.add(start, number, key)
                continue
            floor = 0
            if region is not None:
                floor = _forward(buf, region.last_start, after)
                self._budget = (triggers, extracted)
                yield region.close(buf, floor)
            begin, walked = _back(buf, start, before, floor)
            region = _Open(begin, number - walked)
            region.add(start, number, key)
        self._budget = (triggers, extracted)
        if region is not None:
            yield region.close(buf, _forward(buf, region.last_start, after))

    def _keep_tail(self, buf: bytes, cursor: _Cursor) -> None:
        start, _ = _back(buf, len(buf), TAIL_LINES, 0)
        first = cursor.line_at(buf, start)
        texts = buf[start:].decode("utf-8", "replace").split("\n")
        if texts and texts[-1] == "" and buf.endswith(b"\n"):
            texts.pop()
        # Normalised only if read (the locator reads it only when no step failure was seen).
        self.result.tail = Lines(first, [text[:RAW_LIMIT] for text in texts])


def _tail_start(buf: bytes) -> int:
    """Start of the first whole line of the last TAIL_SCAN bytes of buf."""
    return buf.find(b"\n", len(buf) - TAIL_SCAN) + 1 if len(buf) > TAIL_SCAN else 0


class _Cursor:
    """Line number of an offset, counted incrementally; queries may go backwards a little."""

    def __init__(self, first_line: int) -> None:
        self.offset = 0
        self.line = first_line

    def line_at(self, buf: bytes, offset: int) -> int:
        if offset >= self.offset:
            self.line += buf.count(b"\n", self.offset, offset)
        else:
            self.line -= buf.count(b"\n", offset, self.offset)
        self.offset = offset
        return self.line


class _Open:
    __slots__ = ("begin", "first", "hits", "last_start", "last_number")

    def __init__(self, begin: int, first: int) -> None:
        self.begin, self.first = begin, first
        self.hits: list[tuple[int, bytes]] = []
        self.last_start = self.last_number = 0

    def add(self, start: int, number: int, key: bytes) -> None:
        self.hits.append((number, key))
        self.last_start, self.last_number = start, number

    def close(self, buf: bytes, end: int) -> Region:
        texts = buf[self.begin : end].decode("utf-8", "replace").split("\n")
        if texts and texts[-1] == "" and buf[end - 1 : end] == b"\n":
            texts.pop()
        return Region(
            lines=Lines(self.first, texts),
            hits=[number - self.first for number, _ in self.hits],
            keys=[key for _, key in self.hits],
        )


WALK_WINDOW = 8 << 10  # bytes split first for a walk of a few dozen lines (grown if too few)


def _back(buf: bytes, offset: int, lines: int, floor: int) -> tuple[int, int]:
    """Start of the line `lines` lines above the one starting at `offset` (not below floor),
    and how many lines up that is. One split of the bytes above, not a `rfind` per line."""
    if lines <= 0 or offset <= floor:
        return offset, 0
    window = WALK_WINDOW
    while True:
        low = max(floor, offset - window)
        above = buf[low : offset - 1].rsplit(b"\n", lines)
        if len(above) > lines:  # `lines` newlines above: the line after the first one split
            return low + len(above[0]) + 1, lines
        if low == floor:  # fewer lines above the floor than asked: up to the floor
            return floor, len(above)
        window *= 4


def _forward(buf: bytes, offset: int, lines: int) -> int:
    """Offset just past the line `lines` lines below the one starting at `offset`."""
    window = WALK_WINDOW
    while True:
        below = buf[offset : offset + window].split(b"\n", lines + 1)
        if len(below) > lines + 1:  # its newline and `lines` more: just past the last of them
            return offset + sum(map(len, below[: lines + 1])) + lines + 1
        if offset + window >= len(buf):
            return len(buf)
        window *= 4
