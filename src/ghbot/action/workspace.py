"""Review of the checkout itself, with the engine's filesystem analysis: for runs that have no
pull request to review through the API (a push, a manual run), and for pull requests whose
token cannot post a check run or review (forks). The change is measured from the pull
request's base or the push's previous head; the configuration comes from the checkout, which
is no more trusted than the workflow file that runs this step."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ghbot.action.inputs import ActionError, ActionInputs
from ghbot.checkout_config import CONFIG_PATH, MissingConfig, load_checkout_config
from ghbot.engine.analysis.run import AnalysisOptions, analyse
from ghbot.engine.files import InputError, Skipped
from ghbot.engine.models import Finding
from ghbot.engine.render import escape_inline, plural
from ghbot.github.events import Event
from ghbot.github.repo_config import ConfigResult

NULL_SHA = "0" * 40
SUMMARY_ROWS = 200


@dataclass(slots=True)
class WorkspaceReview:
    findings: list[Finding]
    skipped: list[Skipped] = field(default_factory=list)
    summary: str = ""


def diff_base(event: Event) -> str | None:
    """The commit the change is measured from: the PR's base, or the push's previous head."""
    payload: Mapping[str, Any] = event.payload
    if event.name in {"pull_request", "pull_request_target"}:
        pull = payload.get("pull_request")
        base = pull.get("base") if isinstance(pull, Mapping) else None
        sha = base.get("sha") if isinstance(base, Mapping) else None
        return sha if isinstance(sha, str) and sha else None
    if event.name == "push":
        before = payload.get("before")
        return before if isinstance(before, str) and before and before != NULL_SHA else None
    return None


def load_config(workspace: Path, relative: str) -> ConfigResult:
    root = workspace.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise ActionError(f"input 'config': {relative} is outside the workspace")
    # The input's default is the App's file, which may be absent: then pyproject.toml is read.
    explicit = None if relative == CONFIG_PATH else path
    try:
        return load_checkout_config(root, explicit)
    except MissingConfig:
        raise ActionError(f"input 'config': {relative} does not exist in the checkout") from None


def review_workspace(inputs: ActionInputs, event: Event, workspace: Path) -> WorkspaceReview:
    """Raises engine.files.InputError when the checkout cannot be diffed (e.g. too shallow)."""
    config = load_config(workspace, inputs.config)
    analysis = config.config.analysis
    base = diff_base(event)
    options = AnalysisOptions(
        select=tuple(analysis.select),
        ignore=tuple(analysis.ignore),
        secrets_allowlist=tuple(analysis.secrets.allowlist),
        exclude=tuple(analysis.exclude),
        diff_base=base,
        filter_mode=inputs.filter_mode,
    )
    try:
        result = analyse(workspace, (), options)
    except InputError as exc:
        if base is None:
            raise
        raise ActionError(
            f"cannot measure the change from {base[:12]} in the checkout ({exc}): check the "
            "repository out with actions/checkout and `fetch-depth: 0` before this step"
        ) from None
    count = len(result.findings)
    scope = f"changes since `{base[:12]}`" if base else "the whole checkout"
    checked = plural(result.files_checked, "file")
    lines = [f"Checked {checked} ({scope}): {plural(count, 'finding')}."]
    lines += [f"\n**Configuration problem**: {escape_inline(str(e))}" for e in config.errors]
    if result.findings:
        lines += ["", "| Severity | Rule | Location | Message |", "| --- | --- | --- | --- |"]
        # The most severe first (a stable sort: by file and line within a severity).
        for f in sorted(result.findings, key=lambda f: -f.severity.rank)[:SUMMARY_ROWS]:
            lines.append(
                f"| {f.severity.value} | `{f.rule}` | `{escape_inline(f.path)}:{f.line}` | "
                f"{escape_inline(f.message)} |"
            )
        if count > SUMMARY_ROWS:
            lines.append(f"\n… and {count - SUMMARY_ROWS} more in the JSON report.")
    return WorkspaceReview(result.findings, result.skipped, "\n".join(lines))
