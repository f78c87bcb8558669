"""`hephaestus serve` as a real process: fail closed, JSON logs, SIGTERM, and kill -9 recovery."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from server_helpers import SECRET, delivery_headers, pr_payload

HANDLERS = '''
import asyncio, os
from pathlib import Path
from ghbot.registry import on

@on("pull_request", "opened")
async def slow(ctx):
    marks = Path(os.environ["MARK_DIR"])
    runs = marks / ("runs-" + ctx.event.delivery_id)
    first_run = not runs.exists()
    with runs.open("a") as f:
        f.write("run\\n")
    (marks / ("started-" + ctx.event.delivery_id)).touch()
    ctx.log.info("handler token ghs_" + "A" * 36)  # a token that must never reach the log
    if first_run:  # only the first run is slow: the crash test kills it there
        await asyncio.sleep(ctx.event.payload.get("sleep", 0))
    (marks / ("done-" + ctx.event.delivery_id)).touch()

HANDLERS = [slow]
'''


@pytest.fixture(scope="module")
def pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


class Serve:
    """One `hephaestus serve` child on 127.0.0.1 with an ephemeral port."""

    def __init__(self, tmp: Path, pem: str, *extra: str) -> None:
        env = {
            **os.environ,
            "HEPHAESTUS_APP_ID": "12345",
            "HEPHAESTUS_PRIVATE_KEY": pem,
            "HEPHAESTUS_WEBHOOK_SECRET": SECRET,
            "HEPHAESTUS_GITHUB_API_URL": "http://127.0.0.1:9",  # never reached: no installation
            "MARK_DIR": str(tmp / "marks"),
            "PYTHONPATH": str(tmp),
        }
        args = ["--host", "127.0.0.1", "--port", "0", "--data-dir", str(tmp / "data"),
                "--handlers", "serve_test_handlers", "--workers", "2", *extra]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ghbot", "serve", *args],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.port = self._wait_for_port()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line)

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            for line in list(self.lines):
                record = json.loads(line)  # every line is one JSON object
                if record["msg"] == "listening":
                    return int(record["port"])
            if self.proc.poll() is not None:
                raise AssertionError("serve exited: " + "".join(self.lines))
            time.sleep(0.05)
        raise AssertionError("serve did not start: " + "".join(self.lines))

    def post(self, payload: dict, delivery: str) -> int:
        body = json.dumps(payload).encode()
        headers = delivery_headers("pull_request", body, **{"X-GitHub-Delivery": delivery})
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/webhook", data=body, headers=headers, method="POST"
        )
        with urllib.request.urlopen(request, timeout=10) as resp:  # noqa: S310 (loopback)
            return resp.status

    def get(self, path: str) -> tuple[int, str]:
        url = f"http://127.0.0.1:{self.port}{path}"
        with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 (loopback)
            return resp.status, resp.read().decode()

    def stop(self, sig: int) -> int:
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=30)
        self._reader.join(timeout=5)
        return code


def wait_for(path: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.05)


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    (tmp_path / "serve_test_handlers.py").write_text(HANDLERS)
    (tmp_path / "marks").mkdir()
    return tmp_path


def job_states(tmp: Path) -> list[tuple[str, str, int]]:
    with sqlite3.connect(tmp / "data" / "jobs.sqlite3") as db:
        return db.execute("SELECT delivery_id, state, attempts FROM jobs ORDER BY id").fetchall()


def test_serve_refuses_to_start_without_its_secrets(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEPHAESTUS_")}
    proc = subprocess.run(
        [sys.executable, "-m", "ghbot", "serve", "--app-id", "1"],
        env=env, capture_output=True, text=True, timeout=30,
    )
    assert proc.returncode == 2
    assert "HEPHAESTUS_WEBHOOK_SECRET" in proc.stderr
    assert "HEPHAESTUS_PRIVATE_KEY" in proc.stderr
    assert "HEPHAESTUS_APP_ID" not in proc.stderr  # given as a flag
    assert "Traceback" not in proc.stderr


def test_help_documents_every_setting_and_its_variable():
    from ghbot.settings import Settings, env_name, flag_name

    out = subprocess.run(
        [sys.executable, "-m", "ghbot", "serve", "--help"],
        capture_output=True, text=True, timeout=30,
    ).stdout
    flat = " ".join(out.split())
    for name in Settings.model_fields:
        assert flag_name(name) in flat and env_name(name) in flat, name


def test_worker_help_lists_only_what_a_worker_uses(tmp):
    from ghbot.settings import SERVER_ONLY, Settings, flag_name

    def worker(*args):
        return subprocess.run([sys.executable, "-m", "ghbot", "worker", *args],
                              capture_output=True, text=True, timeout=30)  # fmt: skip

    out = worker("--help").stdout
    flags = set(re.findall(r"--[a-z][a-z-]+", out))
    assert {flag_name(n) for n in Settings.model_fields if n not in SERVER_ONLY} <= flags
    for server_flag in ("--port", "--host", "--webhook-secret", "--public-url", "--processes",
                        "--body-budget", "--max-connections", "--header-timeout"):  # fmt: skip
        assert server_flag not in flags
    refused = worker("--port", "3000", "--data-dir", str(tmp / "data"))
    assert refused.returncode == 2 and "unrecognized arguments: --port" in refused.stderr


def test_sigterm_lets_the_running_job_finish(tmp, pem):
    serve = Serve(tmp, pem, "--shutdown-grace", "20")
    assert serve.get("/readyz")[0] == 200
    assert serve.post(pr_payload(sleep=1.0), "graceful-1") == 202
    wait_for(tmp / "marks" / "started-graceful-1")
    assert serve.stop(signal.SIGTERM) == 0
    assert (tmp / "marks" / "done-graceful-1").exists()
    assert job_states(tmp) == [("graceful-1", "done", 1)]
    records = [json.loads(line) for line in serve.lines]  # every line is one JSON object
    job_lines = [r for r in records if r.get("delivery_id") == "graceful-1"]
    # "delivery queued" is DEBUG (the job is its record): the worker's lines carry the id.
    assert {"handler finished", "job done"} <= {r["msg"] for r in job_lines}
    text = "".join(serve.lines)
    assert SECRET not in text and "ghs_AAAA" not in text and "PRIVATE KEY" not in text
    assert "***" in text  # the token the handler logged was masked


def test_jobs_left_by_kill_9_run_after_restart(tmp, pem):
    first = Serve(tmp, pem, "--lease-seconds", "1")
    assert first.post(pr_payload(sleep=30), "crash-1") == 202
    wait_for(tmp / "marks" / "started-crash-1")
    first.proc.kill()  # SIGKILL: no cleanup at all
    first.proc.wait(timeout=10)
    assert job_states(tmp) == [("crash-1", "running", 1)]

    (tmp / "marks" / "started-crash-1").unlink()
    second = Serve(tmp, pem, "--lease-seconds", "1")
    try:
        # The same delivery again is recognised: stored once, not run twice.
        assert second.post(pr_payload(sleep=0), "crash-1") == 200
        wait_for(tmp / "marks" / "started-crash-1")
        wait_for(tmp / "marks" / "done-crash-1")
    finally:
        assert second.stop(signal.SIGTERM) == 0
    assert job_states(tmp) == [("crash-1", "done", 2)]
    assert (tmp / "marks" / "runs-crash-1").read_text().count("run") == 2


def test_metrics_from_the_running_server(tmp, pem):
    serve = Serve(tmp, pem)
    try:
        assert serve.post(pr_payload(), "metrics-1") == 202
        wait_for(tmp / "marks" / "done-metrics-1")
        status, text = serve.get("/metrics")
    finally:
        serve.stop(signal.SIGTERM)
    assert status == 200
    assert 'hephaestus_webhook_deliveries_total{event="pull_request",outcome="queued"} 1.0' in text
    assert "hephaestus_handler_duration_seconds_count" in text


def listening_pids(serve: Serve) -> set[int]:
    """The copies that logged "listening" (under --processes, one line per copy)."""
    records = [json.loads(line) for line in list(serve.lines)]
    return {r["pid"] for r in records if r["msg"] == "process started"}


def wait_listening_copies(serve: Serve, count: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while sum(json.loads(x)["msg"] == "listening" for x in list(serve.lines)) < count:
        assert time.monotonic() < deadline, "".join(serve.lines)
        time.sleep(0.05)


def test_processes_share_the_port_store_and_metrics(tmp, pem):
    serve = Serve(tmp, pem, "--processes", "2")
    try:
        wait_listening_copies(serve, 2)
        assert len(listening_pids(serve)) == 2
        # Each request is a new connection; the kernel spreads them over both copies.
        deliveries = [f"multi-{i}" for i in range(40)]
        assert [serve.post(pr_payload(), d) for d in deliveries] == [202] * 40
        for d in deliveries:
            wait_for(tmp / "marks" / f"done-{d}")
        for _ in range(20):
            status, text = serve.get("/metrics")
            assert status == 200
            # Whichever copy answers reports the deliveries of both.
            assert ('hephaestus_webhook_deliveries_total{event="pull_request",outcome="queued"}'
                    " 40.0") in text
        assert sorted(state for _, state, _ in job_states(tmp)) == ["done"] * 40
    finally:
        assert serve.stop(signal.SIGTERM) == 0
    for pid in listening_pids(serve):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_a_copy_that_dies_is_restarted(tmp, pem):
    serve = Serve(tmp, pem, "--processes", "2")
    try:
        wait_listening_copies(serve, 2)
        victim = min(listening_pids(serve))
        os.kill(victim, signal.SIGKILL)
        wait_listening_copies(serve, 3)
        pids = listening_pids(serve)
        assert victim in pids and len(pids) == 3  # a new copy took the dead one's place
        assert [serve.post(pr_payload(), f"after-{i}") == 202 for i in range(10)] == [True] * 10
    finally:
        assert serve.stop(signal.SIGTERM) == 0
    records = [json.loads(line) for line in serve.lines]
    assert any(r["msg"] == "process exited: restarting" and r["pid"] == victim for r in records)


def _env(tmp: Path, pem: str) -> dict[str, str]:
    return {**os.environ, "HEPHAESTUS_APP_ID": "12345", "HEPHAESTUS_PRIVATE_KEY": pem,
            "HEPHAESTUS_WEBHOOK_SECRET": SECRET, "HEPHAESTUS_GITHUB_API_URL": "http://127.0.0.1:9",
            "MARK_DIR": str(tmp / "marks"), "PYTHONPATH": str(tmp)}  # fmt: skip


@pytest.mark.parametrize("verb", ["serve", "worker"])
def test_a_bad_queue_url_or_an_unreachable_redis_is_one_sentence_and_exit_2(tmp, pem, verb):
    for queue, said in [("ftp://example/jobs", "HEPHAESTUS_QUEUE_URL"),
                        ("redis://127.0.0.1:1/0", "cannot reach Redis at redis://127.0.0.1:1/0"),
                        ("unix:///nowhere/redis.sock", "cannot reach Redis")]:  # fmt: skip
        proc = subprocess.run(
            [sys.executable, "-m", "ghbot", verb, "--queue", queue,
             *(["--port", "0"] if verb == "serve" else []),
             "--data-dir", str(tmp / "data"), "--handlers", "serve_test_handlers"],
            env=_env(tmp, pem), capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert proc.returncode == 2, proc.stderr
        assert said in proc.stderr and "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1


class Worker:
    """One `hephaestus worker` child."""

    def __init__(self, tmp: Path, pem: str, *extra: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ghbot", "worker", "--data-dir", str(tmp / "data"),
             "--handlers", "serve_test_handlers", "--workers", "2", *extra],
            env=_env(tmp, pem), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=30)


def test_an_ingest_only_server_and_workers_share_a_redis_queue(tmp, pem, redis_url):
    queue = ("--queue", redis_url, "--lease-seconds", "1")
    serve = Serve(tmp, pem, "--workers", "0", *queue)
    first = Worker(tmp, pem, *queue)
    second = None
    try:
        status, body = serve.get("/readyz")
        assert (status, json.loads(body)["queue"]) == (200, "redis")
        assert serve.post(pr_payload(sleep=30), "redis-1") == 202
        wait_for(tmp / "marks" / "started-redis-1")
        first.proc.kill()  # a worker host dies mid-job: another worker takes the job over
        first.proc.wait(timeout=10)
        second = Worker(tmp, pem, *queue)
        wait_for(tmp / "marks" / "done-redis-1", timeout=60)
        assert serve.post(pr_payload(), "redis-1") == 200  # a redelivery runs nothing
    finally:
        assert serve.stop(signal.SIGTERM) == 0
        if second is not None:
            assert second.stop() == 0
    assert (tmp / "marks" / "runs-redis-1").read_text().count("run") == 2
