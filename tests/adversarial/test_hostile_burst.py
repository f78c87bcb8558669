"""Issue 13, item 9: a burst of events must not stall the installation's writes.

Twenty `deployment_status` deliveries for twenty deployments, posted at once to a real
`hephaestus serve` (one process, then `--processes 2`) aimed at the sandbox GitHub, cost at most
40 writes (the records coalesced into a few commits, the dashboard refreshed once or twice), and
every row reaches the history. Each burst runs on its own repository and installation (the
write budget is per installation), BURSTS times per server (30 in the issue's measurement:
`HEPHAESTUS_BURSTS=30`)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import aiohttp
import pytest
from handlers.conftest import app_env
from sandbox.state import Deployment, DeploymentStatus
from sandbox.webhooks import _common, delivery, example, send

from ghbot.engine.knowledge import deployments as history
from ghbot.github import records
from ghbot.github.auth import StaticToken
from ghbot.github.client import GitHubClient
from ghbot.github.records import RecordWrite
from ghbot.github.repo_config import RepoConfig
from ghbot.github.throttle import WriteThrottle

BURSTS = int(os.environ.get("HEPHAESTUS_BURSTS", "2"))
DEPLOYMENTS = 20
MAX_WRITES = 40
RECORDS = "hephaestus/records"
WRITES = ("POST", "PATCH", "PUT", "DELETE")


class Serve:
    """`hephaestus serve` with the real handlers, on 127.0.0.1, against the sandbox."""

    def __init__(self, sandbox, data: Path, processes: int) -> None:
        env = {**os.environ, **app_env(sandbox)}
        args = ["--host", "127.0.0.1", "--port", "0", "--data-dir", str(data),
                "--processes", str(processes), "--retry-base", "0.05"]  # fmt: skip
        self.data, self.secret = data, sandbox.app.webhook_secret
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ghbot", "serve", *args],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._port()}/webhook"

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line)

    def _port(self) -> int:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for line in list(self.lines):
                record = json.loads(line)
                if record.get("msg") == "listening":
                    return int(record["port"])
            assert self.proc.poll() is None, "serve exited: " + "".join(self.lines)
            time.sleep(0.05)
        raise AssertionError("serve did not start: " + "".join(self.lines))

    def unfinished(self) -> int:
        with sqlite3.connect(self.data / "jobs.sqlite3") as db:
            (count,) = db.execute(
                "SELECT count(*) FROM jobs WHERE state IN ('pending', 'running')"
            ).fetchone()
        return count

    def retried(self) -> list[tuple[str, str, int, str]]:
        """Jobs that did not finish on their first attempt, with their last error."""
        with sqlite3.connect(self.data / "jobs.sqlite3") as db:
            return db.execute(
                "SELECT repo, state, attempts, last_error FROM jobs"
                " WHERE state != 'done' OR attempts != 1"
            ).fetchall()

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)


@pytest.fixture(params=[1, 2], ids=["one-process", "two-processes"])
def serve(request, sandbox, tmp_path) -> Iterator[Serve]:
    server = Serve(sandbox, tmp_path / "data", request.param)
    yield server
    server.stop()


def _burst_payloads(sandbox, repo_name: str) -> list[dict]:
    """Twenty deployments of twenty commits; every seventh fails (a rollback note each)."""
    sandbox.create_repo(repo_name, files={"app.py": "VERSION = 0\n"})
    sandbox.create_installation(repo_name.split("/")[0], [repo_name])
    payloads = []
    for n in range(DEPLOYMENTS):
        sha = sandbox.commit(repo_name, "main", {"app.py": f"VERSION = {n + 1}\n"}, author="ada")
        with sandbox.state.lock:
            st, repo = sandbox.state, sandbox.state.repo(repo_name)
            dep = Deployment(
                id=st.next_id(), sha=sha, ref="main", task="deploy", environment="production",
                description=None, creator="ada", payload={}, created_at=st.now() + n,
            )  # fmt: skip
            status = DeploymentStatus(
                id=st.next_id(), state="failure" if n % 7 == 0 else "success", creator="ada",
                description="", environment="production", log_url=f"https://ci.example/{n}",
                environment_url="", created_at=st.now() + n + 30,
            )  # fmt: skip
            dep.statuses.append(status)
            repo.deployments.append(dep)
            payload = example("deployment_status")
            payload["deployment"] = sandbox.shapes.deployment(repo, dep)
            payload["deployment_status"] = sandbox.shapes.deployment_status(repo, dep, status)
        payload.update(_common(sandbox, repo_name, "ada"))
        payload["action"] = "created"
        payloads.append(payload)
    return payloads


def _rows(sandbox, repo_name: str) -> set[int]:
    branch = sandbox.ref(repo_name, RECORDS)
    if branch is None:
        return set()
    repo = sandbox.repo(repo_name)
    with sandbox.state.lock:
        paths = list(repo.store.flatten(repo.store.commit(branch).tree))
    rows: set[int] = set()
    for path in paths:
        if path.startswith("deployments/"):
            text = sandbox.file(repo_name, path, RECORDS) or ""
            rows |= {e.deployment_id for e in history.parse(text).entries}
    return rows


def _writes(sandbox, repo_name: str) -> list[str]:
    prefix = f"/repos/{repo_name}/"
    return [f"{r.method} {r.path}" for r in sandbox.requests
            if r.method in WRITES and r.path.startswith(prefix)]  # fmt: skip


@pytest.mark.timeout(60 + 20 * BURSTS)
def test_a_burst_of_deployments_costs_few_writes_and_loses_no_row(sandbox, serve):
    costs: list[int] = []
    lags: list[float] = []
    for burst in range(BURSTS):
        repo_name = f"team{burst}/app"
        payloads = _burst_payloads(sandbox, repo_name)
        deliveries = [delivery("deployment_status", p, serve.secret) for p in payloads]
        wanted = {p["deployment"]["id"] for p in payloads}
        with ThreadPoolExecutor(DEPLOYMENTS) as pool:
            statuses = list(pool.map(lambda d: send(serve.url, d)[0], deliveries))
        assert statuses == [202] * DEPLOYMENTS
        posted = time.monotonic()
        deadline, landed = posted + 60, None
        while serve.unfinished() or landed is None:
            assert time.monotonic() < deadline, f"burst {burst}: rows or jobs missing"
            if landed is None and _rows(sandbox, repo_name) == wanted:
                landed = time.monotonic()
            time.sleep(0.05)
        lags.append(landed - posted)
        assert _rows(sandbox, repo_name) == wanted
        writes = _writes(sandbox, repo_name)
        costs.append(len(writes))
        assert len(writes) <= MAX_WRITES, "\n".join(writes)
    # nothing was retried: no handler raised (the dashboard's first creation used to)
    assert serve.retried() == []
    print(f"\nwrites per burst: {costs}; seconds to the last row: {[round(x, 2) for x in lags]}")


async def test_a_burst_of_records_does_not_hold_back_a_check_run_on_another_repository(sandbox):
    """The write budget spent by one repository's records: the check run another repository's
    pull request needs goes out in the next window, ahead of the records still waiting."""
    sandbox.create_repo("octo/busy", files={"README.md": "# busy\n"})
    sandbox.create_repo("octo/quiet", files={"a.py": "x = 1\n"})
    inst = sandbox.create_installation("octo", ["octo/busy", "octo/quiet"])
    head = sandbox.ref("octo/quiet", "main")

    def row(n: int):
        return lambda text: (text or "") + f"row {n}\n"

    async with aiohttp.ClientSession() as session:
        throttle = WriteThrottle(limit=4, period=0.5)
        gh = GitHubClient(session, StaticToken(sandbox.token(inst)), api_url=sandbox.base_url,
                          throttle=throttle)  # fmt: skip
        # one file per environment: each batch is its own commit, so the records need windows
        burst = [
            asyncio.create_task(
                records.append(
                    gh,
                    "octo",
                    "busy",
                    RepoConfig(),
                    [RecordWrite(f"env{n}/log.md", row(n))],
                    message=f"row {n}",
                    default_branch="main",
                )
            )  # fmt: skip
            for n in range(12)
        ]
        while not throttle.waiting:  # the budget is spent and records are queued
            await asyncio.sleep(0.01)
        await gh.create_check_run("octo", "quiet", name="Hephaestus", head_sha=head,
                                  status="in_progress")  # fmt: skip
        check_run_sent = len(sandbox.requests)
        await asyncio.gather(*burst)
    later = [r for r in sandbox.requests[check_run_sent:] if r.path.startswith("/repos/octo/busy")]
    assert sum(1 for r in later if r.method in WRITES) >= 4  # records still waited behind it
