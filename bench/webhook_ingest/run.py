"""Webhook ingest: `hephaestus serve` (verify, parse, durable enqueue) against Probot and a bare
HMAC floor.

Drives each server on 127.0.0.1 with signed 26,988-byte pull_request deliveries, each with its own
delivery id, for a fixed time over N keep-alive connections, and prints requests/s, p50 and p99
acknowledgement latency of each, and serve's ratio to each; also each server's CPU time per
request (from /proc), which other load on the machine disturbs far less than requests/s. The load
generator shares the machine's cores with the servers (wrk when installed: `apt-get install wrk`;
else an aiohttp client, which costs more CPU and so understates every figure).

Probot (pinned in probot/package-lock.json, installed there with `npm ci` on the first run) runs
probot/app.mjs twice: as shipped (its handler does nothing; Probot answers 200 once the handlers
ran) and durable (the handler writes the delivery to a file before the 200, as serve writes its
journal before the 202). Each is one Node process; serve is one process unless --processes.

With --redis, a second `hephaestus serve` on a Redis queue joins them: a redis-server of its
own on a unix socket, with AOF and `appendfsync always` (each 202 waits for Redis's fsync).

    python bench/webhook_ingest/run.py [--seconds 10] [--rounds 3] [--connections 32]
        [--processes N] [--size BYTES] [--redis]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXAMPLES = ROOT / "tests/npm/node_modules/@octokit/webhooks-examples/api.github.com/index.json"
SECRET = "bench-secret-" + uuid.uuid4().hex
PROBOT = HERE / "probot"
HANDLERS = "from ghbot.registry import on\n\n@on('pull_request', 'opened')\n" \
    "async def noop(ctx):\n    pass\n\nHANDLERS = [noop]\n"


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    bad: int
    cpu_us: float = float("nan")  # the server process's CPU time per request
    loop_us: float = float("nan")  # of which the main thread's (the event loop)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def payload(size: int) -> bytes:
    """A pull_request.opened example of exactly `size` bytes (its PR body padded), or the
    smallest it can be."""
    groups = json.loads(EXAMPLES.read_text())
    pr = next(g for g in groups if g["name"] == "pull_request")
    body = dict(next(e for e in pr["examples"] if e["action"] == "opened"))
    body["installation"] = {"id": 1}
    body["pull_request"] = {**body["pull_request"], "body": ""}
    raw = json.dumps(body).encode()
    body["pull_request"]["body"] = "x" * max(0, size - len(raw))
    return json.dumps(body).encode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("server did not start")


def drive_wrk(port: int, body_path: Path, sig: str, args: argparse.Namespace, name: str) -> Result:
    env = {**os.environ, "BENCH_BODY": str(body_path), "BENCH_SIG": sig,
           "BENCH_RUN": f"{name}-{uuid.uuid4().hex[:8]}"}
    out = subprocess.run(
        ["wrk", "-t", "1", "-c", str(args.connections), "-d", f"{args.seconds}s",
         "-s", str(HERE / "load.lua"), f"http://127.0.0.1:{port}/webhook"],
        env=env, capture_output=True, text=True, timeout=args.seconds + 60, check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    data = json.loads(line.removeprefix("RESULT "))
    return Result(name, data["requests"], data["duration_us"] / 1e6, data["p50_us"] / 1000,
                  data["p99_us"] / 1000, data["bad_status"] + data["socket_errors"])


async def _drive_aiohttp(port: int, body: bytes, sig: str, args: argparse.Namespace,
                         name: str) -> Result:
    import aiohttp

    latencies: list[float] = []
    bad = 0
    run = uuid.uuid4().hex[:8]
    url = f"http://127.0.0.1:{port}/webhook"
    headers = {"Content-Type": "application/json", "X-GitHub-Event": "pull_request",
               "X-Hub-Signature-256": sig}
    stop_at = time.perf_counter() + args.seconds

    async def connection(session: aiohttp.ClientSession, n: int) -> None:
        nonlocal bad
        i = 0
        while time.perf_counter() < stop_at:
            i += 1
            sent = {**headers, "X-GitHub-Delivery": f"{name}-{run}-{n}-{i}"}
            t0 = time.perf_counter()
            async with session.post(url, data=body, headers=sent) as resp:
                await resp.read()
                if resp.status >= 300:
                    bad += 1
            latencies.append(time.perf_counter() - t0)

    started = time.perf_counter()
    connector = aiohttp.TCPConnector(limit=args.connections)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(connection(session, n) for n in range(args.connections)))
    seconds = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return Result(name, len(latencies), seconds, pct(0.5), pct(0.99), bad)


def drive(port: int, body_path: Path, sig: str, args: argparse.Namespace, name: str) -> Result:
    if args.client == "wrk":
        return drive_wrk(port, body_path, sig, args, name)
    return asyncio.run(_drive_aiohttp(port, body_path.read_bytes(), sig, args, name))


def cpu_seconds(pid: int, tid: int | None = None) -> float:
    """User + system CPU time of a process and its threads, or of one thread (Linux; else NaN)."""
    path = f"/proc/{pid}/stat" if tid is None else f"/proc/{pid}/task/{tid}/stat"
    try:
        fields = Path(path).read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree(pid: int) -> list[int]:
    """The process and its children (`serve --processes N` runs N copies under a supervisor)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid, *map(int, children)]


def tree_cpu(pids: list[int]) -> tuple[float, float]:
    """CPU seconds of these processes: in all their threads, and in their main threads (loops)."""
    return (sum(cpu_seconds(p) for p in pids), sum(cpu_seconds(p, p) for p in pids))


def measured(proc: subprocess.Popen, port: int, body_path: Path, sig: str,
             args: argparse.Namespace, name: str) -> Result:
    pids = tree(proc.pid)
    before, loop_before = tree_cpu(pids)
    result = drive(port, body_path, sig, args, name)
    after, loop_after = tree_cpu(pids)
    result.cpu_us = (after - before) / max(1, result.requests) * 1e6
    result.loop_us = (loop_after - loop_before) / max(1, result.requests) * 1e6
    return result


def median_result(results: list[Result]) -> Result:
    """Each figure's median over the rounds (requests scaled to the median rate)."""
    seconds = statistics.median(r.seconds for r in results)
    rps = statistics.median(r.rps for r in results)
    return Result(
        results[0].name, round(rps * seconds), seconds,
        statistics.median(r.p50_ms for r in results), statistics.median(r.p99_ms for r in results),
        sum(r.bad for r in results), statistics.median(r.cpu_us for r in results),
        statistics.median(r.loop_us for r in results),
    )  # fmt: skip


def start_probot(port: int, tmp: Path, key: str, durable: bool) -> subprocess.Popen:
    """Probot's own server (`run` from the probot package) on 127.0.0.1:port, path /webhook;
    LOG_LEVEL=warn: like serve, it logs no line for a delivery it accepted."""
    if not (PROBOT / "node_modules").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=PROBOT,
                       check=True)
    env = {**os.environ, "APP_ID": "1", "PRIVATE_KEY": key, "WEBHOOK_SECRET": SECRET,
           "HOST": "127.0.0.1", "PORT": str(port), "WEBHOOK_PATH": "/webhook",
           "LOG_LEVEL": "warn", "NODE_ENV": "production"}
    if durable:
        env["BENCH_JOURNAL"] = str(tmp / "probot-journal.jsonl")
    log = (tmp / f"probot-{port}.log").open("w")
    return subprocess.Popen(["node", str(PROBOT / "app.mjs")], cwd=PROBOT, env=env, stdout=log,
                            stderr=log)


def start_redis(tmp: Path) -> subprocess.Popen:
    """Debian's redis-server on a unix socket in `tmp`, as README's "Scale out" asks: AOF with
    appendfsync always."""
    proc = subprocess.Popen(
        ["redis-server", "--port", "0", "--unixsocket", str(tmp / "redis.sock"), "--dir", str(tmp),
         "--appendonly", "yes", "--appendfsync", "always", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while not (tmp / "redis.sock").exists():
        if time.monotonic() > deadline or proc.poll() is not None:
            raise SystemExit("redis-server did not start")
        time.sleep(0.05)
    return proc


def stored_on_redis(tmp: Path) -> int:
    """Pending jobs on the bench's Redis (ingest only: every stored job is pending)."""
    out = subprocess.run(
        ["redis-cli", "-s", str(tmp / "redis.sock"), "ZCARD", "hephaestus:pending"],
        capture_output=True, text=True, check=True,
    ).stdout
    return int(out.strip())


def stop(proc: subprocess.Popen, *, forked: bool = False) -> None:
    """SIGTERM, then SIGKILL after 30 s; `forked`: also the copies the floor forked (serve's
    supervisor stops its own copies)."""
    for pid in tree(proc.pid)[1:] if forked else ():
        os.kill(pid, signal.SIGTERM)
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--client", choices=["auto", "wrk", "aiohttp"], default="auto")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating rounds of floor and serve; medians are printed")
    parser.add_argument("--workers", type=int, default=0,
                        help="job workers in the server while it ingests (default 0: ingest only)")
    parser.add_argument("--processes", type=int, default=1,
                        help="`serve --processes` (default 1, as Probot's one Node process)")
    parser.add_argument("--size", type=int, default=26_988, help="bytes of each delivery")
    parser.add_argument("--redis", action="store_true",
                        help="also drive a serve on a Redis queue (redis-server must be installed)")
    parser.add_argument("serve_args", nargs="*", help="extra `hephaestus serve` flags (after --)")
    args = parser.parse_args()
    if args.client == "auto":
        args.client = "wrk" if shutil.which("wrk") else "aiohttp"

    tmp = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    load_before = os.getloadavg()
    body = payload(args.size)
    body_path = tmp / "body.json"
    body_path.write_bytes(body)
    sig = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    env = {**os.environ, "BENCH_SECRET": SECRET}

    processes = args.processes
    floor_counts = [1] if processes == 1 else [1, processes]
    floors = {n: free_port() for n in floor_counts}
    floor_procs = {
        n: subprocess.Popen([sys.executable, str(HERE / "floor.py"), str(at), str(n)], env=env,
                            stdout=subprocess.DEVNULL)
        for n, at in floors.items()
    }  # fmt: skip
    (tmp / "bench_handlers.py").write_text(HANDLERS)
    key = subprocess.run(["openssl", "genrsa", "2048"], capture_output=True, text=True,
                         check=True).stdout
    port = free_port()
    # The handlers module, before any PYTHONPATH of the caller's (to bench another checkout).
    pythonpath = os.pathsep.join(filter(None, [str(tmp), env.get("PYTHONPATH")]))
    serve_env = {**env, "PYTHONPATH": pythonpath, "HEPHAESTUS_WEBHOOK_SECRET": SECRET,
                 "HEPHAESTUS_APP_ID": "1", "HEPHAESTUS_PRIVATE_KEY": key}
    log = (tmp / "serve.log").open("w")

    def start_serve(at: int, data: str, *extra: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "ghbot", "serve", "--host", "127.0.0.1", "--port", str(at),
             "--data-dir", str(tmp / data), "--handlers", "bench_handlers",
             "--workers", str(args.workers), "--processes", str(processes), *extra,
             *args.serve_args],
            env=serve_env, stdout=log, stderr=log,
        )

    serve = start_serve(port, "data")
    redis = start_redis(tmp) if args.redis else None
    redis_serve = None
    if redis is not None:
        redis_port = free_port()
        redis_serve = start_serve(redis_port, "data-redis", "--queue", f"unix://{tmp}/redis.sock")
    probot_ports = {"probot": free_port(), "probot-durable": free_port()}
    probots = {name: start_probot(at, tmp, key, durable=name.endswith("durable"))
               for name, at in probot_ports.items()}  # fmt: skip
    servers = [("serve", serve, port),
               *([("serve-redis", redis_serve, redis_port)] if redis_serve else []),
               *((name, probots[name], at) for name, at in probot_ports.items()),
               *((f"floor{n}", floor_procs[n], at) for n, at in floors.items())]  # fmt: skip
    # The servers stay up and are driven in turn, round after round: this machine's speed
    # drifts by a fifth over minutes, and alternating rounds expose all to the same drift.
    rounds: dict[str, list[Result]] = {name: [] for name, _, _ in servers}
    try:
        warm = argparse.Namespace(**{**vars(args), "seconds": 2})
        for _, proc, at in servers:
            wait_listening(at, proc)
            drive(at, body_path, sig, warm, "warm")
        for _ in range(args.rounds):
            for name, proc, at in servers:
                rounds[name].append(measured(proc, at, body_path, sig, args, name))
        redis_stored = stored_on_redis(tmp) if redis is not None else 0
    finally:
        for name, proc, _ in servers:
            stop(proc, forked=name.startswith("floor"))
        if redis is not None:
            stop(redis)
    results = {name: median_result(r) for name, r in rounds.items()}
    ours, base = results["serve"], results["floor1"]
    with sqlite3.connect(tmp / "data" / "jobs.sqlite3") as db:
        stored = db.execute("SELECT count(*) FROM jobs WHERE delivery_id LIKE 'serve-%'").fetchone()
    shutil.rmtree(tmp, ignore_errors=True)
    load_after = os.getloadavg()

    print(f"webhook ingest, {len(body):,} B signed pull_request deliveries, "
          f"{args.connections} connections, {args.rounds} rounds of {args.seconds} s each "
          f"(medians), client {args.client}, "
          f"{os.cpu_count()} cores shared with the load generator")
    print("load average (1, 5, 15 min) before " + ", ".join(f"{x:.2f}" for x in load_before)
          + "; after " + ", ".join(f"{x:.2f}" for x in load_after))
    print(f"{'':44}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'non-2xx':>8}{'CPU us/req':>11}"
          f"{'loop us':>8}")
    labels = {"serve": f"hephaestus serve, {processes} process(es)",
              **({"serve-redis": "hephaestus serve on Redis (AOF always)"} if redis else {}),
              "probot": "probot, as shipped (no-op handler)",
              "probot-durable": "probot, durable (handler writes first)",
              **{f"floor{n}": f"floor (HMAC + 202 only), {n} process(es)" for n in floors}}
    for name, label in labels.items():
        r = results[name]
        print(f"{label:44}{r.rps:>8.0f}{r.p50_ms:>8.2f}{r.p99_ms:>8.2f}{r.bad:>8}"
              f"{r.cpu_us:>11.0f}{r.loop_us:>8.0f}")
    print("(CPU us/req: all the server's processes and threads; loop us: their main threads, the"
          " event loops)")
    # Each round drives serve and the floors back to back, so a round's ratio is paired: the
    # machine's drift (a fifth over minutes here) cancels out of it, not out of two medians.
    def paired_with(ours: str, other: str) -> tuple[float, list[float]]:
        ratios = [s.rps / f.rps for s, f in zip(rounds[ours], rounds[other], strict=True)]
        return statistics.median(ratios), ratios

    def paired(floor: str) -> tuple[float, list[float]]:
        return paired_with("serve", floor)

    ratio, by_round = paired("floor1")
    print("req/s by round: " + "; ".join(
        f"{name} " + ", ".join(f"{r.rps:.0f}" for r in rounds[name]) for name in labels))
    print(f"ratio serve/floor throughput: {ratio:.2f}, the median of the rounds' "
          f"({', '.join(f'{r:.2f}' for r in by_round)}; ratio of the medians "
          f"{ours.rps / base.rps:.2f}); target >= 0.60, against the floor as a single process")
    for name in ("probot-durable", "probot"):
        versus, by_round = paired(name)
        print(f"ratio serve/{name}: {versus:.2f} ({', '.join(f'{r:.2f}' for r in by_round)}); "
              f"CPU per request {name}/serve {results[name].cpu_us / ours.cpu_us:.2f} (steadier "
              "on a busy machine); target >= 1.2")
    print(f"p99 {ours.p99_ms:.1f} ms (target < 20); CPU per request floor/serve "
          f"{base.cpu_us / ours.cpu_us:.2f}")
    if processes > 1:
        same, _ = paired(f"floor{processes}")
        print(f"against the floor with {processes} processes too: {same:.2f}")
    acknowledged = sum(r.requests - r.bad for r in rounds["serve"])
    print(f"acknowledged {acknowledged:,} deliveries, stored {stored[0]:,} jobs durably (warm-up "
          "excluded; requests in flight when the load stops are stored but not counted by wrk)")
    if redis is not None:
        versus, by_round = paired_with("serve-redis", "serve")
        print(f"ratio serve on Redis / serve on SQLite: {versus:.2f} "
              f"({', '.join(f'{r:.2f}' for r in by_round)}); Redis stored {redis_stored:,} jobs "
              "(warm-up included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
