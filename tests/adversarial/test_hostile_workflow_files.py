"""Hostile workflow files: a pull request can add any YAML under .github/workflows, and the bot
analyses it on its events. The analysis costs about what the file's size does, whatever it holds."""

from __future__ import annotations

import time

from ghbot.engine.analysis.workflows import check_workflow
from ghbot.engine.models import SourceFile


def _seconds(script: str) -> float:
    text = (
        "on: pull_request_target\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        f"      - run: echo '{script}'\n"
    )
    started = time.process_time()
    check_workflow(SourceFile(".github/workflows/x.yml", text))
    return time.process_time() - started


def test_expressions_never_closed_cost_no_more_than_plain_text() -> None:
    """Each `${{` was searched up to 2,000 characters ahead for its `}}`, again from the next
    one: a 180 KB run step of `${{` took 7 s to check (a 2 MB file, the most read, ~80 s)."""
    plain = min(_seconds("$(( " * 15_000) for _ in range(2))
    crafted = min(_seconds("${{ " * 15_000) for _ in range(2))
    assert crafted < 3 * plain + 0.2, (crafted, plain)
