"""Fix delivery: fix commits on pull request branches, the default branch's fix PR, and the check
run's buttons ("Apply fixes", re-run). What may be written where is decided by
`ghbot.services.fix_policy.decide` alone; this module gathers its facts and carries it out.

Entry points: `fix_opened_pull` (when `fixes.mode` is `push`), `fix_push` (the fix PR),
`press_button` (the check run's buttons), `rerun_suite` ("Re-run all checks") and
`deliver_fixes` for `/hephaestus fix`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ghbot.commands.permissions import FIX, resolve_caller
from ghbot.commands.permissions import decide as permitted
from ghbot.context import Context
from ghbot.github.checks import CHECK_NAME
from ghbot.github.comments import Sticky, upsert_sticky
from ghbot.github.commits import ConcurrentUpdate, commit_on_head
from ghbot.github.errors import GitHubError, NotFound, PermissionDenied
from ghbot.github.models import PullRequest
from ghbot.github.repo_config import ConfigResult
from ghbot.services import reviews
from ghbot.services.fix_compute import FixSet, compute_fixes, fixable_paths, parse_rules
from ghbot.services.fix_policy import (
    FIX_ACTION,
    Asker,
    Decision,
    Facts,
    Guard,
    HeadCommit,
    Kind,
    PullFacts,
    Trigger,
    decide,
    fixed_sha,
)
from ghbot.services.fix_pr import update_fix_pr

STICKY_KIND = "fixes"  # one comment per PR telling what the last fix attempt did
ZERO_SHA = "0" * 40
MAX_PUSH_FILES = 300  # GitHub's compare lists at most 300 files
MAX_RERUN_PULLS = 10  # PRs re-analysed for one suite re-run (one commit heads few PRs)


@dataclass(frozen=True, slots=True)
class Push:
    """A push, as the fix PR needs it."""

    ref: str
    before: str
    after: str
    forced: bool
    deleted: bool
    pusher: str
    paths: tuple[str, ...]  # added or modified, from the payload's commits (may be truncated)


@dataclass(frozen=True, slots=True)
class Delivered:
    decision: Decision
    message: str  # markdown for people; first line is the outcome
    commit: str | None = None


# -- entry points ---------------------------------------------------------------------------


async def deliver_fixes(
    ctx: Context, number: int | None, rules: Sequence[str], requested_by: str
) -> str:
    """`/hephaestus fix [RULE...]`: the outcome for the reply (the ladder decides what happens:
    a fix commit, the fix PR when not on a pull request, suggestions, or a refusal with why)."""
    try:
        select = parse_rules(rules)
    except ValueError as exc:
        return f"Nothing was changed: {exc}."
    owner, repo = ctx.owner_repo
    config = await ctx.config()
    if number is None:
        default_branch = await ctx.default_branch()
        outcome = await update_fix_pr(
            ctx, trigger=Trigger.COMMAND, mode=config.config.fixes.mode,
            fix_pr_on_default_branch=config.config.fixes.fix_pr_on_default_branch,
            default_branch=default_branch, branch=default_branch,
            head_sha=await _default_head(ctx, default_branch), changed=None,
            exclude=config.config.analysis.exclude, select=select,
        )  # fmt: skip
        return outcome.message
    pull = await ctx.gh.get_pull(owner, repo, number)
    done = await fix_pull(
        ctx, config, pull, Trigger.COMMAND, requested_sha=pull.head_sha, asker=requested_by,
        select=select,
    )  # fmt: skip
    fields = {"by": requested_by, "kind": str(done.decision.kind)}
    ctx.log.info("fix requested", extra={"fields": fields})
    return done.message


async def fix_opened_pull(ctx: Context, number: int, head_sha: str, sender: str) -> None:
    """With `fixes.mode: push`, one fix commit on the PR's branch (the review runs first)."""
    config = await ctx.config()
    if config.config.fixes.mode != "push":  # the ladder would say so too; spare the API calls
        return
    owner, repo = ctx.owner_repo
    pull = await ctx.gh.get_pull(owner, repo, number)
    done = await fix_pull(
        ctx, config, pull, Trigger.PULL_REQUEST, requested_sha=head_sha, asker=sender
    )
    await _tell(ctx, number, done)


async def fix_push(ctx: Context, push: Push) -> None:
    """A push to the default branch: open or update the one fix PR."""
    ref, after = push.ref, push.after
    if not ref.startswith("refs/heads/") or after in ("", ZERO_SHA) or push.deleted:
        return  # tags and branch deletions carry nothing to fix
    default_branch = await ctx.default_branch()
    config = await ctx.config()
    on_default = ref == f"refs/heads/{default_branch}"
    changed = await _pushed_paths(ctx, push) if on_default else []
    outcome = await update_fix_pr(
        ctx, trigger=Trigger.PUSH, mode=config.config.fixes.mode,
        fix_pr_on_default_branch=config.config.fixes.fix_pr_on_default_branch,
        default_branch=default_branch, branch=ref.removeprefix("refs/heads/"), head_sha=after,
        changed=changed, exclude=config.config.analysis.exclude, pusher=push.pusher,
    )  # fmt: skip
    if not outcome.decision.quiet:
        ctx.outcome.summary.append(outcome.message)
    ctx.log.info("push fixes", extra={"fields": {"decision": outcome.decision.kind}})


async def press_button(
    ctx: Context, *, check_name: str, head_sha: str, rerun: bool, identifier: str, sender: str
) -> None:
    """A button of a check run at `head_sha`: on the bot's, "Apply fixes" commits the fixes and
    "Re-run" (`rerun`) analyses the PR again."""
    if check_name != CHECK_NAME:
        return
    number = await _pull_number(ctx, head_sha)
    if number is None:
        ctx.log.info("check run button on a commit without an open pull request")
        return
    if rerun:
        await reviews.review_pull(ctx, number)
        return
    if identifier != FIX_ACTION:
        return
    owner, repo = ctx.owner_repo
    config = await ctx.config()
    pull = await ctx.gh.get_pull(owner, repo, number)
    allowed = await _may_fix(ctx, config, pull, sender)
    if allowed is not None:
        reason = Decision(Kind.REFUSE, f"@{sender} asked to apply fixes, but {allowed}.")
        await _tell(ctx, number, Delivered(reason, reason.reason))
        return
    done = await fix_pull(
        ctx, config, pull, Trigger.BUTTON, requested_sha=head_sha, asker=sender
    )
    await _tell(ctx, number, done, requested_by=sender)


async def rerun_suite(ctx: Context, numbers: Sequence[int], head_sha: str) -> None:
    """The "Re-run all checks" button on the bot's suite: analyse its open PR(s) `numbers`
    again (forks' PRs are not listed: then the open PRs at the suite's commit)."""
    if not numbers:
        numbers = await _pulls_at(ctx, head_sha)
    if not numbers:
        ctx.log.info("check suite re-run on a commit without an open pull request")
    for number in numbers[:MAX_RERUN_PULLS]:
        await reviews.review_pull(ctx, number)


# -- the pull request rung ----------------------------------------------------------------------


async def fix_pull(
    ctx: Context,
    config: ConfigResult,
    pull: PullRequest,
    trigger: Trigger,
    *,
    requested_sha: str,
    asker: str,
    select: tuple[str, ...] | None = None,
) -> Delivered:
    """Decide, then commit the fixes on the PR's branch or offer them as a patch. `asker`: the
    login the commit would be pushed for (the ladder checks they could push it themselves)."""
    gh, (owner, repo) = ctx.gh, ctx.owner_repo
    head_owner, _, head_repo = (pull.head_repo or f"{owner}/{repo}").partition("/")
    head = await _branch_head(ctx, head_owner, head_repo, pull.head_ref) if pull.head_repo else None
    existing = head.sha if head is not None and fixed_sha(head.message) == requested_sha else None
    facts = Facts(
        trigger=trigger,
        mode=config.config.fixes.mode,
        fix_pr_on_default_branch=config.config.fixes.fix_pr_on_default_branch,
        bot_login=ctx.bot_login,
        default_branch=pull.base_ref,
        branch=pull.head_ref,
        requested_sha=requested_sha,
        head=head,
        pull=PullFacts(pull.number, pull.state == "open", pull.is_fork, pull.maintainer_can_modify,
                       head_owner),
        existing_fix=existing,
        asker=await _asker(ctx, asker),
        guard=await _guard(ctx, head_owner, head_repo, pull.head_ref) if head else None,
    )  # fmt: skip
    decision = decide(facts)
    ctx.log.info("fix decision", extra={"fields": {"kind": decision.kind, "why": decision.reason}})
    if decision.kind is Kind.REFUSE or decision.quiet:
        return Delivered(decision, decision.reason)
    files = await gh.list_pull_files(owner, repo, pull.number)
    paths = [f.filename for f in files if f.status != "removed"]
    fixes = await compute_fixes(
        gh, owner, repo, commit_tree=(await gh.get_commit(owner, repo, requested_sha)).tree_sha,
        sha=requested_sha, paths=fixable_paths(paths, config.config.analysis.exclude),
        select=select,
    )  # fmt: skip
    if not fixes.fixed:
        return Delivered(decision, _nothing(fixes))
    if decision.kind is Kind.SUGGESTIONS:
        return Delivered(decision, _suggest(decision.reason, fixes))
    title = f"Hephaestus: fix {fixes.headline()}"
    try:
        commit = await commit_on_head(
            gh, head_owner, head_repo, branch=pull.head_ref, head_sha=requested_sha,
            changes=fixes.changes, message=fixes.commit_message(requested_sha, title),
            signed_by=ctx.bot_login,
        )  # fmt: skip
    except ConcurrentUpdate:
        now = await _branch_head(ctx, head_owner, head_repo, pull.head_ref)
        if now is not None and fixed_sha(now.message) == requested_sha:  # a replay beat us to it
            reason = f"Already fixed: commit {now.sha[:7]} holds the fixes for {requested_sha[:7]}."
            return Delivered(Decision(Kind.REFUSE, reason, quiet=trigger.automatic), reason)
        reason = (
            f"`{pull.head_ref}` moved while the fixes for {requested_sha[:7]} were being "
            "committed, so nothing was committed: fixes are only applied to the commit they "
            "were computed for. Ask again with `/hephaestus fix` once the branch is quiet."
        )
        return Delivered(Decision(Kind.REFUSE, reason), reason)
    except PermissionDenied:  # the fork allows maintainers, but this installation cannot write
        reason = (
            f"Hephaestus may not write to `{pull.head_repo}` (the App is not allowed to push to "
            "that fork), so nothing was committed. Apply the fixes below yourself."
        )
        return Delivered(Decision(Kind.SUGGESTIONS, reason), _suggest(reason, fixes))
    ctx.outcome.fixed += fixes.count
    message = (
        f"Pushed {commit.sha[:7]} to `{pull.head_ref}`: {fixes.headline()}.\n\n{fixes.listing()}"
    )
    ctx.outcome.summary.append(message)
    return Delivered(decision, message, commit.sha)


def _nothing(fixes: FixSet) -> str:
    line = (
        f"Nothing to fix: no safe fix applies to the {fixes.examined} changed Python "
        f"file{'s' if fixes.examined != 1 else ''}."
    )
    listing = fixes.listing()
    return f"{line}\n\n{listing}" if listing else line


def _suggest(reason: str, fixes: FixSet) -> str:
    return f"{reason}\n\n{fixes.listing()}\n\n{fixes.patch()}"


# -- facts and replies ------------------------------------------------------------------------


async def _default_head(ctx: Context, branch: str) -> str:
    owner, repo = ctx.owner_repo
    return (await ctx.gh.get_ref(owner, repo, f"heads/{branch}")).sha


async def _branch_head(ctx: Context, owner: str, repo: str, branch: str) -> HeadCommit | None:
    try:
        sha = (await ctx.gh.get_ref(owner, repo, f"heads/{branch}")).sha
        commit = await ctx.gh.get_commit(owner, repo, sha)
    except NotFound:  # the branch (or the fork) is gone
        return None
    return HeadCommit(commit.sha, commit.author_name, commit.committer_name, commit.message)


async def _asker(ctx: Context, login: str) -> Asker | None:
    """The asker's right to push to the base repository (fails closed, as commands do)."""
    if not login:
        return None
    owner, repo = ctx.owner_repo
    caller = await resolve_caller(ctx.gh, owner, repo, login)
    return Asker(login, caller.rank_at_least("write"), caller.error or "")


async def _guard(ctx: Context, owner: str, repo: str, branch: str) -> Guard:
    try:
        found = await ctx.gh.get_branch_guard(owner, repo, branch)
    except GitHubError as exc:  # unknown counts as guarded
        return Guard(True, unknown=f"GitHub answered {exc.status or 'nothing'}")
    return Guard(found.protected, found.rules)


async def _pushed_paths(ctx: Context, push: Push) -> list[str]:
    """What the push changed: GitHub's compare of before...after, else the payload's lists."""
    owner, repo = ctx.owner_repo
    if push.before and push.before != ZERO_SHA and not push.forced:
        try:
            files = await ctx.gh.compare_files(owner, repo, push.before, push.after)
            return [f.filename for f in files if f.status != "removed"][:MAX_PUSH_FILES]
        except NotFound:
            pass  # `before` is gone (a force push): fall back to the payload
    return list(dict.fromkeys(push.paths))[:MAX_PUSH_FILES]


async def _pull_number(ctx: Context, head_sha: str) -> int | None:
    """The open PR a check run belongs to: its `pull_requests` (empty for forks), else the
    open PR whose head is the run's commit."""
    if ctx.event.number is not None:
        return ctx.event.number
    found = await _pulls_at(ctx, head_sha)
    return found[0] if found else None


async def _pulls_at(ctx: Context, head_sha: str) -> list[int]:
    """The open PRs whose head is `head_sha`."""
    if not head_sha:
        return []
    owner, repo = ctx.owner_repo
    return sorted(p.number for p in await ctx.gh.list_pulls(owner, repo) if p.head_sha == head_sha)


async def _may_fix(ctx: Context, config: ConfigResult, pull: PullRequest, login: str) -> str | None:
    """None when `login` may have fixes committed (as for `/hephaestus fix`), else why not."""
    owner, repo = ctx.owner_repo
    caller = await resolve_caller(ctx.gh, owner, repo, login, pull_author=pull.author)
    verdict = permitted(FIX.requirement(config.config), caller)
    return None if verdict.allowed else verdict.reason


async def _tell(
    ctx: Context, number: int, done: Delivered, *, requested_by: str | None = None
) -> None:
    """Explain the outcome on the PR in one comment, edited in place; quiet outcomes stay
    quiet."""
    if done.decision.quiet:
        return
    owner, repo = ctx.owner_repo
    who = f"@{requested_by}: " if requested_by else ""
    body = f"**Hephaestus fixes** — {who}{done.message}"
    await upsert_sticky(ctx.gh, Sticky(owner, repo, number, STICKY_KIND), body, ctx.bot_login)
