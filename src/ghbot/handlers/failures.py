"""Completed CI (`ghbot.services.failures`): a failed workflow run or check suite is triaged and
reported once per workflow and branch; a passing one marks the earlier report fixed."""

from __future__ import annotations

from ghbot.context import Context
from ghbot.github.models import WorkflowRun
from ghbot.registry import on
from ghbot.services import failures


@on("workflow_run", "completed")
async def report_workflow_run(ctx: Context) -> None:
    raw = ctx.event.payload.get("workflow_run")
    if not isinstance(raw, dict):
        ctx.log.warning("workflow_run payload without a workflow_run object")
        return
    await failures.report_run(ctx, WorkflowRun.from_api(raw))


@on("check_suite", "completed")
async def report_check_suite(ctx: Context) -> None:
    suite = ctx.event.payload.get("check_suite")
    if not isinstance(suite, dict):
        ctx.log.warning("check_suite payload without a check_suite object")
        return
    await failures.report_suite(ctx, suite)
