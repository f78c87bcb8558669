"""The small things users noticed (issue 18), each checked through the CLI's exit code and
output."""

import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ghbot import logs
from ghbot.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine" / "check"))
from check_helpers import make_repo  # noqa: E402


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    root = make_repo(tmp_path / "r", {"a.py": "import os\n"})
    monkeypatch.chdir(root)
    return root


def test_singular_counts(repo: Path, capsys) -> None:
    assert main(["check"]) == 0
    assert "1 finding (1 warning) in 1 file checked" in capsys.readouterr().out
    assert main(["fix", "--dry-run"]) == 1
    assert "would change 1 of 1 Python file (1 fix)\n" in capsys.readouterr().err


@pytest.mark.parametrize("verb", ["check", "fix"])
def test_a_usage_error_names_the_verb_once(repo: Path, capsys, verb: str) -> None:
    assert main([verb, "--bogus"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"hephaestus {verb}: unrecognized arguments: --bogus\n")
    assert err.count(f"hephaestus {verb}:") == 1


def test_filter_mode_needs_diff(repo: Path, capsys) -> None:
    assert main(["check", "--filter-mode", "file"]) == 2
    assert "--filter-mode applies to --diff BASE only" in capsys.readouterr().err


def test_schema_indent_is_bounded(capsys) -> None:
    assert main(["schema", "--indent", "-3"]) == 2
    assert "--indent -3: give 0 (one line) to 16 spaces" in capsys.readouterr().err
    assert main(["schema", "--indent", "0"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_commands_prints_aligned_columns(capsys) -> None:
    assert main(["commands"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) > 3 and not any("\t" in line for line in lines)
    # The second column starts at the same place on every line.
    starts = {re.search(r"\S+\s{2,}(\S)", line).start(1) for line in lines}
    assert len(starts) == 1, lines


def test_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    done = subprocess.run(
        f"{sys.executable} -m ghbot commands | head -1", shell=True,  # noqa: S602 - fixed text
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.stdout.startswith("/hephaestus help")
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def test_log_timestamps_are_rfc3339() -> None:
    record = logging.LogRecord("ghbot", logging.INFO, __file__, 1, "hello", None, None)
    record.created = 1796483045.1234
    line = json.loads(logs.JsonFormatter().format(record))
    assert line["ts"] == "2026-12-05T15:04:05.123Z"


def test_a_missing_key_file_is_said_in_words(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nope.pem"
    code = main(["serve", "--app-id", "1", "--private-key-path", str(missing),
                 "--webhook-secret", "s" * 16, "--data-dir", str(tmp_path / "data")])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert f"({missing}): no such file or directory" in err and "FileNotFoundError" not in err


def test_a_checkout_owned_by_another_user_says_so(repo: Path, capsys, monkeypatch) -> None:
    # git's own switch for testing its ownership check, as if another user owned the checkout.
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    for verb in ("check", "fix"):
        assert main([verb]) == 2
        err = capsys.readouterr().err
        assert "owned by another user" in err and "safe.directory" in err
        assert "not in a git repository" not in err
