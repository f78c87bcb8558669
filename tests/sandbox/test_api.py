"""Behaviour of the sandbox endpoints: auth, pagination, refs, faults, checks, actions."""

from __future__ import annotations

import base64
import io
import time
import zipfile

import pytest

from sandbox import Sandbox
from sandbox.client import Reply, call
from sandbox.state import DEFAULT_APP_PERMISSIONS

REPO = "octo/app"


DEPLOYER = {**DEFAULT_APP_PERMISSIONS, "deployments": "write"}


@pytest.fixture
def gh(sandbox: Sandbox):
    # These tests seed deployments over HTTP, as a deploy tool would; the bot only reads them.
    inst = sandbox.create_installation("octo", [REPO], permissions=DEPLOYER)
    sandbox.create_repo(REPO, files={"a.py": "x = 1\n", "docs/guide.md": "# Guide\n"})
    token = sandbox.token(inst)

    def request(method: str, path: str, body: object = None, **kw) -> Reply:
        kw.setdefault("token", token)
        return call(sandbox.base_url, method, path, body, **kw)

    return request


# -- auth ----------------------------------------------------------------------------------


def test_token_auth_like_github(sandbox: Sandbox, gh) -> None:
    base = sandbox.base_url
    assert call(base, "GET", f"/repos/{REPO}").status == 401
    assert call(base, "GET", f"/repos/{REPO}", token="ghs_forged").status == 401
    other = sandbox.create_installation("someone", ["someone/private"])
    sandbox.create_repo("someone/private", files={"s": "s\n"}, private=True)
    sandbox.create_repo("someone/public", files={"s": "s\n"})
    assert gh("GET", "/repos/someone/private").status == 404
    assert gh("GET", "/repos/someone/public").status == 200  # public repos are readable
    reply = gh("POST", "/repos/someone/public/issues", {"title": "t"})
    assert reply.status == 403
    assert reply.json()["message"] == "Resource not accessible by integration"
    expired = sandbox.token(other, ttl=-1)
    assert call(base, "GET", "/repos/someone/private", token=expired).status == 401


def test_app_endpoints_need_a_valid_jwt(sandbox: Sandbox, gh) -> None:
    base = sandbox.base_url
    assert call(base, "GET", "/app", token=sandbox.jwt(), scheme="Bearer").json()["slug"] == (
        "hephaestus")
    too_long = sandbox.jwt(exp_in=3600)
    assert call(base, "GET", "/app", token=too_long, scheme="Bearer").status == 401
    stale = sandbox.jwt(iat=time.time() - 7200)
    assert call(base, "GET", "/app", token=stale, scheme="Bearer").status == 401
    installation = call(base, "GET", f"/repos/{REPO}/installation", token=sandbox.jwt(),
                        scheme="Bearer")
    assert installation.json()["account"]["login"] == "octo"


def test_rate_limit_headers_count_down_per_installation(gh) -> None:
    first = gh("GET", f"/repos/{REPO}")
    second = gh("GET", f"/repos/{REPO}")
    assert int(first.headers["x-ratelimit-remaining"]) - 1 == int(
        second.headers["x-ratelimit-remaining"])
    assert second.headers["x-ratelimit-resource"] == "core"
    assert int(second.headers["x-ratelimit-used"]) == 2
    assert int(second.headers["x-ratelimit-reset"]) > time.time()


# -- pagination ----------------------------------------------------------------------------


def test_pagination_and_link_header(sandbox: Sandbox, gh) -> None:
    issue = sandbox.create_issue(REPO, "t")
    for i in range(7):
        sandbox.add_issue_comment(REPO, issue.number, f"c{i}")
    url = f"/repos/{REPO}/issues/{issue.number}/comments"
    first = gh("GET", url + "?per_page=3")
    assert [c["body"] for c in first.json()] == ["c0", "c1", "c2"]
    links = dict(
        (part.split("; ")[1][5:-1], part.split("; ")[0][1:-1])
        for part in first.headers["link"].split(", ")
    )
    assert set(links) == {"next", "last"}
    assert links["last"].endswith("per_page=3&page=3")
    last = gh("GET", links["last"])
    assert [c["body"] for c in last.json()] == ["c6"]
    assert 'rel="prev"' in last.headers["link"] and 'rel="next"' not in last.headers["link"]
    assert "link" not in gh("GET", url).headers


# -- git data ------------------------------------------------------------------------------


def test_ref_updates_are_fast_forward_only_unless_forced(sandbox: Sandbox, gh) -> None:
    main = sandbox.ref(REPO, "main")
    tree = gh("POST", f"/repos/{REPO}/git/trees",
              {"base_tree": gh("GET", f"/repos/{REPO}/git/commits/{main}").json()["tree"]["sha"],
               "tree": [{"path": "b.py", "mode": "100644", "type": "blob",
                         "content": "b = 2\n"}]}).json()["sha"]
    child = gh("POST", f"/repos/{REPO}/git/commits",
               {"message": "add b", "tree": tree, "parents": [main]}).json()["sha"]
    orphan = gh("POST", f"/repos/{REPO}/git/commits",
                {"message": "orphan", "tree": tree, "parents": []}).json()["sha"]

    reply = gh("PATCH", f"/repos/{REPO}/git/refs/heads/main", {"sha": orphan, "force": False})
    assert (reply.status, reply.json()["message"]) == (422, "Update is not a fast forward")
    assert sandbox.ref(REPO, "main") == main
    assert gh("PATCH", f"/repos/{REPO}/git/refs/heads/main", {"sha": child}).status == 200
    assert sandbox.file(REPO, "b.py") == "b = 2\n"
    assert gh("PATCH", f"/repos/{REPO}/git/refs/heads/main",
              {"sha": orphan, "force": True}).status == 200
    assert sandbox.ref(REPO, "main") == orphan

    created = gh("POST", f"/repos/{REPO}/git/refs", {"ref": "refs/heads/topic", "sha": main})
    assert created.status == 201
    assert gh("GET", f"/repos/{REPO}/git/ref/heads/topic").json()["object"]["sha"] == main
    assert gh("POST", f"/repos/{REPO}/git/refs",
              {"ref": "refs/heads/topic", "sha": main}).status == 422


def test_empty_repository_answers_409(sandbox: Sandbox, gh) -> None:
    sandbox.create_repo("octo/empty")
    reply = gh("GET", "/repos/octo/empty/git/ref/heads/main")
    assert (reply.status, reply.json()["message"]) == (409, "Git Repository is empty.")


def test_contents_json_raw_and_put(sandbox: Sandbox, gh) -> None:
    reply = gh("GET", f"/repos/{REPO}/contents/docs/guide.md")
    assert base64.b64decode(reply.json()["content"]) == b"# Guide\n"
    raw = gh("GET", f"/repos/{REPO}/contents/docs/guide.md", accept="application/vnd.github.raw")
    assert raw.body == b"# Guide\n"
    assert gh("GET", f"/repos/{REPO}/contents/missing.md").status == 404
    listing = gh("GET", f"/repos/{REPO}/contents/docs")
    assert [e["name"] for e in listing.json()] == ["guide.md"]

    put = {"message": "guide v2", "content": base64.b64encode(b"v2\n").decode()}
    assert gh("PUT", f"/repos/{REPO}/contents/docs/guide.md", put).status == 422  # no sha
    put["sha"] = reply.json()["sha"]
    updated = gh("PUT", f"/repos/{REPO}/contents/docs/guide.md", put)
    assert updated.status == 200
    assert sandbox.file(REPO, "docs/guide.md") == "v2\n"
    assert gh("PUT", f"/repos/{REPO}/contents/docs/guide.md", put).status == 409  # stale sha
    new = {"message": "new", "content": base64.b64encode(b"n\n").decode(), "branch": "side"}
    assert gh("PUT", f"/repos/{REPO}/contents/new.md", new).status == 404  # no such branch
    sandbox.commit(REPO, "side", {})
    assert gh("PUT", f"/repos/{REPO}/contents/new.md", new).status == 201
    assert sandbox.file(REPO, "new.md", ref="side") == "n\n"
    assert sandbox.file(REPO, "new.md") is None


# -- pulls ---------------------------------------------------------------------------------


def test_pull_files_have_patches_and_list_by_head(sandbox: Sandbox, gh) -> None:
    sandbox.commit(REPO, "feat", {"a.py": "x = 2\n", "new.py": "n = 1\n", "docs/guide.md": None})
    pr = sandbox.create_pull(REPO, head="feat")
    files = {f["filename"]: f for f in gh("GET", f"/repos/{REPO}/pulls/{pr.number}/files").json()}
    assert {k: v["status"] for k, v in files.items()} == {
        "a.py": "modified", "new.py": "added", "docs/guide.md": "removed"}
    assert files["a.py"]["patch"] == "@@ -1 +1 @@\n-x = 1\n+x = 2"
    assert (files["a.py"]["additions"], files["a.py"]["deletions"]) == (1, 1)
    assert [p["number"] for p in gh("GET", f"/repos/{REPO}/pulls?head=octo:feat").json()] == [
        pr.number]
    assert gh("GET", f"/repos/{REPO}/pulls?head=octo:other").json() == []
    pull = gh("GET", f"/repos/{REPO}/pulls/{pr.number}").json()
    assert pull["head"]["sha"] == sandbox.ref(REPO, "feat")
    assert pull["changed_files"] == 3


def test_review_comment_crud_and_reactions(sandbox: Sandbox, gh) -> None:
    sandbox.commit(REPO, "feat", {"a.py": "x = 1\ny = 2\n"})
    pr = sandbox.create_pull(REPO, head="feat")
    review = gh("POST", f"/repos/{REPO}/pulls/{pr.number}/reviews", {
        "event": "COMMENT", "body": "summary",
        "comments": [{"path": "a.py", "start_line": 1, "line": 2, "side": "RIGHT",
                      "start_side": "RIGHT", "body": "range"}]})
    assert review.status == 200
    listed = gh("GET", f"/repos/{REPO}/pulls/{pr.number}/comments").json()
    assert [(c["start_line"], c["line"]) for c in listed] == [(1, 2)]
    cid = listed[0]["id"]
    assert gh("PATCH", f"/repos/{REPO}/pulls/comments/{cid}", {"body": "edited"}).status == 200
    assert sandbox.review_comments(REPO, pr.number)[0].body == "edited"
    assert gh("POST", f"/repos/{REPO}/pulls/comments/{cid}/reactions",
              {"content": "eyes"}).status == 201
    assert gh("POST", f"/repos/{REPO}/pulls/comments/{cid}/reactions",
              {"content": "eyes"}).status == 200
    assert [r.content for r in sandbox.review_comments(REPO, pr.number)[0].reactions] == ["eyes"]
    assert gh("DELETE", f"/repos/{REPO}/pulls/comments/{cid}").status == 204
    assert sandbox.review_comments(REPO, pr.number) == []
    reviews = gh("GET", f"/repos/{REPO}/pulls/{pr.number}/reviews").json()
    assert [(r["state"], r["user"]["login"]) for r in reviews] == [("COMMENTED",
                                                                     "hephaestus[bot]")]


def test_issue_comments_labels_and_reactions(sandbox: Sandbox, gh) -> None:
    issue = sandbox.create_issue(REPO, "crash", "Traceback ...", user="alice")
    made = gh("POST", f"/repos/{REPO}/issues/{issue.number}/comments", {"body": "hi"}).json()
    assert made["user"]["login"] == "hephaestus[bot]"
    assert made["performed_via_github_app"]["slug"] == "hephaestus"
    gh("PATCH", f"/repos/{REPO}/issues/comments/{made['id']}", {"body": "hello"})
    gh("POST", f"/repos/{REPO}/issues/comments/{made['id']}/reactions", {"content": "+1"})
    gh("POST", f"/repos/{REPO}/issues/{issue.number}/labels", {"labels": ["ci: flaky"]})
    (comment,) = sandbox.issue_comments(REPO, issue.number)
    assert (comment.body, [r.content for r in comment.reactions]) == ("hello", ["+1"])
    assert sandbox.issue(REPO, issue.number).labels == ["ci: flaky"]
    assert gh("DELETE", f"/repos/{REPO}/issues/comments/{made['id']}").status == 204
    assert sandbox.issue_comments(REPO, issue.number) == []


def test_collaborator_permission(sandbox: Sandbox, gh) -> None:
    sandbox.set_permission(REPO, "bob", "maintain")
    reply = gh("GET", f"/repos/{REPO}/collaborators/bob/permission").json()
    assert (reply["permission"], reply["role_name"]) == ("write", "maintain")
    assert gh("GET", f"/repos/{REPO}/collaborators/ghost/permission").status == 404


# -- checks --------------------------------------------------------------------------------


def test_check_runs_with_annotations(sandbox: Sandbox, gh) -> None:
    sha = sandbox.ref(REPO, "main")
    note = {"path": "a.py", "start_line": 1, "end_line": 1, "annotation_level": "failure",
            "message": "bad"}
    too_many = {"name": "hephaestus", "head_sha": sha,
                "output": {"title": "t", "summary": "s", "annotations": [note] * 51}}
    assert gh("POST", f"/repos/{REPO}/check-runs", too_many).status == 422
    (violation,) = sandbox.clear_violations()  # the description itself caps the list at 50
    assert "is too long" in violation.message
    run = gh("POST", f"/repos/{REPO}/check-runs", {"name": "hephaestus", "head_sha": sha,
                                                   "status": "in_progress"}).json()
    gh("PATCH", f"/repos/{REPO}/check-runs/{run['id']}",
       {"output": {"title": "t", "summary": "s", "annotations": [note] * 50}})
    gh("PATCH", f"/repos/{REPO}/check-runs/{run['id']}",
       {"conclusion": "failure", "output": {"title": "t", "summary": "s2",
                                            "annotations": [note]}})
    gh("POST", f"/repos/{REPO}/check-runs", {"name": "other", "head_sha": sha})
    (stored,) = sandbox.check_runs(REPO, sha)[:1]
    assert (stored.status, stored.conclusion, len(stored.annotations)) == (
        "completed", "failure", 51)
    listed = gh("GET", f"/repos/{REPO}/commits/main/check-runs?check_name=hephaestus").json()
    assert [r["id"] for r in listed["check_runs"]] == [run["id"]]
    assert listed["check_runs"][0]["output"]["annotations_count"] == 51
    page = gh("GET", f"/repos/{REPO}/check-runs/{run['id']}/annotations?per_page=50&page=2")
    assert len(page.json()) == 1


# -- actions and deployments ---------------------------------------------------------------


def test_workflow_runs_jobs_logs_and_rerun(sandbox: Sandbox, gh) -> None:
    sha = sandbox.ref(REPO, "main")
    run = sandbox.add_workflow_run(REPO, sha, "failure", jobs=[
        ("lint", "ok\n", "success"), ("test", "E   AssertionError\n", "failure")])
    runs = gh("GET", f"/repos/{REPO}/actions/runs?head_sha={sha}").json()
    assert [r["id"] for r in runs["workflow_runs"]] == [run.id]
    jobs = gh("GET", f"/repos/{REPO}/actions/runs/{run.id}/jobs").json()["jobs"]
    failed = next(j for j in jobs if j["conclusion"] == "failure")
    redirect = gh("GET", f"/repos/{REPO}/actions/jobs/{failed['id']}/logs")
    assert redirect.status == 302
    assert call(sandbox.base_url, "GET", redirect.headers["location"]).body == (
        b"E   AssertionError\n")
    forged = redirect.headers["location"].replace("sig=", "sig=0")
    assert call(sandbox.base_url, "GET", forged).status == 403
    zipped = gh("GET", f"/repos/{REPO}/actions/runs/{run.id}/logs")
    archive = zipfile.ZipFile(io.BytesIO(call(sandbox.base_url, "GET",
                                              zipped.headers["location"]).body))
    assert sorted(archive.namelist()) == ["0_lint.txt", "1_test.txt"]
    assert gh("POST", f"/repos/{REPO}/actions/runs/{run.id}/rerun-failed-jobs").status == 201
    rerun = sandbox.workflow_run(REPO, run.id)
    assert (rerun.run_attempt, rerun.status) == (2, "queued")
    assert [j.status for j in rerun.jobs] == ["completed", "queued"]


def test_deployments_and_statuses(gh) -> None:
    dep = gh("POST", f"/repos/{REPO}/deployments", {"ref": "main", "environment": "staging",
                                                   "required_contexts": []})
    assert dep.status == 201
    dep_id = dep.json()["id"]
    gh("POST", f"/repos/{REPO}/deployments/{dep_id}/statuses", {"state": "in_progress"})
    gh("POST", f"/repos/{REPO}/deployments/{dep_id}/statuses", {"state": "success"})
    listed = gh("GET", f"/repos/{REPO}/deployments?environment=staging").json()
    assert [d["id"] for d in listed] == [dep_id]
    states = gh("GET", f"/repos/{REPO}/deployments/{dep_id}/statuses").json()
    assert [s["state"] for s in states] == ["success", "in_progress"]


# -- faults --------------------------------------------------------------------------------


def test_injected_errors_then_recovery_and_request_log(sandbox: Sandbox, gh) -> None:
    sandbox.inject("GET", "/repos/*/pulls/*", status=502, times=2)
    sandbox.commit(REPO, "feat", {"a.py": "x = 3\n"})
    pr = sandbox.create_pull(REPO, head="feat")
    statuses = [gh("GET", f"/repos/{REPO}/pulls/{pr.number}").status for _ in range(3)]
    assert statuses == [502, 502, 200]
    assert [r.status for r in sandbox.calls("GET", "/repos/*/pulls/*")] == [502, 502, 200]


def test_secondary_and_primary_rate_limits(sandbox: Sandbox, gh) -> None:
    sandbox.inject("POST", "*/issues/*/comments", rate_limit="secondary", retry_after=7)
    issue = sandbox.create_issue(REPO, "t")
    reply = gh("POST", f"/repos/{REPO}/issues/{issue.number}/comments", {"body": "x"})
    assert (reply.status, reply.headers["retry-after"]) == (403, "7")
    assert "secondary rate limit" in reply.json()["message"]
    assert sandbox.issue_comments(REPO, issue.number) == []

    sandbox.inject("*", "/repos/*", rate_limit="primary", status=429, reset_in=30)
    reply = gh("GET", f"/repos/{REPO}")
    assert (reply.status, reply.headers["x-ratelimit-remaining"]) == (429, "0")
    assert int(reply.headers["x-ratelimit-reset"]) >= time.time() + 25
    assert gh("GET", f"/repos/{REPO}").status == 200


def test_delay_fault(sandbox: Sandbox, gh) -> None:
    sandbox.inject("GET", f"/repos/{REPO}", delay=0.3)
    started = time.monotonic()
    assert gh("GET", f"/repos/{REPO}").status == 200
    assert time.monotonic() - started >= 0.3
