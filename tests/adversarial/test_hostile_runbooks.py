"""Hostile runbooks: a pull request can add any markdown under the runbooks folder, and the
bot parses it on its events. Parsing costs about what the file's size does, whatever it holds."""

from __future__ import annotations

import time

from ghbot.engine.knowledge.runbooks import MAX_FILE_BYTES, parse_runbook

FRONT = "---\nformat: 1\nid: crafted\ntitle: Crafted\n---\n# Crafted\n\n"


def _seconds(body_line: str) -> float:
    lines = [body_line] * ((MAX_FILE_BYTES - len(FRONT)) // (len(body_line) + 1) - 1)
    text = FRONT + "\n".join(lines) + "\n"
    started = time.process_time()
    parse_runbook(text)
    return time.process_time() - started


def test_section_headings_of_spaced_hashes_cost_no_more_than_plain_ones() -> None:
    """A `## ` heading's title ends before trailing spaces and `#`s; the pattern tried each of
    its 300 title lengths against a long run of ` #` (25 ms a 4 KB line: seconds a file)."""
    plain = min(_seconds("## " + "ab" * 2000 + "!") for _ in range(2))
    crafted = min(_seconds("## " + " #" * 2000 + "!") for _ in range(2))
    assert crafted < 3 * plain + 0.2, (crafted, plain)
