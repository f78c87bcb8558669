"""Issues whose body holds a traceback or a CI log: triage it, reply once (sticky, an edit
updates the reply) and label it by category per `triage.labels`.

Ordinary issues get nothing: only a failure found by a real extractor or a known rule counts,
never the generic "a line says error". Labelling is best effort: the reply never fails for it.
"""

from __future__ import annotations

import asyncio
import io

from ghbot.context import Context
from ghbot.engine.report.failure import render_issue_reply, strongest
from ghbot.engine.triage.engine import Log
from ghbot.github.comments import Sticky, upsert_sticky
from ghbot.github.errors import GitHubError, RateLimited, ServerError
from ghbot.github.repo_config import ConfigResult
from ghbot.services.failures import triage_for
from ghbot.services.runbooks import suggest_runbooks

KIND = "issue-triage"


async def triage_issue(ctx: Context, number: int, body: str, labels: frozenset[str]) -> None:
    """Triage issue `number`'s `body`; when it holds a failure, reply (sticky) and label it by
    category unless it already carries that label (one of `labels`)."""
    if not body.strip():
        return
    owner, repo = ctx.owner_repo
    config = await ctx.config()
    if not config.config.triage.enabled:
        return
    triage, _ = await triage_for(ctx, config)
    report = await asyncio.to_thread(
        triage.run, f"issue #{number}", [Log(None, io.BytesIO(body.encode()))]
    )
    top = strongest(report)
    if top is None:
        # An edit that removed the log leaves an earlier reply as it was: no churn.
        return
    sections = []
    try:  # the runbooks section: its failure must not cost the reply
        if (section := await suggest_runbooks(ctx, report, config.config)) is not None:
            sections.append(section)
    except Exception:
        ctx.log.exception("runbooks section of the issue reply failed")
    sticky = Sticky(owner, repo, number, KIND)
    await upsert_sticky(ctx.gh, sticky, render_issue_reply(report, sections), ctx.bot_login)
    ctx.outcome.summary.append(f"triaged the log in issue #{number}")
    await _label(ctx, number, top.category, config, labels)


async def _label(
    ctx: Context, number: int, category: str, config: ConfigResult, current: frozenset[str]
) -> None:
    wanted = config.config.triage.labels.for_category(category)
    if wanted is None or wanted in current:
        return
    owner, repo = ctx.owner_repo
    try:
        await ctx.gh.add_labels(owner, repo, number, [wanted])
    except (ServerError, RateLimited):
        raise  # transient: the job retries, and the reply above is already idempotent
    except GitHubError as exc:  # no permission, a label name GitHub refuses
        ctx.log.warning("could not label issue #%s %r: %s", number, wanted, exc)
