"""The one fix PR of the default branch: branch `hephaestus/fixes`, reset onto the default
branch's newest head with one fix commit, and one pull request found again by its marker and
edited in place. The branch is the bot's own, so moving it with a force update is fine; a commit
somebody else pushed there is never overwritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ghbot.context import Context
from ghbot.engine import markers
from ghbot.engine.render import GITHUB_BODY_LIMIT, escape_inline, truncate_middle
from ghbot.github.commits import create_commit, ensure_branch, reproducible_signature
from ghbot.github.errors import NotFound, ValidationFailed
from ghbot.github.models import PullRequest
from ghbot.services.fix_compute import FixSet, compute_fixes, fixable_paths
from ghbot.services.fix_policy import (
    FIX_BRANCH,
    Decision,
    Facts,
    HeadCommit,
    Kind,
    Trigger,
    by_bot,
    decide,
    fixed_sha,
)

PR_MARKER = "fix-pr"
TITLE = "Hephaestus: automatic fixes"
PAUSED = "> [!WARNING]\n>"  # starts the fix PR's pause note


@dataclass(frozen=True, slots=True)
class FixPrOutcome:
    decision: Decision
    message: str  # markdown for people
    pull: PullRequest | None = None


async def find_fix_pull(ctx: Context, owner: str, repo: str, base: str) -> PullRequest | None:
    """The open fix PR: from FIX_BRANCH onto `base`, by the bot, carrying its marker."""
    for pull in await ctx.gh.list_pulls(owner, repo, head=f"{owner}:{FIX_BRANCH}"):
        if (
            pull.base_ref == base
            and pull.author.lower() == ctx.bot_login.lower()
            and markers.parse(pull.body, PR_MARKER) is not None
        ):
            return pull
    return None


async def _head(ctx: Context, owner: str, repo: str, sha: str) -> HeadCommit:
    commit = await ctx.gh.get_commit(owner, repo, sha)
    return HeadCommit(commit.sha, commit.author_name, commit.committer_name, commit.message)


async def update_fix_pr(
    ctx: Context,
    *,
    trigger: Trigger,
    mode: str,
    fix_pr_on_default_branch: bool,
    default_branch: str,
    branch: str,
    head_sha: str,
    changed: Sequence[str] | None,
    exclude: Sequence[str],
    select: tuple[str, ...] | None = None,
    pusher: str = "",
) -> FixPrOutcome:
    """Fix the files a push changed (`changed`; None: every Python file, capped) plus those the
    open fix PR already fixes, at `head_sha` of the default branch."""
    gh, (owner, repo) = ctx.gh, ctx.owner_repo
    facts = Facts(
        trigger=trigger,
        mode=mode,
        fix_pr_on_default_branch=fix_pr_on_default_branch,
        bot_login=ctx.bot_login,
        default_branch=default_branch,
        branch=branch,
        requested_sha=head_sha,
        head=None,
        pusher=pusher,
    )
    decision = decide(facts)  # the rungs that need no commit first: most pushes stop here
    if decision.kind is not Kind.FIX_PR:
        return FixPrOutcome(decision, decision.reason)
    head = await _head(ctx, owner, repo, head_sha)
    branch_head: HeadCommit | None = None
    try:
        branch_sha = (await gh.get_ref(owner, repo, f"heads/{FIX_BRANCH}")).sha
        branch_head = await _head(ctx, owner, repo, branch_sha)
    except NotFound:
        pass
    existing = None
    if branch_head is not None and fixed_sha(branch_head.message) == head_sha:
        existing = branch_head.sha
    decision = decide(replace(facts, head=head, existing_fix=existing))
    if decision.kind is not Kind.FIX_PR:
        return FixPrOutcome(decision, decision.reason)
    if branch_head is not None and not by_bot(branch_head, ctx.bot_login):
        return await _blocked(ctx, owner, repo, default_branch, branch_head)
    pull = await find_fix_pull(ctx, owner, repo, default_branch)
    paths = await _paths(ctx, owner, repo, head, changed, pull)
    fixes = await compute_fixes(
        gh, owner, repo, commit_tree=(await gh.get_commit(owner, repo, head_sha)).tree_sha,
        sha=head_sha, paths=fixable_paths(paths, exclude), select=select,
    )  # fmt: skip
    if not fixes.fixed:
        message = f"Nothing to fix at {head_sha[:7]} in the files examined."
        if pull is not None:  # its fixes are no longer needed (or no longer apply): close it
            body = _body(fixes, head_sha, f"{message} Closing: nothing is left to fix.")
            pull = await gh.update_pull(owner, repo, pull.number, body=body, state="closed")
        return FixPrOutcome(decision, message, pull)
    title = f"{TITLE} for {default_branch} at {head_sha[:7]}"
    parent = await gh.get_commit(owner, repo, head_sha)
    commit = await create_commit(
        gh, owner, repo, parent=parent, changes=fixes.changes,
        message=fixes.commit_message(head_sha, title),
        signature=reproducible_signature(ctx.bot_login, parent),
    )  # fmt: skip
    refused = await _move_branch(ctx, owner, repo, commit.sha, default_branch, head_sha)
    if refused is not None:
        return refused
    body = _body(fixes, head_sha, "")
    if pull is None:
        try:
            pull = await gh.create_pull(
                owner, repo, head=FIX_BRANCH, base=default_branch, title=TITLE, body=body
            )
            verb = "Opened"
        except ValidationFailed:  # another worker opened it a moment ago
            pull = await find_fix_pull(ctx, owner, repo, default_branch)
            if pull is None:
                raise
            pull = await gh.update_pull(owner, repo, pull.number, body=body)
            verb = "Updated"
    else:
        pull = await gh.update_pull(owner, repo, pull.number, title=TITLE, body=body)
        verb = "Updated"
    message = f"{verb} fix pull request #{pull.number}: {fixes.headline()}.\n\n{fixes.listing()}"
    return FixPrOutcome(decision, message, pull)


async def _paths(
    ctx: Context,
    owner: str,
    repo: str,
    head: HeadCommit,
    changed: Sequence[str] | None,
    pull: PullRequest | None,
) -> list[str]:
    gh = ctx.gh
    if changed is None:
        commit = await gh.get_commit(owner, repo, head.sha)
        tree = await gh.get_tree(owner, repo, commit.tree_sha, recursive=True)
        paths = [e.path for e in tree.entries if e.type == "blob"]
    else:
        paths = list(changed)
    if pull is not None:  # keep what the open fix PR already fixes
        paths += [f.filename for f in await gh.list_pull_files(owner, repo, pull.number)]
    return list(dict.fromkeys(paths))


async def _move_branch(
    ctx: Context, owner: str, repo: str, sha: str, default_branch: str, head_sha: str
) -> FixPrOutcome | None:
    """Point FIX_BRANCH at the fix commit `sha` made for `head_sha`; the outcome when it must not.

    The commit is reproducible, so a worker handling the same push made the same `sha`: finding
    the branch already there is success, with no second write. Creating the branch is atomic;
    moving it (a force update: it is reset onto a new head) is preceded by fresh reads, so a fix
    for a head the default branch has left, or a branch a person has pushed to, stays put."""
    gh = ctx.gh
    now = await ensure_branch(gh, owner, repo, FIX_BRANCH, start_sha=sha)
    if now == sha:
        return None
    if await _ref(ctx, owner, repo, default_branch) != head_sha:
        reason = f"`{default_branch}` moved past {head_sha[:7]}: its newer push is fixed instead"
        return FixPrOutcome(Decision(Kind.REFUSE, reason, quiet=True), reason)
    current = await _head(ctx, owner, repo, now)
    if not by_bot(current, ctx.bot_login):
        return await _blocked(ctx, owner, repo, default_branch, current)
    await gh.update_ref(owner, repo, f"heads/{FIX_BRANCH}", sha, force=True)
    return None


async def _blocked(
    ctx: Context, owner: str, repo: str, default_branch: str, head: HeadCommit
) -> FixPrOutcome:
    """Somebody else's commit heads FIX_BRANCH: refuse, and say so once at the top of the fix
    PR's description (an edit notifies nobody; the marker remembers which commit was told)."""
    reason = (
        f"Somebody else pushed {head.sha[:7]} to `{FIX_BRANCH}`; Hephaestus does not overwrite "
        "it. Merge or delete that branch and it will open a fresh fix PR."
    )
    pull = await find_fix_pull(ctx, owner, repo, default_branch)
    marker = markers.parse(pull.body, PR_MARKER) if pull is not None else None
    if pull is not None and marker is not None and marker.get("blocked") != head.sha:
        body = _paused(pull.body, marker, head, reason)
        pull = await ctx.gh.update_pull(owner, repo, pull.number, body=body)
    return FixPrOutcome(Decision(Kind.REFUSE, reason), reason, pull)


def _paused(body: str, marker: markers.Marker, head: HeadCommit, reason: str) -> str:
    """The fix PR's description with the pause note (replacing an earlier one) under a marker
    that names the blocking commit."""
    rest = body.partition("\n\n")[2]  # the bot's body: marker, blank line, the rest
    if rest.startswith(PAUSED):
        rest = rest.partition("\n\n")[2]
    fields: dict[str, str | int] = {**marker.fields, "blocked": head.sha}
    who = f" (by {escape_inline(head.author)})" if head.author else ""
    note = f"{PAUSED} Updates paused{who}. {reason}"
    text = "\n\n".join([markers.render(PR_MARKER, sealed=True, **fields), note, rest])
    return truncate_middle(text, GITHUB_BODY_LIMIT - 1)


async def _ref(ctx: Context, owner: str, repo: str, branch: str) -> str | None:
    try:
        return (await ctx.gh.get_ref(owner, repo, f"heads/{branch}")).sha
    except NotFound:
        return None


def _body(fixes: FixSet, head_sha: str, note: str) -> str:
    marker = markers.render(PR_MARKER, sha=head_sha)
    parts = [
        marker,
        note
        or (
            f"Hephaestus found fixable problems on the default branch at {head_sha[:7]}: "
            f"{fixes.headline()}. Every fix was re-checked: the files still parse and no new "
            "finding appears."
        ),
    ]
    if fixes.fixed or fixes.protected or fixes.skipped:
        parts.append(fixes.listing())
    parts.append(
        "This pull request is updated in place after every push to the default branch and "
        f"closed when nothing is left to fix. A commit pushed to `{FIX_BRANCH}` by anyone else "
        "stops the updates until that branch is merged or deleted."
    )
    return truncate_middle("\n\n".join(parts), GITHUB_BODY_LIMIT - 1)
