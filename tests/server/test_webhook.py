"""POST /webhook over real HTTP on 127.0.0.1, with a real SQLite store behind it."""

from __future__ import annotations

import json
import logging
import os
import random
import sqlite3

import pytest
from pydantic import SecretStr
from redis_server import RedisServer
from server_helpers import SECRET, delivery_headers, pr_payload, sign

from ghbot.context import Context
from ghbot.jobs.redis_streams import RedisQueue
from ghbot.registry import Registry, on
from ghbot.server import MAX_BODY_BYTES, ServerState, create_app


async def rows(
    store, columns: str = "delivery_id, event, action, installation_id, repo, number, sha"
):
    await store.stats()  # waits for the rows of the jobs the store accepted (written after)
    with sqlite3.connect(store.path) as db:
        return db.execute(f"SELECT {columns} FROM jobs ORDER BY id").fetchall()


async def test_handled_event_is_stored_and_acknowledged(post, store):
    posted = await post("pull_request", pr_payload())
    assert posted.status == 202
    assert posted.body["outcome"] == "queued"
    assert await rows(store) == [
        (posted.delivery_id, "pull_request", "opened", 42, "octo/repo", 7, "a" * 40)
    ]
    assert json.loads((await store.claim("w", 30)).spec.payload) == pr_payload()


async def test_redelivery_is_answered_without_storing_twice(client, store):
    body = json.dumps(pr_payload()).encode()
    headers = delivery_headers("pull_request", body)
    first = await client.post("/webhook", data=body, headers=headers)
    again = await client.post("/webhook", data=body, headers=headers)
    assert (first.status, again.status) == (202, 200)
    assert (await again.json())["outcome"] == "duplicate"
    assert len(await rows(store)) == 1


async def test_missing_or_wrong_signature_is_401(post, store):
    payload = pr_payload()
    assert (await post("pull_request", payload, **{"X-Hub-Signature-256": ""})).status == 401
    wrong = sign(json.dumps(payload).encode(), secret="not the secret")
    assert (await post("pull_request", payload, **{"X-Hub-Signature-256": wrong})).status == 401
    assert (await post("pull_request", payload, **{"X-Hub-Signature-256": "md5=00"})).status == 401
    # The legacy SHA-1 header alone is not accepted.
    sha1_only = {"X-Hub-Signature-256": "", "X-Hub-Signature": "sha1=" + "0" * 40}
    assert (await post("pull_request", payload, **sha1_only)).status == 401
    assert await rows(store) == []


async def test_signature_over_other_bytes_is_401(client, store):
    body = json.dumps(pr_payload()).encode()
    headers = delivery_headers("pull_request", body)
    resp = await client.post("/webhook", data=body + b" ", headers=headers)
    assert resp.status == 401
    assert await rows(store) == []


async def test_missing_headers_are_400(post):
    payload = pr_payload()
    assert (await post("pull_request", payload, **{"X-GitHub-Delivery": ""})).status == 400
    assert (await post("", payload)).status == 400
    assert (await post("pull_request", payload, **{"X-GitHub-Delivery": "x" * 500})).status == 400
    assert (await post("Pull Request!", payload)).status == 400


async def test_malformed_bodies_are_4xx_and_store_nothing(post, store):
    bad_bodies = [
        b"{not json",
        b"",
        b"[1, 2, 3]",
        b"42",
        b'"a string"',
        b"\xff\xfe\x00garbage",
        b'{"action": "opened"',  # truncated
        b"null",
        # Flaws in fields the request path does not read (it skips them unparsed).
        json.dumps(pr_payload(body="~~")).encode().replace(b"~~", b"\xff\xfe"),
        json.dumps(pr_payload(body="~~")).encode().replace(b"~~", b"\\q"),
    ]
    for body in bad_bodies:
        posted = await post("pull_request", body=body)
        assert posted.status == 400, (body, posted)
    assert await rows(store) == []


async def test_bad_content_types_and_charsets_are_4xx(post):
    body = json.dumps(pr_payload()).encode()
    posted = await post("pull_request", body=body, **{"Content-Type": "text/plain"})
    assert posted.status == 415
    posted = await post("pull_request", body=body, **{"Content-Type": ""})
    assert posted.status == 415
    # GitHub sends UTF-8; a charset parameter does not make other bytes readable.
    latin1 = json.dumps({"action": "opened", "title": "café"}, ensure_ascii=False).encode("latin-1")
    charset = "application/json; charset=no-such-charset"
    assert (await post("pull_request", body=latin1, **{"Content-Type": charset})).status == 400
    assert (await post("pull_request", body=body, **{"Content-Type": charset})).status == 202
    form = "application/x-www-form-urlencoded"
    assert (await post("pull_request", body=b"nopayload=1", **{"Content-Type": form})).status == 400


async def test_form_encoded_delivery_is_stored_as_json(post, store):
    from urllib.parse import urlencode

    body = urlencode({"payload": json.dumps(pr_payload())}).encode()
    form = "application/x-www-form-urlencoded"
    posted = await post("pull_request", body=body, **{"Content-Type": form})
    assert posted.status == 202
    assert json.loads((await store.claim("w", 30)).spec.payload) == pr_payload()


async def test_random_garbage_never_gets_a_5xx(post, store):
    rng = random.Random(1234)
    for _ in range(60):
        body = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 300)))
        posted = await post("pull_request", body=body)
        assert 400 <= posted.status < 500, posted
    # Well-formed JSON of odd shapes: wrong types everywhere must not break the server.
    odd = [
        {"action": 1, "installation": "x", "repository": [], "sender": None},
        {"action": "opened", "pull_request": {"number": "7", "head": "sha"}},
        {"action": "opened", "installation": {"id": True}, "pull_request": []},
        {"action": ["opened"], "number": 1e308},
    ]
    statuses = [(await post("pull_request", payload)).status for payload in odd]
    # The two with action "opened" match a handler, but name no installation to act for: a job
    # could only fail, so they are refused (422) and nothing is stored.
    assert statuses == [200, 422, 422, 200]
    assert await rows(store) == []


async def test_over_25_mb_by_content_length_is_413(client):
    # The header alone decides: the server answers before reading 25 MB.
    import asyncio

    reader, writer = await asyncio.open_connection(client.host, client.port)
    head = delivery_headers("pull_request", b"{}")
    head["Content-Length"] = str(MAX_BODY_BYTES + 1)
    lines = "".join(f"{k}: {v}\r\n" for k, v in head.items())
    writer.write(f"POST /webhook HTTP/1.1\r\nHost: x\r\n{lines}\r\n".encode() + b"{}")
    await writer.drain()
    status_line = await asyncio.wait_for(reader.readline(), 10)
    writer.close()
    assert status_line.split()[1] == b"413"


async def test_over_25_mb_streamed_is_413(client, store):
    chunk = b" " * (1024 * 1024)

    async def stream():
        yield b'{"action": "opened", "pad": "'
        for _ in range(26):
            yield chunk
        yield b'"}'

    headers = delivery_headers("pull_request", b"")
    headers["X-Hub-Signature-256"] = "sha256=" + "0" * 64
    resp = await client.post("/webhook", data=stream(), headers=headers)
    assert resp.status == 413
    assert await rows(store) == []


async def test_unhandled_events_and_actions_are_ignored_with_2xx(post, store):
    star = await post("star", {"action": "created", "sender": {"login": "a", "type": "User"}})
    assert (star.status, star.body["outcome"]) == (200, "ignored")
    closed = await post("pull_request", pr_payload(action="closed"))
    assert (closed.status, closed.body["outcome"]) == (200, "ignored")
    assert await rows(store) == []


async def test_ping_is_answered(post, store):
    posted = await post("ping", {"zen": "Design for failure.", "hook_id": 1})
    assert (posted.status, posted.body["outcome"]) == (200, "pong")
    assert await rows(store) == []


async def test_the_bots_own_events_are_ignored(post, store):
    payload = pr_payload(sender={"login": "hephaestus[bot]", "type": "Bot"})
    posted = await post("pull_request", payload)
    assert (posted.status, posted.body["outcome"]) == (200, "ignored")
    other_bot = pr_payload(sender={"login": "dependabot[bot]", "type": "Bot"})
    assert (await post("pull_request", other_bot)).status == 202
    assert len(await rows(store)) == 1


async def test_health_readiness_and_metrics(client, post):
    assert (await client.get("/healthz")).status == 200
    ready = await client.get("/readyz")
    assert ready.status == 200
    await post("pull_request", pr_payload())
    await post("pull_request", pr_payload(), **{"X-Hub-Signature-256": ""})
    resp = await client.get("/metrics")
    assert resp.status == 200
    assert resp.headers["Content-Type"].startswith("text/plain")
    text = await resp.text()
    assert 'hephaestus_webhook_deliveries_total{event="pull_request",outcome="queued"}' in text
    assert 'hephaestus_webhook_deliveries_total{event="-",outcome="unauthorized"}' in text
    assert 'hephaestus_queue_jobs{state="pending"} 1.0' in text
    assert 'hephaestus_queue_jobs{state="dead"} 0.0' in text
    for family in ("hephaestus_job_duration_seconds", "hephaestus_github_api_calls",
                   "hephaestus_github_ratelimit_remaining", "hephaestus_jobs_dead_lettered"):
        assert f"# TYPE {family}" in text


async def test_readyz_fails_when_the_store_is_gone(client, store):
    await store.close()
    resp = await client.get("/readyz")
    assert resp.status == 503
    body = await resp.json()
    assert body["queue"] == "sqlite" and body["problems"][0].startswith("queue: ")


@on("pull_request", "opened")
async def queued(ctx: Context) -> None:
    """Registered so pull_request deliveries are queued; never run here."""


async def test_a_redis_queue_acknowledges_dedupes_and_reports_its_health(aiohttp_client):
    """The same endpoint on Redis; /readyz says so, and says when Redis is gone."""
    server = RedisServer().start()
    queue = await RedisQueue.open(server.url)
    try:
        state = ServerState(secret=SecretStr(SECRET), queue=queue, app_slug="hephaestus",
                            registry=Registry([queued]))  # fmt: skip
        client = await aiohttp_client(create_app(state))
        body = json.dumps(pr_payload()).encode()
        headers = delivery_headers("pull_request", body)
        first = await client.post("/webhook", data=body, headers=headers)
        again = await client.post("/webhook", data=body, headers=headers)
        assert (first.status, again.status) == (202, 200)
        job = await queue.claim("w", 30)
        assert json.loads(job.spec.payload) == pr_payload()
        assert job.spec.serial_keys == ("octo/repo#7", "octo/repo@" + "a" * 40)
        ready = await client.get("/readyz")
        assert (ready.status, (await ready.json())["queue"]) == (200, "redis")
        server.stop()
        gone = await client.get("/readyz")
        assert gone.status == 503 and (await gone.json())["queue"] == "redis"
        other = delivery_headers("pull_request", body)
        lost = await client.post("/webhook", data=body, headers=other)
        assert lost.status == 503  # not stored: GitHub is told to try again
    finally:
        await queue.close()
        server.close()


async def test_store_failure_is_503_not_a_client_error(client, store):
    await store.close()
    body = json.dumps(pr_payload()).encode()
    resp = await client.post("/webhook", data=body, headers=delivery_headers("pull_request", body))
    assert resp.status == 503


def test_secret_is_required_to_build_the_app(store):
    import pytest

    with pytest.raises(ValueError, match="secret"):
        create_app(ServerState(SecretStr(""), store, Registry([]), "hephaestus"))
    assert SECRET not in repr(ServerState(SecretStr(SECRET), store, Registry([]), "x"))
    assert os.environ.get("HEPHAESTUS_WEBHOOK_SECRET") != SECRET


async def test_every_github_example_payload_is_accepted_or_ignored(post, store):
    from server_helpers import EXAMPLES

    expected_queued = 0
    for group in json.loads(EXAMPLES.read_text()):
        for payload in group["examples"]:
            posted = await post(group["name"], payload)
            handled = (group["name"], payload.get("action")) in {
                ("pull_request", "opened"), ("pull_request", "synchronize"),
                ("issue_comment", "created"),
            }
            # Examples recorded from repository webhooks name no installation: an App cannot
            # act on those, so they are refused rather than queued to fail.
            runnable = handled and isinstance(payload.get("installation"), dict)
            expected_queued += runnable
            expected = 202 if runnable else 422 if handled else 200
            assert posted.status == expected, (group["name"], posted)
    assert expected_queued > 0
    assert len(await rows(store)) == expected_queued


async def test_log_levels_queued_debug_ignored_info_refused_warning(post, caplog):
    caplog.set_level(logging.DEBUG, logger="ghbot.server")
    queued = await post("pull_request", pr_payload())
    ignored = await post("pull_request", pr_payload(action="closed"))
    refused = await post("pull_request", body=b"{not json")
    assert (queued.status, ignored.status, refused.status) == (202, 200, 400)
    levels = {r.getMessage(): r.levelno for r in caplog.records if r.name == "ghbot.server"}
    assert levels == {
        "delivery queued": logging.DEBUG,
        "delivery ignored": logging.INFO,
        "delivery bad_request": logging.WARNING,
    }


@pytest.mark.parametrize("how", ["query", "expect"])
async def test_a_delivery_the_direct_path_leaves_to_the_router_is_queued_too(
    client, store, how: str
) -> None:
    # A query string or Expect: 100-continue takes the router's way (IngestRunner sends only a
    # plain POST /webhook past it): the same checks, the same 202.
    body = json.dumps(pr_payload()).encode()
    headers = delivery_headers("pull_request", body)
    path = "/webhook?from=proxy" if how == "query" else "/webhook"
    if how == "expect":
        headers["Expect"] = "100-continue"
    resp = await client.post(path, data=body, headers=headers)
    assert resp.status == 202, await resp.text()
    bad = await client.post(path, data=body, headers={**headers, "X-Hub-Signature-256": "x"})
    assert bad.status == 401
    await store.stats()
    assert [j.delivery_id for j in await store.jobs("pending", 10)] == [
        headers["X-GitHub-Delivery"]
    ]
