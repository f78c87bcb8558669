"""The App as separate processes on one queue, against the sandbox GitHub: an ingest-only
`serve` and any number of `worker`s, each a real `python -m ghbot` process that can be killed
with SIGKILL and started again. Used by the Redis chaos test and the job-throughput bench."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sandbox import Sandbox
from sandbox.webhooks import Delivery, send


def fleet_env(sandbox: Sandbox, data: Path, queue: str, **settings: str) -> dict[str, str]:
    """The environment that makes every process the sandbox's App on `queue`; `settings` are
    more HEPHAESTUS_* values (`lease_seconds="2"`)."""
    app = sandbox.app
    extra = {f"HEPHAESTUS_{name.upper()}": value for name, value in settings.items()}
    return {**os.environ, "HEPHAESTUS_APP_ID": str(app.id),
            "HEPHAESTUS_PRIVATE_KEY": app.private_key_pem,
            "HEPHAESTUS_WEBHOOK_SECRET": app.webhook_secret,
            "HEPHAESTUS_GITHUB_API_URL": sandbox.base_url, "HEPHAESTUS_APP_SLUG": app.slug,
            "HEPHAESTUS_DATA_DIR": str(data), "HEPHAESTUS_QUEUE_URL": queue,
            **extra}  # fmt: skip


class Fleet:
    """The processes started; every one still running is ended by `end()`."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.started: list[subprocess.Popen[bytes]] = []
        self.log_of: dict[int, Path] = {}  # pid -> its stderr (JSON log lines)

    def _start(self, verb: str, *args: str) -> tuple[subprocess.Popen[bytes], Path]:
        path = self.logs / f"{verb}-{len(self.started)}.log"
        with path.open("wb") as log:
            proc = subprocess.Popen([sys.executable, "-m", "ghbot", verb, *args], env=self.env,
                                    stdout=subprocess.DEVNULL, stderr=log)  # fmt: skip
        self.started.append(proc)
        self.log_of[proc.pid] = path
        return proc, path

    def serve(self) -> str:
        """Starts an ingest-only server on a free port; returns its webhook URL."""
        proc, log = self._start("serve", "--host", "127.0.0.1", "--port", "0", "--workers", "0")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for line in log.read_text().splitlines():
                record = json.loads(line)
                if record.get("msg") == "listening":
                    return f"http://127.0.0.1:{record['port']}/webhook"
            assert proc.poll() is None, log.read_text()
            time.sleep(0.05)
        raise AssertionError("serve did not start within 60 s")

    def worker(self, concurrency: int) -> subprocess.Popen[bytes]:
        return self._start("worker", "--workers", str(concurrency))[0]

    def jobs_done(self, proc: subprocess.Popen[bytes]) -> int:
        """How many jobs a worker has finished, from its log."""
        return self.log_of[proc.pid].read_text(errors="replace").count('"msg":"job done"')

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


def deliver(url: str, d: Delivery, give_up: float = 60.0) -> int:
    """Sends `d` until the server answers 200 or 202 (a 503 while the queue is away is retried,
    as GitHub would); returns that status."""
    deadline = time.monotonic() + give_up
    while True:
        status, body = send(url, d)
        if status in (200, 202):
            return status
        assert status == 503 and time.monotonic() < deadline, (status, body[:300])
        time.sleep(0.1)
