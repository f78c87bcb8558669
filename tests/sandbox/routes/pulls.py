"""Pull requests: pulls, files with patches, reviews and review comments."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..gitdata import FileDiff, diff_hunk
from ..state import ApiError, Pull, Repo, Review, ReviewComment, State
from .common import actor, body_json, int_param, ok, paginate, repo_of, shapes, state

ROUTES = web.RouteTableDef()
NOT_IN_DIFF = "Pull request review thread line must be part of the diff"
REVIEW_STATES = {"APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED",
                 "COMMENT": "COMMENTED"}


def _pull(request: web.Request) -> tuple[State, Repo, Pull]:
    st, repo = state(request), repo_of(request)
    return st, repo, st.pull(repo, int_param(request, "pull_number"))


@ROUTES.get("/repos/{owner}/{repo}/pulls")
async def list_pulls(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    want_state = request.query.get("state", "open")
    head = request.query.get("head")
    base = request.query.get("base")
    found = []
    for pull in sorted(repo.pulls.values(), key=lambda p: -p.number):
        issue = st.issue(repo, pull.number)
        if want_state != "all" and issue.state != want_state:
            continue
        if head is not None:
            owner, _, branch = head.partition(":")
            if f"{owner}/{repo.name}".lower() != pull.head_repo.lower() or (
                branch and branch != pull.head_ref
            ):
                continue
        if base is not None and pull.base_ref != base:
            continue
        found.append(pull)
    sh = shapes(request)
    return paginate(request, [sh.pull(repo, p, full=False) for p in found])


@ROUTES.post("/repos/{owner}/{repo}/pulls")
async def create_pull(request: web.Request) -> web.Response:
    st, repo, body = state(request), repo_of(request), body_json(request)
    try:
        st.branch_sha(repo, body["base"])
    except ApiError as err:
        raise ApiError(422, "Validation Failed", [
            {"resource": "PullRequest", "field": "base", "code": "invalid"}]) from err
    for pull in repo.pulls.values():
        if (pull.head_ref == body["head"].split(":")[-1] and pull.base_ref == body["base"]
                and st.issue(repo, pull.number).state == "open"):
            raise ApiError(422, "Validation Failed", [
                {"resource": "PullRequest", "code": "custom",
                 "message": f"A pull request already exists for {body['head']}."}])
    try:
        issue = st.create_pull(repo, body["head"], body["base"], body.get("title") or "",
                               body.get("body"), actor(request),
                               bool(body.get("maintainer_can_modify", False)),
                               bool(body.get("draft", False)))
    except ApiError as err:
        if err.status == 404:
            raise ApiError(422, "Validation Failed", [
                {"resource": "PullRequest", "field": "head", "code": "invalid"}]) from err
        raise
    return ok(shapes(request).pull(repo, st.pull(repo, issue.number)), status=201)


@ROUTES.get("/repos/{owner}/{repo}/pulls/{pull_number}")
async def get_pull(request: web.Request) -> web.Response:
    _, repo, pull = _pull(request)
    return ok(shapes(request).pull(repo, pull))


@ROUTES.patch("/repos/{owner}/{repo}/pulls/{pull_number}")
async def update_pull(request: web.Request) -> web.Response:
    st, repo, pull = _pull(request)
    body = body_json(request)
    issue = st.issue(repo, pull.number)
    for key in ("title", "body"):
        if key in body:
            setattr(issue, key, body[key])
    if "state" in body:
        issue.state = body["state"]
        issue.closed_at = st.now() if body["state"] == "closed" else None
    if "base" in body:
        st.branch_sha(repo, body["base"])
        pull.base_ref = body["base"]
    issue.updated_at = st.now()
    return ok(shapes(request).pull(repo, pull))


@ROUTES.get("/repos/{owner}/{repo}/pulls/{pull_number}/files")
async def pull_files(request: web.Request) -> web.Response:
    st, repo, pull = _pull(request)
    head = st.pull_head(repo, pull)
    sh = shapes(request)
    return paginate(request, [sh.diff_entry(repo, head, f) for f in st.pull_files(repo, pull)])


@ROUTES.get("/repos/{owner}/{repo}/pulls/{pull_number}/commits")
async def pull_commits(request: web.Request) -> web.Response:
    st, repo, pull = _pull(request)
    sh = shapes(request)
    return paginate(request, [sh.commit(repo, c) for c in st.pull_commits(repo, pull)])


# -- reviews -------------------------------------------------------------------------------


def _locate(files: dict[str, FileDiff], spec: dict[str, Any]) -> tuple[FileDiff, int]:
    """The file diff and position a review comment targets, or the 422 GitHub answers."""
    diff = files.get(spec["path"])
    if diff is None:
        raise ApiError(422, "Unprocessable Entity", ["Path could not be resolved"])
    if spec.get("line") is None:
        position = spec.get("position")
        if position is None or diff.line_at_position(position) is None:
            raise ApiError(422, "Unprocessable Entity", [NOT_IN_DIFF])
        return diff, position
    side = spec.get("side") or "RIGHT"
    position = diff.position_of(spec["line"], side)
    if position is None:
        raise ApiError(422, "Unprocessable Entity", [NOT_IN_DIFF])
    if spec.get("start_line") is not None:
        start_side = spec.get("start_side") or side
        if not diff.has_line(spec["start_line"], start_side):
            raise ApiError(422, "Unprocessable Entity", [NOT_IN_DIFF])
        if start_side == side and spec["start_line"] >= spec["line"]:
            raise ApiError(422, "Unprocessable Entity",
                           ["start_line must precede the end line."])
    return diff, position


def _new_comment(st: State, pull: Pull, review_id: int | None, spec: dict[str, Any],
                 diff: FileDiff, position: int, commit_id: str, user: str) -> ReviewComment:
    now = st.now()
    line = spec.get("line")
    if line is None:
        hit = diff.line_at_position(position)
        line = hit.new_line if hit and hit.new_line else hit.old_line if hit else None
    side = spec.get("side") or "RIGHT"
    return ReviewComment(
        id=st.next_id(),
        pull_number=pull.number,
        review_id=review_id,
        user=user,
        path=diff.filename,
        body=spec["body"],
        commit_id=commit_id,
        line=line,
        side=side,
        start_line=spec.get("start_line"),
        start_side=(spec.get("start_side") or side) if spec.get("start_line") else None,
        position=position,
        diff_hunk=diff_hunk(diff.patch, position),
        in_reply_to_id=None,
        created_at=now,
        updated_at=now,
    )


@ROUTES.post("/repos/{owner}/{repo}/pulls/{pull_number}/reviews")
async def create_review(request: web.Request) -> web.Response:
    st, repo, pull = _pull(request)
    body = body_json(request)
    event = body.get("event")
    specs = body.get("comments") or []
    text = body.get("body") or ""
    if event in ("REQUEST_CHANGES", "COMMENT") and not text and not specs:
        raise ApiError(422, "Unprocessable Entity",
                       [f"Review body is required for {event} reviews"])
    head = st.pull_head(repo, pull)
    files = {f.filename: f for f in st.pull_files(repo, pull)}
    located = [_locate(files, spec) for spec in specs]  # all or nothing, as GitHub
    user = actor(request)
    if event is None and any(r.state == "PENDING" and r.user == user for r in pull.reviews):
        raise ApiError(422, "Unprocessable Entity",
                       ["User can only have one pending review per pull request"])
    review = Review(
        id=st.next_id(),
        pull_number=pull.number,
        user=user,
        body=text,
        state=REVIEW_STATES.get(event or "", "PENDING"),
        commit_id=body.get("commit_id") or head,
        submitted_at=None if event is None else st.now(),
    )
    for spec, (diff, position) in zip(specs, located, strict=True):
        comment = _new_comment(st, pull, review.id, spec, diff, position, review.commit_id, user)
        pull.review_comments.append(comment)
        review.comment_ids.append(comment.id)
    pull.reviews.append(review)
    return ok(shapes(request).review(repo, review))


@ROUTES.get("/repos/{owner}/{repo}/pulls/{pull_number}/reviews")
async def list_reviews(request: web.Request) -> web.Response:
    _, repo, pull = _pull(request)
    sh = shapes(request)
    return paginate(request, [sh.review(repo, r) for r in pull.reviews])


def _review(pull: Pull, review_id: int) -> Review:
    for review in pull.reviews:
        if review.id == review_id:
            return review
    raise ApiError(404, "Not Found")


@ROUTES.get("/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}")
async def get_review(request: web.Request) -> web.Response:
    _, repo, pull = _pull(request)
    return ok(shapes(request).review(repo, _review(pull, int_param(request, "review_id"))))


@ROUTES.put("/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}")
async def update_review(request: web.Request) -> web.Response:
    st, repo, pull = _pull(request)
    review = _review(pull, int_param(request, "review_id"))
    review.body = body_json(request)["body"]
    return ok(shapes(request).review(repo, review))


@ROUTES.post("/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/events")
async def submit_review(request: web.Request) -> web.Response:
    st, repo, pull = _pull(request)
    review = _review(pull, int_param(request, "review_id"))
    if review.state != "PENDING":
        raise ApiError(422, "Unprocessable Entity", ["Can not submit a non-pending review"])
    body = body_json(request)
    review.state = REVIEW_STATES[body["event"]]
    review.body = body.get("body") or review.body
    review.submitted_at = st.now()
    return ok(shapes(request).review(repo, review))


@ROUTES.get("/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/comments")
async def review_comments_of_review(request: web.Request) -> web.Response:
    _, repo, pull = _pull(request)
    review = _review(pull, int_param(request, "review_id"))
    sh = shapes(request)
    comments = [c for c in pull.review_comments if c.review_id == review.id]
    return paginate(request, [sh.review_comment(repo, c) for c in comments])


# -- review comments -----------------------------------------------------------------------


@ROUTES.get("/repos/{owner}/{repo}/pulls/{pull_number}/comments")
async def list_review_comments(request: web.Request) -> web.Response:
    _, repo, pull = _pull(request)
    sh = shapes(request)
    return paginate(request, [sh.review_comment(repo, c) for c in pull.review_comments])


@ROUTES.post("/repos/{owner}/{repo}/pulls/{pull_number}/comments")
async def create_review_comment(request: web.Request) -> web.Response:
    st, repo, pull = _pull(request)
    body = body_json(request)
    user = actor(request)
    if body.get("in_reply_to") is not None:
        _, parent = st.find_review_comment(repo, int(body["in_reply_to"]))
        now = st.now()
        comment = ReviewComment(
            id=st.next_id(), pull_number=pull.number, review_id=parent.review_id, user=user,
            path=parent.path, body=body["body"], commit_id=parent.commit_id, line=parent.line,
            side=parent.side, start_line=parent.start_line, start_side=parent.start_side,
            position=parent.position, diff_hunk=parent.diff_hunk, in_reply_to_id=parent.id,
            created_at=now, updated_at=now,
        )
    else:
        files = {f.filename: f for f in st.pull_files(repo, pull)}
        diff, position = _locate(files, body)
        review = Review(st.next_id(), pull.number, user, "", "COMMENTED",
                        body.get("commit_id") or st.pull_head(repo, pull), st.now())
        comment = _new_comment(st, pull, review.id, body, diff, position, review.commit_id, user)
        review.comment_ids.append(comment.id)
        pull.reviews.append(review)
    pull.review_comments.append(comment)
    return ok(shapes(request).review_comment(repo, comment), status=201)


@ROUTES.get("/repos/{owner}/{repo}/pulls/comments/{comment_id}")
async def get_review_comment(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    _, comment = st.find_review_comment(repo, int_param(request, "comment_id"))
    return ok(shapes(request).review_comment(repo, comment))


@ROUTES.patch("/repos/{owner}/{repo}/pulls/comments/{comment_id}")
async def update_review_comment(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    _, comment = st.find_review_comment(repo, int_param(request, "comment_id"))
    comment.body = body_json(request)["body"]
    comment.updated_at = st.now()
    return ok(shapes(request).review_comment(repo, comment))


@ROUTES.delete("/repos/{owner}/{repo}/pulls/comments/{comment_id}")
async def delete_review_comment(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    pull, comment = st.find_review_comment(repo, int_param(request, "comment_id"))
    pull.review_comments.remove(comment)
    return web.Response(status=204)
