from __future__ import annotations

import asyncio
import base64
import time

import pytest
from aiohttp import web

from ghbot.github import fence
from ghbot.github.client import API_VERSION, ApiCall, RetryPolicy, WriteThrottle
from ghbot.github.errors import (
    Conflict,
    GitHubError,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
    TooLarge,
    ValidationFailed,
)


def _json(data, status=200, headers=None):
    return web.json_response(data, status=status, headers=headers)


async def test_pagination_follows_link_headers_and_sends_the_api_version(
    fake_github, session, make_client
):
    files = [{"filename": f"f{i}.py", "status": "added", "sha": "s"} for i in range(250)]

    async def pull_files(request: web.Request) -> web.Response:
        page = int(request.query.get("page", "1"))
        per = int(request.query["per_page"])
        chunk = files[(page - 1) * per : page * per]
        headers = {}
        if page * per < len(files):
            base = f"{request.scheme}://{request.host}{request.path}"
            headers["Link"] = f'<{base}?per_page={per}&page={page + 1}>; rel="next"'
        return _json(chunk, headers=headers)

    fake = await fake_github(lambda f: f.route("GET", "/repos/o/r/pulls/3/files", pull_files))
    gh = make_client(session, fake.base_url)
    got = await gh.list_pull_files("o", "r", 3)
    assert [f.filename for f in got] == [f["filename"] for f in files]
    assert len(fake.seen) == 3
    assert all(s.headers["X-GitHub-Api-Version"] == API_VERSION for s in fake.seen)
    assert all(s.headers["Authorization"] == "token tok-123" for s in fake.seen)
    # The cap bounds the walk: one page, not three.
    fake.seen.clear()
    assert len(await gh.list_pull_files("o", "r", 3, max_files=40)) == 40
    assert len(fake.seen) == 1


async def test_5xx_is_retried_until_success_and_each_response_reaches_the_hook(
    fake_github, session, make_client
):
    answers = [502, 503, 200]

    async def pull(request: web.Request) -> web.Response:
        status = answers.pop(0)
        if status != 200:
            return _json({"message": "oops"}, status=status)
        return _json(
            {"number": 5, "head": {"sha": "abc", "ref": "b"}, "user": {"login": "u"}},
            headers={"x-ratelimit-remaining": "4321"},
        )

    fake = await fake_github(lambda f: f.route("GET", "/repos/o/r/pulls/5", pull))
    calls: list[ApiCall] = []
    pr = await make_client(session, fake.base_url, calls=calls).get_pull("o", "r", 5)
    assert (pr.number, pr.head_sha, pr.author) == (5, "abc", "u")
    assert [c.status for c in calls] == [502, 503, 200]
    assert calls[-1].ratelimit_remaining == 4321


async def test_5xx_forever_ends_in_server_error_after_the_attempt_budget(
    fake_github, session, make_client
):
    async def broken(request: web.Request) -> web.Response:
        return _json({"message": "down"}, status=500)

    fake = await fake_github(lambda f: f.route("GET", "/repos/o/r", broken))
    with pytest.raises(ServerError) as info:
        await make_client(session, fake.base_url).get_repo("o", "r")
    assert info.value.status == 500
    assert len(fake.seen) == 4  # FAST policy: 4 attempts


async def test_connection_errors_are_retried_then_typed(session, make_client):
    # A port nobody listens on: grab one and close it.
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    gh = make_client(session, f"http://127.0.0.1:{port}")
    with pytest.raises(ServerError) as info:
        await gh.get_repo("o", "r")
    assert info.value.status is None


async def test_secondary_limit_retry_after_is_honoured(fake_github, session, make_client):
    stamps: list[float] = []

    async def create(request: web.Request) -> web.Response:
        stamps.append(time.monotonic())
        if len(stamps) == 1:
            return _json(
                {"message": "You have exceeded a secondary rate limit."},
                status=403,
                headers={"retry-after": "1"},
            )
        return _json({"id": 9, "body": "hi", "user": {"login": "bot[bot]"}}, status=201)

    fake = await fake_github(lambda f: f.route("POST", "/repos/o/r/issues/1/comments", create))
    comment = await make_client(session, fake.base_url).create_issue_comment("o", "r", 1, "hi")
    assert comment.id == 9
    assert stamps[1] - stamps[0] >= 0.95


async def test_rate_limit_wait_beyond_the_cap_gives_up_with_rate_limited(
    fake_github, session, make_client
):
    reset = int(time.time()) + 3600

    async def exhausted(request: web.Request) -> web.Response:
        return _json(
            {"message": "API rate limit exceeded"},
            status=403,
            headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)},
        )

    async def too_many(request: web.Request) -> web.Response:
        return _json({"message": "slow down"}, status=429, headers={"retry-after": "600"})

    fake = await fake_github(
        lambda f: (
            f.route("GET", "/repos/o/r", exhausted),
            f.route("GET", "/repos/o/r/pulls/1", too_many),
        )
    )
    gh = make_client(session, fake.base_url)
    started = time.monotonic()
    with pytest.raises(RateLimited) as info:
        await gh.get_repo("o", "r")
    assert 3500 < info.value.retry_after <= 3602
    with pytest.raises(RateLimited) as info:
        await gh.get_pull("o", "r", 1)
    assert info.value.retry_after == 600
    assert time.monotonic() - started < 2  # gave up at once rather than sleeping past the cap
    assert len(fake.seen) == 2


async def test_short_waits_add_up_to_the_cap_then_stop(fake_github, session, make_client):
    async def limited(request: web.Request) -> web.Response:
        return _json({"message": "secondary rate limit"}, status=429, headers={"retry-after": "1"})

    fake = await fake_github(lambda f: f.route("GET", "/repos/o/r", limited))
    policy = RetryPolicy(attempts=10, base_delay=0.01, max_total_wait=1.5)
    with pytest.raises(RateLimited):
        await make_client(session, fake.base_url, policy=policy).get_repo("o", "r")
    assert len(fake.seen) == 2  # one wait of 1 s fits the 1.5 s budget, a second does not


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (404, {"message": "Not Found"}, NotFound),
        (409, {"message": "Git Repository is empty."}, Conflict),
        (403, {"message": "Resource not accessible by integration"}, PermissionDenied),
        (401, {"message": "Bad credentials"}, PermissionDenied),
        (400, {"message": "Problems parsing JSON"}, GitHubError),
    ],
)
async def test_errors_are_typed(fake_github, session, make_client, status, body, error):
    async def answer(request: web.Request) -> web.Response:
        return _json(body, status=status)

    fake = await fake_github(lambda f: f.route("GET", "/repos/o/r", answer))
    with pytest.raises(error) as info:
        await make_client(session, fake.base_url).get_repo("o", "r")
    assert info.value.status == status
    assert body["message"] in str(info.value)
    assert len(fake.seen) == 1  # client errors are not retried


async def test_422_carries_githubs_error_list(fake_github, session, make_client):
    async def invalid(request: web.Request) -> web.Response:
        return _json(
            {
                "message": "Validation Failed",
                "errors": [
                    {
                        "resource": "Issue",
                        "field": "body",
                        "code": "custom",
                        "message": "body is too long (maximum is 65536 characters)",
                    },
                ],
            },
            status=422,
        )

    fake = await fake_github(lambda f: f.route("POST", "/repos/o/r/issues/2/comments", invalid))
    with pytest.raises(ValidationFailed) as info:
        await make_client(session, fake.base_url).create_issue_comment("o", "r", 2, "x")
    assert info.value.errors[0].field == "body"
    assert "too long" in info.value.errors[0].message


async def test_get_file_base64_and_raw_for_big_files(fake_github, session, make_client):
    small = b"print('hi')\n"
    big = b"x = 1\n" * 200_000  # 1.2 MB: GitHub sends no inline content

    async def contents(request: web.Request) -> web.StreamResponse:
        path, ref = request.match_info["path"], request.query.get("ref")
        assert ref == "feature/x"
        if path == "src/small.py":
            return _json(
                {
                    "type": "file",
                    "size": len(small),
                    "sha": "s1",
                    "encoding": "base64",
                    "content": base64.encodebytes(small).decode(),
                }
            )
        if request.headers["Accept"].startswith("application/vnd.github.raw"):
            return web.Response(body=big, content_type="application/vnd.github.raw")
        return _json(
            {"type": "file", "size": len(big), "sha": "s2", "encoding": "none", "content": ""}
        )

    fake = await fake_github(lambda f: f.route("GET", "/repos/o/r/contents/{path:.*}", contents))
    gh = make_client(session, fake.base_url)
    got = await gh.get_file("o", "r", "src/small.py", "feature/x")
    assert got.content == small and got.sha == "s1"
    got = await gh.get_file("o", "r", "big.py", "feature/x")
    assert got.content == big and got.size == len(big)
    with pytest.raises(TooLarge):
        await gh.get_file("o", "r", "big.py", "feature/x", max_bytes=1_000_000)


async def test_job_log_follows_the_302_without_credentials_and_caps_the_size(
    fake_github, session, make_client
):
    log = b"".join(f"line {i:06d}\n".encode() for i in range(100_000))  # 1.2 MB

    async def logs_redirect(request: web.Request) -> web.Response:
        job = request.match_info["job"]
        raise web.HTTPFound(f"/signed/{job}?sig=abc")

    async def signed(request: web.Request) -> web.StreamResponse:
        assert "Authorization" not in request.headers
        resp = web.StreamResponse(headers={"Content-Type": "text/plain"})
        await resp.prepare(request)
        for i in range(0, len(log), 50_000):
            await resp.write(log[i : i + 50_000])
        return resp

    fake = await fake_github(
        lambda f: (
            f.route("GET", "/repos/o/r/actions/jobs/{job}/logs", logs_redirect),
            f.route("GET", "/signed/{job}", signed),
        )
    )
    gh = make_client(session, fake.base_url)
    whole = await gh.download_job_log("o", "r", 11)
    assert whole.text.encode() == log and not whole.truncated
    capped = await gh.download_job_log("o", "r", 11, max_bytes=100_000)
    assert capped.truncated and capped.total_bytes == len(log)
    assert capped.text.startswith("line 000000\n")
    assert capped.text.endswith("line 099999\n")
    assert "bytes omitted" in capped.text
    assert len(capped.text) < 100_200
    assert fake.seen[0].headers["Authorization"] == "token tok-123"


async def test_write_throttle_spaces_writes_beyond_the_limit():
    now = [0.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    throttle = WriteThrottle(limit=3, period=60.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        await throttle.acquire()
    assert slept == []
    now[0] = 10.0
    await throttle.acquire()  # the 4th write waits until the 1st leaves the window
    assert slept == [50.0]


async def test_writes_go_through_the_throttle(fake_github, session, make_client):
    async def react(request: web.Request) -> web.Response:
        return _json({"id": 1, "content": "eyes"}, status=201)

    fake = await fake_github(
        lambda f: f.route("POST", "/repos/o/r/issues/comments/{id}/reactions", react)
    )
    acquired = 0

    class Counting(WriteThrottle):
        async def acquire(self, priority=None) -> None:
            nonlocal acquired
            acquired += 1

    from ghbot.github.auth import StaticToken
    from ghbot.github.client import GitHubClient

    gh = GitHubClient(session, StaticToken("t"), api_url=fake.base_url, throttle=Counting())
    await gh.add_reaction("o", "r", 77, "eyes")
    await asyncio.gather(*(gh.add_reaction("o", "r", i, "eyes") for i in range(3)))
    assert acquired == 4
    assert fake.seen[0].path == "/repos/o/r/issues/comments/77/reactions"


async def test_a_write_without_a_live_lease_is_not_sent(fake_github, session, make_client):
    async def react(request: web.Request) -> web.Response:
        return _json({"id": 1, "content": "eyes"}, status=201)

    fake = await fake_github(
        lambda f: f.route("POST", "/repos/o/r/issues/comments/{id}/reactions", react)
    )
    gh = make_client(session, fake.base_url)
    lease = [True]
    with fence.holding(lambda: lease[0]):
        await gh.add_reaction("o", "r", 1, "eyes")
        lease[0] = False  # the job's process stalled past its lease
        with pytest.raises(fence.LeaseLost):
            await gh.add_reaction("o", "r", 2, "eyes")
    await gh.add_reaction("o", "r", 3, "eyes")  # outside a job: no lease to show
    assert [s.path for s in fake.seen] == ["/repos/o/r/issues/comments/1/reactions",
                                           "/repos/o/r/issues/comments/3/reactions"]  # fmt: skip
