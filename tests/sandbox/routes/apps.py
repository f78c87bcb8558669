"""App endpoints: the App itself, its installations and installation access tokens."""

from __future__ import annotations

from aiohttp import web

from ..state import iso
from .common import installation_of, int_param, ok, paginate, repo_of, sandbox, shapes, state

ROUTES = web.RouteTableDef()


@ROUTES.get("/app")
async def get_app(request: web.Request) -> web.Response:
    return ok(shapes(request).app())


@ROUTES.get("/app/installations")
async def list_installations(request: web.Request) -> web.Response:
    sh = shapes(request)
    return paginate(request, [sh.installation(i) for i in state(request).installations.values()])


@ROUTES.get("/app/installations/{installation_id}")
async def get_installation(request: web.Request) -> web.Response:
    inst = state(request).installation(int_param(request, "installation_id"))
    return ok(shapes(request).installation(inst))


@ROUTES.post("/app/installations/{installation_id}/access_tokens")
async def create_token(request: web.Request) -> web.Response:
    st = state(request)
    inst = st.installation(int_param(request, "installation_id"))
    token = st.issue_token(inst.id)
    return ok(
        {
            "token": token.token,
            "expires_at": iso(token.expires_at),
            "permissions": dict(inst.permissions),
            "repository_selection": "all" if inst.repositories is None else "selected",
        },
        status=201,
    )


@ROUTES.get("/repos/{owner}/{repo}/installation")
async def repo_installation(request: web.Request) -> web.Response:
    repo = repo_of(request)
    return ok(shapes(request).installation(state(request).installation_for(repo.full_name)))


@ROUTES.get("/installation/repositories")
async def installation_repositories(request: web.Request) -> web.Response:
    inst = installation_of(request)
    sh = shapes(request)
    repos = [r for r in state(request).repos.values() if inst and inst.covers(r.full_name)]
    return paginate(request, [sh.repo(r) for r in repos], wrap="repositories")


@ROUTES.get("/rate_limit")
async def rate_limit(request: web.Request) -> web.Response:
    inst = installation_of(request)
    bucket = sandbox(request).buckets.get(str(inst.id)) if inst else None
    core = {"limit": 5000, "remaining": 5000, "reset": 0, "used": 0}
    if bucket is not None:
        core = {"limit": bucket.limit, "remaining": bucket.remaining, "reset": bucket.reset,
                "used": bucket.used}
    return ok({"resources": {"core": core, "search": core}, "rate": core})
