"""The sandbox's answers fit GitHub's response schemas, checked by openapi-core itself
(independently of the compiled checker the server runs on every response)."""

from __future__ import annotations

import pytest

from sandbox import Sandbox, openapi
from sandbox.client import call
from sandbox.state import DEFAULT_APP_PERMISSIONS


def test_compiled_checker_catches_a_wrong_shape() -> None:
    problem = openapi.check_response("get", "/repos/o/r/pulls/1", 200, b'{"number": "one"}')
    assert problem is not None and "'base' is a required property" in problem
    assert openapi.check_response("get", "/repos/o/r/pulls/1", 201, b"{}") is not None


DEPLOYER = {**DEFAULT_APP_PERMISSIONS, "deployments": "write"}


@pytest.fixture
def seeded(sandbox: Sandbox) -> tuple[Sandbox, str, dict[str, int]]:
    # These tests seed deployments over HTTP, as a deploy tool would; the bot only reads them.
    inst = sandbox.create_installation("octo", ["octo/app"], permissions=DEPLOYER)
    sandbox.create_repo("octo/app", files={"a.py": "x = 1\n", "d/b.md": "b\n"})
    head = sandbox.commit("octo/app", "feat", {"a.py": "x = 1\ny = 2\n"})
    pr = sandbox.create_pull("octo/app", head="feat")
    token = sandbox.token(inst)
    base = sandbox.base_url
    review = call(base, "POST", f"/repos/octo/app/pulls/{pr.number}/reviews",
                  {"event": "COMMENT", "body": "b",
                   "comments": [{"path": "a.py", "line": 2, "body": "c"}]}, token=token).json()
    check = call(base, "POST", "/repos/octo/app/check-runs",
                 {"name": "h", "head_sha": head, "status": "completed", "conclusion": "neutral",
                  "output": {"title": "t", "summary": "s", "annotations": [
                      {"path": "a.py", "start_line": 2, "end_line": 2,
                       "annotation_level": "notice", "message": "m"}]}}, token=token).json()
    comment = call(base, "POST", f"/repos/octo/app/issues/{pr.number}/comments",
                   {"body": "hi"}, token=token).json()
    run = sandbox.add_workflow_run("octo/app", head, "failure", jobs=[("t", "log", "failure")])
    dep = call(base, "POST", "/repos/octo/app/deployments", {"ref": "main"}, token=token).json()
    ids = {"pr": pr.number, "review": review["id"], "check": check["id"],
           "comment": comment["id"], "run": run.id, "job": run.jobs[0].id, "dep": dep["id"]}
    return sandbox, token, ids


GETS = [
    "/repos/octo/app",
    "/repos/octo/app/contents/a.py",
    "/repos/octo/app/contents/d",
    "/repos/octo/app/git/ref/heads/main",
    "/repos/octo/app/git/trees/main?recursive=1",
    "/repos/octo/app/commits/feat",
    "/repos/octo/app/compare/main...feat",
    "/repos/octo/app/pulls/{pr}",
    "/repos/octo/app/pulls?state=all",
    "/repos/octo/app/pulls/{pr}/files",
    "/repos/octo/app/pulls/{pr}/reviews",
    "/repos/octo/app/pulls/{pr}/comments",
    "/repos/octo/app/issues/{pr}",
    "/repos/octo/app/issues/{pr}/comments",
    "/repos/octo/app/check-runs/{check}",
    "/repos/octo/app/check-runs/{check}/annotations",
    "/repos/octo/app/commits/feat/check-runs",
    "/repos/octo/app/collaborators/octo/permission",
    "/repos/octo/app/actions/runs",
    "/repos/octo/app/actions/runs/{run}",
    "/repos/octo/app/actions/runs/{run}/jobs",
    "/repos/octo/app/actions/jobs/{job}",
    "/repos/octo/app/deployments",
    "/repos/octo/app/deployments/{dep}",
]


@pytest.mark.parametrize("path", GETS)
def test_main_endpoints_fit_the_response_schemas(seeded, path: str) -> None:
    sandbox, token, ids = seeded
    url = path.format(**ids)
    reply = call(sandbox.base_url, "GET", url, token=token)
    assert reply.status == 200, reply.body[:300]
    route, _, query = url.partition("?")
    request = openapi.SpecRequest("get", route, query=[tuple(kv.split("=", 1))
                                                       for kv in query.split("&") if kv])
    response = openapi.SpecResponse(200, reply.body, reply.headers)
    if route != "/repos/octo/app/contents/d":  # openapi-core cannot apply a discriminator
        assert openapi.check_response_openapi_core(request, response) is None  # to an array
    assert sandbox.violations == []  # the server's own check agrees
