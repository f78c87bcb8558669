"""`rediss://` for real: a redis-server serving TLS with a throwaway CA's certificate; the queue,
the shared write window, the audit trail, `serve` and `worker` all reach it with the CA named in
the URL (`?ssl_ca_certs=PATH`, redis-py's own parameter). A CA that did not sign the server's
certificate, a CA file that is not there, or a parameter the client does not know is one
sentence and exit 2."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from redis_server import RedisServer, throwaway_tls

from ghbot.github.throttle import Priority
from ghbot.jobs.audit import AuditRecord
from ghbot.jobs.models import JobSpec
from ghbot.jobs.queue import QueueUnavailable
from ghbot.jobs.redis_audit import RedisAuditLog
from ghbot.jobs.redis_streams import RedisQueue
from ghbot.jobs.redis_throttle import RedisWriteWindow

SECRET = "tls-test-secret"
HANDLERS = """
import os
from pathlib import Path
from ghbot.registry import on

@on("pull_request", "opened")
async def mark(ctx):
    (Path(os.environ["MARK_DIR"]) / ctx.event.delivery_id).touch()

HANDLERS = [mark]
"""


@pytest.fixture(scope="module")
def tls_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tls=throwaway_tls(tmp_path_factory.mktemp("tls"))).start()
    yield server
    server.close()


@pytest.fixture
def other_ca(tmp_path: Path) -> Path:
    """A CA of its own, which did not sign the server's certificate."""
    return throwaway_tls(tmp_path / "other", "other").ca


async def test_the_queue_and_what_hosts_share_work_over_tls(tls_redis: RedisServer):
    url = tls_redis.tls_url()
    queue = await RedisQueue.open(url)
    try:
        spec = JobSpec("over-tls", "push", b'{"after": "abc"}', repo="o/r")
        assert await queue.enqueue(spec) is True
        job = await queue.claim("w", 30)
        assert job is not None and job.spec == spec
        await queue.complete(job.id, "w")
        assert await queue.enqueue(spec) is False
    finally:
        await queue.close()
    window = RedisWriteWindow(url, limit=1, period=30, reserve=0)
    try:
        take = window.slot_for(5)
        # The second write waits: the window answered (had it failed, it would grant, 0).
        assert (await take(Priority.PEOPLE), await take(Priority.PEOPLE) > 0) == (0, True)
    finally:
        await window.close()
    trail = RedisAuditLog(url)
    try:
        record = AuditRecord("d1", "o/r", 1, 2, "mona", "status", "", "ok", "over TLS", at=1.0)
        trail.append(record)
        assert trail.query(repo="o/r") == [record]
    finally:
        trail.close()


async def test_a_wrong_ca_a_missing_ca_file_or_an_unknown_parameter_is_one_sentence(
    tls_redis: RedisServer, other_ca: Path, tmp_path: Path
):
    cases = [
        (tls_redis.tls_url(other_ca), "TLS certificate is not signed by a CA this host trusts"),
        (tls_redis.tls_url(tmp_path / "nowhere.pem"), "names ssl_ca_certs="),
        (tls_redis.tls_url().replace("ssl_ca_certs", "ssl_ca_cert"), "is not understood"),
    ]
    for url, said in cases:
        with pytest.raises(QueueUnavailable) as caught:
            await RedisQueue.open(url)
        assert said in str(caught.value) and "\n" not in str(caught.value)


@pytest.fixture(scope="module")
def app_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    where = tmp_path_factory.mktemp("app")
    (where / "tls_test_handlers.py").write_text(HANDLERS)
    (where / "marks").mkdir()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()  # fmt: skip
    return {**os.environ, "HEPHAESTUS_APP_ID": "12345", "HEPHAESTUS_PRIVATE_KEY": pem,
            "HEPHAESTUS_WEBHOOK_SECRET": SECRET, "PYTHONPATH": str(where),
            "HEPHAESTUS_GITHUB_API_URL": "http://127.0.0.1:9",  # never reached: no GitHub call
            "MARK_DIR": str(where / "marks")}  # fmt: skip


def _verb(verb: str, url: str, data: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "ghbot", verb, "--queue", url, "--data-dir", str(data),
            "--handlers", "tls_test_handlers", *extra]  # fmt: skip


def _listening_port(proc: subprocess.Popen[str], lines: list[str]) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for line in list(lines):
            record = json.loads(line)
            if record["msg"] == "listening":
                return int(record["port"])
        assert proc.poll() is None, "serve exited: " + "".join(lines)
        time.sleep(0.05)
    raise AssertionError("serve did not start: " + "".join(lines))


def _post(port: int, delivery: str) -> int:
    body = json.dumps({
        "action": "opened", "number": 7, "pull_request": {"number": 7, "head": {"sha": "a" * 40}},
        "repository": {"full_name": "octo/repo"}, "installation": {"id": 42},
        "sender": {"login": "mona", "type": "User"},
    }).encode()  # fmt: skip
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhook", data=body, method="POST",
        headers={"X-GitHub-Event": "pull_request", "X-GitHub-Delivery": delivery,
                 "X-Hub-Signature-256": signature, "Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as resp:  # noqa: S310 (loopback)
        return int(resp.status)


def test_serve_and_a_worker_share_a_queue_over_tls(
    tls_redis: RedisServer, app_env: dict[str, str], tmp_path: Path
):
    url = tls_redis.tls_url()
    serve = subprocess.Popen(
        _verb("serve", url, tmp_path / "serve", "--host", "127.0.0.1", "--port", "0",
              "--workers", "0"),
        env=app_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(serve.stderr or ()), daemon=True)
    reader.start()
    worker = None
    try:
        port = _listening_port(serve, lines)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=10) as resp:  # noqa: S310
            assert json.loads(resp.read()) == {"status": "ready", "queue": "redis"}
        assert _post(port, "tls-1") == 202
        assert _post(port, "tls-1") == 200  # the dedupe lives on the Redis behind TLS
        worker = subprocess.Popen(_verb("worker", url, tmp_path / "worker", "--workers", "1"),
                                  env=app_env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)  # fmt: skip
        mark = Path(app_env["MARK_DIR"]) / "tls-1"
        deadline = time.monotonic() + 30
        while not mark.exists():
            assert time.monotonic() < deadline, "the worker never ran the job"
            time.sleep(0.05)
    finally:
        for proc in (serve, worker):
            if proc is not None:
                proc.terminate()
                assert proc.wait(timeout=30) == 0
        reader.join(timeout=5)


def test_a_wrong_ca_is_one_sentence_and_exit_2(
    tls_redis: RedisServer, other_ca: Path, app_env: dict[str, str], tmp_path: Path
):
    url = tls_redis.tls_url(other_ca)
    procs = [subprocess.Popen(_verb(verb, url, tmp_path / verb, *extra), env=app_env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for verb, extra in (("serve", ("--port", "0")), ("worker", ()))]  # fmt: skip
    for proc in procs:
        _, stderr = proc.communicate(timeout=60)
        assert proc.returncode == 2, stderr
        lines = stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in stderr
        assert "TLS certificate is not signed by a CA this host trusts" in lines[0]
        assert "ssl_ca_certs=PATH" in lines[0]
