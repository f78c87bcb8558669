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
from ghbot.github.repo_config import ConfigResult, load_repo_config
from ghbot.handlers.failures import ENRICHERS, triage_for
from ghbot.registry import on

KIND = "issue-triage"
MAX_BODY_CHARS = 1_000_000  # an issue body is at most 65,536 characters on GitHub


@on("issues", "opened", "edited")
async def triage_issue(ctx: Context) -> None:
    issue = ctx.event.payload.get("issue")
    if not isinstance(issue, dict) or ctx.event.number is None:
        ctx.log.warning("issues payload without an issue")
        return
    if issue.get("pull_request"):
        return
    if str((issue.get("user") or {}).get("login", "")).lower() == ctx.bot_login.lower():
        return  # the bot's own issues (the dashboard) hold failure excerpts by design
    body = str(issue.get("body") or "")[:MAX_BODY_CHARS]
    if not body.strip():
        return
    owner, repo = ctx.owner_repo
    default_branch = (ctx.event.payload.get("repository") or {}).get("default_branch")
    config = await load_repo_config(ctx.gh, owner, repo, default_branch=default_branch)
    if not config.config.triage.enabled:
        return
    triage, _ = await triage_for(ctx, config)
    report = await asyncio.to_thread(
        triage.run, f"issue #{ctx.event.number}", [Log(None, io.BytesIO(body.encode()))]
    )
    top = strongest(report)
    if top is None:
        # An edit that removed the log leaves an earlier reply as it was: no churn.
        return
    sections = []
    for enricher in ENRICHERS:
        try:
            section = await enricher(ctx, report, config.config)
        except Exception:  # an enricher's bug must not cost the reply
            ctx.log.exception("issue enricher %s failed", enricher)
            continue
        if section:
            sections.append(section)
    sticky = Sticky(owner, repo, ctx.event.number, KIND)
    await upsert_sticky(ctx.gh, sticky, render_issue_reply(report, sections), ctx.bot_login)
    ctx.outcome.summary.append(f"triaged the log in issue #{ctx.event.number}")
    await _label(ctx, top.category, config)


async def _label(ctx: Context, category: str, config: ConfigResult) -> None:
    labels = config.config.triage.labels
    wanted = labels.for_category(category)
    if wanted is None:
        return
    current = {str(x.get("name")) for x in ctx.event.payload.get("issue", {}).get("labels") or []
               if isinstance(x, dict)}  # fmt: skip
    if wanted in current:
        return
    owner, repo = ctx.owner_repo
    try:
        await ctx.gh.add_labels(owner, repo, ctx.event.number, [wanted])
    except (ServerError, RateLimited):
        raise  # transient: the job retries, and the reply above is already idempotent
    except GitHubError as exc:  # no permission, a label name GitHub refuses
        ctx.log.warning("could not label issue #%s %r: %s", ctx.event.number, wanted, exc)
