"""The sandbox GitHub: an aiohttp server on 127.0.0.1 in its own thread and event loop.

Each request goes through one middleware that, in order: records it, applies injected faults,
checks it against GitHub's OpenAPI description, authenticates it (App JWT or installation
token), counts it against the installation's rate limit, and runs the route under the state lock.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

import jwt
from aiohttp import web

from . import openapi, permissions
from .faults import Fault, RateBucket, RateLimitKind, RecordedRequest, Violation
from .routes import ROUTE_MODULES
from .routes.common import AUTH_KEY, BODY_KEY, SANDBOX_KEY, error_response
from .shapes import Shapes
from .state import (
    DEFAULT_APP_PERMISSIONS,
    ApiError,
    CheckRun,
    CommitComment,
    Deployment,
    DeploymentStatus,
    Files,
    Installation,
    Issue,
    IssueComment,
    Pull,
    Repo,
    Review,
    ReviewComment,
    State,
    WorkflowRun,
)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
SANDBOX_PREFIX = "/_sandbox/"  # sandbox-only URLs (log downloads): not part of the REST API
# GitHub's web pages the sandbox serves (the App manifest flow): not part of the REST API either.
WEB_PAGES = re.compile(r"/(?:organizations/[^/]{1,100}/)?settings/apps/new")


class Sandbox:
    """A stateful GitHub double. `start()` it once, `reset()` between tests."""

    def __init__(
        self, validate_responses: bool = True, app_permissions: Mapping[str, str] | None = None
    ) -> None:
        """`app_permissions`: what the App asks for (its manifest); installations get these
        unless a test grants others."""
        self.app_permissions = dict(app_permissions or DEFAULT_APP_PERMISSIONS)
        self.state = State(self.app_permissions)
        self.validate_responses = validate_responses
        self.requests: list[RecordedRequest] = []
        self.violations: list[Violation] = []
        self.faults: list[Fault] = []
        self.created_manifests: list[dict[str, Any]] = []  # manifests converted into the App
        self.buckets: dict[str, RateBucket] = {}
        self.base_url = ""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Sandbox:
        openapi.api()  # parse the description before the first request, not during it
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._serve())
            except BaseException as exc:  # reported to the starting thread
                failure.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup() if self._runner else asyncio.sleep(0))
            loop.close()

        self._thread = threading.Thread(target=run, name="github-sandbox", daemon=True)
        self._thread.start()
        ready.wait(30)
        if failure:
            raise RuntimeError("sandbox failed to start") from failure[0]
        return self

    async def _serve(self) -> None:
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024**2)
        app[SANDBOX_KEY] = self
        for module in ROUTE_MODULES:
            app.add_routes(module.ROUTES)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        self._loop = self._thread = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget all state (the App and its key stay: they are per process)."""
        with self.state.lock:
            self.state = State(self.app_permissions)
            self.requests.clear()
            self.violations.clear()
            self.faults.clear()
            self.created_manifests.clear()
            self.buckets.clear()

    # -- the request pipeline ----------------------------------------------------------------

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        body = await request.read()
        request[BODY_KEY] = body
        response = await self._handle(request, handler, body)
        with self.state.lock:
            self.requests.append(
                RecordedRequest(
                    request.method,
                    request.path,
                    request.query_string,
                    response.status,
                    body,
                    request.headers.get("Authorization", ""),
                )
            )
        return response

    async def _handle(
        self, request: web.Request, handler: Handler, body: bytes
    ) -> web.StreamResponse:
        method, path = request.method, request.path
        fault = self._take_fault(method, path)
        if fault is not None and fault.delay:
            await asyncio.sleep(fault.delay)
        if fault is not None and (fault.status or fault.rate_limit):
            return self._fault_response(fault, request)
        if path.startswith(SANDBOX_PREFIX) or WEB_PAGES.fullmatch(path):
            with self.state.lock:
                return await handler(request)
        spec_request = openapi.SpecRequest(
            method=method,
            path=path,
            query=list(request.query.items()),
            headers=dict(request.headers),
            body=body or None,
            content_type=request.content_type if body else "application/json",
        )
        problem = openapi.check_request(spec_request)
        if problem is not None:
            self._violation(method, path, "request", problem.message)
            return error_response(problem.status, problem.message)
        try:
            bucket = self._authenticate(request)
        except ApiError as err:
            return error_response(err.status, err.message, err.errors)
        if bucket.remaining <= 0:
            return self._rate_limited(bucket, f"API rate limit exceeded for {bucket.resource}.")
        bucket.remaining -= 1
        with self.state.lock:
            try:
                response = await handler(request)
            except ApiError as err:
                response = error_response(err.status, err.message, err.errors)
            except web.HTTPNotFound:
                self._violation(method, path, "unimplemented",
                                "the sandbox does not implement this endpoint yet")
                response = error_response(404, "Not Found (not implemented by the sandbox)")
            except web.HTTPMethodNotAllowed:
                self._violation(method, path, "unimplemented",
                                "the sandbox does not implement this method yet")
                response = error_response(404, "Not Found (not implemented by the sandbox)")
        self._rate_headers(response, bucket)
        if self.validate_responses and isinstance(response, web.Response):
            self._check_response(spec_request, response)
        return response

    def _check_response(self, spec_request: openapi.SpecRequest, response: web.Response) -> None:
        body = response.body if isinstance(response.body, bytes) else b""
        if not (response.content_type or "").endswith("json"):
            body = b""
        try:
            problem = openapi.check_response(spec_request.method, spec_request.path,
                                             response.status, body)
        except Exception as exc:  # a checker failure is reported, never turned into a 500
            problem = f"response check failed: {exc!r}"
        if problem and not (response.status >= 400 and problem.startswith("status ")):
            # GitHub answers 401/403/5xx anywhere; only shapes and success codes are checked
            self._violation(spec_request.method.upper(), spec_request.path, "response", problem)

    def _violation(self, method: str, path: str, kind: str, message: str) -> None:
        with self.state.lock:
            self.violations.append(Violation(method, path, kind, message))

    # -- auth and rate limits ----------------------------------------------------------------

    def _authenticate(self, request: web.Request) -> RateBucket:
        """Check the credentials this path needs; returns the rate-limit bucket to charge."""
        path = request.path
        scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
        if path.startswith("/app-manifests/"):
            return self._bucket("anonymous")  # the code is the credential
        if not credential:
            raise ApiError(401, "Requires authentication")
        needs_jwt = path == "/app" or path.startswith("/app/") or path.endswith("/installation")
        if needs_jwt:
            if scheme.lower() != "bearer":
                raise ApiError(401, "A JSON web token could not be decoded")
            self._verify_jwt(credential)
            request[AUTH_KEY] = ("app", None)
            return self._bucket("app")
        with self.state.lock:
            token = self.state.tokens.get(credential)
            if token is None or token.expires_at <= self.state.now():
                raise ApiError(401, "Bad credentials")
            inst = self.state.installation(token.installation_id)
            request[AUTH_KEY] = ("installation", inst)
            lacking = permissions.missing(inst.permissions, request.method, path)
            if lacking is not None:
                self._violation(request.method, path, "permission",
                                f"the installation was not granted {lacking}")
                raise ApiError(403, "Resource not accessible by integration")
            if path.startswith("/repos/"):
                parts = path.split("/")
                if len(parts) >= 4:
                    self._authorize_repo(inst, f"{parts[2]}/{parts[3]}", request.method)
        return self._bucket(str(inst.id))

    def _authorize_repo(self, inst: Installation, full_name: str, method: str) -> None:
        repo = self.state.repos.get(full_name.lower())
        if repo is None:
            raise ApiError(404, "Not Found")
        if inst.covers(repo.full_name):
            return
        if repo.private:
            raise ApiError(404, "Not Found")
        if method == "GET":
            return  # a token may read public repositories
        # the base repository's App may write to a fork branch whose PR allows it
        for base in self.state.repos.values():
            if not inst.covers(base.full_name):
                continue
            for pull in base.pulls.values():
                if pull.head_repo.lower() == full_name.lower() and pull.maintainer_can_modify:
                    return
        raise ApiError(403, "Resource not accessible by integration")

    def _verify_jwt(self, token: str) -> None:
        app = self.state.app
        try:
            claims = jwt.decode(
                token,
                app.public_key_pem,
                algorithms=["RS256"],
                options={"require": ["iat", "exp", "iss"], "verify_iat": False},
                leeway=60,
            )
        except jwt.ExpiredSignatureError as err:
            raise ApiError(401, "'Expiration time' claim ('exp') is too far in the future "
                                "or has passed") from err
        except jwt.PyJWTError as err:
            raise ApiError(401, f"A JSON web token could not be decoded ({err})") from err
        now = self.state.now()
        iat, exp = claims["iat"], claims["exp"]
        if not isinstance(iat, int | float) or not isinstance(exp, int | float):
            raise ApiError(401, "'Issued at' claim ('iat') must be an Integer representing the "
                                "time that the assertion was issued")
        if iat > now + 60:
            raise ApiError(401, "'Issued at' claim ('iat') must be an Integer representing a "
                                "time in the past")
        if exp - iat > 600:
            raise ApiError(401, "'Expiration time' claim ('exp') is too far in the future")
        if str(claims["iss"]) not in (str(app.id), app.client_id):
            raise ApiError(401, "'Issuer' claim ('iss') must be an Integer")

    def _bucket(self, key: str) -> RateBucket:
        with self.state.lock:
            bucket = self.buckets.get(key)
            if bucket is None or bucket.reset <= time.time():
                bucket = RateBucket(5000, 5000, int(time.time()) + 3600)
                self.buckets[key] = bucket
            return bucket

    @staticmethod
    def _rate_headers(response: web.StreamResponse, bucket: RateBucket) -> None:
        response.headers["x-ratelimit-limit"] = str(bucket.limit)
        response.headers["x-ratelimit-remaining"] = str(max(bucket.remaining, 0))
        response.headers["x-ratelimit-reset"] = str(bucket.reset)
        response.headers["x-ratelimit-used"] = str(bucket.used)
        response.headers["x-ratelimit-resource"] = bucket.resource

    def _rate_limited(self, bucket: RateBucket, message: str, status: int = 403) -> web.Response:
        response = error_response(status, message)
        self._rate_headers(response, RateBucket(bucket.limit, 0, bucket.reset))
        return response

    # -- faults ------------------------------------------------------------------------------

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self.state.lock:
            for fault in self.faults:
                if fault.matches(method, path):
                    fault.consume()
                    return fault
        return None

    def _fault_response(self, fault: Fault, request: web.Request) -> web.Response:
        if fault.rate_limit == "secondary":
            request_id = hashlib.sha1(str(time.time()).encode()).hexdigest()[:16].upper()  # noqa: S324
            response = error_response(
                fault.status or 403,
                "You have exceeded a secondary rate limit. Please wait a few minutes before you "
                f"try again. If you reach out to GitHub Support for help, please include the "
                f"request ID {request_id}.",
            )
            response.headers["retry-after"] = str(fault.retry_after)
            return response
        if fault.rate_limit == "primary":
            reset = int(time.time()) + fault.reset_in
            return self._rate_limited(
                RateBucket(5000, 0, reset), "API rate limit exceeded for installation.",
                fault.status or 403,
            )
        status = fault.status or 500
        message = {500: "Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
        return error_response(status, message.get(status, "Injected fault"))

    def inject(
        self,
        method: str,
        path_glob: str,
        status: int | None = None,
        times: int | None = 1,
        delay: float = 0.0,
        rate_limit: RateLimitKind | None = None,
        retry_after: int = 1,
        reset_in: int = 1,
    ) -> Fault:
        """Make the next `times` matching requests fail (status/rate_limit) and/or wait."""
        fault = Fault(method.upper(), path_glob, status, times, delay, rate_limit, retry_after,
                      reset_in)
        with self.state.lock:
            self.faults.append(fault)
        return fault

    # -- inspection helpers ------------------------------------------------------------------

    def calls(self, method: str | None = None, path_glob: str = "*") -> list[RecordedRequest]:
        probe = Fault(method or "*", path_glob, times=None)
        with self.state.lock:
            return [r for r in self.requests if probe.matches(r.method, r.path)]

    def clear_violations(self) -> list[Violation]:
        """For tests that send bad requests on purpose: returns and forgets the violations."""
        with self.state.lock:
            found = list(self.violations)
            self.violations.clear()
            return found

    @property
    def shapes(self) -> Shapes:
        return Shapes(self.state, self.base_url)

    # -- seeding -----------------------------------------------------------------------------

    @property
    def app(self) -> Any:
        return self.state.app

    def create_installation(
        self, account: str, repositories: Iterable[str] | None = None, **kwargs: Any
    ) -> Installation:
        with self.state.lock:
            return self.state.create_installation(account, repositories, **kwargs)

    def token(self, installation: Installation | int, ttl: float = 3600.0) -> str:
        """An installation access token, as the Action's GITHUB_TOKEN would be."""
        inst_id = installation if isinstance(installation, int) else installation.id
        with self.state.lock:
            return self.state.issue_token(inst_id, ttl).token

    def jwt(self, iat: float | None = None, exp_in: int = 540) -> str:
        """An App JWT signed with the sandbox App's key."""
        now = int(iat if iat is not None else time.time()) - 30
        payload = {"iat": now, "exp": now + exp_in, "iss": str(self.state.app.id)}
        return jwt.encode(payload, self.state.app.private_key_pem, algorithm="RS256")

    def create_repo(self, full_name: str, files: Files | None = None, **kwargs: Any) -> Repo:
        with self.state.lock:
            return self.state.create_repo(full_name, files, **kwargs)

    def repo(self, full_name: str) -> Repo:
        with self.state.lock:
            return self.state.repo(full_name)

    def commit(self, repo: str, branch: str, files: Files, message: str = "Update files",
               **kwargs: Any) -> str:
        with self.state.lock:
            return self.state.commit(self.state.repo(repo), branch, files, message, **kwargs)

    def fork(self, repo: str, owner: str) -> Repo:
        with self.state.lock:
            return self.state.fork(self.state.repo(repo), owner)

    def create_pull(self, repo: str, head: str, base: str | None = None, **kwargs: Any) -> Issue:
        with self.state.lock:
            return self.state.create_pull(self.state.repo(repo), head, base, **kwargs)

    def create_issue(self, repo: str, title: str, body: str | None = None,
                     user: str = "octocat") -> Issue:
        with self.state.lock:
            return self.state.create_issue(self.state.repo(repo), title, body, user)

    def add_issue_comment(self, repo: str, number: int, body: str,
                          user: str = "octocat") -> IssueComment:
        with self.state.lock:
            r = self.state.repo(repo)
            return self.state.add_comment(r, self.state.issue(r, number), body, user)

    def protect_branch(self, repo: str, branch: str, *rules: str) -> None:
        """Classic protection on `branch`, or (with `rules`) ruleset rules of those types."""
        with self.state.lock:
            r = self.state.repo(repo)
            if rules:
                r.branch_rules.setdefault(branch, []).extend(rules)
            else:
                r.protected.add(branch)

    def set_permission(self, repo: str, user: str, level: str) -> None:
        with self.state.lock:
            self.state.set_permission(self.state.repo(repo), user, level)

    def add_workflow_run(self, repo: str, head_sha: str, conclusion: str | None,
                         jobs: Iterable[tuple[str, str, str | None]] = (),
                         **kwargs: Any) -> WorkflowRun:
        with self.state.lock:
            return self.state.add_workflow_run(self.state.repo(repo), head_sha, conclusion,
                                               jobs, **kwargs)

    def add_deployment(self, repo: str, sha: str, state: str, environment: str = "production",
                       creator: str = "octocat", seconds: float = 30.0) -> Deployment:
        """A deployment of `sha` with one status `state`, `seconds` after its start."""
        with self.state.lock:
            st = self.state
            deployment = Deployment(
                id=st.next_id(), sha=sha, ref="main", task="deploy", environment=environment,
                description=None, creator=creator, payload={}, created_at=st.now(),
            )  # fmt: skip
            deployment.statuses.append(DeploymentStatus(
                id=st.next_id(), state=state, creator=creator, description="",
                environment=environment, log_url=f"https://ci.example/{deployment.id}",
                environment_url="", created_at=deployment.created_at + seconds,
            ))  # fmt: skip
            st.repo(repo).deployments.append(deployment)
            return deployment

    def add_check_run(self, repo: str, head_sha: str, name: str, conclusion: str,
                      app_slug: str, check_suite_id: int, **kwargs: Any) -> CheckRun:
        """A completed check run of another CI app; `output={title, summary, text}`."""
        with self.state.lock:
            return self.state.add_check_run(self.state.repo(repo), head_sha, name, conclusion,
                                            app_slug, check_suite_id, **kwargs)

    # -- typed reads -------------------------------------------------------------------------

    def ref(self, repo: str, ref: str) -> str | None:
        """Commit id of "heads/main", "refs/heads/main" or a branch name; None if absent."""
        with self.state.lock:
            refs = self.state.repo(repo).refs
            for candidate in (ref, "refs/" + ref, "refs/heads/" + ref):
                if candidate in refs:
                    return refs[candidate]
            return None

    def file(self, repo: str, path: str, ref: str | None = None) -> str | None:
        """Text of a file at a ref (default branch by default); None if absent."""
        with self.state.lock:
            data = self.state.file_at(self.state.repo(repo), path, ref)
            return None if data is None else data.decode("utf-8", errors="replace")

    def check_runs(self, repo: str, head_sha: str | None = None) -> list[CheckRun]:
        with self.state.lock:
            runs = self.state.repo(repo).check_runs
            return [r for r in runs if head_sha is None or r.head_sha == head_sha]

    def pull(self, repo: str, number: int) -> Pull:
        with self.state.lock:
            return self.state.pull(self.state.repo(repo), number)

    def issue(self, repo: str, number: int) -> Issue:
        with self.state.lock:
            return self.state.issue(self.state.repo(repo), number)

    def reviews(self, repo: str, number: int) -> list[Review]:
        return list(self.pull(repo, number).reviews)

    def review_comments(self, repo: str, number: int) -> list[ReviewComment]:
        return list(self.pull(repo, number).review_comments)

    def issue_comments(self, repo: str, number: int) -> list[IssueComment]:
        return list(self.issue(repo, number).comments)

    def commit_comments(self, repo: str, sha: str | None = None) -> list[CommitComment]:
        with self.state.lock:
            comments = self.state.repo(repo).commit_comments
            return [c for c in comments if sha is None or c.commit_id == sha]

    def workflow_run(self, repo: str, run_id: int) -> WorkflowRun:
        with self.state.lock:
            return self.state.workflow_run(self.state.repo(repo), run_id)

