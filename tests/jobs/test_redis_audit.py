"""The command audit trail on the queue's Redis: every host writes one trail, and
`hephaestus commands --audit --queue URL` reads it."""

from __future__ import annotations

import json

from ghbot.cli.commands import main as commands_main
from ghbot.commands import audit
from ghbot.jobs.audit import AuditRecord
from ghbot.jobs.redis_audit import RedisAuditLog


def record(number: int, repo: str = "o/r") -> AuditRecord:
    return AuditRecord(
        delivery_id=f"d{number}", repo=repo, number=number, comment_id=number, caller="alice",
        verb="fix", args="", outcome="ok", detail="done",
    )  # fmt: skip


async def test_two_hosts_write_one_trail_read_newest_first(redis_url, capsys, monkeypatch):
    host_a, host_b = RedisAuditLog(redis_url), RedisAuditLog(redis_url)
    try:
        monkeypatch.setattr(audit, "_store", None)
        audit.use(host_a)
        await audit.record(record(1))
        audit.use(host_b)
        await audit.record(record(2, repo="x/y"))
        await audit.record(record(3))
        assert [r.number for r in host_a.query()] == [3, 2, 1]
        assert [r.number for r in host_a.query(repo="o/r", limit=1)] == [3]
    finally:
        audit.use(None)
        host_a.close()
        host_b.close()
    assert commands_main(["--audit", "--queue", redis_url, "--json", "--repo", "o/r"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["number"], r["caller"]) for r in lines] == [(3, "alice"), (1, "alice")]


def test_an_unreadable_trail_is_one_sentence_and_exit_2(capsys):
    assert commands_main(["--audit", "--queue", "redis://127.0.0.1:1/0"]) == 2
    assert commands_main(["--audit", "--queue", "ftp://x"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "cannot read the audit trail" in err[0] and "--queue" in err[1]
