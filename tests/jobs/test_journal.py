"""The payload journal on real files: framing, torn tails, rotation and the writer's lock."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ghbot.jobs import journal
from ghbot.jobs.journal import JournalError, JournalWriter, Ref


def is_json(payload: bytes) -> bool:
    try:
        json.loads(payload)
    except ValueError:
        return False
    return True


def payload(n: int) -> bytes:
    return json.dumps({"n": n, "body": "z" * (100 + n)}).encode()


def test_append_read_and_scan_round_trip(tmp_path: Path):
    writer = JournalWriter(tmp_path)
    refs = [writer.append(f"meta{n}".encode(), payload(n)) for n in range(5)]
    try:
        assert [journal.read(tmp_path, ref) for ref in refs] == [payload(n) for n in range(5)]
        (name,) = journal.segment_names(tmp_path)
        records = list(journal.scan(tmp_path / name, 0, is_json))
        assert [(r.ref, r.meta, r.payload) for r in records] == [
            (ref, f"meta{n}".encode(), payload(n)) for n, ref in enumerate(refs)
        ]
        # From an offset: only what follows it.
        later = list(journal.scan(tmp_path / name, refs[3].offset, is_json))
        assert [r.ref for r in later] == refs[3:]
    finally:
        writer.close()


def test_a_torn_tail_ends_the_scan_and_earlier_records_survive(tmp_path: Path):
    writer = JournalWriter(tmp_path)
    refs = [writer.append(b"m", payload(n)) for n in range(3)]
    writer.close()
    path = tmp_path / refs[0].segment
    os.truncate(path, refs[2].offset + refs[2].length - 7)  # killed mid-write of the last one
    assert [r.ref for r in journal.scan(path, 0, is_json)] == refs[:2]
    with pytest.raises(JournalError):
        journal.read(tmp_path, refs[2])

    # Junk after the good records (zeros, a header with no body) is not a record either.
    os.truncate(path, refs[2].offset)
    with open(path, "ab") as f:
        f.write(b"\0" * 64)
    assert [r.ref for r in journal.scan(path, 0, is_json)] == refs[:2]


def test_a_payload_that_is_not_whole_json_ends_the_scan(tmp_path: Path):
    writer = JournalWriter(tmp_path)
    good = writer.append(b"m", payload(1))
    writer.append(b"m", b'{"cut": "sho')
    writer.append(b"m", payload(2))
    writer.close()
    assert [r.ref for r in journal.scan(tmp_path / good.segment, 0, is_json)] == [good]


def test_read_refuses_a_reference_that_names_no_record(tmp_path: Path):
    writer = JournalWriter(tmp_path)
    first = writer.append(b"meta", payload(1))
    second = writer.append(b"meta", payload(2))
    writer.close()
    for wrong in (
        Ref(first.segment, first.offset + 1, first.length),  # inside a record
        Ref(first.segment, first.offset, first.length + 1),  # wrong length
        Ref(first.segment, second.offset + second.length, 100),  # past the end
        Ref("00000000000000000000-1.seg", 0, first.length),  # no such segment
    ):
        with pytest.raises(JournalError):
            journal.read(tmp_path, wrong)
    # A flipped meta byte fails the header's crc.
    with open(tmp_path / first.segment, "r+b") as f:
        f.seek(journal.HEADER_SIZE)
        f.write(b"X")
    with pytest.raises(JournalError):
        journal.read(tmp_path, first)
    assert [r.ref for r in journal.scan(tmp_path / first.segment, 0, is_json)] == []


def test_rotation_keeps_old_segments_locked_until_released(tmp_path: Path):
    writer = JournalWriter(tmp_path, segment_bytes=500)
    refs = [writer.append(b"m", payload(n)) for n in range(6)]
    names = journal.segment_names(tmp_path)
    try:
        assert len(names) > 1 and names == sorted({r.segment for r in refs})
        assert writer.live is not None and writer.live[0] == names[-1]
        assert {name for name, _ in writer.retired()} == set(names[:-1])
        # Held by a live writer: nobody else may adopt them (this very process neither).
        assert all(journal.try_lock(tmp_path / n) is None for n in names)
        writer.release(names[0])
        fd = journal.try_lock(tmp_path / names[0])
        assert fd is not None
        os.close(fd)
        assert [journal.read(tmp_path, r) for r in refs] == [payload(n) for n in range(6)]
    finally:
        writer.close()
    for name in names:
        fd = journal.try_lock(tmp_path / name)
        assert fd is not None
        os.close(fd)


def test_an_abandoned_partial_segment_is_removed_but_not_a_live_one(tmp_path: Path):
    (tmp_path / "00000000000000000001-1.seg.partial").write_bytes(b"")
    writer = JournalWriter(tmp_path)
    writer.append(b"m", payload(1))
    try:
        journal.remove_abandoned_partials(tmp_path)
        assert sorted(os.listdir(tmp_path)) == journal.segment_names(tmp_path)
    finally:
        writer.close()
