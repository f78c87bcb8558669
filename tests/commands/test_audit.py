"""The audit store: a real SQLite file, queried newest first, per repository."""

from __future__ import annotations

import logging

from ghbot.cli.commands import main as commands_main
from ghbot.commands import audit
from ghbot.jobs.audit import AuditLog, AuditRecord


def _record(n: int, repo: str = "octo/app", outcome: str = "ok") -> AuditRecord:
    return AuditRecord(
        delivery_id=f"d{n}", repo=repo, number=n, comment_id=100 + n, caller="alice",
        verb="fix", args="E501", outcome=outcome, detail=f"line one {n}\nline two",
    )  # fmt: skip


async def test_records_are_stored_and_queried(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(audit, "_store", None)
    audit.configure(tmp_path / "data")
    with caplog.at_level(logging.INFO, logger="ghbot.audit"):
        for n in range(3):
            await audit.record(_record(n))
        await audit.record(_record(9, repo="octo/other", outcome="denied"))
    assert len([r for r in caplog.records if r.name == "ghbot.audit"]) == 4

    store = AuditLog(tmp_path / "data" / audit.FILENAME)
    assert [r.number for r in store.query()] == [9, 2, 1, 0]
    [first] = store.query(repo="octo/other")
    assert (first.outcome, first.detail, first.comment_id) == ("denied", "line one 9", 109)
    assert [r.number for r in store.query(repo="octo/app", limit=2)] == [2, 1]


async def test_without_a_store_the_log_line_is_the_record(caplog, monkeypatch):
    monkeypatch.setattr(audit, "_store", None)
    audit.configure(None)
    with caplog.at_level(logging.INFO, logger="ghbot.audit"):
        stored = await audit.record(_record(1))
    assert stored.at > 0
    [line] = [r for r in caplog.records if r.name == "ghbot.audit"]
    assert line.fields["verb"] == "fix"  # type: ignore[attr-defined]


async def test_a_broken_store_does_not_lose_the_log_line(tmp_path, caplog, monkeypatch):
    (tmp_path / audit.FILENAME).write_bytes(b"this is not a database" * 100)
    monkeypatch.setattr(audit, "_store", AuditLog(tmp_path / audit.FILENAME))
    with caplog.at_level(logging.INFO, logger="ghbot.audit"):
        await audit.record(_record(1))
    messages = [r.getMessage() for r in caplog.records if r.name == "ghbot.audit"]
    assert messages[0] == "command audited" and "not stored" in messages[1]


async def test_the_cli_lists_records(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(audit, "_store", AuditLog(tmp_path / audit.FILENAME))
    await audit.record(_record(4))
    assert commands_main(["--audit", "--data-dir", str(tmp_path), "--json"]) == 0
    out = capsys.readouterr().out
    assert '"caller": "alice"' in out and '"number": 4' in out
    assert commands_main(["--audit", "--data-dir", str(tmp_path / "none")]) == 2
    assert "no audit records" in capsys.readouterr().err
    assert commands_main(["--markdown"]) == 0
    assert "`/hephaestus help`" in capsys.readouterr().out
