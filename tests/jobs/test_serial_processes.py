"""Serial keys across processes: worker processes on one real store (a SQLite file, a
redis-server) never run two jobs that share a key at the same time, and do run jobs on
different keys side by side."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

from ghbot.jobs.backends import open_queue
from ghbot.jobs.models import JobSpec

WORKER = Path(__file__).with_name("serial_worker.py")

# Several keys per job, as a workflow_run that writes a report and the records holds them.
JOBS = {
    "rec-1": ("o/r:records",),
    "rec-2": ("o/r#1", "o/r:records"),
    "rec-3": ("o/r:failures:main", "o/r:records"),
    "pr1-a": ("o/r#1", "o/r@aaa"),
    "pr1-b": ("o/r#1", "o/r@bbb"),
    "pr2-a": ("o/r#2", "o/r@ccc"),
    "pr2-b": ("o/r#2",),
    "fail-1": ("o/r:failures:main",),
    "other-1": ("x/y#9",),
    "other-2": ("x/y:records",),
    "free-1": (),
    "free-2": (),
}


def intervals(log: Path) -> dict[str, tuple[float, float]]:
    starts: dict[str, float] = {}
    spans: dict[str, tuple[float, float]] = {}
    for line in log.read_text().splitlines():
        kind, delivery, at = line.split()
        if kind == "start":
            starts[delivery] = float(at)
        else:
            spans[delivery] = (starts.pop(delivery), float(at))
    return spans


async def test_worker_processes_never_overlap_jobs_that_share_a_key(
    backend_url: str, tmp_path: Path
):
    queue = await open_queue(backend_url)
    for delivery, keys in JOBS.items():
        await queue.enqueue(JobSpec(delivery, "push", b"{}", serial_keys=keys))
    await queue.close()
    log = tmp_path / "runs.log"
    workers = [
        subprocess.Popen([sys.executable, str(WORKER), backend_url, f"w{i}", str(log)])
        for i in range(3)
    ]
    try:
        assert [w.wait(timeout=60) for w in workers] == [0, 0, 0]
    finally:
        for w in workers:
            w.kill()
    spans = intervals(log)
    assert set(spans) == set(JOBS)  # each ran exactly once, to its end
    overlapped = 0
    for (a, (a0, a1)), (b, (b0, b1)) in itertools.combinations(spans.items(), 2):
        at_once = a0 < b1 and b0 < a1
        if set(JOBS[a]) & set(JOBS[b]):
            assert not at_once, f"{a} and {b} share a key but ran at once"
        overlapped += at_once
    assert overlapped > 0  # jobs on different keys do run side by side
