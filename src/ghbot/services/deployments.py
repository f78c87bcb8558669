"""Deployment history and rollback.

- `deployment` / `deployment_status` events (and, when configured, pushes to the default branch
  and published releases) become rows of the environment's history file through the records
  writer; a failed deployment's row says how to roll back.
- A failed deployment status is triaged when its log or target URL is a failed GitHub Actions
  run of this repository (the failure report of `ghbot.services.failures`); otherwise the
  deployment's commit gets ONE comment (sticky per environment) with the rollback command for
  the last good deployment.
- `describe_recent` (`/hephaestus deployments [ENV]`) answers with the recent history.
- `roll_back` (`/hephaestus rollback ENV [SHA]`) opens a pull request whose single commit
  restores the tree of the last good deployment (or SHA) on top of the default branch. The
  commit carries a `Hephaestus-Rollback:` trailer, so when it deploys its row is noted as a
  rollback.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from ghbot.context import Context
from ghbot.engine import markers
from ghbot.engine.knowledge import deployments as history
from ghbot.engine.knowledge.deployments import Deployment, HistoryFormatError
from ghbot.engine.render import escape_inline
from ghbot.github import records
from ghbot.github.api import GitHub
from ghbot.github.comments import Sticky, compose
from ghbot.github.commits import ensure_branch
from ghbot.github.errors import NotFound, ValidationFailed
from ghbot.github.models import DeploymentStatus, RepoDeployment, TreeEntry
from ghbot.github.repo_config import RepoConfig
from ghbot.services import deployments_github as from_github
from ghbot.services import failures

RECENT = 10  # rows in a `deployments` answer
MONTHS_BACK = 3  # month files read to find recent rows and the last good deployment
WORKFLOWS = ".github/workflows"
MAX_REVERTED_LISTED = 30
_RUN_URL = re.compile(r"https://github\.com/([\w.-]{1,100})/([\w.-]{1,100})/actions/runs/(\d{1,19})\b")
FAILED_KIND = "deployment-failed"  # the sticky commit comment on a failed deployment


# -- recording ------------------------------------------------------------------------------


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _login(obj: Any) -> str:
    return str(obj.get("login") or "") if isinstance(obj, Mapping) else ""


def _obj(payload: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = payload.get(key)
    return value if isinstance(value, Mapping) else {}


def _repo_url(payload: Mapping[str, Any]) -> str:
    return str(_obj(payload, "repository").get("html_url") or "")


def entry_from_deployment_event(payload: Mapping[str, Any]) -> Deployment | None:
    """The row a `deployment` or `deployment_status` payload describes; None when the payload
    lacks what a row needs."""
    status = _obj(payload, "deployment_status")
    try:
        deployment = RepoDeployment.model_validate(_obj(payload, "deployment"))
        state = DeploymentStatus.model_validate(status) if status else None
    except ValidationError:
        return None
    return from_github.entry_from(deployment, state, _repo_url(payload))


def _id_of_sha(sha: str) -> int:
    # Pushes have no deployment id; 60 bits of the commit id key the row just as well.
    return int(sha[:15], 16)


def entry_from_push(payload: Mapping[str, Any], environment: str) -> Deployment | None:
    sha, head = str(payload.get("after") or ""), _obj(payload, "head_commit")
    when = _time(head.get("timestamp"))
    if not re.fullmatch(r"[0-9a-f]{40}", sha) or set(sha) == {"0"} or when is None:
        return None
    return Deployment(
        deployment_id=_id_of_sha(sha),
        status_id=1,
        environment=environment,
        created_at=when,
        state="pushed",
        ref=str(payload.get("ref") or "").removeprefix("refs/heads/"),
        sha=sha,
        actor=_login(payload.get("pusher")) or str(_obj(payload, "pusher").get("name") or ""),
        commit_url=history.commit_url(_repo_url(payload), sha),
        description=str(head.get("message") or "").partition("\n")[0],
    )


@dataclass(frozen=True, slots=True)
class Release:
    """A published release, as its history row needs it."""

    release_id: int
    tag: str
    published_at: datetime
    author: str
    html_url: str
    name: str
    repo_url: str  # the repository's page, for the row's commit link


def release_from_event(payload: Mapping[str, Any]) -> Release | None:
    """The release a `release` payload describes; None when it lacks id, tag or time."""
    release = _obj(payload, "release")
    tag, when, release_id = (
        release.get("tag_name"), _time(release.get("published_at")), release.get("id")
    )  # fmt: skip
    if not isinstance(tag, str) or when is None or not isinstance(release_id, int):
        return None
    return Release(
        release_id=release_id,
        tag=tag,
        published_at=when,
        author=_login(release.get("author")),
        html_url=str(release.get("html_url") or ""),
        name=str(release.get("name") or ""),
        repo_url=str(_obj(payload, "repository").get("html_url") or ""),
    )


def status_urls(payload: Mapping[str, Any]) -> tuple[str, ...]:
    """A `deployment_status` payload's log and target URLs: where its Actions run may be."""
    status = _obj(payload, "deployment_status")
    return tuple(str(status.get(key) or "") for key in ("log_url", "target_url"))


async def record(
    ctx: Context, entry: Deployment, *, run_urls: Sequence[str] | None = None
) -> None:
    """Add `entry` to its environment's history. A failed deployment is followed up when
    `run_urls` (a deployment status's) are given: its run triaged, else the rollback note."""
    config = (await ctx.config()).config
    default_branch = await ctx.default_branch()
    owner, repo = ctx.owner_repo
    if not entry.rollback_to:
        entry = await _with_rollback_target(ctx.gh, owner, repo, entry)
    url = await from_github.repo_url(ctx)
    problems: list[str] = []

    def apply(text: str | None) -> str | None:
        try:
            return history.record(text, entry, repo_url=url)
        except HistoryFormatError as exc:
            problems.append(str(exc))
            return None

    path = history.history_path(entry.environment, entry.created_at)
    await records.append(
        ctx.gh,
        owner,
        repo,
        config,
        [records.RecordWrite(path, apply)],
        message=f"deployments: {entry.environment} {entry.state} {entry.sha[:7]} ({entry.key})",
        default_branch=default_branch,
    )
    for problem in problems:
        ctx.log.error("deployment history not written", path=path, error=problem)
    if entry.state in history.FAILED_STATES:
        ctx.outcome.summary.append(
            f"Deployment to `{escape_inline(entry.environment)}` {entry.state} at "
            f"`{entry.sha[:7]}`: roll back with "
            f"`/hephaestus rollback {entry.environment}`."
        )
        if run_urls is not None:
            await _on_failure(ctx, config, entry, default_branch, run_urls)


# -- a failed deployment -------------------------------------------------------------------------


def actions_run_id(url: str, owner: str, repo: str) -> int | None:
    """The run id of a GitHub Actions run URL of this repository (a job URL counts too)."""
    match = _RUN_URL.match(url)
    if match is None or (match.group(1).lower(), match.group(2).lower()) != (
        owner.lower(), repo.lower()
    ):
        return None
    return int(match.group(3))


async def _on_failure(
    ctx: Context, config: RepoConfig, entry: Deployment, default_branch: str,
    run_urls: Sequence[str],
) -> None:
    """Triage the deployment's Actions run when it has a failed one; else the rollback note."""
    owner, repo = ctx.owner_repo
    run_ids = [actions_run_id(url, owner, repo) for url in run_urls]
    run_id = next((r for r in run_ids if r is not None), None)
    if run_id is not None:
        try:
            run = await ctx.gh.get_workflow_run(owner, repo, run_id)
        except NotFound:
            run = None
        if run is not None and run.status == "completed" and run.conclusion in failures.FAILED:
            outcome = await failures.report_run(ctx, run)
            ctx.outcome.summary.append(f"Deployment failure triaged: {outcome}")
            return
    await _rollback_note(ctx, config, entry, default_branch)


async def _rollback_note(
    ctx: Context, config: RepoConfig, entry: Deployment, default_branch: str
) -> None:
    owner, repo = ctx.owner_repo
    gh = ctx.gh
    rows = await recent(gh, owner, repo, config, entry.environment, default_branch=default_branch)
    good = history.last_success(rows, before=entry)
    body = rollback_note(entry, good)
    fields = (("environment", entry.environment),)
    text = compose(Sticky(owner, repo, 0, FAILED_KIND, fields), body)
    # One writer: deployment statuses share the queue's `:records` serial key.
    comments = await gh.list_commit_comments(owner, repo, entry.sha)
    existing = markers.find(comments, ctx.bot_login, FAILED_KIND, **dict(fields))
    if existing is None:
        await gh.create_commit_comment(owner, repo, entry.sha, text)
    elif existing.body != text:
        await gh.update_commit_comment(owner, repo, existing.id, text)


def rollback_note(entry: Deployment, good: Deployment | None) -> str:
    """The commit comment on a failed deployment: what failed and the command to go back."""
    env = escape_inline(entry.environment)
    link = f" ([log]({entry.link}))" if history.safe_url(entry.link) else ""
    lines = [f"### ⚠️ Deployment to `{env}` {entry.state}{link}", ""]
    if good is None:
        lines.append(
            f"No earlier successful deployment to `{env}` is recorded. To roll back, name the "
            f"commit: `/hephaestus rollback {entry.environment} SHA`."
        )
    else:
        lines += [
            f"The last good deployment to `{env}` was `{good.sha[:7]}` "
            f"({good.created_at:%Y-%m-%d %H:%M} UTC). To return to it, comment:",
            "",
            f"```\n/hephaestus rollback {entry.environment} {good.sha[:12]}\n```",
        ]
    lines += ["", "on any issue or pull request (maintain permission): the bot opens a pull "
              "request restoring that tree."]  # fmt: skip
    return "\n".join(lines)


async def _with_rollback_target(
    gh: GitHub, owner: str, repo: str, entry: Deployment
) -> Deployment:
    """The entry noting what it rolled back to, when its commit carries the rollback trailer."""
    try:
        commit = await gh.get_commit(owner, repo, entry.sha)
    except (NotFound, ValidationFailed):
        return entry
    target = history.rollback_target(commit.message)
    return replace(entry, rollback_to=target) if target else entry


async def record_release(ctx: Context, release: Release) -> None:
    """A published release: a row of `knowledge.release_environment` (when configured) for the
    commit its tag names."""
    environment = (await ctx.config()).config.knowledge.release_environment
    if environment is None:
        return
    owner, repo = ctx.owner_repo
    try:
        sha = await ctx.gh.resolve_commit(owner, repo, release.tag)
    except (NotFound, ValidationFailed):
        ctx.log.warning("release tag does not resolve to a commit", tag=release.tag)
        return
    entry = Deployment(
        deployment_id=release.release_id,
        status_id=1,
        environment=environment,
        created_at=release.published_at,
        state="released",
        ref=release.tag,
        sha=sha,
        actor=release.author,
        link=release.html_url,
        commit_url=history.commit_url(release.repo_url, sha),
        description=release.name,
    )
    await record(ctx, entry)


# -- reading --------------------------------------------------------------------------------


async def recent(
    gh: GitHub,
    owner: str,
    repo: str,
    config: RepoConfig,
    environment: str,
    *,
    default_branch: str,
    months: int = MONTHS_BACK,
) -> list[Deployment]:
    """The environment's rows from its newest `months` month files, newest first."""
    directory = history.environment_dir(environment)
    names = await records.list_dir(
        gh, owner, repo, config, directory, default_branch=default_branch
    )
    entries: list[Deployment] = []
    for name in sorted((n for n in names if history.is_month_file(n)), reverse=True)[:months]:
        text = await records.read(
            gh, owner, repo, config, f"{directory}/{name}", default_branch=default_branch
        )
        if text:
            try:
                entries.extend(history.parse(text, environment).entries)
            except HistoryFormatError:
                continue
    return entries


async def environments(
    gh: GitHub, owner: str, repo: str, config: RepoConfig, *, default_branch: str
) -> list[str]:
    """Environment names that have a history, from the newest file of each."""
    names = []
    for folder in await records.list_dir(
        gh, owner, repo, config, history.ROOT, default_branch=default_branch
    ):
        months = await records.list_dir(
            gh, owner, repo, config, f"{history.ROOT}/{folder}", default_branch=default_branch
        )
        files = sorted((m for m in months if history.is_month_file(m)), reverse=True)
        if not files:
            continue
        text = await records.read(
            gh, owner, repo, config, f"{history.ROOT}/{folder}/{files[0]}",
            default_branch=default_branch,
        )  # fmt: skip
        try:
            names.append(history.parse(text or "", folder).environment or folder)
        except HistoryFormatError:
            names.append(folder)
    return names


def history_url(html_url: str, config: RepoConfig, default_branch: str, entry: Deployment) -> str:
    where = records.location(config, default_branch)
    path = where.repo_path(history.history_path(entry.environment, entry.created_at))
    return f"{html_url}/blob/{where.branch}/{path}"


async def describe_recent(ctx: Context, config: RepoConfig, environment: str | None) -> str:
    """`/hephaestus deployments [ENV]`: the recent history of one environment, or the latest
    rows of each, as markdown. With no history yet, what GitHub's Deployments API lists (and
    the history gets it)."""
    gh, (owner, repo) = ctx.gh, ctx.owner_repo
    default_branch = await ctx.default_branch()
    url = await from_github.repo_url(ctx)
    where = f" to `{escape_inline(environment)}`" if environment is not None else ""
    if environment is not None:
        rows = await recent(gh, owner, repo, config, environment, default_branch=default_branch)
    else:
        rows = []
        for env in await environments(gh, owner, repo, config, default_branch=default_branch):
            rows += (await recent(gh, owner, repo, config, env, default_branch=default_branch,
                                  months=1))[:3]  # fmt: skip
    source = ""
    if not rows:
        fetched = await from_github.ask_github(
            ctx, config, environment, default_branch=default_branch, url=url
        )
        if not fetched.entries:
            why = fetched.problem or "GitHub's Deployments API lists none"
            return f"No deployments{where} are recorded yet, and {why}."
        rows = fetched.entries if environment is not None else _latest_of_each(fetched.entries)
        source = " from GitHub's Deployments API" + (
            ", now recorded in the history" if fetched.recorded else
            "; the history could not be written now, the next request tries again"
        )  # fmt: skip
    if environment is not None:
        return (
            f"**Recent deployments{where}** (newest first{source})\n\n"
            + history.recent_table(rows[:RECENT], repo_url=url)
        )
    return (
        f"**Recent deployments** (the latest three per environment{source})\n\n"
        + history.recent_table(rows, repo_url=url, with_environment=True)
    )


def _latest_of_each(entries: Sequence[Deployment], per_environment: int = 3) -> list[Deployment]:
    """The newest rows of each environment, environments in the order they first appear."""
    by_env: dict[str, list[Deployment]] = {}
    for entry in entries:
        by_env.setdefault(entry.environment, []).append(entry)
    return [e for rows in by_env.values() for e in rows[:per_environment]]


# -- rollback -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RollbackPlan:
    environment: str
    target_sha: str
    entry: Deployment | None  # the history row of the target, when there is one
    head_sha: str


def choose_target(entries: Sequence[Deployment], sha: str | None) -> Deployment | None:
    """With `sha`: the newest row of that commit. Without: the newest good deployment older
    than the newest deployment and of a different commit (rolling back to what runs now would
    change nothing)."""
    ordered = sorted(entries, key=lambda e: (e.created_at, e.deployment_id), reverse=True)
    if sha:
        return next((e for e in ordered if e.sha.startswith(sha.lower())), None)
    if not ordered:
        return None
    current = ordered[0]
    return next((e for e in ordered[1:] if e.succeeded and e.sha != current.sha), None)


async def _subtree(gh: GitHub, owner: str, repo: str, tree_sha: str, path: str) -> str | None:
    """The sha of the tree at `path` (walked one level at a time: no recursive listing)."""
    for part in path.split("/"):
        tree = await gh.get_tree(owner, repo, tree_sha)
        found = next((e for e in tree.entries if e.path == part and e.type == "tree"), None)
        if found is None or found.sha is None:
            return None
        tree_sha = found.sha
    return tree_sha


async def _rollback_tree(
    gh: GitHub, owner: str, repo: str, target_tree: str, head_tree: str
) -> tuple[str, bool]:
    """The target's tree with the current workflow files kept (the App may not write
    .github/workflows), and whether they differed."""
    target_wf = await _subtree(gh, owner, repo, target_tree, WORKFLOWS)
    head_wf = await _subtree(gh, owner, repo, head_tree, WORKFLOWS)
    if target_wf == head_wf:
        return target_tree, False
    entry = TreeEntry(WORKFLOWS, head_wf, "040000", "tree")
    tree = await gh.create_tree(owner, repo, [entry], base_tree=target_tree)
    return tree.sha, True


def _branch_for(environment: str, sha: str) -> str:
    slug = history.environment_dir(environment).removeprefix(history.ROOT + "/")
    return f"hephaestus/rollback-{slug}-{sha[:12]}"


async def _reverted(gh: GitHub, owner: str, repo: str, target: str, head: str) -> list[str]:
    lines = []
    for commit in reversed(await gh.compare_commits(owner, repo, target, head)):
        subject = commit.message.partition("\n")[0]
        lines.append(f"- `{commit.sha[:7]}` {escape_inline(subject[:100])}")
    return lines


async def roll_back(
    ctx: Context, config: RepoConfig, environment: str, sha: str | None, requested_by: str
) -> str:
    """`/hephaestus rollback ENV [SHA]`: open (or update) the PR restoring the tree of the last
    good deployment of `environment` (or of commit `sha`); the outcome for the reply."""
    gh, (owner, repo) = ctx.gh, ctx.owner_repo
    info = await gh.get_repo(owner, repo)
    default_branch, html_url = info.default_branch, info.html_url
    entries = await recent(gh, owner, repo, config, environment, default_branch=default_branch)
    entry = choose_target(entries, sha)
    problem = ""
    if entry is None:  # the history has no answer: what does GitHub know?
        fetched = await from_github.ask_github(
            ctx, config, environment, default_branch=default_branch, url=html_url
        )
        known = {e.deployment_id for e in entries}
        entries += [e for e in fetched.entries if e.deployment_id not in known]
        entry, problem = choose_target(entries, sha), fetched.problem
    if entry is None and sha is None:
        why = problem or "GitHub's Deployments API lists none either"
        return (
            f"No earlier successful deployment to `{escape_inline(environment)}` is recorded, "
            f"and {why}: there is nothing to roll back to. Name the commit: "
            f"`/hephaestus rollback {environment} SHA`."
        )
    try:
        target_sha = await gh.resolve_commit(owner, repo, entry.sha if entry else sha or "")
    except (NotFound, ValidationFailed):
        return f"Commit `{escape_inline(sha or '')}` is not in this repository."
    head_sha = (await gh.get_ref(owner, repo, f"heads/{default_branch}")).sha
    target, head = (
        await gh.get_commit(owner, repo, target_sha),
        await gh.get_commit(owner, repo, head_sha),
    )
    if target.tree_sha == head.tree_sha:
        return (
            f"`{default_branch}` already has the tree of `{target_sha[:7]}`: nothing to roll back."
        )
    tree_sha, kept_workflows = await _rollback_tree(gh, owner, repo, target.tree_sha, head.tree_sha)
    reverted = await _reverted(gh, owner, repo, target_sha, head_sha)
    when = (
        f", deployed {entry.created_at:%Y-%m-%d %H:%M} UTC by {escape_inline(entry.actor)}"
        if entry
        else ""
    )
    message = "\n".join(
        [
            f"Roll back {environment} to {target_sha[:7]}",
            "",
            f"Restores the tree of {target_sha} on top of {default_branch} ({head_sha[:7]}).",
            f"Requested by @{requested_by} with /hephaestus rollback.",
            "",
            history.rollback_trailer(target_sha),
        ]
    )
    commit = await gh.create_commit(owner, repo, message=message, tree=tree_sha, parents=[head_sha])
    branch = _branch_for(environment, target_sha)
    if await ensure_branch(gh, owner, repo, branch, start_sha=commit.sha) != commit.sha:
        # an earlier request for the same target: point it at this one
        await gh.update_ref(owner, repo, f"heads/{branch}", commit.sha, force=True)
    body = [
        f"Rolls **{escape_inline(environment)}** back to `{target_sha[:7]}`{when}: this single "
        f"commit on top of `{default_branch}` restores that commit's files exactly.",
        "",
    ]
    if entry is not None:
        link = history_url(html_url, config, default_branch, entry)
        body.append(f"History entry: [{entry.key}]({link})")
        body.append("")
    if reverted:
        body.append(f"**What it reverts** ({len(reverted)} commits since `{target_sha[:7]}`):")
        body += reverted[:MAX_REVERTED_LISTED]
        if len(reverted) > MAX_REVERTED_LISTED:
            body.append(f"- … and {len(reverted) - MAX_REVERTED_LISTED} more")
        body.append("")
    if kept_workflows:
        body.append(
            f"⚠️ `{WORKFLOWS}` differs between the two commits. Hephaestus may not change "
            "workflow files (the App has no `workflows` permission), so the current ones are "
            "kept; restore them by hand if the rollback needs the old CI."
        )
        body.append("")
    body.append(
        f"Requested by @{requested_by}. Once merged and deployed, the deployment history records "
        "it as a rollback."
    )
    existing = await gh.list_pulls(owner, repo, head=f"{owner}:{branch}")
    if existing:
        pull = existing[0]
        await gh.update_pull(owner, repo, pull.number, body="\n".join(body))
        return f"Updated the rollback pull request #{pull.number} to restore `{target_sha[:7]}`."
    pull = await gh.create_pull(
        owner,
        repo,
        head=branch,
        base=default_branch,
        title=f"Roll back {environment} to {target_sha[:7]}",
        body="\n".join(body),
    )
    ctx.outcome.summary.append(f"Opened rollback PR #{pull.number} for {environment}.")
    note = " The current workflow files are kept (see the PR)." if kept_workflows else ""
    return (
        f"Opened #{pull.number}: rolls `{escape_inline(environment)}` back to "
        f"`{target_sha[:7]}`{when}.{note}"
    )
