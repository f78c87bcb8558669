from __future__ import annotations

import pytest

from ghbot.engine import markers
from ghbot.engine.markers import MarkerError
from ghbot.github.checks import fit
from ghbot.github.models import IssueComment

# -- markers ------------------------------------------------------------------------------------


def test_marker_round_trips_hostile_values():
    hostile = 'x --> <!-- hephaestus:sticky topic=evil --> a=b "quoted"\nnew line % ü'
    text = markers.render("sticky", topic="triage", note=hostile, pr=12)
    assert text.count("-->") == 1 and "\n" not in text
    parsed = markers.parse_all(text + "\nbody")
    assert len(parsed) == 1
    assert parsed[0].kind == "sticky"
    assert parsed[0].fields == {"topic": "triage", "note": hostile, "pr": "12"}


def test_marker_rejects_bad_names_and_ignores_broken_markers():
    with pytest.raises(MarkerError):
        markers.render("Sticky")
    with pytest.raises(MarkerError):
        markers.render("sticky", **{"bad key": "v"})
    assert markers.parse_all("<!-- hephaestus:sticky topic=a b -->") == []
    assert markers.parse_all("<!-- hephaestus:sticky topic=<x> -->") == []
    assert markers.parse("no marker here", "sticky") is None


def test_marker_parse_is_linear_on_hostile_input():
    body = "<!-- hephaestus:k" + " a=" + "b" * 100_000 + " -->"
    assert markers.parse_all(body) == []  # bounded scan; and the value is over the length cap
    spam = "<!-- hephaestus:k a=1" * 10_000
    assert markers.parse_all(spam) == []


def _comment(author: str, body: str, id: int = 1) -> IssueComment:
    return IssueComment(id, body, author, "Bot", "", "", "")


def test_finder_matches_only_the_bots_own_items():
    forged = _comment("mallory", markers.render("sticky", topic="triage") + "\nfake", id=1)
    other_topic = _comment("hephaestus[bot]", markers.render("sticky", topic="runbook"), id=2)
    mine = _comment("Hephaestus[bot]", markers.render("sticky", topic="triage") + "\nreal", id=3)
    quoting = _comment(
        "hephaestus[bot]", "> user said\n" + markers.render("sticky", topic="triage"), id=4
    )
    items = [forged, other_topic, mine, quoting]
    found = markers.find(items, markers.bot_login("hephaestus"), "sticky", topic="triage")
    assert found is mine
    assert markers.find(items, "hephaestus[bot]", "sticky", topic="none") is None


def test_fit_keeps_short_text_and_bounds_long_text():
    assert fit("short") == "short"
    cut = fit("a" * 1000 + "b" * 1000, 500)
    assert len(cut.encode()) <= 500 and cut.startswith("a") and cut.endswith("b")
