from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from real_runs import REAL

from ghbot.cli import triage as cli


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_for_one_log_is_an_object_with_the_documented_fields(capsys) -> None:
    code, out, _ = run(capsys, "--format", "json", str(REAL / "cargo-type.log"))
    report = json.loads(out)
    assert code == 1
    assert report["source"].endswith("cargo-type.log")
    failure = report["failures"][0]
    assert set(failure) >= {"category", "title", "rule", "fingerprint", "confidence", "step",
                            "excerpt", "explanation", "fix"}
    assert set(failure["excerpt"]) == {"start_line", "end_line", "text"}
    assert failure["category"] == "compile"


def test_several_logs_give_an_array_in_input_order(capsys) -> None:
    names = ["go-build.log", "pytest-assert.log", "npm-404.log"]
    code, out, _ = run(capsys, "--format", "json", *(str(REAL / n) for n in names))
    reports = json.loads(out)
    assert [Path(r["source"]).name for r in reports] == names


def test_max_excerpt_bounds_every_excerpt(capsys) -> None:
    _, out, _ = run(capsys, "--format", "json", "--max-excerpt", "2",
                    str(REAL / "python-traceback.log"))
    for failure in json.loads(out)["failures"]:
        excerpt = failure["excerpt"]
        assert excerpt["end_line"] - excerpt["start_line"] + 1 <= 2
        assert len(excerpt["text"].split("\n")) <= 2
    assert "KeyError" in json.loads(out)["failures"][0]["excerpt"]["text"]


def test_stdin_and_text_format(monkeypatch, capsys) -> None:
    data = (REAL / "gcc-undeclared.log").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))
    code, out, _ = run(capsys, "-")
    assert code == 1
    assert "== -" in out and "undeclared" in out and "[compile]" in out


def test_run_logs_zip_uses_step_files_and_names_the_step(tmp_path: Path, capsys) -> None:
    archive = tmp_path / "logs.zip"
    step_log = (REAL / "cargo-type.log").read_text()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("0_build.txt", "whole job log, duplicated by the folder\nerror: dup\n")
        zf.writestr("build/1_Set up job.txt", "Current runner version: '2.320.0'\n")
        zf.writestr("build/2_Run cargo build.txt", step_log)
        zf.writestr("lint/1_Run clippy.txt", "all good\n")
    code, out, _ = run(capsys, "--format", "json", str(archive))
    report = json.loads(out)
    top = report["failures"][0]
    assert top["log"] == "build/2_Run cargo build.txt"
    assert top["step"] == "build / Run cargo build"
    assert "mismatched types" in top["excerpt"]["text"]
    assert all(f["log"] != "0_build.txt" for f in report["failures"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["/no/such/log"], "No such file"),
        (["--rules", "/no/such/dir", "x"], "not a directory"),
        (["--format", "xml", "x"], "invalid choice"),
        (["--max-excerpt", "0", "x"], "must be >= 1"),
    ],
)
def test_bad_input_is_a_usage_error(capsys, argv: list[str], message: str) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err


def test_corrupt_zip_is_a_usage_error(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    code, _, err = run(capsys, str(bad))
    assert code == 2 and "not a readable zip" in err


def test_clean_log_exits_zero(tmp_path: Path, capsys) -> None:
    log = tmp_path / "ok.log"
    log.write_text("")
    code, out, _ = run(capsys, "--format", "json", str(log))
    assert code == 0 and json.loads(out)["failures"] == []


def test_markdown_of_a_huge_log_stays_under_githubs_limit(tmp_path: Path) -> None:
    huge = tmp_path / "huge.log"
    block = (REAL / "pytest-assert.log").read_text()
    with huge.open("w") as out:
        for i in range(300):  # distinct errors, giant lines, many failures
            out.write(f"src/m{i}.c:{i}:1: error: {'very long message ' * 400} {i}\n")
            out.write(block)
    result = subprocess.run(
        [sys.executable, "-m", "ghbot", "triage", "--format", "markdown", "--max-excerpt", "200",
         str(huge), str(huge), str(huge)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 1, result.stderr
    assert 1000 < len(result.stdout) < 65_536
    assert result.stdout.count("<details") == result.stdout.count("</details>")
