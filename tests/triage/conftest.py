from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from ghbot.engine.triage.engine import Log, Triage
from ghbot.engine.triage.model import TriageReport

RunLog = Callable[..., TriageReport]


@pytest.fixture(scope="session")
def triage() -> Triage:
    return Triage()


@pytest.fixture(scope="session")
def run_log(triage: Triage) -> RunLog:
    """Triage a log given as text or bytes with the built-in rules."""

    def run(text: str | bytes, source: str = "log") -> TriageReport:
        data = text.encode() if isinstance(text, str) else text
        return triage.run(source, [Log(None, io.BytesIO(data))])

    return run
