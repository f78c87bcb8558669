"""The failure catalog format: round trip, counting, flaky marking, bounds and damaged files."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ghbot.engine.knowledge import catalog as cat
from ghbot.engine.knowledge.catalog import Catalog, CatalogError, Pass, RunRef, Sighting

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
FP = "1-0123456789abcdef"


def sighting(fp=FP, *, at=T0, sha="a" * 40, run=100, attempt=1, workflow=7, branch="main",
             title="test_login fails | KeyError", on_default=True) -> Sighting:
    return Sighting(
        fingerprint=fp,
        title=title,
        category="test",
        at=at,
        branch=branch,
        run=RunRef(sha, workflow, run, attempt),
        run_url=f"https://github.com/octo/app/actions/runs/{run}",
        on_default=on_default,
    )


def test_round_trip_keeps_every_field():
    update = cat.record(Catalog(), [
        sighting(title="weird `title` | with *markdown* & <html> \\ and [link](x)"),
        sighting(at=T0 + timedelta(days=1), run=101, branch="feature/x"),
        sighting("1-fedcba9876543210", at=T0 + timedelta(hours=3), run=102, on_default=False),
    ])
    text = cat.render(update.catalog)
    parsed = cat.parse(text)
    assert parsed == update.catalog
    assert cat.render(parsed) == text
    entry = parsed.get(FP)
    assert entry is not None
    assert (entry.count, entry.first_seen, entry.last_seen) == (2, T0, T0 + timedelta(days=1))
    assert entry.branches == ("feature/x", "main")
    assert entry.daily == ((date(2024, 5, 1), 1), (date(2024, 5, 2), 1))
    assert entry.example_run.endswith("/runs/101")
    assert [r.run_id for r in entry.recent] == [101, 100]
    assert entry.open
    assert text.startswith("<!-- hephaestus:catalog version=1 -->\n")
    # Most recently seen first.
    assert [e.fingerprint for e in parsed.entries] == [FP, "1-fedcba9876543210"]


def test_a_title_cannot_break_the_table():
    update = cat.record(Catalog(), [sighting(title="a | b\n| c | d |\\")])
    text = cat.render(update.catalog)
    failure_rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(failure_rows) == 2  # one failure row, one history row
    assert cat.parse(text).entries[0].title == "a | b | c | d |\\"


def test_a_redelivered_run_is_counted_once():
    first = cat.record(Catalog(), [sighting()])
    again = cat.record(first.catalog, [sighting(at=T0 + timedelta(minutes=5))])
    assert not again.changed
    assert again.catalog.get(FP).count == 1
    rerun = cat.record(first.catalog, [sighting(attempt=2)])
    assert rerun.catalog.get(FP).count == 2


def test_history_line():
    one = cat.record(Catalog(), [sighting()]).catalog
    assert one.get(FP).history_line() == "first time seen"
    two = cat.record(one, [sighting(run=200, at=T0 + timedelta(days=3))]).catalog
    assert two.get(FP).history_line() == "seen 2 times since 2024-05-01"
    flaky = cat.mark_passed(two, Pass("a" * 40, 7, on_default=True, at=T0)).catalog
    assert flaky.get(FP).history_line() == (
        "seen 2 times since 2024-05-01, flaky (it also passed on the same commit)"
    )


def test_a_pass_on_the_same_commit_and_workflow_marks_flaky():
    catalog = cat.record(Catalog(), [sighting(sha="b" * 40, on_default=False)]).catalog
    other_commit = cat.mark_passed(catalog, Pass("c" * 40, 7, on_default=False, at=T0))
    assert not other_commit.changed and not other_commit.catalog.get(FP).flaky
    other_workflow = cat.mark_passed(catalog, Pass("b" * 40, 8, on_default=False, at=T0))
    assert not other_workflow.catalog.get(FP).flaky
    same = cat.mark_passed(catalog, Pass("b" * 40, 7, on_default=False, at=T0))
    assert same.flaky == (FP,)
    assert cat.parse(cat.render(same.catalog)).get(FP).flaky
    twice = cat.mark_passed(same.catalog, Pass("b" * 40, 7, on_default=False, at=T0))
    assert not twice.changed and twice.flaky == ()


def test_a_pass_on_the_default_branch_closes_that_workflows_failures():
    catalog = cat.record(Catalog(), [sighting(workflow=7), sighting("1-1111", workflow=9,
                                                                    run=5)]).catalog
    assert all(e.open for e in catalog.entries)
    after = cat.mark_passed(catalog, Pass("d" * 40, 7, on_default=True, at=T0)).catalog
    assert not after.get(FP).open
    assert after.get("1-1111").open


def test_daily_counts_are_bounded_and_totalled():
    catalog = Catalog()
    for day in range(40):
        catalog = cat.record(catalog, [sighting(at=T0 + timedelta(days=day), run=day + 1)]).catalog
    entry = catalog.get(FP)
    assert len(entry.daily) == cat.TREND_DAYS
    assert entry.daily[-1] == (date(2024, 6, 9), 1)
    assert len(entry.recent) == cat.MAX_RECENT
    totals = cat.daily_totals(catalog, date(2024, 6, 9), days=14)
    assert [n for _, n in totals] == [1] * 14
    assert cat.daily_series(entry, date(2024, 6, 20), days=14)[-11:] == [0] * 11


def test_rows_are_capped_and_the_oldest_archived():
    sightings = [
        sighting(f"1-{i:04x}", at=T0 + timedelta(minutes=i), run=i + 1, on_default=False)
        for i in range(30)
    ]
    sightings.append(sighting("1-open", at=T0 - timedelta(days=90), run=999))
    update = cat.record(Catalog(), sightings, max_rows=10)
    kept = {e.fingerprint for e in update.catalog.entries}
    assert len(kept) == 10
    assert "1-open" in kept  # failing on the default branch: never archived first
    assert {f"1-{i:04x}" for i in range(21, 30)} <= kept
    assert len(update.archived) == 21
    archive = cat.merge_archive(None, update.archived, date(2024, 5, 1))
    assert cat.archive_path(date(2024, 5, 1)) == "catalog/archive/2024-05.md"
    parsed = cat.parse(archive)
    assert len(parsed.entries) == 21 and "## History" not in archive
    # Merging the same rows again replaces them instead of doubling them.
    again = cat.parse(cat.merge_archive(archive, update.archived[:3], date(2024, 5, 1)))
    assert len(again.entries) == 21


def test_unreadable_rows_are_kept_not_lost():
    text = cat.render(cat.record(Catalog(), [sighting()]).catalog)
    damaged = text.replace("## History", "| `1-bad` | broken row |\n\n## History")
    parsed = cat.parse(damaged)
    assert parsed.rejected == ("| `1-bad` | broken row |",)
    assert parsed.get(FP).count == 1
    rewritten = cat.render(cat.record(parsed, [sighting(run=300)]).catalog)
    assert "| `1-bad` | broken row |" in rewritten
    assert cat.parse(rewritten).rejected == parsed.rejected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# my notes\n\n| a | b |\n", "lacks the catalog marker"),
        ("<!-- hephaestus:catalog version=9 -->\n", "newer"),
        ("<!-- hephaestus:catalog version=x -->\n", "version"),
    ],
)
def test_files_it_cannot_rewrite_safely_are_refused(text, message):
    with pytest.raises(CatalogError, match=message):
        cat.parse(text)


def test_hostile_input_is_linear_and_harmless():
    line = "| " + "\\|" * 50_000 + " |"
    text = "<!-- hephaestus:catalog version=1 -->\n## Failures\n" + line + "\n" + "|" * 100_000
    parsed = cat.parse(text)
    assert parsed.entries == ()
    assert all(len(r) <= cat.MAX_LINE for r in parsed.rejected)
    assert cat.parse("") == Catalog()


def test_set_runbook():
    catalog = cat.record(Catalog(), [sighting()]).catalog
    update = cat.set_runbook(catalog, FP, "docs/runbooks/login.md")
    assert cat.parse(cat.render(update.catalog)).get(FP).runbook == "docs/runbooks/login.md"
    assert not cat.set_runbook(update.catalog, FP, "docs/runbooks/login.md").changed
    assert not cat.set_runbook(catalog, "1-missing", "x.md").changed
