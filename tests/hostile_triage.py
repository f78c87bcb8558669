"""Hostile logs for the triage engine: crafted lines inside one failing step, triaged in process
by one engine built once (the cost tests compare what two logs cost, not what building costs)."""

from __future__ import annotations

import io

from ghbot.engine.triage.engine import Log, Triage

TRIAGE = Triage()


def triaged(log: bytes) -> None:
    report = TRIAGE.run("log", [Log(None, io.BytesIO(log))])
    assert report.failures and report.failing_steps  # read, not given up on


def travis_step(command: str, lines: list[str], code: int = 1) -> bytes:
    """`lines` as the output of a Travis step running `command` that exited with `code`."""
    closing = f'The command "{command}" exited with {code}.'
    return ("\n".join([f"$ {command}", *lines, closing]) + "\n").encode()
