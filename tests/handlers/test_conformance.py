"""Every example payload GitHub documents, signed and posted to the real server: none is answered
with a 5xx, handled events are queued, and the workers survive all of them."""

from __future__ import annotations

from sandbox.webhooks import examples

from ghbot.registry import default_registry


async def test_every_webhook_example_is_acknowledged_and_survived(bot):
    registry = default_registry()
    all_examples = examples()
    assert len(all_examples) > 300  # the whole @octokit/webhooks-examples set
    queued = 0
    for example in all_examples:
        status, _ = await bot.deliver(example.event, example.payload)
        assert status < 500, (example.event, example.action, status)
        sender = example.payload.get("sender") or {}
        from_bot = sender.get("type") == "Bot" and sender.get("login") == "hephaestus[bot]"
        if example.event == "ping" or from_bot or not registry.handles(
            example.event, example.action
        ):
            assert status == 200, (example.event, example.action, status)
        elif not isinstance(example.payload.get("installation"), dict):
            # Recorded from repository webhooks: no installation an App could act for, so a job
            # could only fail; refused before the 202 (issue 13, item 4).
            assert status == 422, (example.event, example.action, status)
        else:
            assert status == 202, (example.event, example.action, status)
            queued += 1
    assert queued >= 3  # pull_request opened, synchronize, reopened at least

    # The examples name installations the sandbox does not know: their jobs fail and are
    # retried or dead-lettered, and the workers keep serving.
    await bot.settle(timeout=60)
    ready = await bot.client.get("/readyz")
    assert ready.status == 200
    stats = await bot.queue.stats()
    assert stats.pending == stats.running == 0
    assert stats.done + stats.dead == queued
