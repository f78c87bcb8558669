"""The sandbox answers like GitHub: auth, git data, pulls, reviews, checks, OpenAPI checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox import Sandbox
from sandbox.client import Reply, call


@pytest.fixture
def gh(sandbox: Sandbox):
    inst = sandbox.create_installation("octo", ["octo/app"])
    sandbox.create_repo("octo/app", files={"a.py": "x = 1\ny = 2\n", "pkg/b.py": "b = 1\n"})
    token = sandbox.token(inst)

    def request(method: str, path: str, body: object = None, **kw) -> Reply:
        kw.setdefault("token", token)
        return call(sandbox.base_url, method, path, body, **kw)

    return request


def test_installation_token_from_app_jwt(sandbox: Sandbox) -> None:
    inst = sandbox.create_installation("octo", ["octo/app"])
    sandbox.create_repo("octo/app", files={"a.py": "x\n"})
    url = f"/app/installations/{inst.id}/access_tokens"
    reply = call(sandbox.base_url, "POST", url, token=sandbox.jwt(), scheme="Bearer")
    assert reply.status == 201
    token = reply.json()["token"]
    assert reply.json()["expires_at"].endswith("Z")
    assert call(sandbox.base_url, "GET", "/repos/octo/app", token=token).status == 200


def test_unknown_path_and_bad_body_are_violations(sandbox: Sandbox, gh) -> None:
    assert gh("GET", "/nope").status == 404
    reply = gh("POST", "/repos/octo/app/check-runs", {"nam": "x"})
    assert reply.status == 422
    assert "'name' is a required property" in reply.json()["message"]
    kinds = [(v.method, v.path) for v in sandbox.clear_violations()]
    assert kinds == [("GET", "/nope"), ("POST", "/repos/octo/app/check-runs")]


def test_review_on_line_outside_diff_is_rejected_and_creates_nothing(
    sandbox: Sandbox, gh
) -> None:
    sandbox.commit("octo/app", "feat", {"a.py": "x = 1\ny = 2\nz = 3\n"})
    pr = sandbox.create_pull("octo/app", head="feat")
    comments = [
        {"path": "a.py", "line": 3, "body": "fine"},
        {"path": "pkg/b.py", "line": 1, "body": "not in the diff"},
    ]
    url = f"/repos/octo/app/pulls/{pr.number}/reviews"
    reply = gh("POST", url, {"event": "COMMENT", "body": "r", "comments": comments})
    assert reply.status == 422
    assert sandbox.reviews("octo/app", pr.number) == []
    reply = gh("POST", url, {"event": "COMMENT", "body": "r", "comments": comments[:1]})
    assert reply.status == 200
    (comment,) = sandbox.review_comments("octo/app", pr.number)
    assert (comment.path, comment.line, comment.side) == ("a.py", 3, "RIGHT")
    assert comment.diff_hunk.startswith("@@ -1,2 +1,3 @@")


def test_an_installation_lacking_a_permission_is_refused_like_github(sandbox: Sandbox) -> None:
    inst = sandbox.create_installation(
        "octo", ["octo/app"], permissions={"metadata": "read", "checks": "read"}
    )
    sandbox.create_repo("octo/app", files={"a.py": "x\n"})
    token = sandbox.token(inst)
    sha = sandbox.ref("octo/app", "heads/main")
    assert call(sandbox.base_url, "GET", "/repos/octo/app", token=token).status == 200
    listed = call(sandbox.base_url, "GET", f"/repos/octo/app/commits/{sha}/check-runs",
                  token=token)
    assert listed.status == 200
    created = call(sandbox.base_url, "POST", "/repos/octo/app/check-runs",
                   {"name": "x", "head_sha": sha}, token=token)
    assert created.status == 403
    assert created.json()["message"] == "Resource not accessible by integration"
    [violation] = sandbox.clear_violations()
    assert violation.kind == "permission" and "checks: write" in violation.message
    assert sandbox.check_runs("octo/app") == []


def test_installations_get_the_permissions_app_yml_asks_for(sandbox: Sandbox) -> None:
    import yaml

    manifest = yaml.safe_load((Path(__file__).parents[2] / "app.yml").read_text())
    inst = sandbox.create_installation("octo", ["octo/app"])
    assert inst.permissions == manifest["default_permissions"]
