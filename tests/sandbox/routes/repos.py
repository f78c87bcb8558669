"""Repositories: metadata, contents, commits, compare, collaborator permissions, branches and
the rules that apply to them."""

from __future__ import annotations

import base64
import binascii

from aiohttp import web

from ..gitdata import diff_trees
from ..state import ApiError, CommitComment
from .common import actor, body_json, int_param, ok, paginate, repo_of, shapes, state

BODY_LIMIT = 65_536

ROUTES = web.RouteTableDef()
RAW_TYPES = ("application/vnd.github.raw", "application/vnd.github.v3.raw")


@ROUTES.get("/repos/{owner}/{repo}")
async def get_repo(request: web.Request) -> web.Response:
    return ok(shapes(request).repo(repo_of(request)))


@ROUTES.get("/repos/{owner}/{repo}/contents/{path:.*}")
async def get_contents(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    if repo.empty:
        raise ApiError(404, "This repository is empty.")
    ref = request.query.get("ref") or repo.default_branch
    commit = st.resolve(repo, ref)
    path = request.match_info["path"].strip("/")
    entry = repo.store.lookup(repo.store.commit(commit).tree, path)
    if entry is None:
        raise ApiError(404, "Not Found")
    sh = shapes(request)
    if entry.kind == "tree":
        items = []
        for e in sorted(repo.store.tree(entry.sha).entries, key=lambda e: e.name):
            size = len(repo.store.blob(e.sha).data) if e.kind == "blob" else 0
            child = f"{path}/{e.name}" if path else e.name
            items.append(sh.dir_entry(repo, child, ref, e.sha, e.kind, size))
        return ok(items)
    data = repo.store.blob(entry.sha).data
    if request.headers.get("Accept", "").split(";")[0].strip() in RAW_TYPES:
        return web.Response(body=data, content_type="application/vnd.github.raw")
    return ok(sh.content_file(repo, path, ref, entry.sha, data))


def _current_blob(request: web.Request, branch: str, path: str) -> str | None:
    st, repo = state(request), repo_of(request)
    if repo.empty:
        return None
    entry = repo.store.lookup(repo.store.commit(st.branch_sha(repo, branch)).tree, path)
    return entry.sha if entry is not None and entry.kind == "blob" else None


@ROUTES.put("/repos/{owner}/{repo}/contents/{path:.+}")
async def put_contents(request: web.Request) -> web.Response:
    st, repo, body = state(request), repo_of(request), body_json(request)
    path = request.match_info["path"].strip("/")
    branch = body.get("branch") or repo.default_branch
    try:
        data = base64.b64decode(body["content"], validate=True)
    except (binascii.Error, ValueError) as err:
        raise ApiError(422, "content is not valid Base64") from err
    current = _current_blob(request, branch, path)
    if current is not None and body.get("sha") is None:
        raise ApiError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
    if current is not None and body.get("sha") != current:
        raise ApiError(409, f"{path} does not match {body.get('sha')}")
    sha = st.commit(repo, branch, {path: data}, body["message"])
    sh = shapes(request)
    blob = _current_blob(request, branch, path) or ""
    content = sh.content_file(repo, path, branch, blob, data)
    content.pop("content")
    content.pop("encoding")
    return ok({"content": content, "commit": sh.git_commit(repo, sha)},
              status=200 if current else 201)


@ROUTES.delete("/repos/{owner}/{repo}/contents/{path:.+}")
async def delete_contents(request: web.Request) -> web.Response:
    st, repo, body = state(request), repo_of(request), body_json(request)
    path = request.match_info["path"].strip("/")
    branch = body.get("branch") or repo.default_branch
    current = _current_blob(request, branch, path)
    if current is None:
        raise ApiError(404, "Not Found")
    if body.get("sha") != current:
        raise ApiError(409, f"{path} does not match {body.get('sha')}")
    sha = st.commit(repo, branch, {path: None}, body["message"])
    return ok({"content": None, "commit": shapes(request).git_commit(repo, sha)})


@ROUTES.get("/repos/{owner}/{repo}/commits/{commit_sha}/pulls")
async def pulls_for_commit(request: web.Request) -> web.Response:
    """Pull requests whose head is, or whose commits include, the commit."""
    st, repo = state(request), repo_of(request)
    sha = st.resolve(repo, request.match_info["commit_sha"])
    found = [p for p in sorted(repo.pulls.values(), key=lambda p: -p.number)
             if sha in st.pull_commits(repo, p) or st.pull_head(repo, p) == sha]
    sh = shapes(request)
    return paginate(request, [sh.pull(repo, p, full=False) for p in found])


@ROUTES.get("/repos/{owner}/{repo}/commits/{commit_sha}/comments")
async def list_commit_comments(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    sha = st.resolve(repo, request.match_info["commit_sha"])
    sh = shapes(request)
    return paginate(request, [sh.commit_comment(repo, c) for c in repo.commit_comments
                              if c.commit_id == sha])


@ROUTES.post("/repos/{owner}/{repo}/commits/{commit_sha}/comments")
async def create_commit_comment(request: web.Request) -> web.Response:
    st, repo, body = state(request), repo_of(request), body_json(request)
    sha = st.resolve(repo, request.match_info["commit_sha"])
    if len(body["body"]) > BODY_LIMIT:
        raise ApiError(422, "Validation Failed", [
            {"resource": "CommitComment", "field": "body", "code": "custom",
             "message": f"body is too long (maximum is {BODY_LIMIT} characters)"}])
    now = st.now()
    comment = CommitComment(st.next_id(), sha, actor(request), body["body"], now, now)
    repo.commit_comments.append(comment)
    return ok(shapes(request).commit_comment(repo, comment), status=201)


@ROUTES.patch("/repos/{owner}/{repo}/comments/{comment_id}")
async def update_commit_comment(request: web.Request) -> web.Response:
    st, repo, body = state(request), repo_of(request), body_json(request)
    comment_id = int_param(request, "comment_id")
    comment = next((c for c in repo.commit_comments if c.id == comment_id), None)
    if comment is None:
        raise ApiError(404, "Not Found")
    if comment.user != actor(request):
        raise ApiError(403, "Must have admin rights to Repository.")
    if len(body["body"]) > BODY_LIMIT:
        raise ApiError(422, "Validation Failed")
    comment.body, comment.updated_at = body["body"], st.now()
    return ok(shapes(request).commit_comment(repo, comment))


@ROUTES.delete("/repos/{owner}/{repo}/comments/{comment_id}")
async def delete_commit_comment(request: web.Request) -> web.Response:
    repo = repo_of(request)
    comment_id = int_param(request, "comment_id")
    comment = next((c for c in repo.commit_comments if c.id == comment_id), None)
    if comment is None:
        raise ApiError(404, "Not Found")
    if comment.user != actor(request):
        raise ApiError(403, "Must have admin rights to Repository.")
    repo.commit_comments.remove(comment)
    return web.Response(status=204)


@ROUTES.get("/repos/{owner}/{repo}/commits/{ref:.+}")
async def get_commit(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    sha = st.resolve(repo, request.match_info["ref"])
    commit = repo.store.commit(sha)
    base_tree = (repo.store.commit(commit.parents[0]).tree if commit.parents
                 else repo.store.write_tree({}))
    files = diff_trees(repo.store, base_tree, commit.tree)
    return ok(shapes(request).commit(repo, sha, files))


@ROUTES.get("/repos/{owner}/{repo}/commits")
async def list_commits(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    sha = st.resolve(repo, request.query.get("sha") or repo.default_branch)
    sh = shapes(request)
    return paginate(request, [sh.commit(repo, c) for c in repo.store.log(sha)])


@ROUTES.get("/repos/{owner}/{repo}/compare/{basehead}")
async def compare(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    base_ref, sep, head_ref = request.match_info["basehead"].partition("...")
    if not sep:
        raise ApiError(404, "Not Found")
    base, head = st.resolve(repo, base_ref), st.resolve(repo, head_ref)
    merge_base = repo.store.merge_base(base, head) or base
    head_anc, base_anc = repo.store.ancestors(head), repo.store.ancestors(base)
    ahead = [c for c in reversed(repo.store.log(head)) if c not in base_anc]
    behind = [c for c in base_anc if c not in head_anc]
    status = ("identical" if base == head else "ahead" if not behind
              else "behind" if not ahead else "diverged")
    files = diff_trees(repo.store, repo.store.commit(merge_base).tree,
                       repo.store.commit(head).tree)
    sh = shapes(request)
    html = f"https://github.com/{repo.full_name}/compare/{base_ref}...{head_ref}"
    return ok(
        {
            "url": f"{sh.base}/repos/{repo.full_name}/compare/{base_ref}...{head_ref}",
            "html_url": html,
            "permalink_url": html,
            "diff_url": html + ".diff",
            "patch_url": html + ".patch",
            "base_commit": sh.commit(repo, base),
            "merge_base_commit": sh.commit(repo, merge_base),
            "status": status,
            "ahead_by": len(ahead),
            "behind_by": len(behind),
            "total_commits": len(ahead),
            "commits": [sh.commit(repo, c) for c in ahead],
            "files": [sh.diff_entry(repo, head, f) for f in files],
        }
    )


@ROUTES.get("/repos/{owner}/{repo}/collaborators/{username}/permission")
async def collaborator_permission(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    login = request.match_info["username"]
    if login.lower() not in st.users:
        raise ApiError(404, "Not Found")
    level = st.permission(repo, login)
    user = shapes(request).user(login)
    # the legacy `permission` folds triage into read and maintain into write
    legacy = {"triage": "read", "maintain": "write"}.get(level, level)
    rank = ("read", "triage", "write", "maintain", "admin")
    have = rank.index(level) if level in rank else -1
    user["permissions"] = {"pull": have >= 0, "triage": have >= 1, "push": have >= 2,
                           "maintain": have >= 3, "admin": have >= 4}
    user["role_name"] = level
    return ok({"permission": legacy, "role_name": level, "user": user})


@ROUTES.get("/repos/{owner}/{repo}/branches/{branch:.+}")
async def get_branch(request: web.Request) -> web.Response:
    st, repo, sh = state(request), repo_of(request), shapes(request)
    name = request.match_info["branch"]
    sha = st.branch_sha(repo, name)
    url = f"{sh.base}/repos/{repo.full_name}/branches/{name}"
    protected = name in repo.protected
    return ok(
        {
            "name": name,
            "commit": sh.commit(repo, sha),
            "_links": {"html": f"https://github.com/{repo.full_name}/tree/{name}", "self": url},
            "protected": protected,
            "protection": {"enabled": protected,
                           "required_status_checks": {"enforcement_level": "off", "contexts": [],
                                                      "checks": []}},
            "protection_url": f"{url}/protection",
        }
    )


@ROUTES.get("/repos/{owner}/{repo}/rules/branches/{branch:.+}")
async def branch_rules(request: web.Request) -> web.Response:
    repo = repo_of(request)
    rules = repo.branch_rules.get(request.match_info["branch"], [])
    items = [{"type": kind, "ruleset_source_type": "Repository",
              "ruleset_source": repo.full_name, "ruleset_id": 1} for kind in rules]
    return paginate(request, items)
