"""One signed delivery must not wedge the store (issue 13, item 4).

A 202 means stored and runnable: a delivery the store could not index, or no handler could act
on, is refused before it; recovery after a kill never fails on one record.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from pathlib import Path

import pytest
from adversarial_serve import SECRET, sign
from pydantic import SecretStr

from ghbot.context import Context
from ghbot.jobs.journal import JournalWriter
from ghbot.jobs.sqlite import SqliteQueue
from ghbot.registry import Registry, on
from ghbot.server import ServerState, create_app


@on("pull_request", "opened")
async def opened(ctx: Context) -> None:
    """Registered so pull_request.opened is queued; never run here."""


def delivery(number: object = 7, **fields: object) -> dict[str, object]:
    return {"action": "opened", "number": number, "repository": {"full_name": "octo/app"},
            "installation": {"id": 1}, **fields}  # fmt: skip


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.fixture
async def store(tmp_path: Path):
    queue = await SqliteQueue.open(tmp_path / "jobs.sqlite3")
    yield queue
    await queue.close()


@pytest.fixture
async def post(aiohttp_client, store: SqliteQueue):
    state = ServerState(SecretStr(SECRET), store, Registry([opened]), "hephaestus")
    client = await aiohttp_client(create_app(state))
    count = 0

    async def post(body: bytes) -> int:
        nonlocal count
        count += 1
        headers = {"X-GitHub-Event": "pull_request", "X-GitHub-Delivery": f"d-{count}",
                   "X-Hub-Signature-256": sign(body), "Content-Type": "application/json"}
        return (await client.post("/webhook", data=body, headers=headers)).status

    return post


async def test_a_number_over_64_bits_is_refused_and_later_deliveries_still_become_jobs(
    post, store: SqliteQueue
) -> None:
    wedge = b'{"action":"opened","number":9223372036854775808,' \
            b'"repository":{"full_name":"octo/app"},"installation":{"id":1}}'
    assert 400 <= await post(wedge) < 500
    assert await post(json.dumps(delivery(8)).encode()) == 202
    stats = await asyncio.wait_for(store.stats(), 5)  # the row was written: nothing is stuck
    assert (stats.pending, stats.dead) == (1, 0)


@pytest.mark.parametrize("levels", [990, 1000, 5000])
async def test_a_deep_body_after_a_mistyped_routing_field_is_refused(
    post, store: SqliteQueue, levels: int
) -> None:
    mistyped = f'{{"action":"opened","installation":"x","a":{deep(levels)}}}'.encode()
    routed = json.dumps(delivery()).encode()[:-1] + f',"a":{deep(levels)}}}'.encode()
    assert 400 <= await post(mistyped) < 500
    assert 400 <= await post(routed) < 500
    assert (await asyncio.wait_for(store.stats(), 5)).pending == 0


@pytest.mark.parametrize(
    "payload",
    [
        {"action": "opened", "repository": {"full_name": "octo/app"}},  # no installation
        delivery(installation="x"),  # mistyped routing fields
        delivery(installation={"id": "1"}),
        delivery(installation={"id": 2**64}),
        delivery(repository=None),  # no repository
        delivery(repository={"full_name": ["octo", "app"]}),
    ],
)
async def test_a_delivery_no_handler_could_run_is_refused_not_retried(
    post, store: SqliteQueue, payload: dict[str, object]
) -> None:
    assert await post(json.dumps(payload).encode()) == 422
    assert (await store.stats()).pending == 0


def _record(delivery_id: str, number: object, payload: bytes) -> tuple[bytes, bytes]:
    """A journal record as a killed server leaves it: meta (the row's fields) and payload."""
    meta = [delivery_id, "pull_request", "opened", 1, "octo/app", number, None,
            f"octo/app#{number}", time.time()]  # fmt: skip
    return json.dumps(meta).encode(), payload


async def test_recovery_buries_the_records_it_cannot_index_and_starts(tmp_path: Path) -> None:
    # What a server killed before writing the rows left behind: one number over 64 bits, one
    # payload nested deeper than any parser here goes, one ordinary delivery.
    writer = JournalWriter(tmp_path / "jobs.journal")
    writer.append([
        _record("huge", 2**63, json.dumps(delivery(2**63)).encode()),
        _record("deep", 7, f'{{"installation":"x","a":{deep(5000)}}}'.encode()),
        _record("fine", 8, json.dumps(delivery(8)).encode()),
    ])  # fmt: skip
    writer.close()  # as after kill -9: the segment is unlocked, unsealed, unindexed

    queue = await SqliteQueue.open(tmp_path / "jobs.sqlite3")
    try:
        stats = await queue.stats()
        job = await queue.claim("w", 30)
    finally:
        await queue.close()
    assert (stats.pending, stats.dead) == (1, 2)
    assert job is not None and job.spec.delivery_id == "fine"
    with sqlite3.connect(tmp_path / "jobs.sqlite3") as db:
        dead = dict(db.execute(
            "SELECT delivery_id, last_error FROM jobs WHERE state = 'dead'"
        ).fetchall())  # fmt: skip
        payloads = {d: len(p) for d, p in db.execute(
            "SELECT delivery_id, payload FROM jobs WHERE state = 'dead'")}  # fmt: skip
    assert "64-bit" in dead["huge"] and "deep" in dead["deep"]
    assert payloads["deep"] > 10_000  # kept for inspection
