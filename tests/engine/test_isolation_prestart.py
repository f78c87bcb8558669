"""`prestart`: a worker started ahead of the work, importing what the work needs, then used."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from ghbot.engine import isolation
from ghbot.engine.isolation import Limits, prestart, run_isolated

LIMITS = Limits(seconds=17.5)  # no other test's workers share these limits


@pytest.fixture(autouse=True)
def _no_idle_workers() -> Iterator[None]:
    yield
    for worker in [w for w in isolation._idle if w.limits == LIMITS]:
        isolation._idle.remove(worker)
        worker.stop()


def _idle() -> list[isolation._Worker]:
    return [w for w in isolation._idle if w.limits == LIMITS]


def test_the_prestarted_worker_imports_its_modules_and_runs_the_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Workers that earlier tests left idle may fill the pool (one per core): room for this one.
    monkeypatch.setattr(isolation, "_MAX_IDLE", len(isolation._idle) + 1)
    prestart(LIMITS, ("re2", "no_such_module_anywhere"))
    prestart(LIMITS, ("re2",))  # one is idle already: no second
    (worker,) = _idle()
    # os.readlink("/proc/self") in the worker names the process that ran it.
    assert run_isolated(os.readlink, ["/proc/self"], limits=LIMITS) == [str(worker.process.pid)]
    assert _idle() == [worker]  # given back for the next call
    with open(f"/proc/{worker.process.pid}/maps", encoding="utf-8") as maps:
        assert "_re2" in maps.read()  # imported before it took the work; the bad name skipped


def test_no_prestart_beside_a_full_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolation, "_MAX_IDLE", 0)
    prestart(LIMITS)
    assert _idle() == []
