"""The webhook server: verify, dedupe, store, answer 202; plus health, readiness and metrics.

The request path does the least that makes a delivery safe: check the headers, let gidgethub
verify the signature over the raw body (constant time), read the routing fields (without building
the whole payload: see `routing_fields`), store the job in one group commit, answer. Handlers run
later in workers. A client mistake is always a 4xx, never a 5xx.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import parse_qs

import orjson
from aiohttp import web
from gidgethub import ValidationFailure
from gidgethub.sansio import validate_event
from pydantic import SecretStr

from ghbot import logs, metrics
from ghbot.jobs.models import JobSpec
from ghbot.jobs.queue import JobQueue
from ghbot.jobs.workers import WorkerPool
from ghbot.registry import Registry
from ghbot.routing_fields import read_event

log = logging.getLogger("ghbot.server")

# GitHub never delivers more than 25 MB.
MAX_BODY_BYTES = 25 * 1024 * 1024
_DELIVERY_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")
_EVENT_NAME = re.compile(r"[a-z0-9_]{1,64}")  # e.g. projects_v2_item
_CONTENT_TYPES = ("application/json", "application/x-www-form-urlencoded")


@dataclass
class ServerState:
    secret: SecretStr | None  # None until the App is set up: every delivery is refused
    queue: JobQueue
    registry: Registry
    app_slug: str
    pool: WorkerPool | None = None  # None when workers run in other processes only


STATE = web.AppKey("state", ServerState)


def create_app(state: ServerState) -> web.Application:
    if state.secret is not None and not state.secret.get_secret_value():
        # gidgethub accepts unsigned deliveries when the secret is empty: never allow that.
        raise ValueError("the webhook secret is required")
    # aiohttp answers 413 itself when the streamed body outgrows client_max_size.
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[STATE] = state
    app.router.add_post("/webhook", webhook)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_endpoint)
    return app


def _answer(status: int, outcome: str, event: str | None, detail: str) -> web.Response:
    metrics.delivery(event, outcome)
    # A queued delivery is recorded by its job (and the worker's lines and the metrics), so its
    # line is DEBUG: at INFO it cost ~15% of the request path's CPU under load. What leaves no
    # other record (ignored, duplicate, ping) stays INFO; refusals are WARNING.
    level = logging.WARNING if status >= 400 else logging.DEBUG if status == 202 else logging.INFO
    if log.isEnabledFor(level):
        log.log(level, "delivery %s", outcome,
                extra={"fields": {"event": event, "status": status, "detail": detail}})
    return _json(status, {"outcome": outcome, "detail": detail})


_JSON_HEADERS = {"Content-Type": "application/json"}


def _json(status: int, body: dict[str, str]) -> web.Response:
    # orjson: several times cheaper than json_response's json.dumps, on every delivery; a ready
    # header skips aiohttp's content_type parsing.
    return web.Response(body=orjson.dumps(body), status=status, headers=_JSON_HEADERS)


async def webhook(request: web.Request) -> web.Response:
    delivery_id = request.headers.get("X-GitHub-Delivery", "")
    with logs.delivery(delivery_id[:100] or None):
        return await _webhook(request, delivery_id)


async def _webhook(request: web.Request, delivery_id: str) -> web.Response:
    state = request.app[STATE]
    secret = state.secret
    if secret is None:
        return _answer(503, "not_set_up", None, "the App is not set up yet: see the setup page")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return _answer(413, "too_large", None, "payloads over 25 MB are refused")
    signature = request.headers.get("X-Hub-Signature-256")
    if not signature or not signature.startswith("sha256="):
        return _answer(401, "unauthorized", None, "missing X-Hub-Signature-256")
    name = request.headers.get("X-GitHub-Event", "")
    if not _EVENT_NAME.fullmatch(name):
        return _answer(400, "bad_request", None, "missing or malformed X-GitHub-Event")
    if not _DELIVERY_ID.fullmatch(delivery_id):
        return _answer(400, "bad_request", None, "missing or malformed X-GitHub-Delivery")
    content_type = request.headers.get("Content-Type", "")
    if content_type.split(";", 1)[0].strip().lower() not in _CONTENT_TYPES:
        return _answer(415, "bad_request", None, "Content-Type must be application/json")
    try:
        body = await request.read()
    except web.HTTPRequestEntityTooLarge:
        return _answer(413, "too_large", None, "payloads over 25 MB are refused")
    try:
        # gidgethub's constant-time HMAC check over the raw bytes; only SHA-256 is accepted.
        validate_event(body, signature=signature, secret=secret.get_secret_value())
    except ValidationFailure:
        return _answer(401, "unauthorized", None, "signature does not match the webhook secret")
    try:
        payload = _payload(content_type, body)
        event = read_event(name, delivery_id, payload)
    except (ValueError, KeyError):
        # Bad JSON, bad encoding, a form body without `payload`, or not a JSON object.
        return _answer(400, "bad_request", name, "the body is not a JSON object")

    if name == "ping":
        return _answer(200, "pong", name, "pong")
    if event.is_from_bot(state.app_slug):
        return _answer(200, "ignored", name, "sent by the bot itself")
    if not state.registry.handles(name, event.action):
        return _answer(200, "ignored", name, f"no handler for {name}.{event.action or '-'}")

    spec = JobSpec(
        delivery_id=delivery_id,
        event=name,
        payload=payload,
        action=event.action,
        installation_id=event.installation_id,
        repo=event.repo,
        number=event.number,
        sha=event.head_sha,
        serial_key=event.serial_key,
    )
    try:
        stored = await state.queue.enqueue(spec)
    except Exception:
        # Our store failed, not the client: 503 tells GitHub (and whoever redelivers) to retry.
        log.exception("could not store the job")
        metrics.delivery(name, "store_error")
        return _json(503, {"outcome": "store_error"})
    if not stored:
        return _answer(200, "duplicate", name, "this delivery was already received")
    if state.pool is not None:
        state.pool.wake()
    return _answer(202, "queued", name, "queued")


def _payload(content_type: str, body: bytes) -> bytes:
    """The JSON text of a JSON or form-encoded delivery (GitHub offers both); UTF-8 only."""
    if content_type.split(";", 1)[0].strip().lower() == "application/json":
        return body
    form = parse_qs(body.decode("utf-8"), max_num_fields=100)
    return form["payload"][0].encode("utf-8")


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    state = request.app[STATE]
    problems = []
    try:
        await state.queue.stats()
    except Exception as exc:
        problems.append(f"store: {type(exc).__name__}")
    if state.pool is not None and not state.pool.ready:
        problems.append("workers: not running")
    if problems:
        return web.json_response({"status": "not ready", "problems": problems}, status=503)
    return web.json_response({"status": "ready"})


async def metrics_endpoint(request: web.Request) -> web.Response:
    state = request.app[STATE]
    try:
        metrics.queue_depth(await state.queue.stats())
    except Exception:
        log.exception("queue depth unavailable")
    return web.Response(body=metrics.render(), headers={"Content-Type": metrics.CONTENT_TYPE})
