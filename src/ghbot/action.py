"""The GitHub Actions front door: the runner's environment in, annotations, outputs and a job
summary out. `action.yml` passes every input through an environment variable named in `INPUTS`;
tests/test_contracts.py keeps the two in step.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError

from ghbot.cli.check import FAIL_LEVELS
from ghbot.engine.analysis.run import AnalysisOptions, AnalysisResult, analyse
from ghbot.engine.analysis.sarif import to_sarif
from ghbot.engine.diff import FilterMode
from ghbot.engine.models import Finding, Severity
from ghbot.engine.render import escape_inline, truncate_middle
from ghbot.engine.report.github import annotation

# action.yml input name -> environment variable the composite step sets.
INPUTS: dict[str, str] = {
    "mode": "HEPHAESTUS_MODE",
    "github-token": "HEPHAESTUS_TOKEN",
    "filter-mode": "HEPHAESTUS_FILTER_MODE",
    "fail-level": "HEPHAESTUS_FAIL_LEVEL",
    "config": "HEPHAESTUS_CONFIG",
    "sarif-file": "HEPHAESTUS_SARIF_FILE",
}
OUTPUTS = ("findings", "fixed", "report")
MODES = ("review", "auto")

# The runner keeps at most 10 annotations of each type per step; more are dropped silently.
ANNOTATIONS_PER_TYPE = 10
STEP_SUMMARY_LIMIT = 1_000_000  # the runner rejects step summaries over 1 MiB
SUMMARY_ROWS = 200
NULL_SHA = "0" * 40


class ActionError(ValueError):
    """An input or the runner's environment is unusable; the message says which and how."""


class ActionInputs(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    mode: Literal["review", "auto"] = "auto"
    github_token: SecretStr | None = None
    filter_mode: FilterMode = FilterMode.ADDED
    fail_level: Literal["error", "warning", "never"] = "error"
    config: str = ".github/hephaestus.yml"
    sarif_file: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ActionInputs:
        values = {
            name.replace("-", "_"): env[var] for name, var in INPUTS.items() if env.get(var)
        }
        try:
            return cls(**values)
        except ValidationError as exc:
            problems = []
            for error in exc.errors(include_input=False, include_url=False):
                field = str(error["loc"][0]).replace("_", "-")
                problems.append(f"input '{field}': {error['msg']}")
            raise ActionError("; ".join(problems)) from None


@dataclass(frozen=True, slots=True)
class Runner:
    """The files and variables a GitHub Actions runner gives a step."""

    event_name: str
    event: Mapping[str, Any]
    workspace: Path
    output_file: Path | None
    summary_file: Path | None
    temp_dir: Path

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Runner:
        event_path = env.get("GITHUB_EVENT_PATH")
        if not env.get("GITHUB_EVENT_NAME") or not event_path:
            raise ActionError(
                "GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set: "
                "`hephaestus action` runs as a step of a GitHub Actions workflow"
            )
        try:
            event = json.loads(Path(event_path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ActionError(f"cannot read the event file {event_path}: {exc}") from None
        if not isinstance(event, dict):
            raise ActionError(f"the event file {event_path} does not hold a JSON object")

        def path(name: str) -> Path | None:
            return Path(env[name]) if env.get(name) else None

        workspace = path("GITHUB_WORKSPACE") or Path.cwd()
        return cls(
            event_name=env["GITHUB_EVENT_NAME"],
            event=event,
            workspace=workspace,
            output_file=path("GITHUB_OUTPUT"),
            summary_file=path("GITHUB_STEP_SUMMARY"),
            temp_dir=path("RUNNER_TEMP") or workspace,
        )

    def set_outputs(self, **values: object) -> None:
        if self.output_file is None:
            return
        with self.output_file.open("a", encoding="utf-8") as out:
            for name, value in values.items():
                delimiter = f"ghadelim_{uuid.uuid4().hex}"  # a value can't close it early
                out.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")

    def add_summary(self, markdown: str) -> None:
        if self.summary_file is not None:
            with self.summary_file.open("a", encoding="utf-8") as out:
                out.write(truncate_middle(markdown, STEP_SUMMARY_LIMIT) + "\n")


def diff_base(event_name: str, event: Mapping[str, Any]) -> str | None:
    """The commit the change is measured from: the PR's base, or the push's previous head."""
    if event_name in {"pull_request", "pull_request_target"}:
        base = (event.get("pull_request") or {}).get("base") or {}
        return base.get("sha") or None
    if event_name == "push":
        before = event.get("before")
        return before if before and before != NULL_SHA else None
    return None


def capped_annotations(findings: Sequence[Finding]) -> tuple[str, int]:
    """Workflow commands for the most severe findings within the runner's per-type cap."""
    per_type: Counter[Severity] = Counter()
    lines = []
    for finding in sorted(findings, key=lambda f: -f.severity.rank):
        if per_type[finding.severity] < ANNOTATIONS_PER_TYPE:
            per_type[finding.severity] += 1
            lines.append(annotation(finding))
    return "".join(lines), len(findings) - len(lines)


def summary_markdown(result: AnalysisResult, left_out: int, base: str | None) -> str:
    scope = f"changes since `{base[:12]}`" if base else "the whole checkout"
    count = len(result.findings)
    lines = [
        "## Hephaestus",
        "",
        f"Checked {result.files_checked} files ({scope}): "
        f"{count} finding{'s' if count != 1 else ''}.",
    ]
    if left_out:
        lines.append(
            f"\n{left_out} findings are not shown as annotations (the runner keeps "
            f"{ANNOTATIONS_PER_TYPE} of each type per step); all are listed below."
        )
    if result.findings:
        lines += ["", "| Severity | Rule | Location | Message |", "| --- | --- | --- | --- |"]
        for f in result.findings[:SUMMARY_ROWS]:
            lines.append(
                f"| {f.severity.value} | `{f.rule}` | `{f.path}:{f.line}` | "
                f"{escape_inline(f.message)} |"
            )
        if count > SUMMARY_ROWS:
            lines.append(f"\n… and {count - SUMMARY_ROWS} more in the JSON report.")
    return "\n".join(lines)


def review(inputs: ActionInputs, runner: Runner) -> tuple[int, bool]:
    """Analyse the change on the checkout; returns (findings, whether the fail level is hit)."""
    base = diff_base(runner.event_name, runner.event)
    options = AnalysisOptions(diff_base=base, filter_mode=inputs.filter_mode)
    result = analyse(runner.workspace, (), options)
    report = runner.temp_dir / "hephaestus-report.json"
    report.write_text(
        json.dumps({"findings": [f.to_dict() for f in result.findings]}, indent=2),
        encoding="utf-8",
    )
    if inputs.sarif_file:
        sarif = to_sarif(result.findings, runner.workspace.resolve().as_uri() + "/", result.skipped)
        Path(inputs.sarif_file).write_text(json.dumps(sarif), encoding="utf-8")
    commands, left_out = capped_annotations(result.findings)
    print(commands, end="")
    runner.add_summary(summary_markdown(result, left_out, base))
    runner.set_outputs(findings=len(result.findings), report=report)
    threshold = FAIL_LEVELS[inputs.fail_level]
    failed = threshold is not None and any(f.severity.rank >= threshold for f in result.findings)
    return len(result.findings), failed


def run(env: Mapping[str, str] | None = None) -> int:
    env = os.environ if env is None else env
    inputs = ActionInputs.from_env(env)
    runner = Runner.from_env(env)
    # Every output exists from the start, so later steps can read them even after a failure.
    runner.set_outputs(findings=0, fixed=0, report="")
    _, failed = review(inputs, runner)
    return 1 if failed else 0
