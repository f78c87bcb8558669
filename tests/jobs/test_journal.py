"""The payload journal on real files: framing, torn tails, rotation and the writer's lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
    refs = writer.append([(f"meta{n}".encode(), payload(n)) for n in range(5)])  # one write
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
    refs = [writer.append([(b"m", payload(n))])[0] for n in range(3)]
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
    good, _, _ = writer.append([(b"m", payload(1)), (b"m", b'{"cut": "sho'), (b"m", payload(2))])
    writer.close()
    assert [r.ref for r in journal.scan(tmp_path / good.segment, 0, is_json)] == [good]


def test_read_refuses_a_reference_that_names_no_record(tmp_path: Path):
    writer = JournalWriter(tmp_path)
    first = writer.append([(b"meta", payload(1))])[0]
    second = writer.append([(b"meta", payload(2))])[0]
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
    refs = [writer.append([(b"m", payload(n))])[0] for n in range(6)]
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
    writer.append([(b"m", payload(1))])
    try:
        journal.remove_abandoned_partials(tmp_path)
        assert sorted(os.listdir(tmp_path)) == journal.segment_names(tmp_path)
    finally:
        writer.close()


def test_a_batch_past_the_kernels_iovec_limit_is_written_whole_and_in_order(tmp_path: Path):
    writer = JournalWriter(tmp_path)
    records = [(f"m{n}".encode(), payload(n % 50)) for n in range(1500)]  # > IOV_MAX / 2
    try:
        refs = writer.append(records)
        assert [journal.read(tmp_path, ref) for ref in refs] == [p for _, p in records]
        scanned = list(journal.scan(tmp_path / refs[0].segment, 0, is_json))
        assert [r.ref for r in scanned] == refs
    finally:
        writer.close()


# Appends one record, then a batch that crosses a file size limit (the kernel writes part of it),
# then one more record; prints what the segment holds.
FAILING_WRITE = """
import json, os, resource, signal, sys
from pathlib import Path
from ghbot.jobs import journal
from ghbot.jobs.journal import JournalWriter

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a plain EFBIG / short write instead of a kill
directory = Path(sys.argv[1])
writer = JournalWriter(directory)
(first,) = writer.append([(b"m", b'{"first": 1}')])
resource.setrlimit(resource.RLIMIT_FSIZE, (10_000, 10_000))
try:
    writer.append([(b"m", json.dumps({"big": "y" * 3000}).encode()) for _ in range(5)])
    error = None
except OSError as exc:
    error = str(exc)
size = os.path.getsize(directory / first.segment)
(last,) = writer.append([(b"m", b'{"last": 2}')])
payloads = [r.payload.decode() for r in journal.scan(directory / first.segment, 0, lambda p: True)]
print(json.dumps({"error": error, "size_after_failure": size, "first_end": first.offset +
                  first.length, "last_offset": last.offset, "payloads": payloads}))
"""


def test_a_failed_batch_write_keeps_none_of_the_batch_and_later_appends_follow_on(
    tmp_path: Path,
):
    out = subprocess.run([sys.executable, "-c", FAILING_WRITE, str(tmp_path)],
                         capture_output=True, text=True, check=True).stdout
    result = json.loads(out)
    assert result["error"] is not None
    assert result["size_after_failure"] == result["first_end"]  # the partial batch cut off
    assert result["last_offset"] == result["first_end"]
    assert result["payloads"] == ['{"first": 1}', '{"last": 2}']


def resident_bytes(path: Path) -> int:
    """How much of `path` is in the page cache (util-linux's fincore, essential on Debian)."""
    out = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return int(out.split()[0])


def test_only_the_newest_steps_of_the_journal_stay_in_the_page_cache(tmp_path: Path):
    step = 256 * 1024
    writer = JournalWriter(tmp_path, cache_step=step)
    records = [(b"m", json.dumps({"n": n, "body": "q" * 30_000}).encode()) for n in range(8)]
    refs = []
    try:
        for _ in range(40):  # ~10 MB in batches of ~240 KB
            refs += writer.append(records)
            assert writer.live_fd is not None
            os.fdatasync(writer.live_fd)  # written back: the next advice may drop it
        path = tmp_path / refs[0].segment
        assert path.stat().st_size > 30 * step
        assert resident_bytes(path) <= 5 * step
        # What left the cache is still on disk, whole.
        assert [journal.read(tmp_path, r) for r in refs[:16]] == [p for _, p in records] * 2
    finally:
        writer.close()
