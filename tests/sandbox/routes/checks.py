"""Check runs and their annotations."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..state import Annotation, ApiError, CheckRun, State
from .common import body_json, int_param, ok, paginate, repo_of, shapes, state

ROUTES = web.RouteTableDef()
MAX_ANNOTATIONS = 50  # per request, as GitHub enforces


def _apply(st: State, run: CheckRun, body: dict[str, Any]) -> None:
    output = body.get("output") or {}
    annotations = output.get("annotations") or []
    if len(annotations) > MAX_ANNOTATIONS:
        raise ApiError(422, "Invalid request.\n\nOnly 50 annotations are allowed per request.")
    for key in ("name", "details_url", "external_id"):
        if key in body:
            setattr(run, key, body[key])
    if "actions" in body:
        run.actions = list(body["actions"])
    if "started_at" in body:
        run.started_at = st.now()
    status = body.get("status")
    if body.get("conclusion"):
        status = status or "completed"
    if status:
        run.status = status
        if status == "in_progress" and run.started_at is None:
            run.started_at = st.now()
    if run.status == "completed":
        if not body.get("conclusion") and run.conclusion is None:
            raise ApiError(422, "Invalid request.\n\nNo conclusion given for completed run.")
        run.conclusion = body.get("conclusion") or run.conclusion
        run.completed_at = run.completed_at or st.now()
        run.started_at = run.started_at or run.completed_at
    if output:
        run.output_title = output.get("title", run.output_title)
        run.output_summary = output.get("summary", run.output_summary)
        run.output_text = output.get("text", run.output_text)
    for a in annotations:
        run.annotations.append(
            Annotation(
                path=a["path"],
                start_line=a["start_line"],
                end_line=a["end_line"],
                annotation_level=a["annotation_level"],
                message=a["message"],
                start_column=a.get("start_column"),
                end_column=a.get("end_column"),
                title=a.get("title"),
                raw_details=a.get("raw_details"),
            )
        )


@ROUTES.post("/repos/{owner}/{repo}/check-runs")
async def create_check_run(request: web.Request) -> web.Response:
    st, repo, body = state(request), repo_of(request), body_json(request)
    head_sha = body["head_sha"]
    if st.resolve(repo, head_sha) != head_sha:
        raise ApiError(422, "Validation Failed", [
            {"resource": "CheckRun", "field": "head_sha", "code": "invalid"}])
    run = CheckRun(id=st.next_id(), name=body["name"], head_sha=head_sha, app_id=st.app.id,
                   check_suite_id=st.next_id())
    _apply(st, run, body)
    repo.check_runs.append(run)
    return ok(shapes(request).check_run(repo, run), status=201)


@ROUTES.patch("/repos/{owner}/{repo}/check-runs/{check_run_id}")
async def update_check_run(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    run = st.check_run(repo, int_param(request, "check_run_id"))
    _apply(st, run, body_json(request))
    return ok(shapes(request).check_run(repo, run))


@ROUTES.get("/repos/{owner}/{repo}/check-runs/{check_run_id}")
async def get_check_run(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    return ok(shapes(request).check_run(repo, st.check_run(repo, int_param(request,
                                                                          "check_run_id"))))


@ROUTES.get("/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations")
async def list_annotations(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    run = st.check_run(repo, int_param(request, "check_run_id"))
    sh = shapes(request)
    return paginate(request, [sh.annotation(repo, run, a) for a in run.annotations])


@ROUTES.post("/repos/{owner}/{repo}/check-runs/{check_run_id}/rerequest")
async def rerequest_check_run(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    run = st.check_run(repo, int_param(request, "check_run_id"))
    run.status, run.conclusion, run.completed_at = "queued", None, None
    return ok({}, status=201)


@ROUTES.get("/repos/{owner}/{repo}/commits/{ref:.+}/check-runs")
async def list_check_runs_for_ref(request: web.Request) -> web.Response:
    st, repo = state(request), repo_of(request)
    sha = st.resolve(repo, request.match_info["ref"])
    name = request.query.get("check_name")
    status = request.query.get("status")
    runs = [
        r for r in reversed(repo.check_runs)
        if r.head_sha == sha and (name is None or r.name == name)
        and (status is None or r.status == status)
    ]
    if request.query.get("filter", "latest") == "latest":
        latest: dict[str, CheckRun] = {}
        for r in runs:
            latest.setdefault(r.name, r)
        runs = list(latest.values())
    sh = shapes(request)
    return paginate(request, [sh.check_run(repo, r) for r in runs], wrap="check_runs")


@ROUTES.get("/repos/{owner}/{repo}/check-suites/{check_suite_id}/check-runs")
async def list_check_runs_for_suite(request: web.Request) -> web.Response:
    repo = repo_of(request)
    suite = int_param(request, "check_suite_id")
    runs = [r for r in repo.check_runs if r.check_suite_id == suite]
    if not runs:
        raise ApiError(404, "Not Found")
    sh = shapes(request)
    return paginate(request, [sh.check_run(repo, r) for r in runs], wrap="check_runs")
