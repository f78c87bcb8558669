"""The sandbox's fast request check agrees with openapi-core's on what GitHub's description
allows, and costs a fraction of it."""

from __future__ import annotations

import json
import time

import pytest

from sandbox import openapi

SHA = "a" * 40


def req(method: str, path: str, query: dict[str, str] | None = None, body: object = None,
        content_type: str = "application/json") -> openapi.SpecRequest:  # fmt: skip
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    return openapi.SpecRequest(method, path, list((query or {}).items()), body=data,
                               content_type=content_type)  # fmt: skip


CASES = [  # (request, the status the sandbox answers: None when it fits)
    (req("GET", "/repos/o/r/contents/src/a.py", {"ref": SHA}), None),
    (req("GET", "/repos/o/r/git/ref/heads/feature/x"), None),
    (req("GET", "/repos/o/r/pulls/7/files", {"per_page": "100", "page": "2"}), None),
    (req("GET", "/repos/o/r/pulls/x/files"), 422),
    (req("GET", "/repos/o/r/pulls/7/files", {"per_page": "many"}), 422),
    (req("GET", "/repos/o/r/actions/workflows/ci.yml/runs", {"branch": "main"}), None),
    (req("GET", "/repos/o/r/actions/workflows/12/runs", {"status": "completed"}), None),
    (req("GET", "/repos/o/r/actions/workflows/12/runs", {"status": "sideways"}), 422),
    (req("GET", "/repos/o/r/issues", {"state": "open", "labels": "a,b"}), None),
    (req("POST", "/repos/o/r/check-runs", body={"name": "H", "head_sha": SHA}), None),
    (req("POST", "/repos/o/r/check-runs", body={"nam": "H"}), 422),
    (req("PATCH", "/repos/o/r/check-runs/5", body={"conclusion": "success"}), None),
    (req("PATCH", "/repos/o/r/check-runs/5", body={"conclusion": "great"}), 422),
    (req("POST", "/repos/o/r/pulls/1/reviews", body={"event": "COMMENT", "body": "b"}), None),
    (req("POST", "/repos/o/r/pulls/1/reviews", body={"event": "NOPE"}), 422),
    (req("POST", "/repos/o/r/issues/1/comments"), 422),  # the body is required
    (req("POST", "/repos/o/r/issues/1/comments", body={"body": 3}), 422),
    (req("POST", "/repos/o/r/git/trees", body={"tree": [{"path": "a", "mode": "100644",
                                                        "type": "blob", "sha": SHA}]}), None),
    (req("PATCH", "/repos/o/r/git/refs/heads/main", body={"sha": SHA, "force": "no"}), 422),
    (req("POST", "/repos/o/r/check-runs", body=b"{not json"), 400),
    (req("GET", "/nope"), 404),
    (req("PUT", "/repos/o/r/pulls/1"), 404),
]


@pytest.mark.parametrize(("request_", "status"), CASES, ids=[f"{c[0].method} {c[0].path}"
                                                             for c in CASES])  # fmt: skip
def test_fast_check_agrees_with_openapi_core(request_: openapi.SpecRequest, status: int | None):
    fast, reference = openapi.check_request(request_), openapi.check_request_openapi_core(request_)
    assert (fast and fast.status) == (reference and reference.status) == status, (fast, reference)


def test_fast_check_costs_a_fraction_of_openapi_core():
    requests = [case for case, _ in CASES] * 3
    for check in (openapi.check_request, openapi.check_request_openapi_core):
        check(requests[0])  # compiled and cached once
    times = []
    for check in (openapi.check_request, openapi.check_request_openapi_core):
        started = time.perf_counter()
        for r in requests:
            check(r)
        times.append(time.perf_counter() - started)
    fast, reference = times
    assert fast * 5 < reference, times
