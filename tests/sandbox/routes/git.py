"""Git Data API: blobs, trees, commits and refs, with real object ids."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime

from aiohttp import web

from ..gitdata import (
    EXEC_MODE,
    FILE_MODE,
    LINK_MODE,
    TREE_MODE,
    Blob,
    Commit,
    FileEntry,
    Signature,
    Tree,
)
from ..state import ApiError, Repo
from .common import actor, body_json, ok, repo_of, shapes, state

ROUTES = web.RouteTableDef()


def _nonempty(request: web.Request) -> Repo:
    repo = repo_of(request)
    if repo.empty:
        raise ApiError(409, "Git Repository is empty.")
    return repo


@ROUTES.get("/repos/{owner}/{repo}/git/blobs/{sha}")
async def get_blob(request: web.Request) -> web.Response:
    repo = _nonempty(request)
    sha = request.match_info["sha"]
    obj = repo.store.get(sha)
    if not isinstance(obj, Blob):
        raise ApiError(404, "Not Found")
    return ok(shapes(request).blob(repo, sha, obj))


@ROUTES.post("/repos/{owner}/{repo}/git/blobs")
async def create_blob(request: web.Request) -> web.Response:
    repo, body = repo_of(request), body_json(request)
    content = body["content"]
    if body.get("encoding", "utf-8") == "base64":
        try:
            data = base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError) as err:
            raise ApiError(422, "content is not valid Base64") from err
    else:
        data = content.encode()
    sha = repo.store.put(Blob(data))
    return ok({"sha": sha, "url": f"{shapes(request).base}/repos/{repo.full_name}/git/blobs/{sha}"},
              status=201)


@ROUTES.get("/repos/{owner}/{repo}/git/trees/{sha}")
async def get_tree(request: web.Request) -> web.Response:
    st, repo = state(request), _nonempty(request)
    ref = request.match_info["sha"]
    obj = repo.store.get(ref)
    if isinstance(obj, Commit):
        ref = obj.tree
    elif not isinstance(obj, Tree):
        ref = repo.store.commit(st.resolve(repo, ref)).tree
    recursive = request.query.get("recursive", "") not in ("", "0", "false")
    return ok(shapes(request).tree(repo, ref, recursive))


@ROUTES.post("/repos/{owner}/{repo}/git/trees")
async def create_tree(request: web.Request) -> web.Response:
    repo, body = repo_of(request), body_json(request)
    flat: dict[str, FileEntry] = {}
    if body.get("base_tree"):
        if not isinstance(repo.store.get(body["base_tree"]), Tree):
            raise ApiError(422, "Invalid tree info", ["base_tree is not a valid tree oid"])
        flat = repo.store.flatten(body["base_tree"])
    for item in body["tree"]:
        path, mode = item["path"].strip("/"), item["mode"]
        if "content" in item:
            sha: str | None = repo.store.put(Blob(item["content"].encode()))
        else:
            sha = item.get("sha")
        if sha is None:  # "sha": null deletes the path
            if not any(p == path or p.startswith(path + "/") for p in flat):
                raise ApiError(422, "GitRPC::BadObjectState")
            flat = {p: e for p, e in flat.items() if p != path and not p.startswith(path + "/")}
            continue
        if mode == TREE_MODE or item.get("type") == "tree":
            if not isinstance(repo.store.get(sha), Tree):
                raise ApiError(422, "Invalid tree info", [f"{sha} is not a tree"])
            flat = {p: e for p, e in flat.items() if not p.startswith(path + "/")}
            for sub, entry in repo.store.flatten(sha).items():
                flat[f"{path}/{sub}"] = FileEntry(f"{path}/{sub}", entry.sha, entry.mode)
            continue
        if mode not in (FILE_MODE, EXEC_MODE, LINK_MODE):
            raise ApiError(422, "Invalid tree info", [f"unsupported mode {mode}"])
        if not isinstance(repo.store.get(sha), Blob):
            raise ApiError(422, "Invalid tree info", [f"{sha} is not a blob"])
        flat[path] = FileEntry(path, sha, mode)
    tree = repo.store.write_tree(flat)
    return ok(shapes(request).tree(repo, tree, recursive=False), status=201)


@ROUTES.get("/repos/{owner}/{repo}/git/commits/{sha}")
async def get_git_commit(request: web.Request) -> web.Response:
    repo = _nonempty(request)
    sha = request.match_info["sha"]
    if not isinstance(repo.store.get(sha), Commit):
        raise ApiError(404, "Not Found")
    return ok(shapes(request).git_commit(repo, sha))


@ROUTES.post("/repos/{owner}/{repo}/git/commits")
async def create_git_commit(request: web.Request) -> web.Response:
    st, repo, body = state(request), repo_of(request), body_json(request)
    if not isinstance(repo.store.get(body["tree"]), Tree):
        raise ApiError(422, "Tree SHA does not exist")
    parents = list(body.get("parents", []))
    for p in parents:
        if not isinstance(repo.store.get(p), Commit):
            raise ApiError(422, "Parent SHA does not exist or is not a commit object")
    signatures = (_signature(body.get("author")), _signature(body.get("committer")))
    sha = st.make_commit(repo, body["tree"], parents, body["message"], actor(request), signatures)
    return ok(shapes(request).git_commit(repo, sha), status=201)


def _signature(given: dict | None) -> Signature | None:
    """A request's author/committer; its `date` (ISO 8601) makes the commit id reproducible."""
    if not given:
        return None
    raw = given.get("date")
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00")) if raw else datetime.now(UTC)
    except ValueError as exc:
        raise ApiError(422, f"Invalid date: {raw}") from exc
    return Signature(given["name"], given["email"], int(when.timestamp()))


def _full_ref(name: str) -> str:
    return name if name.startswith("refs/") else "refs/" + name


@ROUTES.get("/repos/{owner}/{repo}/git/ref/{ref:.+}")
async def get_ref(request: web.Request) -> web.Response:
    repo = _nonempty(request)
    ref = _full_ref(request.match_info["ref"])
    if ref not in repo.refs:
        raise ApiError(404, "Not Found")
    return ok(shapes(request).ref(repo, ref))


@ROUTES.get("/repos/{owner}/{repo}/git/matching-refs/{ref:.*}")
async def matching_refs(request: web.Request) -> web.Response:
    repo = _nonempty(request)
    prefix = _full_ref(request.match_info["ref"])
    sh = shapes(request)
    return ok([sh.ref(repo, r) for r in sorted(repo.refs) if r.startswith(prefix)])


@ROUTES.post("/repos/{owner}/{repo}/git/refs")
async def create_ref(request: web.Request) -> web.Response:
    repo, body = repo_of(request), body_json(request)
    ref = body["ref"]
    if not ref.startswith("refs/") or ref.count("/") < 2:
        raise ApiError(422, "Reference name must start with 'refs/' and have at least two slashes.")
    if ref in repo.refs:
        raise ApiError(422, "Reference already exists")
    if not isinstance(repo.store.get(body["sha"]), Commit):
        raise ApiError(422, "Object does not exist")
    repo.refs[ref] = body["sha"]
    return ok(shapes(request).ref(repo, ref), status=201)


@ROUTES.patch("/repos/{owner}/{repo}/git/refs/{ref:.+}")
async def update_ref(request: web.Request) -> web.Response:
    st, repo, body = state(request), _nonempty(request), body_json(request)
    ref = _full_ref(request.match_info["ref"])
    st.update_ref(repo, ref, body["sha"], bool(body.get("force", False)))
    return ok(shapes(request).ref(repo, ref))


@ROUTES.delete("/repos/{owner}/{repo}/git/refs/{ref:.+}")
async def delete_ref(request: web.Request) -> web.Response:
    repo = _nonempty(request)
    ref = _full_ref(request.match_info["ref"])
    if repo.refs.pop(ref, None) is None:
        raise ApiError(422, "Reference does not exist")
    return web.Response(status=204)
