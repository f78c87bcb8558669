"""GitHub Actions: workflow runs, jobs, log downloads (302 to a signed URL) and re-runs."""

from __future__ import annotations

import io
import zipfile

from aiohttp import web

from ..state import ApiError, Repo
from .common import (
    int_param,
    ok,
    paginate,
    repo_of,
    sandbox,
    shapes,
    sign_download,
    state,
)

ROUTES = web.RouteTableDef()


def _download_url(request: web.Request, kind: str, repo: Repo, obj_id: int) -> str:
    sb = sandbox(request)
    path = f"/_sandbox/logs/{kind}/{repo.id}/{obj_id}"
    return f"{sb.base_url}{path}?sig={sign_download(sb.state.app.webhook_secret, path)}"


@ROUTES.get("/repos/{owner}/{repo}/actions/runs")
async def list_runs(request: web.Request) -> web.Response:
    repo = repo_of(request)
    q = request.query
    runs = [
        r for r in reversed(repo.workflow_runs)
        if q.get("head_sha", r.head_sha) == r.head_sha
        and q.get("branch", r.head_branch) == r.head_branch
        and q.get("event", r.event) == r.event
        and q.get("check_suite_id", str(r.check_suite_id)) == str(r.check_suite_id)
        and q.get("status") in (None, r.status, r.conclusion)
    ]
    sh = shapes(request)
    return paginate(request, [sh.workflow_run(repo, r) for r in runs], wrap="workflow_runs")


@ROUTES.get("/repos/{owner}/{repo}/actions/runs/{run_id}")
async def get_run(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    return ok(shapes(request).workflow_run(repo, st.workflow_run(repo, int_param(request,
                                                                                "run_id"))))


@ROUTES.get("/repos/{owner}/{repo}/actions/runs/{run_id}/jobs")
async def list_jobs(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    run = st.workflow_run(repo, int_param(request, "run_id"))
    sh = shapes(request)
    return paginate(request, [sh.job(repo, run, j) for j in run.jobs], wrap="jobs")


@ROUTES.get("/repos/{owner}/{repo}/actions/jobs/{job_id}")
async def get_job(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    run, job = st.job(repo, int_param(request, "job_id"))
    return ok(shapes(request).job(repo, run, job))


@ROUTES.get("/repos/{owner}/{repo}/actions/jobs/{job_id}/logs")
async def job_logs(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    _, job = st.job(repo, int_param(request, "job_id"))
    return web.Response(status=302, headers={"Location": _download_url(request, "jobs", repo,
                                                                        job.id)})


@ROUTES.get("/repos/{owner}/{repo}/actions/runs/{run_id}/logs")
async def run_logs(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    run = st.workflow_run(repo, int_param(request, "run_id"))
    return web.Response(status=302, headers={"Location": _download_url(request, "runs", repo,
                                                                        run.id)})


@ROUTES.post("/repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs")
async def rerun_failed(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    st.rerun_failed_jobs(repo, st.workflow_run(repo, int_param(request, "run_id")))
    return ok({}, status=201)


@ROUTES.get(r"/_sandbox/logs/{kind}/{repo_id:\d+}/{obj_id:\d+}")
async def download(request: web.Request) -> web.Response:
    """The blob storage behind the 302: plain text for a job, a zip for a run."""
    sb = sandbox(request)
    expected = sign_download(sb.state.app.webhook_secret, request.path)
    if request.query.get("sig") != expected:
        return web.Response(status=403, text="AuthenticationFailed: bad signature")
    with sb.state.lock:
        repo_id, obj_id = int(request.match_info["repo_id"]), int(request.match_info["obj_id"])
        repo = next((r for r in sb.state.repos.values() if r.id == repo_id), None)
        try:
            if repo is None:
                raise ApiError(404, "BlobNotFound")
            if request.match_info["kind"] == "jobs":
                _, job = sb.state.job(repo, obj_id)
                return web.Response(text=job.log, content_type="text/plain")
            run = sb.state.workflow_run(repo, obj_id)
        except ApiError:
            return web.Response(status=404, text="BlobNotFound")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for i, job in enumerate(run.jobs):
                archive.writestr(f"{i}_{job.name}.txt", job.log)
        return web.Response(body=buffer.getvalue(), content_type="application/zip")
