"""A developer's habits: --statistics, colour (NO_COLOR respected), `-` for standard input and
progress that counts files, each through the CLI's exit code and output."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from ghbot.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine" / "check"))
from check_helpers import make_repo  # noqa: E402

RED = "\033[31m"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    files = {"a.py": "import os\nimport sys\n", "b.py": "import os\nprint(undefined)\n"}
    root = make_repo(tmp_path / "r", files)
    monkeypatch.chdir(root)
    return root


def test_statistics_counts_per_rule(repo: Path, capsys) -> None:
    assert main(["check", "--statistics", "--ignore", "I"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["3", "F401", "warning"] and "[3 fixable]" in lines[0]
    assert lines[1].split()[:3] == ["1", "F821", "error"]
    assert lines[2].startswith("4 findings (1 error, 3 warnings) in 2 files checked")
    assert main(["check", "--statistics", "--format", "json"]) == 2
    assert "--statistics is a text report" in capsys.readouterr().err


def test_colour_only_when_asked_or_on_a_terminal_without_no_color(repo: Path, capsys) -> None:
    assert main(["check", "--color", "always"]) == 1
    assert RED in capsys.readouterr().out
    assert main(["check"]) == 1  # captured: not a terminal
    assert "\033[" not in capsys.readouterr().out
    # On a real terminal: coloured, unless NO_COLOR is set.
    for env, coloured in (({}, True), ({"NO_COLOR": "1"}, False)):
        main_fd, child_fd = os.openpty()
        environ = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | env
        done = subprocess.run([sys.executable, "-m", "ghbot", "check"], cwd=repo, env=environ,
                              stdout=child_fd, stderr=subprocess.PIPE, timeout=120)  # fmt: skip
        os.close(child_fd)
        out = os.read(main_fd, 65536).decode()
        os.close(main_fd)
        assert done.returncode == 1
        assert (RED in out) is coloured, (env, out)


def test_standard_input(repo: Path, capsys, monkeypatch) -> None:
    def stdin(text: str) -> None:
        monkeypatch.setattr("sys.stdin", SimpleNamespace(buffer=io.BytesIO(text.encode())))

    stdin("import os\nx = eval('1')\n")
    assert main(["check", "-", "--format", "json", "--stdin-filename", "pkg/m.py"]) == 1
    found = json.loads(capsys.readouterr().out)["findings"]
    assert {(f["path"], f["rule"]) for f in found} >= {("pkg/m.py", "F401"), ("pkg/m.py", "S307")}
    stdin("x = 1\nif x == None:\n    pass\n")
    assert main(["fix", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "x = 1\nif x is None:\n    pass\n"
    assert "stdin.py: fixed HEP102" in captured.err
    assert main(["check", "-", "a.py"]) == 2
    assert "cannot be mixed with other paths" in capsys.readouterr().err


def test_progress_counts_files(repo: Path, capsys) -> None:
    assert main(["check", "--progress", "--fail-level", "never"]) == 0
    err = capsys.readouterr().err
    assert "hephaestus check: ruff: 2/2 files\n" in err
    assert "hephaestus check: secrets and workflows: 2/2 files\n" in err
    assert main(["check", "--fail-level", "never"]) == 0  # not a terminal: no progress
    assert "files\n" not in capsys.readouterr().err
