"""Real tool outputs (from bench/triage_accuracy/capture.py): the top failure is the cause."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ghbot.engine.triage.candidates import STORED_LINE
from ghbot.engine.triage.normalise import normalise

REAL = Path(__file__).parent / "fixtures" / "real"
LABELS = Path(__file__).resolve().parents[2] / "bench" / "triage_accuracy" / "labels.json"
CASES = sorted(json.loads(LABELS.read_text()).items())


@pytest.mark.parametrize(("name", "label"), CASES, ids=[name for name, _ in CASES])
def test_top_failure_contains_a_labelled_cause_line(run_log, name: str, label: dict) -> None:
    raw = (REAL / f"{name}.log").read_bytes()
    report = run_log(raw, name)
    top = report.failures[0]
    assert any(top.excerpt.start_line <= n <= top.excerpt.end_line for n in label["cause_lines"])
    assert top.title and top.explanation and top.fix
    # sed -n START,ENDp LOG shows the excerpt: its text is those raw lines, cleaned (and cut).
    lines = raw.decode().split("\n")
    cleaned = [
        normalise(n, lines[n - 1]).text[:STORED_LINE]
        for n in range(top.excerpt.start_line, top.excerpt.end_line + 1)
    ]
    assert top.excerpt.text == "\n".join(cleaned)


def test_categories_of_known_outputs(run_log) -> None:
    expected = {
        "pytest-assert": "test", "mypy-type": "lint", "gcc-undeclared": "compile",
        "pip-no-version": "dependency", "npm-404": "dependency", "dns-failure": "network",
        "disk-full": "resource", "oom-killed": "resource", "cargo-type": "compile",
        "tsc-type": "compile", "shell-permission": "config", "unbound-secret": "config",
    }
    for name, category in expected.items():
        report = run_log((REAL / f"{name}.log").read_bytes(), name)
        assert report.failures[0].category == category, name


def test_actions_wrapped_logs_know_the_failing_step(run_log) -> None:
    report = run_log((REAL / "pytest-assert.log").read_bytes())
    assert report.failing_steps == ("python -m pytest -q -p no:cacheprovider",)
    assert report.failures[0].step == report.failing_steps[0]
    assert report.failures[0].confidence >= 0.7
