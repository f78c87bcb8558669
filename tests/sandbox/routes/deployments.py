"""Deployments and deployment statuses."""

from __future__ import annotations

from aiohttp import web

from ..state import Deployment, DeploymentStatus
from .common import actor, body_json, int_param, ok, paginate, repo_of, shapes, state

ROUTES = web.RouteTableDef()


@ROUTES.post("/repos/{owner}/{repo}/deployments")
async def create_deployment(request: web.Request) -> web.Response:
    st, repo, body = state(request), repo_of(request), body_json(request)
    sha = st.resolve(repo, body["ref"])
    dep = Deployment(
        id=st.next_id(),
        sha=sha,
        ref=body["ref"],
        task=body.get("task", "deploy"),
        environment=body.get("environment", "production"),
        description=body.get("description"),
        creator=actor(request),
        payload=body.get("payload", {}),
        created_at=st.now(),
    )
    repo.deployments.append(dep)
    return ok(shapes(request).deployment(repo, dep), status=201)


@ROUTES.get("/repos/{owner}/{repo}/deployments")
async def list_deployments(request: web.Request) -> web.Response:
    repo = repo_of(request)
    q = request.query
    found = [
        d for d in reversed(repo.deployments)
        if q.get("sha", d.sha) == d.sha and q.get("ref", d.ref) == d.ref
        and q.get("task", d.task) == d.task and q.get("environment", d.environment) == d.environment
    ]
    sh = shapes(request)
    return paginate(request, [sh.deployment(repo, d) for d in found])


@ROUTES.get("/repos/{owner}/{repo}/deployments/{deployment_id}")
async def get_deployment(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    dep = st.deployment(repo, int_param(request, "deployment_id"))
    return ok(shapes(request).deployment(repo, dep))


@ROUTES.post("/repos/{owner}/{repo}/deployments/{deployment_id}/statuses")
async def create_status(request: web.Request) -> web.Response:
    st, repo, body = state(request), repo_of(request), body_json(request)
    dep = st.deployment(repo, int_param(request, "deployment_id"))
    status = DeploymentStatus(
        id=st.next_id(),
        state=body["state"],
        creator=actor(request),
        description=body.get("description", ""),
        environment=body.get("environment", dep.environment),
        log_url=body.get("log_url") or body.get("target_url") or "",
        environment_url=body.get("environment_url", ""),
        created_at=st.now(),
    )
    dep.statuses.append(status)
    return ok(shapes(request).deployment_status(repo, dep, status), status=201)


@ROUTES.get("/repos/{owner}/{repo}/deployments/{deployment_id}/statuses")
async def list_statuses(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    dep = st.deployment(repo, int_param(request, "deployment_id"))
    sh = shapes(request)
    return paginate(request, [sh.deployment_status(repo, dep, s) for s in reversed(dep.statuses)])
