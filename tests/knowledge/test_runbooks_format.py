"""Runbook format v1: parse, render, counters, slugs, and clear errors on bad files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ghbot.engine.knowledge.runbooks import (
    SECTIONS,
    RunbookError,
    load_dir,
    new_runbook,
    parse_runbook,
    render_runbook,
    set_counters,
    slugify,
)

CORPUS = Path(__file__).parent / "data"

HAND_WRITTEN = """\
---
# written by a person: comments, plain scalars, block lists
format: 1
id: flaky-login-test
title: Login test times out on CI   # sometimes
signatures:
  - t1-0123456789abcdef
rules: [job-timeout]
tags: [python, flaky]
source: https://github.com/octo/app/issues/7
created: 2024-05-01
used: 4     # suggested
resolved: 3
---
# Login test times out on CI

Intro text before the first section.

## Problem summary
The test `test_login` times out.

## Diagnosis steps
```console
## not a heading: inside a fence
pytest -k login
```

## Root cause
A fixed sleep.

## Solution
Poll instead.

## Rollback
Nothing.

## Prevention
No sleeps.
"""


def test_canonical_render_round_trips_exactly():
    rb = new_runbook(
        'Error: "yes" 1.0 and ünïcode',
        {"Problem summary": "It broke.", "Solution": "```\nfix it\n```"},
        signatures=["t1-e0e5bfb0415521d6", "not a fingerprint"],
        rules=["python-module-not-found"],
        tags=["yes", "1.0"],  # YAML would read these as a bool and a float unless quoted
        source="https://github.com/octo/app/pull/3",
        created=dt.date(2025, 1, 31),
    )
    text = render_runbook(rb)
    parsed = parse_runbook(text, "x.md")
    assert parsed == rb
    assert render_runbook(parsed) == text
    assert parsed.signatures == ("t1-e0e5bfb0415521d6",)
    assert parsed.tags == ("yes", "1.0")
    assert [s.heading for s in parsed.sections] == list(SECTIONS)
    assert parsed.section("diagnosis steps").empty  # only the hint comment
    assert not parsed.section("Solution").empty


def test_hand_written_file_parses_with_fences_and_comments():
    rb = parse_runbook(HAND_WRITTEN, "docs/runbooks/flaky-login-test.md")
    assert (rb.id, rb.title, rb.used, rb.resolved) == (
        "flaky-login-test", "Login test times out on CI", 4, 3
    )
    assert rb.created == dt.date(2024, 5, 1)
    assert rb.signatures == ("t1-0123456789abcdef",)
    assert "## not a heading" in rb.section("Diagnosis steps").body
    assert len(rb.sections) == 6
    assert rb.section("Root cause").line == 28
    assert rb.preamble.startswith("# Login test")


def test_set_counters_changes_only_the_counter_lines():
    updated = set_counters(HAND_WRITTEN, 5, 4)
    before, after = HAND_WRITTEN.split("\n"), updated.split("\n")
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [
        ("used: 4     # suggested", "used: 5  # suggested"),
        ("resolved: 3", "resolved: 4"),
    ]
    rb = parse_runbook(updated)
    assert (rb.used, rb.resolved) == (5, 4)


def test_set_counters_adds_missing_counter_lines():
    text = "---\nformat: 1\nid: a\ntitle: A\n---\n## Problem summary\nx\n"
    updated = set_counters(text, 1, 0)
    assert updated.endswith("---\n## Problem summary\nx\n")
    assert (parse_runbook(updated).used, parse_runbook(updated).resolved) == (1, 0)
    with pytest.raises(RunbookError):
        set_counters("no front matter", 1, 1)
    with pytest.raises(RunbookError, match="more than used"):
        set_counters(text, 1, 2)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("# no front matter\n", 1, "no front matter"),
        ("---\nformat: 1\nid: a\n", 1, "not closed"),
        ("---\nformat: 1\nid: a\ntitle: [unclosed\n---\n", 5, "invalid YAML"),
        ("---\nformat: 1\nid: a\ntitle: A\nbase: &b [1]\nother: *b\n---\n", 6, "aliases"),
        ("---\nformat: 2\nid: a\ntitle: A\n---\n", 2, "unsupported format version 2"),
        ("---\nformat: 1\nid: Not A Slug\ntitle: A\n---\n", 3, "not a slug"),
        ("---\nformat: 1\nid: a\ntitle: A\nsignatures: [abc]\n---\n", 5, "does not match"),
        ("---\nformat: 1\nid: a\ntitle: A\nused: -1\n---\n", 5, "whole number"),
        ("---\nformat: 1\nid: a\ntitle: A\nused: 1\nresolved: 2\n---\n", 6, "more than used"),
        ("---\nformat: 1\nid: a\ntitle: A\nowner: bob\n---\n", 5, "unknown key"),
        ("---\nformat: 1\nid: a\ntitle: A\ncreated: yesterday\n---\n", 5, "not a date"),
        ("---\nformat: 1\nid: a\n---\n", 2, "'title' is required"),
        ("---\n- a list\n---\n", 2, "must be a mapping"),
        ("---\nformat: 1\nid: a\ntitle: A\ntags: " + "[" * 20 + "]" * 20 + "\n---\n", 5,
         "nested deeper"),
    ],
)
def test_bad_front_matter_is_reported_with_its_line(text, line, message):
    with pytest.raises(RunbookError) as caught:
        parse_runbook(text, "docs/runbooks/a.md")
    problem = next(p for p in caught.value.problems if message in p.message)
    assert problem.line == line
    assert problem.path == "docs/runbooks/a.md"
    assert str(problem).startswith(f"docs/runbooks/a.md:{line}: error:")


def test_oversized_files_are_refused_without_parsing():
    huge = "---\nformat: 1\nid: a\ntitle: A\n---\n" + "x" * 300_000
    with pytest.raises(RunbookError, match="byte cap"):
        parse_runbook(huge)
    big_yaml = "---\nformat: 1\nid: a\ntitle: A\ntags: [" + "a, " * 9000 + "]\n---\n"
    with pytest.raises(RunbookError, match="front matter is over"):
        parse_runbook(big_yaml)


def test_slugify():
    assert slugify("ModuleNotFoundError: numpy in CI") == "modulenotfounderror-numpy-in-ci"
    assert slugify("Ünïcode — déjà vu!") == "unicode-deja-vu"
    assert slugify("日本語") == "runbook"
    long = slugify("word " * 40)
    assert len(long) <= 60 and not long.endswith("-")


def test_corpus_loads_cleanly():
    loaded = load_dir(CORPUS, "runbooks")
    assert loaded.problems == ()
    assert len(loaded.runbooks) >= 30
    assert len({rb.id for rb in loaded.runbooks}) == len(loaded.runbooks)
