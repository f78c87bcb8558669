import json
import os
import sys
from pathlib import Path

import pytest

from ghbot.cli import check
from ghbot.engine.report.github import annotation, escape_property

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine" / "check"))
from check_helpers import commit, make_repo, write  # noqa: E402


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    root = make_repo(tmp_path / "r", {"ok.py": "x = 1\n", "warn.py": "import os\n"})
    monkeypatch.chdir(root)
    return root


def test_formats_and_exit_codes(repo: Path, capsys) -> None:
    assert check.main(["--format", "json"]) == 0  # F401 is a warning; the default fails on errors
    document = json.loads(capsys.readouterr().out)
    finding = document["findings"][0]
    assert {"rule", "severity", "message", "path", "line", "column", "end_line", "end_column",
            "fix"} <= set(finding)  # fmt: skip
    assert (finding["rule"], finding["path"], finding["fix"]["applicability"]) == (
        "F401", "warn.py", "safe")  # fmt: skip
    assert check.main(["--fail-level", "warning"]) == 1
    text = capsys.readouterr().out
    assert text.startswith("warn.py\n  1:8") and "1 finding (1 warning) in 2 files" in text
    assert check.main(["--format", "github", "--fail-level", "never", "warn.py"]) == 0
    assert capsys.readouterr().out.startswith("::warning file=warn.py,line=1,endLine=1,col=8,")
    assert check.main(["--format", "sarif", "--output", "out.sarif"]) == 0
    assert json.loads((repo / "out.sarif").read_text())["version"] == "2.1.0"
    write(repo, {"err.py": "print(undefined)\n"})
    assert check.main(["--format", "json", "--select", "F8"]) == 1
    assert [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]] == ["F821"]
    assert check.main(["--ignore", "F821,F401"]) == 0


def test_diff_mode_reports_only_changed_lines(repo: Path, capsys) -> None:
    base = commit(repo)
    write(repo, {"ok.py": "x = 1\nimport sys\n"})
    assert check.main(["--diff", base, "--format", "json", "--select", "F"]) == 0
    found = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["path"], f["line"]) for f in found] == [("ok.py", 2)]


def test_bad_input_is_a_clear_usage_error(repo: Path, capsys) -> None:
    assert check.main(["missing.py"]) == 2
    assert "missing.py: no such file or directory" in capsys.readouterr().err
    assert check.main(["--format", "xml"]) == 2
    assert "invalid choice" in capsys.readouterr().err
    assert check.main(["--diff", "nope"]) == 2
    assert "no such commit" in capsys.readouterr().err
    assert check.main(["--output", str(repo / "no" / "dir" / "x.json")]) == 2
    assert "--output" in capsys.readouterr().err
    write(repo, {"latin.py": "s = 'caf\xe9'\n".encode("latin-1"), "blob.bin": b"\x00\x01"})
    os.symlink("/etc/hostname", repo / "link.txt")
    assert check.main(["--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "skipped latin.py: not UTF-8" in captured.err
    assert "skipped blob.bin: binary file" in captured.err
    assert "skipped link.txt: symlink to /etc/hostname, outside the checked tree" in captured.err
    assert "Traceback" not in captured.err
    skipped = {s["path"] for s in json.loads(captured.out)["skipped"]}
    assert skipped == {"latin.py", "blob.bin", "link.txt"}


def test_empty_repository(tmp_path: Path, monkeypatch, capsys) -> None:
    empty = make_repo(tmp_path / "empty", {})
    monkeypatch.chdir(empty)
    assert check.main([]) == 0
    assert "no files to check" in capsys.readouterr().err


def test_workflow_command_escaping() -> None:
    from ghbot.engine.models import Finding, Severity

    finding = Finding("E1", Severity.NOTE, "50% done\nnext", "a,b:c.py", 1, 2, 3, 4, "ruff")
    line = annotation(finding)
    assert line.startswith("::notice file=a%2Cb%3Ac.py,line=1,endLine=3,col=2,endColumn=4,")
    assert line.endswith("::50%25 done%0Anext\n")
    assert escape_property("x\r\n") == "x%0D%0A"


def test_sarif_and_json_by_default_never_load_libcst(tmp_path: Path) -> None:
    """LibCST's import alone costs more than ruff takes on a large tree: by default neither the
    codemods' findings nor their SARIF rule descriptors may need it (`--fixes` does)."""
    import subprocess

    root = make_repo(tmp_path / "r", {"a.py": "import requests\nrequests.get('http://x')\n"})
    probe = (
        "import sys\nfrom ghbot.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print('libcst' in sys.modules, code)\n"
    )
    runs = (("sarif", [], False), ("json", [], False), ("json", ["--fixes"], True))
    for fmt, extra, loaded in runs:
        done = subprocess.run(
            [sys.executable, "-c", probe, "check", "--format", fmt, "--output", "out", *extra],
            cwd=root, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.stdout.split() == [str(loaded), "0"], done.stderr
        report = (root / "out").read_text()
        assert "HEP106" in report
        if fmt == "sarif":
            rules = json.loads(report)["runs"][0]["tool"]["driver"]["rules"]
            [rule] = [rule for rule in rules if rule["id"] == "HEP106"]
            assert rule["shortDescription"]["text"].startswith("`requests.*` calls")
            assert "one stalled server hangs the program" in rule["help"]["text"]
