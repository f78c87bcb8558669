from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from real_runs import REAL

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


ExpectTop = Callable[..., None]


@pytest.fixture(scope="session")
def expect_top(run_log: RunLog) -> ExpectTop:
    """Check the top failure of the real run `name`: its category and its rule or detector, a
    line of its excerpt, a part of its title, and the confidence of a tool's own diagnostic."""

    def check(name: str, category: str, detector: str, cause: str, title: str = "") -> None:
        top = run_log((REAL / f"{name}.log").read_bytes(), name).failures[0]
        assert (top.category, top.rule or top.detector) == (category, detector)
        assert cause in top.excerpt.text
        assert title in top.title
        assert top.confidence >= 0.7

    return check
