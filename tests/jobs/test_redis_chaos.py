"""Chaos on a Redis queue (issue 17, scaled to the suite's budget; seeded, bounded in time): one
ingest-only server and three worker processes against the sandbox GitHub; pull requests opened
and pushed to, every delivery sent twice; every few seconds a random worker is killed with
kill -9 and restarted, and Redis is killed and restarted once. At the end every acknowledged
delivery was handled or dead-lettered with a reason, each head sha has exactly one "Hephaestus"
check run and at most one review."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis_server import RedisServer
from sandbox import Sandbox
from sandbox.webhooks import delivery, pull_request_payload, send

from ghbot.jobs.redis_streams import RedisQueue

PULLS = 4
PUSHES = 1  # synchronize deliveries per pull request, each on a new head
SEED = 17
CODE = "import os\n\n\ndef check(value):\n    if value == None:\n        return {n}\n    return 0\n"


def env_for(sandbox: Sandbox, data: Path, queue: str) -> dict[str, str]:
    app = sandbox.app
    return {**os.environ, "HEPHAESTUS_APP_ID": str(app.id),
            "HEPHAESTUS_PRIVATE_KEY": app.private_key_pem,
            "HEPHAESTUS_WEBHOOK_SECRET": app.webhook_secret,
            "HEPHAESTUS_GITHUB_API_URL": sandbox.base_url, "HEPHAESTUS_APP_SLUG": app.slug,
            "HEPHAESTUS_DATA_DIR": str(data), "HEPHAESTUS_QUEUE_URL": queue,
            "HEPHAESTUS_LEASE_SECONDS": "2", "HEPHAESTUS_RETRY_BASE": "0.2",
            "HEPHAESTUS_RETRY_MAX": "1", "HEPHAESTUS_MAX_ATTEMPTS": "8"}  # fmt: skip


class Procs:
    """The server and the workers; every process is ended at exit."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{args[0]}-{len(self.started)}.log").open("wb")
        proc = subprocess.Popen([sys.executable, "-m", "ghbot", *args], env=self.env,
                                stdout=subprocess.DEVNULL, stderr=log)  # fmt: skip
        self.started.append(proc)
        return proc

    def port(self, index: int) -> int:
        deadline = time.monotonic() + 60
        path = self.logs / f"serve-{index}.log"
        while time.monotonic() < deadline:
            for line in path.read_text().splitlines():
                record = json.loads(line)
                if record.get("msg") == "listening":
                    return int(record["port"])
            assert self.started[index].poll() is None, path.read_text()
            time.sleep(0.05)
        raise AssertionError("serve did not start")

    def end(self) -> None:
        for proc in self.started:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.started:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    server = RedisServer().start()
    yield server
    server.close()


@pytest.mark.timeout(300)
async def test_kill_9_workers_and_restart_redis_lose_and_duplicate_nothing(
    sandbox: Sandbox, own_redis: RedisServer, tmp_path: Path
):
    rng = random.Random(SEED)
    sandbox.create_repo("octo/app", files={"README.md": "# app\n"})
    sandbox.create_installation("octo", ["octo/app"])
    numbers = []
    for i in range(PULLS):
        sandbox.commit("octo/app", f"feat-{i}", {f"src/m{i}.py": CODE.format(n=0)})
        numbers.append(sandbox.create_pull("octo/app", head=f"feat-{i}").number)

    procs = Procs(env_for(sandbox, tmp_path / "data", own_redis.url), tmp_path)
    procs.start("serve", "--host", "127.0.0.1", "--port", "0", "--workers", "0")
    url = f"http://127.0.0.1:{procs.port(0)}/webhook"
    workers = [procs.start("worker", "--workers", "2") for _ in range(3)]
    acknowledged: set[str] = set()
    heads: set[str] = set()
    done_sending = threading.Event()

    def deliver(event: str, payload: dict[str, object]) -> None:
        d = delivery(event, payload, sandbox.app.webhook_secret)
        for copy in range(2):  # GitHub redelivers: the second copy must run nothing
            for _ in range(200):  # a 503 (Redis away) is retried, as GitHub would
                status, _ = send(url, d)
                if status in (200, 202):
                    break
                time.sleep(0.1)
            assert status == (202 if copy == 0 else 200), status
        acknowledged.add(d.headers["X-GitHub-Delivery"])

    def traffic() -> None:
        try:
            for round_ in range(PUSHES + 1):
                for i, number in enumerate(numbers):
                    if round_:
                        sandbox.commit("octo/app", f"feat-{i}",
                                       {f"src/m{i}.py": CODE.format(n=round_)})  # fmt: skip
                    action = "synchronize" if round_ else "opened"
                    payload = pull_request_payload(sandbox, "octo/app", number, action=action)
                    heads.add(payload["pull_request"]["head"]["sha"])  # type: ignore[index]
                    deliver("pull_request", payload)
                time.sleep(0.5)
        finally:
            done_sending.set()

    sender = threading.Thread(target=traffic, daemon=True)
    began = time.monotonic()
    sender.start()
    try:
        redis_restarted = False
        while not done_sending.is_set():
            await asyncio.sleep(rng.uniform(1.5, 3.0))
            victim = rng.randrange(len(workers))
            workers[victim].kill()  # kill -9
            workers[victim].wait()
            workers[victim] = procs.start("worker", "--workers", "2")
            if not redis_restarted and len(acknowledged) >= PULLS:
                assert own_redis.process is not None
                own_redis.process.kill()
                own_redis.process.wait()
                own_redis.start()  # replays its AOF
                redis_restarted = True
        sender.join(timeout=10)
        assert redis_restarted
        sent = time.monotonic()
        queue = await RedisQueue.open(own_redis.url)
        try:
            async with asyncio.timeout(180):
                while (stats := await queue.stats()).pending or stats.running:
                    await asyncio.sleep(0.2)
            print(f"sent in {sent - began:.1f} s, settled {time.monotonic() - sent:.1f} s later")
            done = {j.delivery_id for j in await queue.jobs("done", 10_000)}
            dead = await queue.jobs("dead", 10_000)
        finally:
            await queue.close()
    finally:
        procs.end()
    assert all(job.error for job in dead)  # each dead letter says why
    assert acknowledged <= done | {job.delivery_id for job in dead}
    assert len(acknowledged) == PULLS * (PUSHES + 1)
    for head in heads:
        runs = [r for r in sandbox.check_runs("octo/app", head) if r.name == "Hephaestus"]
        assert len(runs) == 1, head
    for number in numbers:
        per_sha: dict[str, int] = {}
        for review in sandbox.reviews("octo/app", number):
            per_sha[review.commit_id] = per_sha.get(review.commit_id, 0) + 1
        assert all(count <= 1 for count in per_sha.values()), per_sha
