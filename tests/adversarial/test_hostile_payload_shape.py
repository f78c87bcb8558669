"""A signed delivery whose routing fields are right but whose deeper fields have the wrong types
can never succeed: its job is dead-lettered at once with the reason, not retried five times."""

from __future__ import annotations

import sqlite3

from handlers.conftest import bot  # noqa: F401 - the deployed bot, aimed at the sandbox
from sandbox.webhooks import pull_request_payload


async def test_a_payload_of_the_wrong_shape_is_dead_lettered_on_its_first_attempt(
    sandbox, bot  # noqa: F811
):
    sandbox.create_repo("octo/app", files={"README.md": "# app\n"})
    sandbox.create_installation("octo", ["octo/app"])
    sandbox.commit("octo/app", "feature", {"app.py": "x = 1\n"})
    number = sandbox.create_pull("octo/app", head="feature").number
    payload = pull_request_payload(sandbox, "octo/app", number)
    payload["pull_request"]["base"] = "main"  # an object in every real delivery
    status, delivery = await bot.deliver("pull_request", payload)
    assert status == 202
    await bot.settle(timeout=60)
    stats = await bot.queue.stats()
    assert (stats.done, stats.dead) == (0, 1)
    with sqlite3.connect(bot.settings.store_path) as db:
        [(attempts, error)] = db.execute(
            "SELECT attempts, last_error FROM jobs WHERE delivery_id = ?", (delivery,)
        ).fetchall()
    assert attempts == 1
    assert "Error" in error  # the reason a maintainer reads in `hephaestus jobs`
