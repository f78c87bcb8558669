"""Hostile workflow files: a pull request can add any YAML under .github/workflows, and the bot
analyses it on its events. The analysis costs about what the file's size does, whatever it holds."""

from __future__ import annotations

from cost_alike import assert_costs_alike

from ghbot.engine.analysis.workflows import check_workflow
from ghbot.engine.models import SourceFile


def _workflow(script: str) -> SourceFile:
    text = (
        "on: pull_request_target\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        f"      - run: echo '{script}'\n"
    )
    return SourceFile(".github/workflows/x.yml", text)


def test_expressions_never_closed_cost_no_more_than_plain_text() -> None:
    """Each `${{` was searched up to 2,000 characters ahead for its `}}`, again from the next
    one: a 180 KB run step of `${{` took 7 s to check (a 2 MB file, the most read, ~80 s)."""
    assert_costs_alike(check_workflow, _workflow("$(( " * 15_000), _workflow("${{ " * 15_000))
