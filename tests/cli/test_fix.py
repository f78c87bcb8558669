"""`hephaestus fix` on real files in a temporary git repository with the real ruff."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pytest

from ghbot.cli import main

SOURCE = "import os\nimport sys\n\nif sys.argv == None:\n    pass\n"
FIXED = "import sys\n\nif sys.argv is None:\n    pass\n"


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text(SOURCE)
    (tmp_path / "pkg" / "broken.py").write_text("def f(x)\n    return x\n")
    (tmp_path / "clean.py").write_text("print('ok')\n")
    return tmp_path


def test_dry_run_prints_a_diff_git_applies_and_writes_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["fix", "--dry-run", "--root", str(repo), str(repo)])
    out, err = capsys.readouterr()
    assert code == 1  # files would change
    assert (repo / "pkg" / "mod.py").read_text() == SOURCE
    assert "--- a/pkg/mod.py\n+++ b/pkg/mod.py\n" in out
    assert "would change 2 of 3 Python files" in err
    (repo / "changes.diff").write_text(out)
    assert git(repo, "apply", "--check", "changes.diff").returncode == 0
    assert git(repo, "apply", "changes.diff").returncode == 0
    assert (repo / "pkg" / "mod.py").read_text() == FIXED
    assert (repo / "pkg" / "broken.py").read_text() == "def f(x):\n    return x\n"


def test_fix_writes_files_and_reports(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fix", "--root", str(repo), str(repo / "pkg")]) == 0
    out, _ = capsys.readouterr()
    assert (repo / "pkg" / "mod.py").read_text() == FIXED
    assert "pkg/mod.py: fixed F401, HEP102\n" in out
    assert "pkg/broken.py: fixed syntax\n" in out
    assert main(["fix", "--dry-run", "--root", str(repo), str(repo)]) == 0  # nothing left


def test_select_limits_the_rules(repo: Path) -> None:
    assert main(["fix", "--select", "HEP102", "--root", str(repo), str(repo / "pkg/mod.py")]) == 0
    assert (repo / "pkg" / "mod.py").read_text() == SOURCE.replace("== None", "is None")
    assert main(["fix", "--select", "syntax", "--root", str(repo), str(repo / "pkg")]) == 0
    assert (repo / "pkg" / "broken.py").read_text() == "def f(x):\n    return x\n"
    assert "import os" in (repo / "pkg" / "mod.py").read_text()


def test_keeps_mode_crlf_and_bom(repo: Path) -> None:
    path = repo / "tool.py"
    path.write_bytes(b"\xef\xbb\xbfimport os\r\nx = 1\r\nif x == None:\r\n    pass\r\n")
    path.chmod(0o755)
    assert main(["fix", "--root", str(repo), str(path)]) == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"x is None:\r\n" in data
    assert b"import os" not in data and b"\n" not in data.replace(b"\r\n", b"")
    assert stat.S_IMODE(path.stat().st_mode) == 0o755
    assert not [p for p in repo.iterdir() if p.name.endswith(".tmp")]  # no temp file left


def test_bad_input_is_reported_and_the_rest_fixed(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "latin.py").write_bytes(b"name = '\xe9'\n")
    (repo / "blob.py").write_bytes(b"\x00\x01binary")
    code = main(["fix", "--root", str(repo), str(repo)])
    _, err = capsys.readouterr()
    assert code == 2
    assert "latin.py: skipped: not UTF-8" in err and "blob.py: skipped: binary" in err
    assert (repo / "pkg" / "mod.py").read_text() == FIXED
    assert (repo / "latin.py").read_bytes() == b"name = '\xe9'\n"


def test_usage_errors_exit_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fix", str(repo / "missing.py")]) == 2
    assert main(["fix", "--no-such-flag", str(repo)]) == 2
    assert main(["fix", "--diff", "no-such-ref", "--root", str(repo), str(repo)]) == 2
    err = capsys.readouterr().err
    assert "no such file or directory" in err and "Traceback" not in err


def test_unrepairable_file_exits_1(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conflict = "<<<<<<< HEAD\nx = 1\n=======\nx = 2\n>>>>>>> main\n"  # never guessed at
    (repo / "hopeless.py").write_text(conflict)
    assert main(["fix", "--root", str(repo), str(repo / "hopeless.py")]) == 1
    assert "hopeless.py: does not parse" in capsys.readouterr().out
    assert (repo / "hopeless.py").read_text() == conflict


def test_diff_base_limits_files(repo: Path) -> None:
    git(repo, "add", ".")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base")
    (repo / "new.py").write_text("x = 1\nif x == None:\n    pass\n")
    assert main(["fix", "--diff", "HEAD", "--root", str(repo), str(repo)]) == 0
    assert "x is None" in (repo / "new.py").read_text()
    assert (repo / "pkg" / "mod.py").read_text() == SOURCE  # unchanged since HEAD: not touched


def test_python2_except_that_ruff_accepts_is_still_repaired(repo: Path) -> None:
    # Ruff parses 'except A, e:' (Python 3.14 syntax) and reports no error; CPython 3.11 does.
    (repo / "old.py").write_text("try:\n    f()\nexcept ValueError, e:\n    pass\n")
    assert main(["fix", "--select", "syntax", "--root", str(repo), str(repo / "old.py")]) == 0
    assert (repo / "old.py").read_text() == "try:\n    f()\nexcept ValueError as e:\n    pass\n"
