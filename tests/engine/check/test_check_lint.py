from pathlib import Path

import pytest
from check_helpers import make_repo

from ghbot.engine.analysis import lint
from ghbot.engine.analysis.lint import RuffRun, ruff_severity
from ghbot.engine.analysis.rules import Selection, selector_matches
from ghbot.engine.models import Severity, apply_edits

CODE = (
    "import os\n"
    "import pickle\n"
    "assert pickle.loads(b\"\")\n"
    "value = f\"plain\"\n"
    "é = 1; print(undefined_name)\n"
)


def _run(repo: Path, names: list[str], extend: tuple[str, ...] = ()):
    texts = {name: (repo / name).read_text() for name in names}
    return RuffRun(repo, names, extend).collect(texts)


def test_ruff_findings_with_fixes_severities_and_character_columns(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"m.py": CODE, "notes.txt": "not python\n"})
    report = _run(repo, ["m.py", "notes.txt"])
    by_rule = {f.rule: f for f in report.findings}
    assert {"F401", "S101", "S301", "F541", "F821"} <= set(by_rule)
    unused = by_rule["F401"]
    assert (unused.path, unused.line, unused.column, unused.end_column) == ("m.py", 1, 8, 10)
    assert unused.severity is Severity.WARNING and unused.source == "ruff"
    assert unused.fix is not None and unused.fix.applicability == "safe"
    assert apply_edits(CODE, unused.fix.edits).startswith("import pickle\n")
    assert by_rule["F821"].severity is Severity.ERROR
    # columns count characters: `print` sits after "é = 1; " (7 characters, 8 bytes)
    assert by_rule["F821"].column == len("é = 1; print(") + 1
    assert by_rule["F821"].snippet == "é = 1; print(undefined_name)"
    assert report.syntax_errors == {}


def test_findings_without_snippets_are_the_same_findings(tmp_path: Path) -> None:
    """`snippets=False` (a report that shows no fingerprints) changes only the snippets."""
    repo = make_repo(tmp_path / "r", {"m.py": CODE, "bad.py": "x = (\n"})
    texts = {name: (repo / name).read_text() for name in ("m.py", "bad.py")}
    full = RuffRun(repo, list(texts)).collect(texts)
    bare = RuffRun(repo, list(texts)).collect(texts, snippets=False)
    assert bare.findings == full.findings and bare.syntax_errors == full.syntax_errors
    assert all(f.snippet for f in full.findings)
    assert {f.snippet for f in bare.findings} == {""}


def test_repository_config_is_respected_and_security_rules_added(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {
        "pyproject.toml": '[tool.ruff.lint]\nselect = ["E"]\nignore = ["S101"]\n'
                          '[tool.ruff.lint.per-file-ignores]\n"tests/**" = ["S"]\n',
        "m.py": CODE,
        "tests/t.py": "import pickle\npickle.loads(b\"\")\n",
    })  # fmt: skip
    rules = {(f.path, f.rule) for f in _run(repo, ["m.py", "tests/t.py"]).findings}
    assert ("m.py", "S301") in rules  # S added over their select
    assert ("m.py", "S101") not in rules  # but their ignore wins
    assert ("m.py", "F401") not in rules  # F is not in their select
    assert not any(path == "tests/t.py" for path, _ in rules)  # per-file-ignores kept
    extended = {f.rule for f in _run(repo, ["m.py"], ("F4",)).findings}
    assert "F401" in extended  # --select F4 asks ruff for rules beyond the config


def test_broken_config_falls_back_to_defaults_with_a_notice(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"ruff.toml": "[lint\nselect = 3\n", "m.py": CODE})
    report = _run(repo, ["m.py"])
    assert any("ruff.toml could not be read" in notice for notice in report.notices)
    assert "S301" in {f.rule for f in report.findings}


def test_syntax_errors_are_set_apart(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"bad.py": "def f(:\n    pass\n", "ok.py": "x = 1\n"})
    report = _run(repo, ["bad.py", "ok.py"])
    assert set(report.syntax_errors) == {"bad.py"}
    assert all(f.rule == "invalid-syntax" for f in report.syntax_errors["bad.py"])
    assert not any(f.path == "bad.py" for f in report.findings)


def test_severity_table_and_selectors() -> None:
    assert ruff_severity("S602") is Severity.ERROR
    assert ruff_severity("S311") is Severity.WARNING
    assert ruff_severity("SIM101") is Severity.WARNING  # "S" must not reach SIM
    assert ruff_severity("I001") is Severity.NOTE
    assert ruff_severity("E999") is Severity.ERROR
    assert selector_matches("S", "S602") and not selector_matches("S", "SIM101")
    assert selector_matches("S6", "S602") and not selector_matches("S7", "S602")
    assert selector_matches("secrets", "secrets/jwt")
    assert not selector_matches("secret", "secrets/jwt")
    assert selector_matches("ALL", "HEP101") and selector_matches("HEP1", "HEP101")
    selection = Selection(select=("S", "secrets"), ignore=("S101",))
    assert selection.wants("S602") and not selection.wants("S101") and not selection.wants("F401")
    assert selection.wants("secrets/jwt", "secrets")
    assert Selection(select=("codemod",)).wants("HEP104", "codemod")
    assert not Selection(ignore=("secrets",)).may_want("secrets", "secrets")
    assert not Selection(select=("F",)).may_want("workflow", "workflows")
    assert Selection(select=("workflow/unpinned-action",)).may_want("workflow", "workflows")


def test_a_big_run_in_batches_reports_every_file_once(tmp_path: Path) -> None:
    """Over _SEQUENCE_FROM files ruff runs in batches one after another, each report parsed as
    its batch ends: the findings are those of every file, once, whatever the batch."""
    files = {f"pkg/m{index:03}.py": f"import os\nvalue_{index} = 1\n" for index in range(450)}
    files["pkg/bad.py"] = "def f(:\n"
    repo = make_repo(tmp_path / "r", files)
    names = sorted(files)
    assert len(lint._sequence(names)) > 1
    report = _run(repo, names)
    unused = sorted(f.path for f in report.findings if f.rule == "F401")
    assert unused == sorted(n for n in names if n != "pkg/bad.py")
    assert set(report.syntax_errors) == {"pkg/bad.py"}


def test_a_broken_config_in_a_big_run_falls_back_once(tmp_path: Path) -> None:
    files = {f"m{index:03}.py": "import pickle\npickle.loads(b'')\n" for index in range(420)}
    repo = make_repo(tmp_path / "r", {"ruff.toml": "[lint\n", **files})
    report = _run(repo, sorted(files))
    assert len([n for n in report.notices if "ruff.toml could not be read" in n]) == 1
    assert sorted(f.path for f in report.findings if f.rule == "S301") == sorted(files)


def test_ruff_that_cannot_start_is_a_ruff_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "r", {"m.py": CODE})
    monkeypatch.setattr(lint, "find_ruff_bin", lambda: str(tmp_path / "no-such-ruff"))
    with pytest.raises(lint.RuffError, match="could not be started"):
        _run(repo, ["m.py"])


def test_a_failure_in_the_batch_thread_is_raised_not_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "r", {"m.py": CODE})

    def broken(batch: object) -> object:
        raise RuntimeError("lost batch")

    monkeypatch.setattr(lint, "_finished", broken)
    with pytest.raises(RuntimeError, match="lost batch"):
        _run(repo, ["m.py"])


def test_a_broken_pyproject_without_ruff_in_it_falls_back_with_a_notice(tmp_path: Path) -> None:
    """Ruff rejects any broken pyproject.toml; one that never names ruff is not parsed before
    the run, and is still the one the notice names."""
    repo = make_repo(tmp_path / "r", {"pyproject.toml": '[project\nname = "x"\n', "m.py": CODE})
    report = _run(repo, ["m.py"])
    assert any("pyproject.toml could not be read" in notice for notice in report.notices)
    assert "S301" in {f.rule for f in report.findings}


def test_a_pyproject_that_only_mentions_ruff_elsewhere_is_not_a_ruff_config(
    tmp_path: Path,
) -> None:
    repo = make_repo(tmp_path / "r", {
        "pyproject.toml": '[project]\nname = "x"\ndependencies = ["ruff"]\n', "m.py": CODE,
    })  # fmt: skip
    assert lint.find_config(repo) is None
    (repo / "pyproject.toml").write_text('[tool.ruff.lint]\nignore = ["S101"]\n')
    assert lint.find_config(repo) == repo / "pyproject.toml"
