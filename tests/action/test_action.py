"""`hephaestus action` on the checkout itself (no pull request to review through the API): a
real git checkout, event file, output and summary files, exactly as the runner provides them."""

from __future__ import annotations

import json
from pathlib import Path

OLD = {"old.py": "def old(:\n    pass\n"}  # broken before the change: not the change's fault


def test_pull_request_review_of_the_checkout_without_a_token(runner):
    # No token and an event that is a fork's pull request: nothing goes to the API at all.
    base = runner.checkout(OLD, {"new.py": "import os\nif True\n    print('x')\n"})
    event = {"pull_request": {"number": 1, "base": {"sha": base}, "head": {"sha": "x"}}}
    step = runner.run("pull_request", event, HEPHAESTUS_MODE="review",
                      HEPHAESTUS_SARIF_FILE="out/hephaestus.sarif")  # fmt: skip
    assert step.code == 1, step.stderr  # an error-level finding, fail-level error
    assert any(a.startswith("::error file=new.py,line=2") for a in step.annotations)
    assert not any("old.py" in a for a in step.annotations)  # not in the change
    assert int(step.outputs["findings"]) >= 1 and step.outputs["fixed"] == "0"
    assert {f["path"] for f in step.report()["findings"]} == {"new.py"}
    assert "## Hephaestus" in step.summary and "new.py:2" in step.summary
    sarif = json.loads((runner.workspace / "out/hephaestus.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    [location] = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert location == "new.py"
    # Relative to the repository, as upload-sarif expects: no absolute runner path inside.
    assert "originalUriBaseIds" not in sarif["runs"][0]
    assert str(runner.workspace) not in json.dumps(sarif)


def test_fail_level_never_and_the_annotation_cap(runner):
    many = {f"m{i:02}.py": "def f(:\n    pass\n" for i in range(15)}
    base = runner.checkout(OLD, many)
    step = runner.run("push", {"before": base, "after": "y"},
                      HEPHAESTUS_MODE="review", HEPHAESTUS_FAIL_LEVEL="never")  # fmt: skip
    assert step.code == 0, step.stderr
    assert sum(a.startswith("::error ") for a in step.annotations) == 10  # the runner's cap
    findings = int(step.outputs["findings"])
    assert findings > 10
    assert f"{findings - 10} findings are not shown as annotations" in step.summary
    assert len(step.report()["findings"]) == findings


def test_bad_input_is_a_clear_error_and_the_outputs_still_exist(runner):
    runner.checkout(OLD, {})
    step = runner.run("push", {}, HEPHAESTUS_FAIL_LEVEL="sometimes")
    assert step.code == 2
    assert any(c.startswith("::error title=Hephaestus::input 'fail-level'") for c in step.commands)
    assert "Traceback" not in step.stderr
    assert step.outputs == {"findings": "0", "fixed": "0", "report": ""}
    assert "Could not run: input 'fail-level'" in step.summary


def test_a_shallow_checkout_is_explained(runner):
    runner.checkout(OLD, {"new.py": "x = 1\n"})
    event = {"pull_request": {"number": 1, "base": {"sha": "ab" * 20}, "head": {"sha": "x"}}}
    step = runner.run("pull_request", event, HEPHAESTUS_MODE="review")
    assert step.code == 2
    assert "fetch-depth: 0" in step.stderr
    assert step.outputs["findings"] == "0"


def test_an_unreadable_event_file_is_a_usage_error(runner, tmp_path: Path):
    step = runner.run("push", {}, GITHUB_EVENT_PATH=str(tmp_path / "missing.json"))
    assert step.code == 2
    assert "cannot read the event file" in step.stderr


def test_the_job_summary_lists_the_most_severe_first(runner):
    runner.checkout({"a.py": "import os\n", "b.py": "print(undefined)\n"}, {})
    step = runner.run("push", {}, HEPHAESTUS_MODE="review", HEPHAESTUS_FAIL_LEVEL="never")
    assert step.code == 0, step.stderr
    rows = [line for line in step.summary.splitlines() if line.startswith("| ")][2:]
    assert [row.split("|")[1].strip() for row in rows] == ["error", "warning"], rows
    assert "Checked 2 files (the whole checkout): 2 findings." in step.summary
