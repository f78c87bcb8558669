"""Handlers read the repository config once per delivery (their imports: tests/test_layering.py)."""

from __future__ import annotations

from handlers.test_fixes import UNUSED_IMPORT, _push_payload, _repo

REPO = "octo/app"


async def test_a_push_reads_the_repository_config_once_for_all_its_handlers(sandbox, bot):
    _repo(sandbox)
    before = sandbox.ref(REPO, "main")
    head = sandbox.commit(REPO, "main", {"app/a.py": UNUSED_IMPORT}, author="alice")
    payload = _push_payload(sandbox, REPO, before, head)
    payload["commits"][0]["added"] = ["docs/runbooks/new.md"]  # link_runbooks reads it too
    status, _ = await bot.deliver("push", payload)
    assert status == 202
    await bot.settle()
    reads = sandbox.calls("GET", f"/repos/{REPO}/contents/.github/hephaestus.yml")
    assert len(reads) == 1
