"""The GitHub side of a review: the bot's earlier comments, ONE review per run, fixed comments
marked in place.

Each inline comment starts with `<!-- hephaestus:finding key=... -->`; a comment whose finding is
gone is edited to say so (`fixed=SHA` in its marker) and never deleted, so threads with replies
survive. GraphQL's resolveReviewThread would need a second API; editing the body works with the
REST permissions the App already has.

A review with a bad anchor is rejected whole with a 422. Anchors are validated against the diff
before posting; if GitHub still refuses (the diff moved under us), the comments are checked again
against a fresh diff and the rest are folded into the review body; a third refusal posts the
body alone. The review is never lost.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence

from ghbot.engine import markers
from ghbot.engine.diff import DiffIndex
from ghbot.engine.review.plan import PlannedComment, PriorComment
from ghbot.engine.review.summary import unplaced_section
from ghbot.github.api import GitHub
from ghbot.github.checks import fit
from ghbot.github.errors import NotFound, ValidationFailed
from ghbot.github.models import PullComment, Review, ReviewComment

BODY_LIMIT = 65_000  # GitHub: 65,536 characters; fit() counts bytes, so this is safe
MAX_PRIOR = 3000
_SUGGESTION_FENCE = re.compile(r"^(`{3,})suggestion\s*$", re.MULTILINE)


async def list_pull_comments(
    gh: GitHub, owner: str, repo: str, number: int
) -> list[PullComment]:
    return await gh.list_review_comments(owner, repo, number, max_items=MAX_PRIOR)


def prior_comments(comments: Sequence[PullComment], bot_login: str) -> list[PriorComment]:
    """The bot's own finding comments (authored by it, marker first), with their reply counts."""
    replies = Counter(c.in_reply_to for c in comments if c.in_reply_to is not None)
    found = []
    for comment in comments:
        if comment.author.lower() != bot_login.lower() or comment.in_reply_to is not None:
            continue
        marker = markers.parse(comment.body, "finding")
        if marker is None or not marker.get("key"):
            continue
        found.append(
            PriorComment(
                id=comment.id,
                key=marker.get("key"),
                path=comment.path,
                fixed=bool(marker.get("fixed")),
                replies=replies[comment.id],
            )
        )
    return found


def fixed_body(original: str, head_sha: str) -> str:
    """The comment rewritten as fixed: new marker, a headline, the old text folded away with its
    suggestion neutralised (applying it now would undo later work)."""
    marker = markers.parse(original, "finding")
    key = marker.get("key") if marker else ""
    old = original.split("-->", 1)[1].lstrip("\n") if original.startswith("<!--") else original
    old = _SUGGESTION_FENCE.sub(lambda m: f"{m.group(1)}python", old)
    body = (
        f"{markers.render('finding', key=key, fixed=head_sha)}\n"
        f"✅ No longer reported at {head_sha[:12]}.\n\n"
        f"<details><summary>Earlier comment</summary>\n\n{old}\n\n</details>"
    )
    return fit(body, BODY_LIMIT)


async def mark_fixed(
    gh: GitHub,
    owner: str,
    repo: str,
    fixed: Sequence[PriorComment],
    comments: Sequence[PullComment],
    head_sha: str,
) -> int:
    bodies = {c.id: c.body for c in comments}
    marked = 0
    for prior in fixed:
        try:
            body = fixed_body(bodies.get(prior.id, ""), head_sha)
            await gh.update_review_comment(owner, repo, prior.id, body)
        except NotFound:
            continue  # deleted by someone since we listed it: nothing left to mark
        marked += 1
    return marked


def to_review_comment(planned: PlannedComment) -> ReviewComment:
    body = f"{markers.render('finding', key=planned.key)}\n{planned.body}"
    return ReviewComment(
        path=planned.path,
        line=planned.line,
        body=fit(body, BODY_LIMIT),
        start_line=planned.start_line,
    )


def anchored(planned: PlannedComment, diff: DiffIndex) -> bool:
    return diff.in_diff_context(planned.path, planned.start_line or planned.line, planned.line)


async def post_review(
    gh: GitHub,
    owner: str,
    repo: str,
    number: int,
    *,
    head_sha: str,
    body: str,
    comments: Sequence[PlannedComment],
    fresh_diff: Callable[[], Awaitable[DiffIndex]],
) -> Review:
    """Post ONE review. `fresh_diff`: async () -> DiffIndex, read again after a 422."""
    marker = markers.render("review", sha=head_sha)

    async def attempt(
        inline: Sequence[PlannedComment], unplaced: Sequence[PlannedComment]
    ) -> Review:
        extra = unplaced_section([(c.finding, c.body) for c in unplaced]) if unplaced else ""
        text = fit(f"{marker}\n{body}{extra}", BODY_LIMIT)
        return await gh.create_review(
            owner, repo, number, commit_id=head_sha, body=text, event="COMMENT",
            comments=[to_review_comment(c) for c in inline],
        )  # fmt: skip

    try:
        return await attempt(comments, ())
    except ValidationFailed:
        if not comments:
            raise
    diff = await fresh_diff()
    good = [c for c in comments if anchored(c, diff)]
    bad = [c for c in comments if not anchored(c, diff)]
    if good:
        try:
            return await attempt(good, bad)
        except ValidationFailed:
            pass
    return await attempt((), comments)


async def has_review_for(
    gh: GitHub, owner: str, repo: str, number: int, head_sha: str, bot_login: str
) -> bool:
    """Whether the bot already reviewed this head sha (found by the review body's marker)."""
    for review in await gh.list_reviews(owner, repo, number):
        if review.author.lower() != bot_login.lower():
            continue
        found = markers.parse(review.body, "review")
        if found is not None and found.get("sha") == head_sha:
            return True
    return False
