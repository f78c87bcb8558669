"""Hostile ingest: what outsiders' requests cost `hephaestus serve` (default settings).

1. Peak RSS while N concurrent 25 MB bodies arrive with a well-formed but wrong signature (the
   expensive case: a body must be read to know its signature is wrong). Before the body budget
   and the streaming HMAC, 120 of them took the server from 85 MB to 3.5 GB.
2. Acknowledgement latency of signed deliveries while M slow connections are open (each sends a
   header line every second and never finishes its headers).

    python bench/webhook_ingest/hostile.py [--bodies 200] [--slow 1000] [--deliveries 200]
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

SECRET = "bench-secret-" + uuid.uuid4().hex
HANDLERS = "from ghbot.registry import on\n\n@on('pull_request', 'opened')\n" \
    "async def noop(ctx):\n    pass\n\nHANDLERS = [noop]\n"
BODY = json.dumps({"action": "opened", "number": 1, "installation": {"id": 1},
                   "pull_request": {"number": 1, "head": {"sha": "a" * 40}},
                   "repository": {"full_name": "o/r"}, "pad": "x" * 20_000}).encode()  # fmt: skip


def head(length: int, signature: str) -> bytes:
    return (f"POST /webhook HTTP/1.1\r\nHost: b\r\nContent-Type: application/json\r\n"
            f"X-GitHub-Event: pull_request\r\nX-GitHub-Delivery: {uuid.uuid4()}\r\n"
            f"X-Hub-Signature-256: {signature}\r\nContent-Length: {length}\r\n\r\n").encode()


def status_of(sock: socket.socket) -> int:
    """The answer's status code (0: closed without one)."""
    words = sock.makefile("rb").readline().split()
    return int(words[1]) if len(words) > 1 else 0


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of `pid`, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) // 1024
    return fields


def start(tmp: Path) -> tuple[subprocess.Popen[bytes], int]:
    (tmp / "bench_hostile_handlers.py").write_text(HANDLERS)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()  # fmt: skip
    path = os.pathsep.join(p for p in (str(tmp), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "HEPHAESTUS_APP_ID": "1", "HEPHAESTUS_PRIVATE_KEY": key,
           "HEPHAESTUS_WEBHOOK_SECRET": SECRET, "PYTHONPATH": path}  # fmt: skip
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "ghbot", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--data-dir", str(tmp / "data"), "--handlers", "bench_hostile_handlers",
         "--workers", "0", "--log-level", "ERROR"], env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    raise SystemExit("serve did not start")


def big_bodies(port: int, count: int, pid: int) -> None:
    size = 25 * 1000 * 1000
    chunk = b" " * (1024 * 1024)
    statuses: Counter[int] = Counter()
    peak = [0]

    def send() -> None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
                sock.sendall(head(size, "sha256=" + "0" * 64))
                sent = 0
                sock.settimeout(0.001)
                status = 0
                while sent < size:
                    part = chunk[: min(len(chunk), size - sent)]
                    sock.settimeout(60)
                    sock.sendall(part)
                    sent += len(part)
                    sock.settimeout(0)
                    try:  # answered early (503): stop sending
                        if (early := sock.recv(4096)) and early.startswith(b"HTTP/1.1 "):
                            status = int(early.split(b" ", 2)[1])
                            break
                    except BlockingIOError:
                        pass
                sock.settimeout(60)
                statuses[status or status_of(sock)] += 1
        except OSError as exc:
            statuses[f"{type(exc).__name__}"] += 1  # type: ignore[index]

    before = memory(pid)
    threads = [threading.Thread(target=send) for _ in range(count)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        peak[0] = max(peak[0], memory(pid)["VmRSS"])
        time.sleep(0.05)
    after = memory(pid)
    print(f"{count} concurrent 25 MB bodies, wrong signature: {time.monotonic() - started:.1f} s, "
          f"answers {dict(statuses)}; server RSS {before['VmRSS']} MB before, peak "
          f"{after['VmHWM']} MB (VmHWM; sampled {peak[0]} MB), {after['VmRSS']} MB after")


def slow_connections(port: int, count: int, deliveries: int) -> None:
    slow: list[socket.socket] = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.sendall(b"POST /webhook HTTP/1.1\r\nHost: b\r\n")
        slow.append(sock)
    stop = threading.Event()

    def dribble() -> None:
        while not stop.wait(1.0):
            for sock in slow:
                try:
                    sock.sendall(b"X-Slow: 1\r\n")
                except OSError:
                    pass  # closed by the server: its header timeout or the cap

    dribbler = threading.Thread(target=dribble, daemon=True)
    dribbler.start()
    time.sleep(1.0)
    latencies, statuses = [], Counter()
    signature = "sha256=" + hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    for _ in range(deliveries):
        started = time.perf_counter()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(head(len(BODY), signature) + BODY)
            statuses[status_of(sock)] += 1
        latencies.append((time.perf_counter() - started) * 1000)
        time.sleep(0.02)
    stop.set()
    for sock in slow:
        sock.close()
    latencies.sort()
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    print(f"{deliveries} signed deliveries with {count} slow connections open: answers "
          f"{dict(statuses)}; ack p50 {statistics.median(latencies):.1f} ms, p99 {p99:.1f} ms, "
          f"max {latencies[-1]:.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=200)
    parser.add_argument("--slow", type=int, default=1000)
    parser.add_argument("--deliveries", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        proc, port = start(Path(tmp))
        try:
            big_bodies(port, args.bodies, proc.pid)
            slow_connections(port, args.slow, args.deliveries)
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
