"""Hostile runbooks: a pull request can add any markdown under the runbooks folder, and the
bot parses it on its events. Parsing costs about what the file's size does, whatever it holds."""

from __future__ import annotations

from cost_alike import assert_costs_alike

from ghbot.engine.knowledge.runbooks import MAX_FILE_BYTES, parse_runbook

FRONT = "---\nformat: 1\nid: crafted\ntitle: Crafted\n---\n# Crafted\n\n"


def _runbook(body_line: str) -> str:
    """A runbook of the largest size read, its body all `body_line`."""
    lines = [body_line] * ((MAX_FILE_BYTES - len(FRONT)) // (len(body_line) + 1) - 1)
    return FRONT + "\n".join(lines) + "\n"


def test_section_headings_of_spaced_hashes_cost_no_more_than_plain_ones() -> None:
    """A `## ` heading's title ends before trailing spaces and `#`s; the pattern tried each of
    its 300 title lengths against a long run of ` #` (25 ms a 4 KB line: seconds a file)."""
    assert_costs_alike(
        parse_runbook, _runbook("## " + "ab" * 2000 + "!"), _runbook("## " + " #" * 2000 + "!")
    )
