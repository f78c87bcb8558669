"""A typed, bounded GitHub REST client on gidgethub's aiohttp `GitHubAPI`.

gidgethub builds headers, expands URL templates, decodes bodies and follows `Link` pagination;
this module adds what a bot on shared quota needs: the pinned API version, per-attempt tokens
(refreshed once on 401), bounded retries of 5xx and connection errors, waits for 403/429 rate
limits within a budget, a per-installation write throttle, typed errors, capped downloads, and a
hook that sees every response's status and remaining quota.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import aiohttp
import gidgethub.aiohttp
from gidgethub import HTTPException, sansio
from pydantic import BaseModel, ValidationError
from yarl import URL

from ghbot.github import fence
from ghbot.github.auth import TokenProvider
from ghbot.github.errors import GitHubError, ServerError, TooLarge, is_rate_limit, translate
from ghbot.github.models import (
    Annotation,
    BranchGuard,
    CheckAnnotation,
    CheckConclusion,
    CheckRun,
    CheckRunOutput,
    CheckStatus,
    CollaboratorPermission,
    CommitComment,
    CommitSummary,
    DeploymentStatus,
    DirEntry,
    FileContent,
    GitCommit,
    GitRef,
    GitSignature,
    GitTree,
    Issue,
    IssueComment,
    JobLog,
    PullComment,
    PullFile,
    PullRequest,
    ReactionContent,
    RepoDeployment,
    Repository,
    Review,
    ReviewComment,
    TreeEntry,
    WorkflowJob,
    WorkflowRun,
)
from ghbot.github.outgoing import redact_request
from ghbot.github.throttle import WriteThrottle

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
USER_AGENT = "hephaestus-bot"
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
RAW_MEDIA_TYPE = "application/vnd.github.raw+json"
# A JSON answer bigger than this is not something the bot asked for.
MAX_JSON_BYTES = 32 * 1024 * 1024
# Error bodies are read only for their message.
MAX_ERROR_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class ApiCall:
    """What the response hook sees of each HTTP response (never a token, never a body)."""

    method: str
    status: int
    ratelimit_remaining: int | None
    ratelimit_resource: str | None


ResponseHook = Callable[[ApiCall], None]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 5  # tries per request, the first included
    base_delay: float = 1.0  # first backoff for 5xx and connection errors; doubles each time
    max_delay: float = 30.0
    max_total_wait: float = 120.0  # the most one request sleeps in all before giving up
    secondary_wait: float = 60.0  # GitHub: wait at least a minute on a bare secondary limit
    timeout: float = 60.0  # per attempt

    def backoff(self, attempt: int) -> float:
        delay = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return delay * (0.5 + random.random() / 2)  # noqa: S311 - jitter, not security


def rate_limit_wait(
    headers: Mapping[str, str], attempt: int, policy: RetryPolicy, now: float
) -> float:
    """How long GitHub asks us to wait: retry-after, else until the reset of an exhausted
    primary quota, else a minute doubling per attempt (GitHub's advice for secondary limits)."""
    retry_after = headers.get("retry-after", "")
    if retry_after.strip().isdigit():
        return float(retry_after.strip())
    reset = headers.get("x-ratelimit-reset", "")
    if headers.get("x-ratelimit-remaining") == "0" and reset.strip().isdigit():
        return max(0.0, int(reset) - now) + 1.0
    return policy.secondary_wait * 2.0 ** (attempt - 1)


def _message(body: bytes) -> str:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return ""
    return str(data.get("message", "")) if isinstance(data, dict) else ""


def _path(url: str) -> str:
    """The URL without its query: signed download URLs carry credentials there."""
    return URL(url).path


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name, "")
    return int(value) if value.isdigit() else None


async def _read_capped(resp: aiohttp.ClientResponse, cap: int) -> bytes:
    body = bytearray()
    async for chunk in resp.content.iter_chunked(64 * 1024):
        body += chunk
        if len(body) > cap:
            raise TooLarge(
                f"response larger than {cap} bytes", status=resp.status, method=resp.method
            )
    return bytes(body)


async def _read_head_tail(
    resp: aiohttp.ClientResponse, max_bytes: int, read_limit: int
) -> tuple[bytes, bool, int]:
    """Keep the first quarter and the last three quarters of `max_bytes` (a log's cause is
    usually near its end), reading at most `read_limit` bytes."""
    head_cap = max_bytes // 4
    tail_cap = max_bytes - head_cap
    head, tail = bytearray(), bytearray()
    total = 0
    async for chunk in resp.content.iter_chunked(64 * 1024):
        total += len(chunk)
        room = head_cap - len(head)
        if room > 0:
            head += chunk[:room]
            chunk = chunk[room:]
        tail += chunk
        if len(tail) > 2 * tail_cap:  # trim in amortised steps, not on every chunk
            del tail[: len(tail) - tail_cap]
        if total >= read_limit:
            break
    truncated = total > max_bytes or total >= read_limit
    if len(tail) > tail_cap:
        del tail[: len(tail) - tail_cap]
    if not truncated:
        return bytes(head + tail), False, total
    omitted = total - len(head) - len(tail)
    marker = f"\n[... {omitted} bytes omitted by hephaestus ...]\n".encode()
    return bytes(head) + marker + bytes(tail), True, total


class _Transport(gidgethub.aiohttp.GitHubAPI):
    """gidgethub with our request loop under it and typed errors over it."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        base_url: str,
        tokens: TokenProvider | None,
        policy: RetryPolicy,
        throttle: WriteThrottle | None,
        on_response: ResponseHook | None,
        sleep: Sleep,
        clock: Callable[[], float],
    ) -> None:
        super().__init__(session, USER_AGENT, base_url=base_url)
        self.tokens = tokens
        self.policy = policy
        self.throttle = throttle
        self.on_response = on_response
        self.clock = clock
        self._sleep_fn = sleep

    async def sleep(self, seconds: float) -> None:
        await self._sleep_fn(seconds)

    async def _request(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes = b""
    ) -> tuple[int, Mapping[str, str], bytes]:
        return await self.send(method, url, headers, body)

    async def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes = b"",
        *,
        allow_redirects: bool = True,
        authenticate: bool = True,
        reader: Callable[[aiohttp.ClientResponse], Awaitable[Any]] | None = None,
    ) -> tuple[int, Mapping[str, str], Any]:
        """One logical request: retried within the policy, the last response returned.

        `reader` consumes a successful body (the default reads at most MAX_JSON_BYTES).
        """
        policy = self.policy
        request_headers = {k.lower(): v for k, v in headers.items()}
        request_headers.setdefault("x-github-api-version", API_VERSION)
        # Our token goes on unless the caller authenticated (the App JWT) or asked for none.
        tokens = self.tokens if authenticate and "authorization" not in request_headers else None
        refreshed = False
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            if tokens is not None:
                request_headers["authorization"] = f"token {await tokens.token()}"
            if method in WRITE_METHODS:
                if self.throttle is not None:
                    await self.throttle.acquire()
                fence.check()  # after the wait for a slot, right before the request
            try:
                async with self._session.request(
                    method,
                    url,
                    headers=request_headers,
                    data=body or None,
                    allow_redirects=allow_redirects,
                    timeout=aiohttp.ClientTimeout(total=policy.timeout),
                ) as resp:
                    status, resp_headers = resp.status, resp.headers
                    if status < 300 and reader is not None:
                        payload: Any = await reader(resp)
                    else:
                        cap = MAX_JSON_BYTES if status < 400 else MAX_ERROR_BYTES
                        payload = await _read_capped(resp, cap)
            except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError, TimeoutError) as exc:
                delay = policy.backoff(attempt)
                if attempt >= policy.attempts or waited + delay > policy.max_total_wait:
                    raise ServerError(
                        f"no response after {attempt} attempts: {type(exc).__name__}",
                        status=None,
                        method=method,
                        url=_path(url),
                    ) from exc
                log.warning(
                    "GitHub %s %s: %s; retry in %.1f s",
                    method,
                    _path(url),
                    type(exc).__name__,
                    delay,
                )
                await self.sleep(delay)
                waited += delay
                continue
            if self.on_response is not None:
                self.on_response(
                    ApiCall(
                        method=method,
                        status=status,
                        ratelimit_remaining=_int_header(resp_headers, "x-ratelimit-remaining"),
                        ratelimit_resource=resp_headers.get("x-ratelimit-resource"),
                    )
                )
            if status == 401 and tokens is not None and tokens.refreshable and not refreshed:
                # A token revoked or expired early: mint a fresh one, once.
                tokens.invalidate()
                refreshed = True
                continue
            retry_in = self._retry_delay(status, resp_headers, payload, attempt)
            if (
                retry_in is None
                or attempt >= policy.attempts
                or waited + retry_in > policy.max_total_wait
            ):
                return status, resp_headers, payload
            log.warning("GitHub %s %s: %s; retry in %.1f s", method, _path(url), status, retry_in)
            await self.sleep(retry_in)
            waited += retry_in

    def _retry_delay(
        self, status: int, headers: Mapping[str, str], body: Any, attempt: int
    ) -> float | None:
        if status >= 500:
            return self.policy.backoff(attempt)
        if status in (403, 429) and isinstance(body, bytes):
            if is_rate_limit(status, headers, _message(body)):
                return rate_limit_wait(headers, attempt, self.policy, self.clock())
        return None

    async def handle_rate_limit_error(
        self, *, method: str, url: str, exception: HTTPException, attempt: int
    ) -> bool:
        # `send` already retried what deserved it; what reaches here is final.
        wait = None
        if int(exception.status_code) in (403, 429):
            wait = rate_limit_wait(exception.headers, 1, self.policy, self.clock())
        raise translate(exception, method=method, url=url, retry_after=wait) from exception


class GitHubClient:
    """Typed calls for one identity (an installation, an Action token, or the App itself)."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        tokens: TokenProvider | None,
        *,
        api_url: str = DEFAULT_API_URL,
        policy: RetryPolicy | None = None,
        throttle: WriteThrottle | None = None,
        on_response: ResponseHook | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self._gh = _Transport(
            session,
            base_url=self.api_url,
            tokens=tokens,
            policy=policy or RetryPolicy(),
            throttle=throttle,
            on_response=on_response,
            sleep=sleep,
            clock=clock,
        )

    # -- generic calls, for endpoints without a typed method yet -------------------------------

    async def call(
        self,
        method: str,
        url: str,
        url_vars: Mapping[str, Any] | None = None,
        *,
        data: Any = b"",
        accept: str = sansio.accept_format(),
        jwt: str | None = None,
    ) -> Any:
        """One request; returns the decoded JSON (None for 204). Raises a GitHubError."""
        gh, url_vars = self._gh, url_vars or {}
        if method == "GET":
            return await gh.getitem(url, url_vars, accept=accept, jwt=jwt)
        data = redact_request(data)  # every write's text, whoever built it (github/outgoing.py)
        if method == "DELETE":
            return await gh.delete(url, url_vars, data=data, accept=accept, jwt=jwt)
        if method == "POST":
            return await gh.post(url, url_vars, data=data, accept=accept, jwt=jwt)
        if method == "PATCH":
            return await gh.patch(url, url_vars, data=data, accept=accept, jwt=jwt)
        return await gh.put(url, url_vars, data=data, accept=accept, jwt=jwt)

    async def paginate(
        self,
        url: str,
        url_vars: Mapping[str, Any] | None = None,
        *,
        max_items: int = 1000,
        iterable_key: str | None = "items",
    ) -> AsyncIterator[Any]:
        """Items across `Link: rel=next` pages, stopping after `max_items`."""
        count = 0
        pages = self._gh.getiter(url, url_vars or {}, iterable_key=iterable_key)
        async with aclosing(pages):
            async for item in pages:
                yield item
                count += 1
                if count >= max_items:
                    return

    async def _list(
        self, url: str, url_vars: Mapping[str, Any], key: str | None, cap: int
    ) -> list[Any]:
        return [
            item async for item in self.paginate(url, url_vars, max_items=cap, iterable_key=key)
        ]

    # -- repositories and files ----------------------------------------------------------------

    async def get_repo(self, owner: str, repo: str) -> Repository:
        data = await self.call("GET", "/repos/{owner}/{repo}", {"owner": owner, "repo": repo})
        return Repository.from_api(data)

    async def get_file(
        self, owner: str, repo: str, path: str, ref: str, *, max_bytes: int = 10 * 1024 * 1024
    ) -> FileContent:
        """A file's bytes at `ref`. Raises NotFound, or TooLarge past `max_bytes`.

        The JSON form carries base64 content only up to 1 MB; bigger files come back with an
        empty `content`, so those are fetched again with the raw media type, streamed and capped.
        """
        url_vars = {"owner": owner, "repo": repo, "path": path, "ref": ref}
        template = "/repos/{owner}/{repo}/contents/{+path}{?ref}"
        data = await self.call("GET", template, url_vars)
        if not isinstance(data, Mapping) or data.get("type") != "file":
            raise GitHubError(f"{path} is not a file", status=200, method="GET", url=path)
        size = int(data.get("size") or 0)
        if size > max_bytes:
            raise TooLarge(
                f"{path} is {size} bytes, over the {max_bytes}-byte cap",
                status=200,
                method="GET",
                url=path,
            )
        if data.get("encoding") == "base64" and (data.get("content") or size == 0):
            content = base64.b64decode(str(data.get("content", "")))
        else:
            url = sansio.format_url(template, url_vars, base_url=self.api_url)
            content = await self._fetch_raw(url, max_bytes)
        return FileContent(path=path, sha=str(data.get("sha", "")), size=size, content=content)

    async def list_directory(
        self, owner: str, repo: str, path: str, ref: str, *, max_items: int = 1000
    ) -> list[DirEntry] | None:
        """The entries directly under `path` at `ref`; None when `path` is not a directory.
        Raises NotFound when it does not exist."""
        data = await self.call(
            "GET",
            "/repos/{owner}/{repo}/contents/{+path}{?ref}",
            {"owner": owner, "repo": repo, "path": path, "ref": ref},
        )
        if not isinstance(data, list):
            return None
        return [DirEntry.from_api(item) for item in data[:max_items] if isinstance(item, Mapping)]

    async def get_blob(self, owner: str, repo: str, sha: str) -> bytes:
        url_vars = {"owner": owner, "repo": repo, "sha": sha}
        data = await self.call("GET", "/repos/{owner}/{repo}/git/blobs/{sha}", url_vars)
        return base64.b64decode(str(data.get("content", "")))

    async def put_file(
        self,
        owner: str,
        repo: str,
        path: str,
        content: bytes,
        *,
        branch: str,
        message: str,
        sha: str | None,
    ) -> GitCommit:
        """Create or replace one file on `branch` as one commit: one write, where the Git Data
        API takes four. `sha`: the blob being replaced (None: the file is new); GitHub answers
        409 (Conflict) when the file is no longer that blob, 422 when a new file exists."""
        body: dict[str, Any] = {
            "message": message,
            "content": base64.b64encode(content).decode(),
            "branch": branch,
        }
        if sha is not None:
            body["sha"] = sha
        url_vars = {"owner": owner, "repo": repo, "path": path}
        data = await self.call("PUT", "/repos/{owner}/{repo}/contents/{+path}", url_vars, data=body)
        return GitCommit.from_api(data.get("commit") or {})

    async def _fetch_raw(self, url: str, max_bytes: int) -> bytes:
        headers = sansio.create_headers(USER_AGENT, accept=RAW_MEDIA_TYPE)

        async def reader(resp: aiohttp.ClientResponse) -> bytes:
            return await _read_capped(resp, max_bytes)

        status, resp_headers, body = await self._gh.send("GET", url, headers, reader=reader)
        self._raise_for(status, resp_headers, body, "GET", url)
        return body if isinstance(body, bytes) else b""

    def _raise_for(
        self, status: int, headers: Mapping[str, str], body: Any, method: str, url: str
    ) -> None:
        if status < 300:
            return
        try:
            sansio.decipher_response(status, headers, body if isinstance(body, bytes) else b"")
        except HTTPException as exc:
            wait = rate_limit_wait(headers, 1, self._gh.policy, self._gh.clock())
            raise translate(exc, method=method, url=url, retry_after=wait) from exc
        raise GitHubError("unexpected redirect", status=status, method=method, url=url)

    # -- pull requests -------------------------------------------------------------------------

    async def get_pull(self, owner: str, repo: str, number: int) -> PullRequest:
        data = await self.call(
            "GET",
            "/repos/{owner}/{repo}/pulls/{number}",
            {"owner": owner, "repo": repo, "number": number},
        )
        return PullRequest.from_api(data)

    async def list_pull_files(
        self, owner: str, repo: str, number: int, *, max_files: int = 3000
    ) -> list[PullFile]:
        """GitHub lists at most 3000 files of a pull request."""
        items = await self._list(
            "/repos/{owner}/{repo}/pulls/{number}/files?per_page=100",
            {"owner": owner, "repo": repo, "number": number},
            None,
            max_files,
        )
        return [PullFile.from_api(item) for item in items]

    async def create_review(
        self,
        owner: str,
        repo: str,
        number: int,
        *,
        commit_id: str,
        body: str,
        event: str = "COMMENT",
        comments: list[ReviewComment] | tuple[ReviewComment, ...] = (),
    ) -> Review:
        data: dict[str, Any] = {"commit_id": commit_id, "body": body, "event": event}
        if comments:
            data["comments"] = [c.to_api() for c in comments]
        result = await self.call(
            "POST",
            "/repos/{owner}/{repo}/pulls/{number}/reviews",
            {"owner": owner, "repo": repo, "number": number},
            data=data,
        )
        return Review.from_api(result)

    # -- check runs ----------------------------------------------------------------------------

    async def list_review_comments(
        self, owner: str, repo: str, number: int, *, max_items: int = 3000
    ) -> list[PullComment]:
        items = await self._list(
            "/repos/{owner}/{repo}/pulls/{number}/comments?per_page=100",
            {"owner": owner, "repo": repo, "number": number},
            None,
            max_items,
        )
        return [PullComment.from_api(item) for item in items]

    async def update_review_comment(
        self, owner: str, repo: str, comment_id: int, body: str
    ) -> None:
        await self.call(
            "PATCH",
            "/repos/{owner}/{repo}/pulls/comments/{id}",
            {"owner": owner, "repo": repo, "id": comment_id},
            data={"body": body},
        )

    async def list_reviews(
        self, owner: str, repo: str, number: int, *, max_items: int = 1000
    ) -> list[Review]:
        items = await self._list(
            "/repos/{owner}/{repo}/pulls/{number}/reviews?per_page=100",
            {"owner": owner, "repo": repo, "number": number},
            None,
            max_items,
        )
        return [Review.from_api(item) for item in items]

    async def write_check_run(
        self, owner: str, repo: str, check_run_id: int | None, fields: Mapping[str, object]
    ) -> CheckRun:
        """Create (`check_run_id` None) or update a check run with the API's own fields, as
        `ghbot.github.checks` composes them (output, annotations, actions)."""
        url_vars: dict[str, object] = {"owner": owner, "repo": repo}
        if check_run_id is None:
            result = await self.call("POST", "/repos/{owner}/{repo}/check-runs", url_vars,
                                     data=fields)  # fmt: skip
        else:
            url_vars["id"] = check_run_id
            result = await self.call("PATCH", "/repos/{owner}/{repo}/check-runs/{id}", url_vars,
                                     data=fields)  # fmt: skip
        return CheckRun.from_api(result)

    async def list_check_runs(
        self,
        owner: str,
        repo: str,
        ref: str,
        *,
        check_name: str | None = None,
        max_items: int = 300,
    ) -> list[CheckRun]:
        url = "/repos/{owner}/{repo}/commits/{ref}/check-runs{?check_name,per_page}"
        url_vars = {"owner": owner, "repo": repo, "ref": ref, "per_page": 100}
        if check_name is not None:
            url_vars["check_name"] = check_name
        items = await self._list(url, url_vars, "check_runs", max_items)
        return [CheckRun.from_api(item) for item in items]

    async def create_check_run(
        self,
        owner: str,
        repo: str,
        *,
        name: str,
        head_sha: str,
        status: CheckStatus,
        external_id: str = "",
        conclusion: CheckConclusion | None = None,
        title: str = "",
        summary: str = "",
        text: str = "",
        annotations: list[Annotation] | tuple[Annotation, ...] = (),
    ) -> CheckRun:
        data: dict[str, Any] = {"name": name, "head_sha": head_sha, "status": status}
        if external_id:
            data["external_id"] = external_id
        data.update(_check_fields(conclusion, title, summary, text, annotations))
        result = await self.call(
            "POST", "/repos/{owner}/{repo}/check-runs", {"owner": owner, "repo": repo}, data=data
        )
        return CheckRun.from_api(result)

    async def update_check_run(
        self,
        owner: str,
        repo: str,
        check_run_id: int,
        *,
        status: CheckStatus | None = None,
        conclusion: CheckConclusion | None = None,
        title: str = "",
        summary: str = "",
        text: str = "",
        annotations: list[Annotation] | tuple[Annotation, ...] = (),
    ) -> CheckRun:
        data: dict[str, Any] = {}
        if status is not None:
            data["status"] = status
        data.update(_check_fields(conclusion, title, summary, text, annotations))
        result = await self.call(
            "PATCH",
            "/repos/{owner}/{repo}/check-runs/{id}",
            {"owner": owner, "repo": repo, "id": check_run_id},
            data=data,
        )
        return CheckRun.from_api(result)

    # -- issues (the dashboard issue) ----------------------------------------------------------

    async def list_issues(
        self,
        owner: str,
        repo: str,
        *,
        creator: str | None = None,
        state: str = "open",
        max_items: int = 300,
    ) -> list[Issue]:
        """Issues and pull requests (`Issue.is_pull`), newest first."""
        url_vars: dict[str, Any] = {"owner": owner, "repo": repo, "state": state, "per_page": 100}
        if creator is not None:
            url_vars["creator"] = creator
        items = await self._list(
            "/repos/{owner}/{repo}/issues{?creator,state,per_page}", url_vars, None, max_items
        )
        return [Issue.from_api(item) for item in items]

    async def get_issue(self, owner: str, repo: str, number: int) -> Issue:
        data = await self.call(
            "GET",
            "/repos/{owner}/{repo}/issues/{number}",
            {"owner": owner, "repo": repo, "number": number},
        )
        return Issue.from_api(data)

    async def create_issue(self, owner: str, repo: str, title: str, body: str) -> Issue:
        data = await self.call(
            "POST",
            "/repos/{owner}/{repo}/issues",
            {"owner": owner, "repo": repo},
            data={"title": title, "body": body},
        )
        return Issue.from_api(data)

    async def update_issue(
        self,
        owner: str,
        repo: str,
        number: int,
        *,
        body: str | None = None,
        state: str | None = None,
        state_reason: str | None = None,
    ) -> Issue:
        data = {
            k: v
            for k, v in (("body", body), ("state", state), ("state_reason", state_reason))
            if v is not None
        }
        result = await self.call(
            "PATCH",
            "/repos/{owner}/{repo}/issues/{number}",
            {"owner": owner, "repo": repo, "number": number},
            data=data,
        )
        return Issue.from_api(result)

    # -- issue comments and reactions ----------------------------------------------------------

    async def list_issue_comments(
        self, owner: str, repo: str, number: int, *, max_items: int = 1000
    ) -> list[IssueComment]:
        items = await self._list(
            "/repos/{owner}/{repo}/issues/{number}/comments?per_page=100",
            {"owner": owner, "repo": repo, "number": number},
            None,
            max_items,
        )
        return [IssueComment.from_api(item) for item in items]

    async def create_issue_comment(
        self, owner: str, repo: str, number: int, body: str
    ) -> IssueComment:
        result = await self.call(
            "POST",
            "/repos/{owner}/{repo}/issues/{number}/comments",
            {"owner": owner, "repo": repo, "number": number},
            data={"body": body},
        )
        return IssueComment.from_api(result)

    async def update_issue_comment(
        self, owner: str, repo: str, comment_id: int, body: str
    ) -> IssueComment:
        result = await self.call(
            "PATCH",
            "/repos/{owner}/{repo}/issues/comments/{id}",
            {"owner": owner, "repo": repo, "id": comment_id},
            data={"body": body},
        )
        return IssueComment.from_api(result)

    async def add_reaction(
        self,
        owner: str,
        repo: str,
        comment_id: int,
        content: ReactionContent,
        *,
        review_comment: bool = False,
    ) -> None:
        """React to an issue comment, or to a pull-request review comment."""
        kind = "pulls/comments" if review_comment else "issues/comments"
        await self.call(
            "POST",
            f"/repos/{{owner}}/{{repo}}/{kind}/{{id}}/reactions",
            {"owner": owner, "repo": repo, "id": comment_id},
            data={"content": content},
        )

    async def get_collaborator_permission(
        self, owner: str, repo: str, username: str
    ) -> CollaboratorPermission:
        data = await self.call(
            "GET",
            "/repos/{owner}/{repo}/collaborators/{username}/permission",
            {"owner": owner, "repo": repo, "username": username},
        )
        return CollaboratorPermission.from_api(data)

    async def get_branch_guard(self, owner: str, repo: str, branch: str) -> BranchGuard:
        """Whether `branch` is protected, and the ruleset rules that apply to it."""
        url_vars = {"owner": owner, "repo": repo, "branch": branch}
        data = await self.call("GET", "/repos/{owner}/{repo}/branches/{branch}", url_vars)
        rules = await self._list("/repos/{owner}/{repo}/rules/branches/{branch}", url_vars,
                                 None, 100)  # fmt: skip
        types = (str(r.get("type") or "") for r in rules if isinstance(r, dict))
        return BranchGuard(bool(data.get("protected")), tuple(sorted(set(types))))

    # -- Actions -------------------------------------------------------------------------------

    async def list_run_jobs(
        self, owner: str, repo: str, run_id: int, *, max_items: int = 500
    ) -> list[WorkflowJob]:
        items = await self._list(
            "/repos/{owner}/{repo}/actions/runs/{run_id}/jobs?filter=latest&per_page=100",
            {"owner": owner, "repo": repo, "run_id": run_id},
            "jobs",
            max_items,
        )
        return [WorkflowJob.from_api(item) for item in items]

    async def download_job_log(
        self,
        owner: str,
        repo: str,
        job_id: int,
        *,
        max_bytes: int = 8 * 1024 * 1024,
        read_limit: int = 256 * 1024 * 1024,
    ) -> JobLog:
        """The job's plain-text log. GitHub answers 302 to a short-lived signed URL on another
        host; that URL gets no Authorization header. Keeps head and tail within `max_bytes`."""
        url = sansio.format_url(
            "/repos/{owner}/{repo}/actions/jobs/{job_id}/logs",
            {"owner": owner, "repo": repo, "job_id": job_id},
            base_url=self.api_url,
        )
        headers = sansio.create_headers(USER_AGENT, accept=sansio.accept_format())
        status, resp_headers, body = await self._gh.send("GET", url, headers, allow_redirects=False)
        if status in (301, 302, 303, 307, 308) and "location" in resp_headers:
            target = URL(url).join(URL(resp_headers["location"]))

            async def reader(resp: aiohttp.ClientResponse) -> tuple[bytes, bool, int]:
                return await _read_head_tail(resp, max_bytes, read_limit)

            status, resp_headers, body = await self._gh.send(
                "GET", str(target), {"user-agent": USER_AGENT}, authenticate=False, reader=reader
            )
            self._raise_for(status, resp_headers, body, "GET", str(target.with_query(None)))
            text, truncated, total = body
            return JobLog(text.decode("utf-8", errors="replace"), truncated, total)
        self._raise_for(status, resp_headers, body, "GET", url)
        # Some servers answer the log directly; it was read under the JSON cap.
        raw = body if isinstance(body, bytes) else b""
        return JobLog(raw.decode("utf-8", errors="replace"), False, len(raw))

    # -- failure reports: runs, run logs, external check suites, commit comments, labels -------

    async def get_workflow_run(self, owner: str, repo: str, run_id: int) -> WorkflowRun:
        data = await self.call(
            "GET",
            "/repos/{owner}/{repo}/actions/runs/{run_id}",
            {"owner": owner, "repo": repo, "run_id": run_id},
        )
        return WorkflowRun.from_api(data)

    async def list_workflow_runs(
        self,
        owner: str,
        repo: str,
        *,
        branch: str | None = None,
        head_sha: str | None = None,
        check_suite_id: int | None = None,
        status: str | None = None,
        max_items: int = 100,
    ) -> list[WorkflowRun]:
        """Newest first, as GitHub lists them; `status` also takes a conclusion (`success`)."""
        url_vars: dict[str, Any] = {"owner": owner, "repo": repo, "per_page": 100}
        for key, value in (("branch", branch), ("head_sha", head_sha),
                           ("check_suite_id", check_suite_id), ("status", status)):  # fmt: skip
            if value is not None:
                url_vars[key] = value
        items = await self._list(
            "/repos/{owner}/{repo}/actions/runs{?branch,head_sha,check_suite_id,status,per_page}",
            url_vars,
            "workflow_runs",
            max_items,
        )
        return [WorkflowRun.from_api(item) for item in items]

    # -- deployments ---------------------------------------------------------------------------

    async def list_deployments(
        self, owner: str, repo: str, *, environment: str | None = None, max_items: int = 100
    ) -> list[RepoDeployment]:
        """Newest first, as GitHub lists them: at most `max_items`, in pages of up to 100."""
        url_vars: dict[str, Any] = {"owner": owner, "repo": repo,
                                    "per_page": max(1, min(100, max_items))}  # fmt: skip
        if environment is not None:
            url_vars["environment"] = environment
        items = await self._list(
            "/repos/{owner}/{repo}/deployments{?environment,per_page}", url_vars, None, max_items
        )
        return _valid(RepoDeployment, items)

    async def list_deployment_statuses(
        self, owner: str, repo: str, deployment_id: int, *, max_items: int = 10
    ) -> list[DeploymentStatus]:
        """The deployment's statuses, newest first: at most `max_items`."""
        items = await self._list(
            "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses{?per_page}",
            {"owner": owner, "repo": repo, "deployment_id": deployment_id,
             "per_page": max(1, min(100, max_items))},
            None,
            max_items,
        )  # fmt: skip
        return _valid(DeploymentStatus, items)

    async def download_run_logs(
        self, owner: str, repo: str, run_id: int, *, max_bytes: int = 64 * 1024 * 1024
    ) -> bytes:
        """The run-logs zip (302 to a signed URL, fetched without our token); TooLarge past
        `max_bytes`, since a zip cannot be cut in the middle."""
        url = sansio.format_url(
            "/repos/{owner}/{repo}/actions/runs/{run_id}/logs",
            {"owner": owner, "repo": repo, "run_id": run_id},
            base_url=self.api_url,
        )
        headers = sansio.create_headers(USER_AGENT, accept=sansio.accept_format())
        status, resp_headers, body = await self._gh.send("GET", url, headers, allow_redirects=False)
        if status not in (301, 302, 303, 307, 308) or "location" not in resp_headers:
            self._raise_for(status, resp_headers, body, "GET", url)
            return body if isinstance(body, bytes) else b""
        target = URL(url).join(URL(resp_headers["location"]))

        async def reader(resp: aiohttp.ClientResponse) -> bytes:
            return await _read_capped(resp, max_bytes)

        status, resp_headers, body = await self._gh.send(
            "GET", str(target), {"user-agent": USER_AGENT}, authenticate=False, reader=reader
        )
        self._raise_for(status, resp_headers, body, "GET", str(target.with_query(None)))
        return body if isinstance(body, bytes) else b""

    async def rerun_failed_jobs(self, owner: str, repo: str, run_id: int) -> None:
        await self.call(
            "POST",
            "/repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs",
            {"owner": owner, "repo": repo, "run_id": run_id},
            data={},
        )

    async def list_pulls_for_commit(self, owner: str, repo: str, sha: str) -> list[PullRequest]:
        items = await self._list(
            "/repos/{owner}/{repo}/commits/{sha}/pulls?per_page=100",
            {"owner": owner, "repo": repo, "sha": sha},
            None,
            100,
        )
        return [PullRequest.from_api(item) for item in items]

    async def list_pulls(
        self, owner: str, repo: str, *, head: str | None = None, state: str = "open"
    ) -> list[PullRequest]:
        """`head` is `owner:branch`, as GitHub filters it."""
        url_vars: dict[str, Any] = {"owner": owner, "repo": repo, "state": state, "per_page": 100}
        if head is not None:
            url_vars["head"] = head
        items = await self._list(
            "/repos/{owner}/{repo}/pulls{?head,state,per_page}", url_vars, None, 100
        )
        return [PullRequest.from_api(item) for item in items]

    async def list_check_suite_runs(
        self, owner: str, repo: str, check_suite_id: int, *, max_items: int = 100
    ) -> list[CheckRunOutput]:
        items = await self._list(
            "/repos/{owner}/{repo}/check-suites/{id}/check-runs?per_page=100",
            {"owner": owner, "repo": repo, "id": check_suite_id},
            "check_runs",
            max_items,
        )
        return [CheckRunOutput.from_api(item) for item in items]

    async def list_check_run_annotations(
        self, owner: str, repo: str, check_run_id: int, *, max_items: int = 200
    ) -> list[CheckAnnotation]:
        items = await self._list(
            "/repos/{owner}/{repo}/check-runs/{id}/annotations?per_page=100",
            {"owner": owner, "repo": repo, "id": check_run_id},
            None,
            max_items,
        )
        return [CheckAnnotation.from_api(item) for item in items]

    async def list_commit_comments(
        self, owner: str, repo: str, sha: str, *, max_items: int = 300
    ) -> list[CommitComment]:
        items = await self._list(
            "/repos/{owner}/{repo}/commits/{sha}/comments?per_page=100",
            {"owner": owner, "repo": repo, "sha": sha},
            None,
            max_items,
        )
        return [CommitComment.from_api(item) for item in items]

    async def create_commit_comment(
        self, owner: str, repo: str, sha: str, body: str
    ) -> CommitComment:
        result = await self.call(
            "POST",
            "/repos/{owner}/{repo}/commits/{sha}/comments",
            {"owner": owner, "repo": repo, "sha": sha},
            data={"body": body},
        )
        return CommitComment.from_api(result)

    async def delete_commit_comment(self, owner: str, repo: str, comment_id: int) -> None:
        await self.call(
            "DELETE",
            "/repos/{owner}/{repo}/comments/{id}",
            {"owner": owner, "repo": repo, "id": comment_id},
        )

    async def update_commit_comment(
        self, owner: str, repo: str, comment_id: int, body: str
    ) -> CommitComment:
        result = await self.call(
            "PATCH",
            "/repos/{owner}/{repo}/comments/{id}",
            {"owner": owner, "repo": repo, "id": comment_id},
            data={"body": body},
        )
        return CommitComment.from_api(result)

    async def add_labels(self, owner: str, repo: str, number: int, labels: list[str]) -> None:
        """GitHub creates a label that does not exist yet (needs `issues: write`)."""
        await self.call(
            "POST",
            "/repos/{owner}/{repo}/issues/{number}/labels",
            {"owner": owner, "repo": repo, "number": number},
            data={"labels": labels},
        )

    # -- git data ------------------------------------------------------------------------------

    async def create_blob(self, owner: str, repo: str, content: bytes) -> str:
        result = await self.call(
            "POST",
            "/repos/{owner}/{repo}/git/blobs",
            {"owner": owner, "repo": repo},
            data={"content": base64.b64encode(content).decode(), "encoding": "base64"},
        )
        return str(result["sha"])

    async def get_tree(
        self, owner: str, repo: str, sha: str, *, recursive: bool = False
    ) -> GitTree:
        url = "/repos/{owner}/{repo}/git/trees/{sha}" + ("?recursive=1" if recursive else "")
        data = await self.call("GET", url, {"owner": owner, "repo": repo, "sha": sha})
        return GitTree.from_api(data)

    async def create_tree(
        self, owner: str, repo: str, entries: list[TreeEntry], *, base_tree: str | None = None
    ) -> GitTree:
        data: dict[str, Any] = {"tree": [e.to_api() for e in entries]}
        if base_tree is not None:
            data["base_tree"] = base_tree
        result = await self.call(
            "POST", "/repos/{owner}/{repo}/git/trees", {"owner": owner, "repo": repo}, data=data
        )
        return GitTree.from_api(result)

    async def get_commit(self, owner: str, repo: str, sha: str) -> GitCommit:
        data = await self.call(
            "GET",
            "/repos/{owner}/{repo}/git/commits/{sha}",
            {"owner": owner, "repo": repo, "sha": sha},
        )
        return GitCommit.from_api(data)

    async def create_commit(
        self,
        owner: str,
        repo: str,
        *,
        message: str,
        tree: str,
        parents: list[str],
        signature: GitSignature | None = None,
    ) -> GitCommit:
        """`signature`: author and committer of the commit (None: GitHub uses the caller, now)."""
        data: dict[str, Any] = {"message": message, "tree": tree, "parents": parents}
        if signature is not None:
            data["author"] = data["committer"] = signature.to_api()
        result = await self.call(
            "POST", "/repos/{owner}/{repo}/git/commits", {"owner": owner, "repo": repo}, data=data
        )
        return GitCommit.from_api(result)

    async def get_ref(self, owner: str, repo: str, ref: str) -> GitRef:
        """`ref` without the `refs/` prefix, e.g. `heads/main`."""
        data = await self.call(
            "GET",
            "/repos/{owner}/{repo}/git/ref/{+ref}",
            {"owner": owner, "repo": repo, "ref": ref},
        )
        return GitRef.from_api(data)

    async def update_ref(
        self, owner: str, repo: str, ref: str, sha: str, *, force: bool = False
    ) -> GitRef:
        """Fast-forward `heads/B` to `sha`; a concurrent push makes it fail with 422."""
        data = await self.call(
            "PATCH",
            "/repos/{owner}/{repo}/git/refs/{+ref}",
            {"owner": owner, "repo": repo, "ref": ref},
            data={"sha": sha, "force": force},
        )
        return GitRef.from_api(data)

    async def create_ref(self, owner: str, repo: str, ref: str, sha: str) -> GitRef:
        """`ref` in full, e.g. `refs/heads/hephaestus/fixes`."""
        data = await self.call(
            "POST",
            "/repos/{owner}/{repo}/git/refs",
            {"owner": owner, "repo": repo},
            data={"ref": ref, "sha": sha},
        )
        return GitRef.from_api(data)

    # -- fix delivery: pull requests of the bot's own branch, and what a push changed ---------

    async def create_pull(
        self, owner: str, repo: str, *, head: str, base: str, title: str, body: str
    ) -> PullRequest:
        data = {"head": head, "base": base, "title": title, "body": body,
                "maintainer_can_modify": False}  # fmt: skip
        result = await self.call(
            "POST", "/repos/{owner}/{repo}/pulls", {"owner": owner, "repo": repo}, data=data
        )
        return PullRequest.from_api(result)

    async def update_pull(
        self,
        owner: str,
        repo: str,
        number: int,
        *,
        title: str | None = None,
        body: str | None = None,
        state: Literal["open", "closed"] | None = None,
    ) -> PullRequest:
        data = {k: v for k, v in (("title", title), ("body", body), ("state", state)) if v}
        result = await self.call(
            "PATCH",
            "/repos/{owner}/{repo}/pulls/{number}",
            {"owner": owner, "repo": repo, "number": number},
            data=data,
        )
        return PullRequest.from_api(result)

    async def resolve_commit(self, owner: str, repo: str, ref: str) -> str:
        """The sha of the commit `ref` (a sha prefix, branch or tag) names."""
        data = await self.call(
            "GET", "/repos/{owner}/{repo}/commits/{ref}", {"owner": owner, "repo": repo, "ref": ref}
        )
        return str(data.get("sha") or "")

    async def compare_commits(
        self, owner: str, repo: str, base: str, head: str
    ) -> list[CommitSummary]:
        """The commits in `head` since `base` (three-dot; oldest first, at most 250)."""
        data = await self.call(
            "GET",
            "/repos/{owner}/{repo}/compare/{basehead}",
            {"owner": owner, "repo": repo, "basehead": f"{base}...{head}"},
        )
        commits = data.get("commits") or ()
        return [CommitSummary.from_api(c) for c in commits if isinstance(c, Mapping)]

    async def compare_files(self, owner: str, repo: str, base: str, head: str) -> list[PullFile]:
        """Files changed between two commits (three-dot; GitHub lists at most 300)."""
        data = await self.call(
            "GET",
            "/repos/{owner}/{repo}/compare/{basehead}",
            {"owner": owner, "repo": repo, "basehead": f"{base}...{head}"},
        )
        return [PullFile.from_api(item) for item in data.get("files") or ()]


_Model = TypeVar("_Model", bound=BaseModel)


def _valid(model: type[_Model], items: list[Any]) -> list[_Model]:
    """The items that are valid `model`s; a malformed one is logged and left out."""
    out = []
    for item in items:
        try:
            out.append(model.model_validate(item))
        except ValidationError as exc:
            log.warning("%s: malformed item left out (%d errors)", model.__name__,
                        exc.error_count())  # fmt: skip
    return out


def _check_fields(
    conclusion: CheckConclusion | None,
    title: str,
    summary: str,
    text: str,
    annotations: list[Annotation] | tuple[Annotation, ...],
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if conclusion is not None:
        data["conclusion"] = conclusion
        data["status"] = "completed"
    if summary or annotations:
        output: dict[str, Any] = {"title": title or "Hephaestus", "summary": summary or title}
        if text:
            output["text"] = text
        if annotations:
            output["annotations"] = [a.to_api() for a in annotations]
        data["output"] = output
    return data
