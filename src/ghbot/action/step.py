"""One Action step: the runner's event through the App's own handlers (the same Dispatcher and
registry the server uses), then what they did shown where a workflow shows things: annotations,
the job summary, outputs, SARIF, the exit code."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import aiohttp

from ghbot import logs
from ghbot.action.access import REFUSAL_ERRORS, Refusal, WriteGate, fork_pull_request
from ghbot.action.annotations import Annotations, capped
from ghbot.action.inputs import ActionError, ActionInputs
from ghbot.action.modes import PULL_REQUEST_EVENTS, events_of, select
from ghbot.action.runner import Runner, commands_paused, set_outputs
from ghbot.action.workspace import review_workspace
from ghbot.dispatch import Dispatcher, HandlerResult
from ghbot.engine.analysis.sarif import to_sarif
from ghbot.engine.fail_level import FailLevel
from ghbot.engine.files import Skipped
from ghbot.engine.models import Finding
from ghbot.engine.render import escape_inline
from ghbot.github.api import GitHub
from ghbot.github.app import action_client
from ghbot.registry import Registration, Registry, default_registry

HANDLER_TIMEOUT = 900.0  # seconds per handler; a hosted job may run 6 h, a review never should
# Handlers get their client through the event's installation; a runner's event names none, and
# the job's token stands for it.
RUNNER_INSTALLATION = 0

EXIT_OK, EXIT_FINDINGS, EXIT_INTERNAL = 0, 1, 3


@dataclass(slots=True)
class StepResult:
    findings: list[Finding] = field(default_factory=list)
    fixed: int = 0
    sections: list[str] = field(default_factory=list)  # job summary markdown, in order
    refusal: Refusal | None = None
    ran: tuple[HandlerResult, ...] = ()
    failures: list[HandlerResult] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


async def dispatch(
    inputs: ActionInputs,
    runner: Runner,
    registry: Registry,
    selected: list[Registration],
    result: StepResult,
) -> None:
    """Run the selected handlers for the event with the job's token."""
    token = inputs.github_token.get_secret_value() if inputs.github_token else ""
    if not token:
        raise ActionError("input 'github-token' is empty: pass `${{ github.token }}` or a token")
    logs.register_secret(token)
    if runner.marker_key:
        logs.register_secret(runner.marker_key)
    gate = WriteGate()
    async with aiohttp.ClientSession() as session:
        client = gate.install(action_client(token, session, api_url=runner.api_url))

        async def client_for(installation_id: int) -> GitHub:  # every id: the job's token
            return client

        # The bot's own events are skipped, as in the App.
        dispatcher = Dispatcher(
            registry,
            client_for,
            app_slug=runner.bot_login.removesuffix("[bot]"),
            timeout=HANDLER_TIMEOUT,
            bot_login=runner.bot_login,
            marker_secret=runner.marker_key,
        )
        event = runner.event
        if event.installation_id is None:
            event = replace(event, installation_id=RUNNER_INSTALLATION)
        dispatched = await dispatcher.dispatch(event, only=[r.name for r in selected])
    result.ran = dispatched.results
    result.refusal = gate.refusal
    result.findings.extend(dispatched.outcome.findings)
    result.fixed += dispatched.outcome.fixed
    result.sections.extend(dispatched.outcome.summary)
    if dispatched.skipped and not dispatched.results:
        result.sections.append(f"Nothing to do: {dispatched.skipped}.")
    for handler in dispatched.results:
        # The refusal (and the gate echoing it) is the degraded path, not a failure.
        refused = gate.refusal is not None and (handler.error or "").startswith(REFUSAL_ERRORS)
        if not handler.ok and not refused:
            result.failures.append(handler)


async def execute(inputs: ActionInputs, runner: Runner, registry: Registry) -> StepResult:
    event, mode = runner.event, inputs.mode
    result = StepResult()
    selected = select(registry, mode, event)
    if fork_pull_request(event):
        result.refusal = Refusal.fork()  # nothing the handlers would write can succeed
    elif selected:
        await dispatch(inputs, runner, registry, selected, result)
    dispatched = bool(result.ran)
    degraded_pull = (
        result.refusal is not None and event.name in PULL_REQUEST_EVENTS and not result.findings
    )
    if mode in ("review", "auto") and (not dispatched or degraded_pull):
        review = review_workspace(inputs, event, runner.workspace)
        result.findings.extend(review.findings)
        result.skipped.extend(review.skipped)
        result.sections.append(review.summary)
    elif not selected and result.refusal is None:
        handled = ", ".join(f"`{name}`" for name in events_of(registry, mode)) or "no events"
        result.sections.append(
            f"Nothing to do: `{mode}` mode handles {handled}; this run was triggered by "
            f"`{event.name}`."
        )
    return result


def summary_markdown(result: StepResult, notes: Annotations) -> str:
    lines = ["## Hephaestus", ""]
    if result.refusal is not None:
        lines += [result.refusal.reason, ""]
    for section in result.sections:
        lines += [section, ""]
    note = notes.note()
    if note:
        lines += [note, ""]
    for failure in result.failures:
        lines.append(f"- **{failure.name}** failed: {escape_inline(failure.error or '')}")
    return "\n".join(lines).rstrip() + "\n"


def write_report(result: StepResult, runner: Runner, mode: str) -> Path:
    # A unique file: several Hephaestus steps in one job must not overwrite each other's report.
    fd, name = tempfile.mkstemp(prefix="hephaestus-report-", suffix=".json", dir=runner.temp_dir)
    report = {
        "mode": mode,
        "event": runner.event.name,
        "findings": [f.to_dict() for f in result.findings],
        "fixed": result.fixed,
        "degraded": result.refusal.reason if result.refusal else None,
        "handlers": [
            {"name": h.name, "outcome": h.outcome, "error": h.error} for h in result.ran
        ],
    }
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(report, out, indent=2)
    return Path(name)


def write_sarif(result: StepResult, path: Path) -> None:
    # No root URI: code scanning anchors relative paths at the repository root.
    sarif = to_sarif(result.findings, None, result.skipped)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(sarif), encoding="utf-8")


def exit_code(result: StepResult, fail_level: FailLevel) -> int:
    if result.failures:
        return EXIT_INTERNAL
    return EXIT_FINDINGS if fail_level.fails(result.findings) else EXIT_OK


def run(env: Mapping[str, str] | None = None, registry: Registry | None = None) -> int:
    env = os.environ if env is None else env
    # Every output exists from the start, so later steps can read them even after a failure.
    set_outputs(Path(env["GITHUB_OUTPUT"]) if env.get("GITHUB_OUTPUT") else None,
                findings=0, fixed=0, report="")  # fmt: skip
    try:
        return _run(env, registry)
    except ActionError as exc:
        if env.get("GITHUB_STEP_SUMMARY"):
            with open(env["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as out:
                out.write(f"## Hephaestus\n\nCould not run: {escape_inline(str(exc))}\n")
        raise


def _run(env: Mapping[str, str], registry: Registry | None) -> int:
    inputs = ActionInputs.from_env(env)
    runner = Runner.from_env(env)
    registry = registry or default_registry()
    # RUNNER_DEBUG is set when a run is re-run with debug logging.
    logs.configure("DEBUG" if env.get("RUNNER_DEBUG") == "1" else "INFO")
    with commands_paused(sys.stdout):
        result = asyncio.run(execute(inputs, runner, registry))
    notes = capped(result.findings)
    sys.stdout.write(notes.commands)
    for failure in result.failures:
        sys.stdout.write(f"::error title=Hephaestus::{failure.name} failed (see the log)\n")
    if result.refusal is not None:
        logging.getLogger("ghbot.action").warning(result.refusal.reason)
    report = write_report(result, runner, inputs.mode)
    if inputs.sarif_file:
        write_sarif(result, runner.workspace / inputs.sarif_file)
    runner.add_summary(summary_markdown(result, notes))
    runner.set_outputs(findings=len(result.findings), fixed=result.fixed, report=report)
    return exit_code(result, inputs.fail_level)
