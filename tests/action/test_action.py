"""`hephaestus action` in a simulated runner: a real git checkout, event file, output and
summary files, exactly as the runner provides them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def checkout(tmp_path: Path) -> tuple[Path, str]:
    repo = tmp_path / "work"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "dev@example.com")
    git(repo, "config", "user.name", "Dev")
    (repo / "old.py").write_text("def old(:\n    pass\n")  # broken before the PR: not ours
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    base = git(repo, "rev-parse", "HEAD")
    return repo, base


def run_action(tmp_path: Path, repo: Path, event_name: str, event: dict, **inputs: str):
    event_file = tmp_path / "event.json"
    event_file.write_text(json.dumps(event))
    output, summary = tmp_path / "output.txt", tmp_path / "summary.md"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "HEPHAESTUS_"))},
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(event_file),
        "GITHUB_WORKSPACE": str(repo),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(tmp_path),
        **inputs,
    }
    proc = subprocess.run(
        [sys.executable, "-m", "ghbot", "action"], cwd=repo, env=env,
        capture_output=True, text=True, timeout=120,
    )
    outputs = {}
    if output.exists():
        lines = output.read_text().split("\n")
        for i, line in enumerate(lines):
            if "<<" in line:
                name = line.split("<<")[0]
                outputs[name] = lines[i + 1]  # later writes win, as on the runner
    return proc, outputs, summary.read_text() if summary.exists() else ""


def test_pull_request_review_annotates_only_the_change(tmp_path, checkout):
    repo, base = checkout
    (repo / "new.py").write_text("import os\nif True\n    print('x')\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "change")
    event = {"pull_request": {"number": 1, "base": {"sha": base}, "head": {"sha": "x"}}}
    sarif = tmp_path / "out.sarif"
    proc, outputs, summary = run_action(
        tmp_path, repo, "pull_request", event, HEPHAESTUS_SARIF_FILE=str(sarif)
    )
    assert proc.returncode == 1, proc.stderr  # an error-level finding, fail-level error
    assert "::error file=new.py,line=2" in proc.stdout
    assert "old.py" not in proc.stdout  # not in the change
    assert int(outputs["findings"]) >= 1
    report = json.loads(Path(outputs["report"]).read_text())
    assert {f["path"] for f in report["findings"]} == {"new.py"}
    assert "## Hephaestus" in summary and "new.py:2" in summary
    assert json.loads(sarif.read_text())["version"] == "2.1.0"


def test_fail_level_never_and_the_annotation_cap(tmp_path, checkout):
    repo, base = checkout
    many = "".join(f"def f{i}(:\n    pass\n" for i in range(15))
    (repo / "many.py").write_text(many)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "many")
    event = {"before": base, "after": "y"}
    proc, outputs, summary = run_action(
        tmp_path, repo, "push", event, HEPHAESTUS_FAIL_LEVEL="never"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("::error ") == 10  # the runner keeps 10 per type per step
    assert int(outputs["findings"]) > 10
    assert "not shown as annotations" in summary


def test_bad_input_is_a_clear_error_on_the_run_page(tmp_path, checkout):
    repo, _ = checkout
    proc, outputs, _ = run_action(
        tmp_path, repo, "push", {}, HEPHAESTUS_FAIL_LEVEL="sometimes"
    )
    assert proc.returncode == 2
    assert "::error title=Hephaestus::input 'fail-level'" in proc.stdout
    assert "Traceback" not in proc.stderr
