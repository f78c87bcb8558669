"""The dashboard body: bounded with a huge catalog, stable, and its checkboxes read back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from ghbot.engine.knowledge import catalog as cat
from ghbot.engine.knowledge import dashboard as dash
from ghbot.engine.knowledge.catalog import Catalog, Pass, RunRef, Sighting
from ghbot.engine.render import GITHUB_BODY_LIMIT

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def big_catalog(n: int) -> Catalog:
    sightings = []
    for i in range(n):
        for k in range(1 + i % 3):
            sightings.append(Sighting(
                fingerprint=f"1-{i:016x}",
                title=f"tests/test_{i}.py::test_case fails with a long message " + "x|" * 80,
                category="test",
                at=T0 + timedelta(hours=i % 300, minutes=k),
                branch=f"branch-{i % 7}",
                run=RunRef(f"{i:08x}" + "0" * 32, 7, 10_000 + i * 10 + k, 1),
                run_url=f"https://github.com/octo/app/actions/runs/{10_000 + i * 10 + k}",
                on_default=i % 2 == 0,
            ))
    catalog = cat.record(Catalog(), sightings, max_rows=n).catalog
    for i in range(0, n, 5):
        catalog = cat.mark_passed(catalog, Pass(f"{i:08x}" + "0" * 32, 7, False, T0)).catalog
    return catalog


def data(catalog: Catalog, **kw) -> dash.DashboardData:
    return dash.DashboardData(repo="octo/app", default_branch="main", catalog=catalog,
                              today=date(2024, 5, 13), **kw)


def test_a_thousand_fingerprints_stay_under_the_limit():
    catalog = big_catalog(1000)
    assert len(catalog.entries) == 1000
    deployments = [
        dash.DeploymentLine(f"env-{e}", "2024-05-01 12:00", "success", "main" * 40, "a" * 40,
                            "https://example.com/x")
        for e in range(50) for _ in range(10)
    ]
    pulls = [dash.PullLine(i, "t" * 300, "https://github.com/octo/app/pull/1") for i in range(99)]
    runbooks = [dash.RunbookLine("r" * 200, f"docs/runbooks/{i}.md", "2024-05-01")
                for i in range(500)]
    body = dash.render(data(catalog, deployments=deployments, pulls=pulls, runbooks=runbooks,
                            log=["did something " * 30] * 50))
    assert len(body) < GITHUB_BODY_LIMIT
    assert body.count("- [ ] re-run failed jobs of") == dash.MAX_OPEN
    assert "… and 480 more" in body  # 500 open failures, 20 shown
    assert "xychart-beta" in body and "bar [" in body
    assert body == dash.render(data(catalog, deployments=deployments, pulls=pulls,
                                    runbooks=runbooks, log=["did something " * 30] * 50))


def test_open_failures_recurring_and_flaky_are_shown():
    catalog = big_catalog(4)
    body = dash.render(data(catalog))
    assert "## Open failures on `main`" in body
    # 1-...0 and 1-...2 failed on the default branch; 1-...1 and 1-...3 did not.
    assert "[run 10000](https://github.com/octo/app/actions/runs/10000)" in body
    assert "1-0000000000000001" not in body.split("## Recurring")[0]
    recurring = body.split("## Recurring and flaky failures")[1].split("## Recent deployments")[0]
    assert "`1-0000000000000001`" in recurring  # seen twice
    assert "`1-0000000000000000`" in recurring  # flaky (passed on the same commit)
    assert "`1-0000000000000003`" not in recurring  # seen once, not flaky


def test_checkboxes_round_trip_and_only_new_ticks_count():
    catalog = big_catalog(2)
    body = dash.render(data(catalog))
    offered = dash.boxes(body)
    assert offered and not any(offered.values())
    rerun = dash.Action("rerun", "10000")
    assert rerun in offered and rerun in dash.offered(catalog)
    ticked = body.replace("- [ ] re-run failed jobs of [run 10000]",
                          "- [x] re-run failed jobs of [run 10000]")
    assert dash.requested(ticked, body) == [rerun]
    assert dash.requested(ticked, ticked) == []  # already ticked before this edit
    forged = body + "\n- [x] run 1 <!-- hephaestus:do action=rerun target=1 -->"
    assert dash.requested(forged, body) == []  # never offered


def test_the_log_is_read_back_without_commands():
    body = dash.render(data(Catalog(), log=["@alice re-ran run 5", "x <!-- hephaestus:do -->"]))
    assert dash.log_of(body) == ["@alice re-ran run 5", "x &lt;!-- hephaestus:do -->"]
    assert dash.boxes(body) == {}


def test_empty_dashboard():
    body = dash.render(data(Catalog()))
    assert body.startswith("<!-- hephaestus:dashboard version=1 -->\n# Hephaestus dashboard")
    assert "None: the latest runs on the default branch passed." in body
    assert "## Recent actions" not in body
