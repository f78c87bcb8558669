"""Composite actions' `action.yml` get the workflow step rules: their steps run inside the
caller's job, with its token and secrets."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from ghbot.engine.analysis.workflow_paths import is_workflow_path
from ghbot.engine.analysis.workflows import check_workflow
from ghbot.engine.models import Severity, SourceFile

ROOT = Path(__file__).resolve().parents[3]
SHA = "a26af69be951a213d495a4c3e4e4022e16d87065"

COMPOSITE = """\
name: demo
runs:
  using: composite
  steps:
    - uses: actions/setup-python@v5
    - uses: someone/tool@main
    - uses: actions/cache@{sha} # v4
    - shell: bash
      run: echo "${{{{ github.event.pull_request.title }}}}"
    - uses: ./local
"""


def check(path: str, text: str) -> list:
    return check_workflow(SourceFile(path, textwrap.dedent(text)))


def test_action_files_anywhere_are_audited_and_others_are_not():
    for path in ("action.yml", "action.yaml", ".github/actions/setup/action.yml"):
        assert is_workflow_path(path), path
    for path in ("myaction.yml", "action.yml.bak", "docs/actions.yml"):
        assert not is_workflow_path(path), path


def test_composite_steps_get_the_step_rules():
    found = check(".github/actions/x/action.yml", COMPOSITE.format(sha=SHA))
    assert [(f.rule, f.line, f.severity) for f in found] == [
        ("workflow/unpinned-action", 5, Severity.NOTE),  # first-party, by tag
        ("workflow/unpinned-action", 6, Severity.WARNING),
        ("workflow/script-injection", 9, Severity.ERROR),
    ]
    # No workflow-only rule: an action has no triggers or `permissions:` of its own.
    assert not any("permissions" in f.rule for f in found)


def test_docker_actions_and_non_actions():
    unpinned = "runs:\n  using: docker\n  image: docker://alpine:3\n"
    [finding] = check("action.yml", unpinned)
    assert finding.rule == "workflow/unpinned-action" and "digest" in finding.message
    assert check("action.yml", "runs:\n  using: docker\n  image: Dockerfile\n") == []
    assert check("action.yml", "name: not an action at all\n") == []  # no `runs:`: nothing
    [broken] = check("action.yml", "- a list\n")
    assert broken.rule == "workflow/invalid-yaml" and "not an action" in broken.message


def test_check_audits_our_own_action_and_it_is_pinned(tmp_path: Path):
    # The CLI as users run it, on a copy of this repository's action.yml and on an unpinned one.
    (tmp_path / "ours").mkdir()
    (tmp_path / "ours/action.yml").write_text((ROOT / "action.yml").read_text())
    (tmp_path / "bad/action.yml").parent.mkdir()
    (tmp_path / "bad/action.yml").write_text(COMPOSITE.format(sha=SHA))
    proc = subprocess.run(
        [sys.executable, "-m", "ghbot", "check", "--format", "json", "--fail-level", "never",
         "--select", "workflow", "."],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)["findings"]
    assert {f["path"] for f in found} == {"bad/action.yml"}
    assert {f["rule"] for f in found} == {"workflow/unpinned-action", "workflow/script-injection"}
