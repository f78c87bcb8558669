"""mypy over src/ with the project's settings (pyproject.toml [tool.mypy]): 0 errors.

The cache lives in the checkout's .mypy_cache, so a second run only re-checks what changed; a cold
run on a fresh clone takes about half a minute. The other check writes no cache, so the two can
run at once under xdist.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _mypy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", "pyproject.toml", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=280, check=False,
    )


@pytest.mark.timeout(300)
def test_src_type_checks_clean():
    result = _mypy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


@pytest.mark.timeout(300)
def test_the_settings_catch_any_leaking_through_an_untyped_boundary(tmp_path):
    # A payload read as Any and returned as str, a bare generic and an unannotated function: what
    # a raw GitHub response looks like when it crosses into typed code; and an ignore that names
    # no error code. Each must be reported.
    leak = tmp_path / "leak.py"
    leak.write_text(
        "from typing import Any\n"
        "def login(payload: dict[str, Any]) -> str:\n"
        "    return payload['sender']['login']\n"
        "def labels(issue: dict) -> list[str]:\n"
        "    return []\n"
        "def number(issue):\n"
        "    return issue['number']\n"
        "count: int = 'three'  # type: ignore\n",
        encoding="utf-8",
    )
    result = _mypy("--cache-dir", os.devnull, str(leak))
    assert result.returncode == 1, result.stdout + result.stderr
    for code in ("[no-any-return]", "[type-arg]", "[no-untyped-def]", "[ignore-without-code]"):
        assert code in result.stdout, f"{code} not reported:\n{result.stdout}"
