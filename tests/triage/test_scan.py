"""The scanner's line numbers must be exact over the raw input, whatever the chunking."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
import re2

from ghbot.engine.re2match import first_match
from ghbot.engine.triage.engine import TRIGGERS, build_prefilter
from ghbot.engine.triage.rules import Catalog, load_catalog
from ghbot.engine.triage.scan import (
    CHUNK,
    MAX_EXTRACTED,
    PENDING_KEEP,
    TAIL_SCAN,
    Scanner,
)

PREFILTER = build_prefilter(Catalog([]))


def _log(seed: int, lines: int) -> bytes:
    rng = random.Random(seed)
    words = ["compiling", "ok", "error: bad thing", "warning", "", "FAILED x", "progress\r50%"]
    out = [f"{i} {rng.choice(words)} {rng.randint(0, 9)}" for i in range(lines)]
    return "\n".join(out).encode()


@pytest.mark.parametrize("chunk", [7, 64, 1000, 1 << 20])
@pytest.mark.parametrize("trailing_newline", [True, False])
def test_region_lines_carry_their_raw_line_numbers(chunk: int, trailing_newline: bool) -> None:
    data = _log(chunk, 3000) + (b"\n" if trailing_newline else b"")
    raw = data.decode().split("\n")
    scanner = Scanner(PREFILTER, before=3, after=3)
    seen_hits = []
    for region in scanner.run(io.BytesIO(data), chunk=chunk):
        for line in region.lines:  # every line's number points at the raw line it came from
            assert raw[line.number - 1].split(" ")[0] == str(line.number - 1)
        seen_hits += [region.lines[i].number for i in region.hits]
    expected = [n for n, text in enumerate(raw, 1) if ("error" in text or "FAILED" in text)]
    repeats = sum(scanner.result.repeats.values())
    assert sorted(seen_hits) == seen_hits
    assert set(seen_hits) <= set(expected)
    assert len(seen_hits) + repeats == len(expected)
    assert scanner.result.lines == data.count(b"\n") + (0 if trailing_newline else 1)
    assert scanner.result.bytes == len(data)
    assert scanner.result.tail[-1].number == scanner.result.lines


def test_the_same_line_again_is_counted_not_extracted() -> None:
    data = b"".join(b"2024-05-01T10:00:%02dZ error: disk on fire\n" % (i % 60) for i in range(500))
    scanner = Scanner(PREFILTER)
    hits = sum(len(region.hits) for region in scanner.run(io.BytesIO(data)))
    assert hits == 3
    assert sum(scanner.result.repeats.values()) == 497


def test_a_line_without_newline_larger_than_memory_budget_is_cut() -> None:
    data = b"start\n" + b"x" * (5 << 20) + b" error here\nerror: after\n"
    scanner = Scanner(PREFILTER, before=1, after=1)
    regions = list(scanner.run(io.BytesIO(data), chunk=1 << 16))
    numbers = [region.lines[i].number for region in regions for i in region.hits]
    # The 5 MB line kept only its head and its last chunk, yet is still line 2 and still a hit.
    assert numbers == [2, 3]
    assert scanner.result.lines == 3
    assert all(len(line.text) <= PENDING_KEEP for region in regions for line in region.lines)


def test_steps_are_recorded_with_their_first_line() -> None:
    data = b"setup\n##[group]Run make\nmake\n##[endgroup]\nok\n##[group]Run pytest\nE\n"
    scanner = Scanner(PREFILTER)
    list(scanner.run(io.BytesIO(data)))
    assert scanner.result.steps == [(2, "make"), (6, "pytest")]


class _PublicOnly:
    """A compiled pattern offering only the binding's public search."""

    def __init__(self, pattern: object) -> None:
        self.pattern = pattern

    def search(self, buf: bytes, pos: int, end: int) -> object:
        return self.pattern.search(buf, pos, end)  # type: ignore[attr-defined]


def test_first_match_calls_re2_directly_and_answers_as_search() -> None:
    rng = random.Random(3)
    data = _log(3, 400) + b"\nno newline at the end: error"
    direct, public = first_match(PREFILTER), first_match(_PublicOnly(PREFILTER))  # type: ignore[arg-type]
    assert direct.__name__ == "direct" and public.__name__ == "public"
    for _ in range(500):
        pos = rng.randrange(len(data))
        end = rng.randrange(pos, len(data) + 1)
        found = PREFILTER.search(data, pos, end)
        expected = -1 if found is None else found.start()
        assert direct(data, pos, end) == public(data, pos, end) == expected


def test_context_reaches_over_lines_longer_than_the_walk_window() -> None:
    # Context is found by splitting a window of bytes around the hit, grown until it holds
    # enough lines: lines of 20 kB each still give `before` and `after` whole lines.
    long = [f"{i} " + "x" * 20_000 for i in range(12)]
    data = "\n".join([*long[:6], "error: here", *long[6:]]).encode()
    scanner = Scanner(PREFILTER, before=4, after=3)
    [region] = list(scanner.run(io.BytesIO(data)))
    numbers = [line.number for line in region.lines]
    assert numbers == list(range(3, 11))
    assert region.lines[region.hits[0]].text == "error: here"
    firsts = [line.text.split(" ")[0] for line in region.lines]
    assert firsts == ["2", "3", "4", "5", "error:", "6", "7", "8"]


def test_prefilter_without_subsumed_literals_finds_the_same_lines_on_real_logs() -> None:
    """Rule literals that hold a trigger word are left out of the prefilter: on every real
    fixture, and on lines made of the literals alone, it still finds exactly the lines that
    the triggers and every literal find."""
    catalog = load_catalog()
    literals = catalog.literals()
    full = re2.compile(
        "(?i)" + "|".join(f"(?:{w})" for w in [*TRIGGERS, *map(re2.escape, literals)])
    )
    lean = build_prefilter(catalog)
    assert len(lean.pattern) < len(full.pattern)  # some literals were left out
    real = sorted((Path(__file__).parent / "fixtures" / "real").glob("*.log"))
    lines = [raw for path in real for raw in path.read_bytes().split(b"\n")]
    lines += [f"x {literal.upper()} y".encode() for literal in literals]
    lines += [literal.lower().encode() for literal in literals]
    assert len(real) > 50
    for raw in lines:
        assert bool(lean.search(raw)) == bool(full.search(raw)), raw


def test_oom_triggers_only_where_a_word_starts() -> None:
    # `oom` inside `zoom`, `room` or `bloom` (URLs, prose) was one trigger line in seventy of
    # the real logs, each a regex call and an extraction for nothing.
    for text in (b"oom_reaper: reaped process 42 (python)", b"memory cgroup OOM event"):
        assert PREFILTER.search(text) is not None, text
    for text in (b"https://zoom.us/j/123", b"a bloom filter for the classroom"):
        assert PREFILTER.search(text) is None, text


def test_hits_whose_context_overlaps_share_one_region() -> None:
    # A hit 41 lines below another: its own context above (a log record's header over the
    # exception it logged) reaches into the other's context below, so both are one region and
    # each sees the lines above it.
    lines = ["error: first"] + [f"frame {n}" for n in range(39)] + [
        "Dec 06, 2026 4:32:02 AM Prices total", "WARNING: using the cached price",
        "java.io.IOException: price service unreachable"] + [f"frame {n}" for n in range(60)]
    log = io.BytesIO("\n".join(lines).encode())
    regions = list(Scanner(PREFILTER, before=40, after=40).run(log))
    assert len(regions) == 1
    region = regions[0]
    assert [region.lines[i].text for i in region.hits] == ["error: first", lines[42]]
    assert region.lines[region.hits[1] - 2].text == "Dec 06, 2026 4:32:02 AM Prices total"


def _hits(data: bytes, chunk: int) -> list[int]:
    """The raw line numbers of the scanner's trigger lines over `data`."""
    scanner = Scanner(PREFILTER)
    return [
        region.lines.first + hit
        for region in scanner.run(io.BytesIO(data), chunk=chunk)
        for hit in region.hits
    ]


@pytest.mark.parametrize("chunk", [1 << 16, CHUNK])
def test_a_log_that_runs_out_of_trigger_lines_still_has_its_end_searched(chunk: int) -> None:
    """Past MAX_EXTRACTED new trigger lines only lines are counted, but the log's last TAIL_SCAN
    bytes are searched all the same: also when the whole log is one chunk (it is read ahead,
    so that chunk is known to be the last), where the end would else never be reached."""
    noise = [f"error {n}: noise" for n in range(MAX_EXTRACTED + 20_000)]
    data = "\n".join([*noise, *["ok"] * 200, "fatal: the real cause", "done"]).encode()
    assert len(data) < CHUNK
    hits = _hits(data, chunk)
    assert hits[-1] == len(noise) + 201  # the cause's line, 1-based
    # the noise between the spent budget and the end (the last TAIL_SCAN bytes, and with
    # small chunks the rest of the last chunk) is only counted
    tail_lines = (TAIL_SCAN + chunk) // len("error 20000: noise\n") if chunk < CHUNK else 2000
    assert not [n for n in hits if MAX_EXTRACTED + 100 < n < len(noise) - tail_lines]


def test_a_log_of_one_chunk_yields_each_line_in_one_region() -> None:
    """Lines near the end of a chunk used to come again at the start of the last region (the
    chunk's end was not known to be the log's): a failure there was reported twice."""
    quiet = [f"{n} compiling" for n in range(2900)]
    data = "\n".join([*quiet, *[f"{n} error: bad" for n in range(0, 100)]]).encode()
    scanner = Scanner(PREFILTER)
    regions = list(scanner.run(io.BytesIO(data)))
    numbers = [region.lines.first + n for region in regions for n in range(len(region.lines))]
    assert len(numbers) == len(set(numbers))
