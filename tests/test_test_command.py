"""README's test command on a machine without Node.js: one clear sentence and exit 2, before
anything is installed (not a stack trace from the sandbox's missing OpenAPI description)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_scripts_test_without_npm_says_what_is_missing(tmp_path: Path):
    # A PATH with the tools the script needs but no node or npm, and `id` of a non-root user
    # (as root with apt-get the script installs them instead).
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "dirname", "python3"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    (bin_dir / "id").write_text("#!/bin/sh\necho 1000\n")
    (bin_dir / "id").chmod(0o755)
    proc = subprocess.run(
        [str(bin_dir / "bash"), str(ROOT / "scripts/test")],
        env={"PATH": str(bin_dir), "HOME": os.environ.get("HOME", str(tmp_path))},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stdout == ""
    [line] = proc.stderr.splitlines()
    assert line.startswith("scripts/test: Node.js and npm are needed")
    assert "Traceback" not in proc.stderr
