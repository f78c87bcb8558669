"""Review planning: diff anchors, filter modes, keys that ignore line numbers, caps, fixed."""

from __future__ import annotations

from dataclasses import replace

from ghbot.engine.diff import FilterMode, parse_unified_diff
from ghbot.engine.models import Finding, Fix, Severity, TextEdit
from ghbot.engine.review.plan import (
    PlanOptions,
    PriorComment,
    keyed,
    plan_review,
    plan_with_fixes,
)

# a.py: lines 1-3 unchanged context, line 4 added, 5-7 context; line 20 far outside the hunk.
PATCH = """--- a/a.py
+++ b/a.py
@@ -1,6 +1,7 @@
 l1
 l2
 l3
+x == None
 l5
 l6
 l7
"""
TEXT = "l1\nl2\nl3\nx == None\nl5\nl6\nl7\n" + "".join(f"l{n}\n" for n in range(8, 25))
DIFF = parse_unified_diff(PATCH)


def finding(line, rule="E1", snippet=None, severity=Severity.WARNING, fix=None, path="a.py"):
    return Finding(rule, severity, f"problem {rule}", path, line, 1, line, 3, "ruff", fix,
                   snippet=snippet if snippet is not None else f"line {line}")  # fmt: skip


def plan(findings, prior=(), **options):
    return plan_review(findings, DIFF, {"a.py": TEXT}, prior, PlanOptions(**options))


def test_filter_modes_decide_what_is_reported_and_what_sits_inline():
    found = [finding(4), finding(2), finding(20)]
    added = plan(found)
    assert [c.line for c in added.comments] == [4]
    assert added.outside_diff == []
    context = plan(found, filter_mode=FilterMode.DIFF_CONTEXT)
    assert [c.line for c in context.comments] == [2, 4]
    whole_file = plan(found, filter_mode=FilterMode.FILE)
    assert [c.line for c in whole_file.comments] == [2, 4]
    assert [f.line for f in whole_file.outside_diff] == [20]
    other_file = plan([finding(1, path="b.py")], filter_mode=FilterMode.NOFILTER)
    assert other_file.comments == [] and len(other_file.outside_diff) == 1


def test_safe_fix_in_the_diff_becomes_a_suggestion_anchored_on_its_lines():
    fix = Fix("use is", (TextEdit(4, 3, 4, 5, "is"),))
    [comment] = plan([finding(4, fix=fix)]).comments
    assert (comment.line, comment.start_line) == (4, None)
    assert "```suggestion\nx is None\n```" in comment.body
    multi = Fix("sort", (TextEdit(3, 1, 5, 1, "x == None\nl3\n"),))
    [comment] = plan([finding(4, fix=multi)]).comments
    assert (comment.start_line, comment.line) == (3, 4)
    assert "```suggestion\nx == None\nl3\n```" in comment.body


def test_a_suggestion_reaching_outside_the_hunk_is_a_plain_comment():
    fix = Fix("rewrite", (TextEdit(4, 1, 9, 1, "y\n"),))
    [comment] = plan([finding(4, fix=fix)]).comments
    assert comment.start_line is None and "suggestion" not in comment.body
    assert "A fix exists (safe)" in comment.body
    [none] = plan([finding(4, fix=fix)], suggestions=False).comments
    assert "suggestion" not in none.body


def test_keys_ignore_line_numbers_and_number_repeats():
    moved = keyed([finding(4, snippet="x == None")])[0][0]
    assert keyed([finding(9, snippet="x == None")])[0][0] == moved
    twice = [k for k, _ in keyed([finding(4, snippet="s"), finding(9, snippet="s")])]
    assert twice[1] == f"{twice[0]}-2"


def test_rerun_posts_nothing_already_commented_and_marks_what_is_gone():
    first = plan([finding(4, snippet="x == None")])
    [comment] = first.comments
    prior = [PriorComment(7, comment.key, "a.py", fixed=False),
             PriorComment(8, "gone", "a.py", fixed=False),
             PriorComment(9, "old", "a.py", fixed=True),
             PriorComment(10, "skipped-file", "big.py", fixed=False)]  # fmt: skip
    # big.py is in the diff but was not analysed (too large): its comment stays open.
    diff = parse_unified_diff(PATCH + "--- a/big.py\n+++ b/big.py\n")
    again = plan_review([finding(4, snippet="x == None")], diff, {"a.py": TEXT}, prior,
                        PlanOptions())  # fmt: skip
    assert again.comments == [] and again.already_commented == 1
    assert [c.id for c in again.fixed] == [8]


def test_cap_keeps_the_most_severe_and_overflows_the_rest():
    found = [finding(4, rule=f"W{n}", snippet=str(n)) for n in range(5)]
    found.append(finding(4, rule="E9", severity=Severity.ERROR, snippet="e"))
    capped = plan(found, max_comments=2)
    assert len(capped.comments) == 2 and len(capped.overflow) == 4
    assert "E9" in {c.finding.rule for c in capped.comments}
    assert len(capped.reported) == 6
    assert plan(found, max_comments=0).comments == []
    # Open comments from earlier runs count against the cap: a re-run adds nothing more.
    prior = [PriorComment(n, c.key, "a.py", fixed=False) for n, c in enumerate(capped.comments)]
    again = plan(found, prior, max_comments=2)
    assert again.comments == [] and len(again.overflow) == 4


def test_fixes_are_attached_only_to_the_findings_that_become_comments():
    # Three findings on the added line 4, cap of two: the third goes to the overflow.
    found = [finding(4, rule=f"E{n}", snippet=f"s{n}") for n in (1, 2, 3)] + [finding(20)]
    asked: list[list[str]] = []
    edit = TextEdit(4, 3, 4, 5, "is")

    def attach(shown):
        asked.append([f.rule for f in shown])
        return [replace(f, fix=Fix("Use `is`", (edit,))) if f.rule == "E1" else f for f in shown]

    options = PlanOptions(max_comments=2)
    result = plan_with_fixes(found, DIFF, {"a.py": TEXT}, (), options, attach)
    assert asked == [["E1", "E2"]]  # not the overflowed E3, not line 20 outside the diff
    by_rule = {c.finding.rule: c for c in result.comments}
    assert set(by_rule) == {"E1", "E2"}
    assert "```suggestion\nx is None\n```" in by_rule["E1"].body
    assert [f.rule for f in result.overflow] == ["E3"]
    # the same comments, keys and overflow as the plan without fixes
    bare = plan_review(found, DIFF, {"a.py": TEXT}, (), options)
    assert [c.key for c in bare.comments] == [c.key for c in result.comments]
    assert bare.overflow == result.overflow


def test_no_attach_call_when_nothing_is_posted():
    def attach(shown):
        raise AssertionError("called")

    options = PlanOptions(filter_mode=FilterMode.FILE)
    result = plan_with_fixes([finding(20)], DIFF, {"a.py": TEXT}, (), options, attach)
    assert result.comments == [] and len(result.outside_diff) == 1
