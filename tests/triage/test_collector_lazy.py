"""The collector builds what only a report shows (excerpt, title, paragraph) lazily: once per
cluster, and the paragraph's lines only when a report asks. The reports must not change."""

from __future__ import annotations

import io

import pytest
from real_runs import REAL

from ghbot.engine.triage import candidates
from ghbot.engine.triage.engine import Log, Triage


def _reports(triage: Triage) -> list[dict[str, object]]:
    return [
        triage.run(path.name, [Log(None, io.BytesIO(path.read_bytes()))]).to_dict()
        for path in sorted(REAL.glob("*.log"))
    ]


def test_paragraph_lines_read_at_once_or_later_give_the_same_reports(
    triage: Triage, monkeypatch: pytest.MonkeyPatch
) -> None:
    later = _reports(triage)
    monkeypatch.setattr(candidates, "MAX_DEFERRED", 0)  # over budget: normalised at once
    assert _reports(triage) == later


def test_a_repeated_message_is_counted_under_the_first_excerpt_and_its_paragraph(
    run_log,
) -> None:
    log = "\n".join(
        f"step {n}\nFATAL: cannot open shard {n}\n  while loading the index\n" for n in range(4)
    )
    [failure] = [f for f in run_log(log).failures if f.detector == "generic"]
    assert failure.count == 4
    assert failure.title == "FATAL: cannot open shard 0"
    # the paragraph's second line, read only when the report is made, is in the excerpt
    assert (failure.excerpt.start_line, failure.excerpt.end_line) == (2, 3)
    assert failure.excerpt.text == "FATAL: cannot open shard 0\n  while loading the index"
