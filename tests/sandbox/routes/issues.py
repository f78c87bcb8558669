"""Issues, issue comments, labels and reactions (on issue and review comments)."""

from __future__ import annotations

from aiohttp import web

from ..state import ApiError, Issue, Reaction, Repo, State
from .common import actor, body_json, int_param, ok, paginate, repo_of, shapes, state

ROUTES = web.RouteTableDef()


def _issue(request: web.Request) -> tuple[State, Repo, Issue]:
    st, repo = state(request), repo_of(request)
    return st, repo, st.issue(repo, int_param(request, "issue_number"))


@ROUTES.get("/repos/{owner}/{repo}/issues/{issue_number}")
async def get_issue(request: web.Request) -> web.Response:
    _, repo, issue = _issue(request)
    return ok(shapes(request).issue(repo, issue))


@ROUTES.get("/repos/{owner}/{repo}/issues")
async def list_issues(request: web.Request) -> web.Response:
    repo = repo_of(request)
    want = request.query.get("state", "open")
    labels = {x for x in request.query.get("labels", "").split(",") if x}
    creator = request.query.get("creator")
    found = [
        i for i in sorted(repo.issues.values(), key=lambda i: -i.number)
        if (want == "all" or i.state == want) and labels <= set(i.labels)
        and (creator is None or i.user.lower() == creator.lower())
    ]
    sh = shapes(request)
    return paginate(request, [sh.issue(repo, i) for i in found])


@ROUTES.post("/repos/{owner}/{repo}/issues")
async def create_issue(request: web.Request) -> web.Response:
    st, repo, body = state(request), repo_of(request), body_json(request)
    issue = st.create_issue(repo, str(body["title"]), body.get("body"), actor(request))
    for label in body.get("labels") or []:
        name = label if isinstance(label, str) else label["name"]
        repo.labels.setdefault(name, "ededed")
        issue.labels.append(name)
    return ok(shapes(request).issue(repo, issue), status=201)


@ROUTES.patch("/repos/{owner}/{repo}/issues/{issue_number}")
async def update_issue(request: web.Request) -> web.Response:
    st, repo, issue = _issue(request)
    body = body_json(request)
    for key in ("title", "body"):
        if key in body:
            setattr(issue, key, body[key])
    if "state" in body:
        issue.state = body["state"]
        issue.closed_at = st.now() if body["state"] == "closed" else None
        issue.state_reason = body.get("state_reason") or (
            "completed" if body["state"] == "closed" else None)
    if "labels" in body:
        issue.labels = [x if isinstance(x, str) else x["name"] for x in body["labels"]]
    issue.updated_at = st.now()
    return ok(shapes(request).issue(repo, issue))


@ROUTES.post("/repos/{owner}/{repo}/issues/{issue_number}/labels")
async def add_labels(request: web.Request) -> web.Response:
    _, repo, issue = _issue(request)
    body = body_json(request)
    raw = body.get("labels", []) if isinstance(body, dict) else body
    for label in raw:
        name = label if isinstance(label, str) else label["name"]
        repo.labels.setdefault(name, "ededed")
        if name not in issue.labels:
            issue.labels.append(name)
    sh = shapes(request)
    return ok([sh.label(repo, n) for n in issue.labels])


@ROUTES.get("/repos/{owner}/{repo}/issues/{issue_number}/labels")
async def list_labels(request: web.Request) -> web.Response:
    _, repo, issue = _issue(request)
    sh = shapes(request)
    return paginate(request, [sh.label(repo, n) for n in issue.labels])


@ROUTES.delete("/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}")
async def remove_label(request: web.Request) -> web.Response:
    _, repo, issue = _issue(request)
    name = request.match_info["name"]
    if name not in issue.labels:
        raise ApiError(404, "Label does not exist")
    issue.labels.remove(name)
    sh = shapes(request)
    return ok([sh.label(repo, n) for n in issue.labels])


@ROUTES.get("/repos/{owner}/{repo}/issues/{issue_number}/comments")
async def list_comments(request: web.Request) -> web.Response:
    _, repo, issue = _issue(request)
    sh = shapes(request)
    return paginate(request, [sh.issue_comment(repo, c) for c in issue.comments])


@ROUTES.post("/repos/{owner}/{repo}/issues/{issue_number}/comments")
async def create_comment(request: web.Request) -> web.Response:
    st, repo, issue = _issue(request)
    comment = st.add_comment(repo, issue, body_json(request)["body"], actor(request))
    return ok(shapes(request).issue_comment(repo, comment), status=201)


@ROUTES.get("/repos/{owner}/{repo}/issues/comments/{comment_id}")
async def get_comment(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    comment = st.find_comment(repo, int_param(request, "comment_id"))
    return ok(shapes(request).issue_comment(repo, comment))


@ROUTES.patch("/repos/{owner}/{repo}/issues/comments/{comment_id}")
async def update_comment(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    comment = st.find_comment(repo, int_param(request, "comment_id"))
    comment.body = body_json(request)["body"]
    comment.updated_at = st.now()
    return ok(shapes(request).issue_comment(repo, comment))


@ROUTES.delete("/repos/{owner}/{repo}/issues/comments/{comment_id}")
async def delete_comment(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    comment = st.find_comment(repo, int_param(request, "comment_id"))
    st.issue(repo, comment.issue_number).comments.remove(comment)
    return web.Response(status=204)


def _react(request: web.Request, reactions: list[Reaction]) -> web.Response:
    st = state(request)
    content = body_json(request)["content"]
    user = actor(request)
    for existing in reactions:
        if existing.user == user and existing.content == content:
            return ok(shapes(request).reaction(existing))  # 200: it already existed
    reaction = Reaction(st.next_id(), user, content, st.now())
    reactions.append(reaction)
    return ok(shapes(request).reaction(reaction), status=201)


def _list_reactions(request: web.Request, reactions: list[Reaction]) -> web.Response:
    content = request.query.get("content")
    sh = shapes(request)
    return paginate(request, [sh.reaction(r) for r in reactions
                              if content is None or r.content == content])


@ROUTES.post("/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions")
async def react_issue_comment(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    return _react(request, st.find_comment(repo, int_param(request, "comment_id")).reactions)


@ROUTES.get("/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions")
async def list_issue_comment_reactions(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    comment = st.find_comment(repo, int_param(request, "comment_id"))
    return _list_reactions(request, comment.reactions)


@ROUTES.post("/repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions")
async def react_review_comment(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    _, comment = st.find_review_comment(repo, int_param(request, "comment_id"))
    return _react(request, comment.reactions)


@ROUTES.get("/repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions")
async def list_review_comment_reactions(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    _, comment = st.find_review_comment(repo, int_param(request, "comment_id"))
    return _list_reactions(request, comment.reactions)
