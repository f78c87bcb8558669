"""A real `hephaestus serve` process for the hostile-ingest tests, and raw HTTP/1.1 over sockets.

Settings are passed as HEPHAESTUS_* variables (a server that does not know one ignores it), so
each attack can be replayed against an older server to see it fail there.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

SECRET = "hostile-ingest-secret"

HANDLERS = '''
from ghbot.registry import on

@on("pull_request", "opened")
async def opened(ctx):
    pass

HANDLERS = [opened]
'''


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def pr_body(number: int = 7) -> bytes:
    return json.dumps({
        "action": "opened", "number": number,
        "pull_request": {"number": number, "head": {"sha": "a" * 40}},
        "repository": {"full_name": "octo/app"}, "installation": {"id": 1},
        "sender": {"login": "mona", "type": "User"},
    }).encode()  # fmt: skip


def head(body_length: int, signature: str, event: str = "pull_request") -> bytes:
    """Request line and headers of a delivery, up to and including the blank line."""
    return (
        f"POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"X-GitHub-Event: {event}\r\nX-GitHub-Delivery: {uuid.uuid4()}\r\n"
        f"X-Hub-Signature-256: {signature}\r\nContent-Length: {body_length}\r\n\r\n"
    ).encode()


def private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()  # fmt: skip


class Serve:
    """`hephaestus serve` on 127.0.0.1 with an ephemeral port; its stderr goes to a file."""

    def __init__(self, tmp: Path, env: dict[str, str] | None = None,
                 nofile: int | None = None) -> None:  # fmt: skip
        (tmp / "hostile_handlers.py").write_text(HANDLERS)
        path = os.pathsep.join(p for p in (str(tmp), os.environ.get("PYTHONPATH", "")) if p)
        full_env = {
            **os.environ, "HEPHAESTUS_APP_ID": "1", "HEPHAESTUS_PRIVATE_KEY": private_key(),
            "HEPHAESTUS_WEBHOOK_SECRET": SECRET, "PYTHONPATH": path,
            "HEPHAESTUS_GITHUB_API_URL": "http://127.0.0.1:9", **(env or {}),
        }  # fmt: skip
        args = ["--host", "127.0.0.1", "--port", "0", "--data-dir", str(tmp / "data"),
                "--handlers", "hostile_handlers", "--workers", "0"]  # fmt: skip

        def limit_fds() -> None:
            import resource

            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

        self.log = tmp / "serve.log"
        with self.log.open("wb") as stderr:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "ghbot", "serve", *args], env=full_env,
                stdout=subprocess.DEVNULL, stderr=stderr,
                preexec_fn=limit_fds if nofile else None,  # noqa: PLW1509 (only setrlimit)
            )  # fmt: skip
        self.port = self._wait_for_port()

    @property
    def lines(self) -> list[str]:
        return self.log.read_text(errors="replace").splitlines()

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + 30
        while (port := self._listening()) is None:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("serve did not start: " + "".join(self.lines))
            time.sleep(0.05)
        return port

    def _listening(self) -> int | None:
        said = self.listening_line()
        return int(said["port"]) if said else None

    def listening_line(self) -> dict:
        """The JSON log line serve wrote once listening ({} before)."""
        said = [line for line in self.lines if '"listening"' in line]
        return json.loads(said[0]) if said else {}

    def connect(self, timeout: float = 5.0) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        sock.settimeout(timeout)
        return sock

    def deliver(self, body: bytes, signature: str | None = None) -> tuple[int, float]:
        """Post one delivery on a fresh connection: (status, seconds to the status line)."""
        started = time.monotonic()
        with self.connect() as sock:
            sock.sendall(head(len(body), signature or sign(body)) + body)
            status = read_status(sock)
        return status, time.monotonic() - started

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def read_status(sock: socket.socket) -> int:
    """The status code of the answer on `sock` (0 if it closed without one)."""
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return 0
        data += chunk
    return int(data.split(b" ", 2)[1])


def read_answer(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data
