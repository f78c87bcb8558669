"""Analysed code is hostile: no file may crash `check` or `fix`, or pass the check unanalysed."""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cost_alike import assert_costs_alike

from ghbot.cli import check, fix
from ghbot.engine.analysis import lint
from ghbot.engine.isolation import NOT_ANALYSED

# Two real snippets that end in a keyword and a space, with no newline.
KEYWORD_AT_EOF = {
    "import_tail.py": "import newProj.poll.models import ",
    "and_tail.py": "import sys\nsys.stdout.flush() \nand ",
}


@pytest.mark.parametrize("name", sorted(KEYWORD_AT_EOF))
def test_keyword_and_space_at_end_of_file_is_a_finding_not_a_crash(
    tmp_path: Path, monkeypatch, capsys, name: str
) -> None:
    (tmp_path / name).write_text(KEYWORD_AT_EOF[name], encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert check.main([name]) == 1
    assert "syntax/invalid-syntax" in capsys.readouterr().out


def test_fix_over_a_folder_goes_past_a_file_ending_in_a_keyword(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    for name, text in KEYWORD_AT_EOF.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "zz_later.py").write_text("print 'hello'\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert fix.main(["--select", "syntax", "."]) in (0, 1)
    assert (tmp_path / "zz_later.py").read_text(encoding="utf-8") == "print('hello')\n"


# LibCST's native parser segfaulted on this (the codemod for requests' timeout parses the file):
# `hephaestus check l.py --format json --fixes` exited 139, and `serve` died with it.
LAMBDAS = "import requests\nrequests.get(1)\nf = " + "lambda: " * 5000 + "0\n"
# ruff aborted with a stack overflow: check exited 3, the App concluded the check neutral.
NOTS = "x = " + "not " * 8000 + "y\n"


def _hephaestus(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A real process: a crash here must show as its exit status, not take the test runner."""
    return subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "ghbot", *args], cwd=cwd, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(("text", "analyser"), [(LAMBDAS, "LibCST"), (NOTS, "ruff")])
def test_a_file_that_crashes_a_parser_is_a_finding_and_exit_1(
    tmp_path: Path, text: str, analyser: str
) -> None:
    (tmp_path / "bomb.py").write_text(text, encoding="utf-8")
    (tmp_path / "other.py").write_text("import subprocess\nsubprocess.run(c, shell=True)\n")
    done = _hephaestus(tmp_path, "check", ".", "--format", "json", "--fixes")
    assert done.returncode == 1, done.stderr[-2000:]
    findings = json.loads(done.stdout)["findings"]
    [lost] = [f for f in findings if f["rule"] == NOT_ANALYSED]
    assert lost["path"] == "bomb.py" and lost["severity"] == "error"
    assert lost["message"].startswith("could not be analysed: ") and analyser in lost["message"]
    # The other file is analysed as always.
    assert any(f["path"] == "other.py" and f["rule"] == "S602" for f in findings)


def test_an_unanalysed_file_fails_check_whatever_the_selection_and_level(tmp_path: Path) -> None:
    (tmp_path / "bomb.py").write_text(NOTS, encoding="utf-8")
    done = _hephaestus(tmp_path, "check", "bomb.py", "--select", "S", "--fail-level", "never")
    assert done.returncode == 1, done.stderr[-2000:]
    assert "could not be analysed" in done.stdout


def test_fix_over_a_folder_reports_the_files_it_cannot_analyse_and_fixes_the_rest(
    tmp_path: Path,
) -> None:
    (tmp_path / "a_lambdas.py").write_text(LAMBDAS, encoding="utf-8")
    (tmp_path / "b_nots.py").write_text(NOTS, encoding="utf-8")
    (tmp_path / "c_later.py").write_text("print 'hello'\n", encoding="utf-8")
    done = _hephaestus(tmp_path, "fix", ".")
    assert done.returncode == 1, done.stderr[-2000:]
    assert "b_nots.py: " in done.stdout + done.stderr
    assert (tmp_path / "c_later.py").read_text(encoding="utf-8") == "print('hello')\n"
    assert (tmp_path / "a_lambdas.py").read_text(encoding="utf-8") == LAMBDAS
    assert (tmp_path / "b_nots.py").read_text(encoding="utf-8") == NOTS


# ruff spends minutes on 10^5 nested lambdas (its time grows with the square of the depth). A
# batch that overran its limit was halved, each half given the whole limit again: the long fuzz
# run, with one such file among 48, never finished.
SLOW_FOR_RUFF = "f = " + "lambda: " * 100_000 + "0\n"


def test_a_file_ruff_overruns_costs_about_its_own_time_limit(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(lint, "RUFF_FILE_SECONDS", 2.0)
    texts = {"slow.py": SLOW_FOR_RUFF}
    texts |= {f"ok{i}.py": "import subprocess\nsubprocess.run(c, shell=True)\n" for i in range(8)}
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    started = time.monotonic()
    report = lint.RuffRun(tmp_path, sorted(texts)).collect(texts)
    elapsed = time.monotonic() - started
    [lost] = [f for f in report.findings if f.rule == NOT_ANALYSED]
    assert lost.path == "slow.py" and "ruff took longer than 2.1 s" in lost.message
    assert {f.path for f in report.findings if f.rule == "S602"} == set(texts) - {"slow.py"}
    # The batch's limit (2 s + 0.1 s a file), then the file alone for 2 s: not minutes.
    assert elapsed < 30, elapsed


def test_long_runs_of_spaces_after_an_open_triple_quote_cost_no_more_than_plain_text() -> None:
    """Closing an unterminated triple-quoted string looks for the next line that can only start
    a statement; its pattern split a run of spaces between two `\\s*` in every way: a 4,000
    character line took 0.6 s to rule out, and a file can hold thousands."""
    from ghbot.engine.fixes.syntax.search import search

    def text(filler: str) -> str:
        return 's = """abc\n' + ("a" + filler * 3000 + "b\n") * 3

    assert_costs_alike(search, text("x"), text(" "))
