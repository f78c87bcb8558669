"""`hephaestus check` starts git's listing before its modules import (ghbot.cli.prelisting):
the listing is used only for the directory it was started in, and the report is the same."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ghbot.cli import main, prelisting

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine" / "check"))
from check_helpers import commit, make_repo, write  # noqa: E402


def test_a_listing_is_taken_only_where_it_was_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "r", {"a.py": "", ".gitignore": "*.log\n"})
    commit(repo)
    write(repo, {"new.py": "", "x.log": ""})
    monkeypatch.chdir(repo)
    prelisting.start()
    elsewhere = prelisting.take(str(tmp_path))
    assert elsewhere is None
    assert prelisting.take(os.getcwd()) is None  # stopped, and taken once
    prelisting.start()
    git = prelisting.take(os.getcwd())
    assert git is not None
    out, _ = git.communicate()
    assert sorted(filter(None, out.decode().split("\0"))) == [".gitignore", "a.py", "new.py"]


@pytest.mark.parametrize("where", [".", "pkg"])
def test_the_program_reports_what_the_in_process_check_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    """Run as a program (the listing started first thing), from the root and from a
    subdirectory (whose listing is not the root's, so it is stopped and listed again)."""
    repo = make_repo(tmp_path / "r", {"pkg/m.py": "import os\n", "top.py": "eval(input())\n"})
    commit(repo)
    write(repo, {"pkg/untracked.py": "import sys\n"})
    run = subprocess.run(
        [sys.executable, "-m", "ghbot", "check", "--format", "json", "--no-progress"],
        cwd=repo / where, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    monkeypatch.chdir(repo / where)
    code = main(["check", "--format", "json", "--no-progress"])
    in_process = capsys.readouterr().out
    assert run.returncode == code == 1, run.stderr
    assert json.loads(run.stdout) == json.loads(in_process)
    paths = {f["path"] for f in json.loads(run.stdout)["findings"]}
    assert paths == {"pkg/m.py", "top.py", "pkg/untracked.py"}


def test_checking_standard_input_stops_the_listing(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"a.py": ""})
    commit(repo)
    run = subprocess.run(
        [sys.executable, "-m", "ghbot", "check", "--format", "json", "-", "--stdin-filename",
         "x.py"],
        cwd=repo, input="eval(input())\n", capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    assert [f["path"] for f in json.loads(run.stdout)["findings"]] == ["x.py"]
