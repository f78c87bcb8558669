"""`serve` that cannot start says why in one sentence and exits 2 (issue 13, item 8).

Before: a read-only data dir gave a raw traceback and exit 1; a port in use, exit 3 and a JSON
log line.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from adversarial_serve import SECRET, private_key


def serve(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HEPHAESTUS_APP_ID": "1", "HEPHAESTUS_PRIVATE_KEY": private_key(),
           "HEPHAESTUS_WEBHOOK_SECRET": SECRET}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "ghbot", "serve", "--host", "127.0.0.1", *args],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def assert_one_sentence(stderr: str, *words: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("hephaestus serve: ") and not lines[0].startswith("{"), stderr
    assert "Traceback" not in stderr
    for word in words:
        assert word in lines[0], stderr


@contextlib.contextmanager
def read_only(directory: Path) -> Iterator[Path]:
    """`directory`, made read-only even for root (immutable), restored afterwards."""
    directory.mkdir()
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(directory)], check=True)
        try:
            yield directory
        finally:
            subprocess.run(["chattr", "-i", str(directory)], check=True)
    else:
        directory.chmod(0o500)
        try:
            yield directory
        finally:
            directory.chmod(0o700)


def test_a_read_only_data_dir_is_one_sentence_and_exit_2(tmp_path: Path) -> None:
    with read_only(tmp_path / "data") as data:
        done = serve("--port", "0", "--data-dir", str(data))
    assert done.returncode == 2
    assert_one_sentence(done.stderr, str(data), "not writable")


def test_a_port_in_use_is_one_sentence_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for extra in ([], ["--processes", "2"]):
            done = serve("--port", str(port), "--data-dir", str(tmp_path / "data"), *extra)
            assert done.returncode == 2, (extra, done.stderr)
            assert_one_sentence(done.stderr, f"127.0.0.1:{port}", "in use")
