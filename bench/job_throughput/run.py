"""Job throughput: a fixed mix of pull-request jobs run by 1, 2 and 4 `hephaestus worker`
processes on one queue, against the sandbox GitHub; jobs/s for each and the ratio to 1 worker.

Each measurement starts from an empty sandbox (its repositories and installations made afresh,
so GitHub's write budget of 80 a minute per installation, which the bot keeps, is never what
limits) and an empty queue: a redis-server of its own (AOF, `appendfsync always`), and with
`--sqlite` also the SQLite store under a data dir shared by the processes. An ingest-only
`hephaestus serve` takes the deliveries. The workers first run warm-up jobs until each process
has finished one (imports, the first analysis); then the measured deliveries are sent and the
clock runs until the queue is empty.

The mix: PULLS pull requests across PULLS/3 installations, each changing two small Python
modules; half are `opened`, half `synchronize` after a second push; a third of the modules have
findings (an inline review with suggestions), the rest none (a check run, no review).

The sandbox runs in this process (one thread, every request checked against GitHub's OpenAPI
description), so its CPU is printed beside the workers': on a small machine it is part of what
the workers wait on.

    python bench/job_throughput/run.py [--pulls 60] [--rounds 2] [--workers 1,2,4]
        [--concurrency 4] [--sqlite]

What to expect: one worker process with 4 jobs at once is bound by the jobs' waits (GitHub
round trips), not by CPU, so a second process doubles the jobs in flight: about 2x at 2 workers
on 2 idle cores. Beyond that throughput keeps growing only until the cores are busy: the
`ceiling` column is that limit, the cores divided by the CPU one job costs (worker and sandbox);
with ~80 ms a job on 2 cores it is ~25 jobs/s, so 4 workers stay short of 4x and flatten as they
near it. On a machine whose cores other work already takes, more workers gain nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from app_fleet import Fleet, deliver, fleet_env  # noqa: E402
from redis_server import RedisServer  # noqa: E402
from sandbox import Sandbox  # noqa: E402
from sandbox.webhooks import Delivery, delivery, pull_request_payload  # noqa: E402

from ghbot.jobs.backends import open_queue  # noqa: E402

FINDINGS = (
    "import os\nimport subprocess\n\n\n"
    "def run_{n}(cmd):\n    return subprocess.run(cmd, shell=True)\n"
)
CLEAN = "VALUE_{n} = {n}\n\n\ndef double_{n}(x):\n    return x * 2\n"


def modules(n: int, push: int) -> dict[str, str]:
    body = FINDINGS if n % 3 == 0 else CLEAN
    return {f"pkg/a_{n}.py": body.format(n=n + push), f"pkg/b_{n}.py": CLEAN.format(n=n + push)}


def pulls(sandbox: Sandbox, count: int, tag: str) -> list[Delivery]:
    """`count` pull requests on fresh repositories, three to an installation; their deliveries."""
    out = []
    for n in range(count):
        repo = f"{tag}{n // 3}/app"
        if n % 3 == 0:
            sandbox.create_repo(repo, files={"README.md": "# app\n"})
            sandbox.create_installation(repo.split("/")[0], [repo])
        branch = f"feat-{n}"
        sandbox.commit(repo, branch, modules(n, 0))
        number = sandbox.create_pull(repo, head=branch).number
        action = "opened"
        if n % 2:
            sandbox.commit(repo, branch, modules(n, 1))
            action = "synchronize"
        payload = pull_request_payload(sandbox, repo, number, action=action)
        out.append(delivery("pull_request", payload, sandbox.app.webhook_secret))
    return out


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children (ruff, the isolation workers) so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        times[int(entry)] = sum(int(f) for f in fields[11:15]) / tick
    stack = [pid]
    while stack:
        current = stack.pop()
        total += times.get(current, 0.0)
        stack += children.get(current, [])
    return total


async def drained(url: str, timeout: float) -> None:
    queue = await open_queue(url)
    try:
        async with asyncio.timeout(timeout):
            while (stats := await queue.stats()).pending or stats.running:
                await asyncio.sleep(0.05)
        assert stats.dead == 0, f"{stats.dead} jobs dead-lettered"
    finally:
        await queue.close()


def measure(sandbox: Sandbox, queue_url: str, workers: int, args: argparse.Namespace,
            data: Path) -> tuple[float, float, float]:  # fmt: skip
    """Seconds for the measured jobs, the workers' CPU seconds and the sandbox's."""
    sandbox.reset()
    measured = pulls(sandbox, args.pulls, "org")
    fleet = Fleet(fleet_env(sandbox, data, queue_url), data)
    try:
        url = fleet.serve()
        procs = [fleet.worker(args.concurrency) for _ in range(workers)]
        for k in range(60):  # one more warm-up job while a process has finished none
            if all(fleet.jobs_done(p) for p in procs):
                break
            for d in pulls(sandbox, workers, f"warm{k}-"):
                deliver(url, d)
            asyncio.run(drained(queue_url, 120))
        else:
            raise AssertionError("a worker process finished no warm-up job")
        cpu_before = sum(cpu_seconds(p.pid) for p in procs)
        own_before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.monotonic()
        for d in measured:
            deliver(url, d)
        asyncio.run(drained(queue_url, 600))
        seconds = time.monotonic() - started
        own = resource.getrusage(resource.RUSAGE_SELF)
        cpu = sum(cpu_seconds(p.pid) for p in procs) - cpu_before
        sandbox_cpu = (own.ru_utime + own.ru_stime) - (own_before.ru_utime + own_before.ru_stime)
    finally:
        fleet.end()
    return seconds, cpu, sandbox_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pulls", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--concurrency", type=int, default=4, help="jobs at once per process")
    parser.add_argument("--sqlite", action="store_true", help="the SQLite store too")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    manifest = yaml.safe_load((ROOT / "app.yml").read_text(encoding="utf-8"))
    sandbox = Sandbox(app_permissions=manifest["default_permissions"]).start()
    redis = RedisServer().start()
    print(f"{args.pulls} pull-request jobs per measurement, {args.concurrency} at once per worker "
          f"process, {os.cpu_count()} cores")  # fmt: skip
    print(f"{'backend':8} {'workers':>7} {'seconds':>8} {'jobs/s':>7} {'vs 1':>5} "
          f"{'worker CPU/job':>15} {'sandbox CPU/job':>16} {'ceiling':>8}  loadavg")  # fmt: skip
    backends = ["redis", "sqlite"] if args.sqlite else ["redis"]
    try:
        for round_ in range(args.rounds):
            for backend in backends:
                base = None
                for workers in counts:
                    with tempfile.TemporaryDirectory(prefix="job-throughput-") as tmp:
                        if backend == "redis":
                            redis.flush()
                            url = redis.url
                        else:
                            url = f"sqlite://{tmp}/jobs.sqlite3"
                        seconds, cpu, sandbox_cpu = measure(sandbox, url, workers, args, Path(tmp))
                    rate = args.pulls / seconds
                    base = base or rate
                    load = Path("/proc/loadavg").read_text().split()[0]
                    ceiling = (os.cpu_count() or 1) * args.pulls / (cpu + sandbox_cpu)
                    print(f"{backend:8} {workers:>7} {seconds:>8.1f} {rate:>7.2f} "
                          f"{rate / base:>5.2f} {cpu / args.pulls * 1000:>12.0f} ms "
                          f"{sandbox_cpu / args.pulls * 1000:>13.0f} ms {ceiling:>8.1f}  {load}"
                          f"{'  (round ' + str(round_ + 1) + ')' if workers == counts[0] else ''}",
                          flush=True)  # fmt: skip
    finally:
        redis.close()
        sandbox.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
