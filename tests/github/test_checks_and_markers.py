from __future__ import annotations

import itertools
import re

import pytest
from aiohttp import web

from ghbot.github import markers
from ghbot.github.checks import CheckReport, fit, publish_check, start_check
from ghbot.github.markers import MarkerError
from ghbot.github.models import Annotation, IssueComment

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


# -- check runs against a stateful stand-in ------------------------------------------------------


def _checks_app(fake):
    """Check runs as GitHub keeps them: annotations appended on every update."""
    runs: dict[int, dict] = {}
    ids = itertools.count(100)
    fake.runs = runs

    def view(run: dict) -> dict:
        out = {k: v for k, v in run.items() if k != "annotations"}
        out["output"] = {**run["output"], "annotations_count": len(run["annotations"])}
        return out

    def apply(run: dict, body: dict) -> None:
        for key in ("status", "conclusion", "external_id"):
            if key in body:
                run[key] = body[key]
        if "conclusion" in body:
            run["status"] = "completed"
        output = body.get("output")
        if output:
            assert output["title"] and output["summary"], "GitHub requires both"
            assert len(output["summary"].encode()) <= 65535
            assert len(output.get("annotations", [])) <= 50
            run["output"] = {"title": output["title"], "summary": output["summary"]}
            run["annotations"].extend(output.get("annotations", []))

    async def create(request: web.Request) -> web.Response:
        body = await request.json()
        run = {
            "id": next(ids),
            "name": body["name"],
            "head_sha": body["head_sha"],
            "external_id": "",
            "status": "queued",
            "conclusion": None,
            "app": {"id": 1},
            "output": {"title": None, "summary": None},
            "annotations": [],
        }
        apply(run, body)
        runs[run["id"]] = run
        return web.json_response(view(run), status=201)

    async def update(request: web.Request) -> web.Response:
        run = runs[int(request.match_info["id"])]
        apply(run, await request.json())
        return web.json_response(view(run))

    async def list_for_ref(request: web.Request) -> web.Response:
        name = request.query.get("check_name")
        found = [
            view(r)
            for r in sorted(runs.values(), key=lambda r: -r["id"])
            if r["head_sha"] == request.match_info["ref"] and (name is None or r["name"] == name)
        ]
        return web.json_response({"total_count": len(found), "check_runs": found})

    fake.route("POST", "/repos/o/r/check-runs", create)
    fake.route("PATCH", "/repos/o/r/check-runs/{id}", update)
    fake.route("GET", "/repos/o/r/commits/{ref}/check-runs", list_for_ref)


def _annotations(n: int) -> list[Annotation]:
    return [Annotation(f"a{i}.py", i + 1, i + 1, "failure", f"E{i}") for i in range(n)]


async def test_publish_twice_leaves_one_check_run_with_each_annotation_once(
    fake_github, session, make_client
):
    fake = await fake_github(_checks_app)
    gh = make_client(session, fake.base_url)
    report = CheckReport("failure", "2 syntax errors", "summary", annotations=_annotations(120))
    first = await publish_check(gh, "o", "r", report, name="Hephaestus", head_sha="abc")
    second = await publish_check(gh, "o", "r", report, name="Hephaestus", head_sha="abc")
    assert first.id == second.id
    assert len(fake.runs) == 1
    run = fake.runs[first.id]
    assert run["conclusion"] == "failure"
    assert [a["message"] for a in run["annotations"]] == [f"E{i}" for i in range(120)]
    posts = [s for s in fake.seen if s.method in ("POST", "PATCH")]
    assert [s.method for s in posts] == ["POST", "PATCH", "PATCH", "PATCH"]  # 50 + 50 + 20, rerun


async def test_in_progress_run_is_completed_in_place_and_changed_findings_replace_it(
    fake_github, session, make_client
):
    fake = await fake_github(_checks_app)
    gh = make_client(session, fake.base_url)
    started = await start_check(gh, "o", "r", name="Hephaestus", head_sha="abc")
    assert started.status == "in_progress"
    done = await publish_check(
        gh,
        "o",
        "r",
        CheckReport("failure", "t", "s", annotations=_annotations(3)),
        name="Hephaestus",
        head_sha="abc",
    )
    assert done.id == started.id and len(fake.runs[done.id]["annotations"]) == 3
    fixed = await publish_check(
        gh,
        "o",
        "r",
        CheckReport("success", "clean", "no findings"),
        name="Hephaestus",
        head_sha="abc",
    )
    assert fixed.id != done.id  # stale annotations are not kept under a success
    assert fake.runs[fixed.id]["annotations"] == []
    other = await publish_check(
        gh, "o", "r", CheckReport("success", "t", "s"), name="Hephaestus", head_sha="def"
    )
    assert other.id not in (done.id, fixed.id)


async def test_huge_summary_is_cut_in_the_middle(fake_github, session, make_client):
    fake = await fake_github(_checks_app)
    gh = make_client(session, fake.base_url)
    summary = "HEAD\n" + "ü" * 100_000 + "\nTAIL"
    run = await publish_check(
        gh, "o", "r", CheckReport("neutral", "t", summary), name="Hephaestus", head_sha="abc"
    )
    stored = fake.runs[run.id]["output"]["summary"]
    assert len(stored.encode()) <= 65535
    assert "HEAD" in stored and stored.endswith("TAIL") and "bytes cut" in stored
    assert re.match(r"<!-- hephaestus:check digest=[0-9a-f]+ -->", stored)


def test_fit_keeps_short_text_and_bounds_long_text():
    assert fit("short") == "short"
    cut = fit("a" * 1000 + "b" * 1000, 500)
    assert len(cut.encode()) <= 500 and cut.startswith("a") and cut.endswith("b")
