"""Safe fixes as suggestion blocks: exactly the commented lines, after the edits."""

from __future__ import annotations

from ghbot.engine.models import Finding, Fix, Severity, TextEdit
from ghbot.engine.review.suggestions import Suggestion, suggestion_for

TEXT = "import sys\nimport os\n\nif x == None:\n    pass\n"


def _finding(*edits: TextEdit, applicability="safe", line=1) -> Finding:
    fix = Fix("fix it", tuple(edits), applicability) if edits else None
    return Finding("R1", Severity.WARNING, "m", "a.py", line, 1, line, 2, "ruff", fix)


def test_single_line_edit_gives_the_whole_new_line():
    finding = _finding(TextEdit(4, 6, 4, 8, "is"), line=4)
    assert suggestion_for(finding, TEXT) == Suggestion(4, 4, "if x is None:")


def test_multi_line_edit_ending_at_column_one_stops_before_that_line():
    finding = _finding(TextEdit(1, 1, 4, 1, "import os\nimport sys\n\n"))
    suggestion = suggestion_for(finding, TEXT)
    assert suggestion == Suggestion(1, 3, "import os\nimport sys\n")
    assert suggestion.markdown() == "```suggestion\nimport os\nimport sys\n\n```"


def test_deleting_a_whole_line_is_an_empty_suggestion():
    suggestion = suggestion_for(_finding(TextEdit(1, 1, 2, 1, "")), TEXT)
    assert suggestion == Suggestion(1, 1, "")
    assert suggestion.markdown() == "```suggestion\n```"


def test_unsafe_missing_conflicting_or_no_op_fixes_give_none():
    assert suggestion_for(_finding(), TEXT) is None
    unsafe = _finding(TextEdit(4, 6, 4, 8, "is"), applicability="unsafe")
    assert suggestion_for(unsafe, TEXT) is None
    overlapping = _finding(TextEdit(4, 1, 4, 5, "a"), TextEdit(4, 3, 4, 6, "b"))
    assert suggestion_for(overlapping, TEXT) is None
    assert suggestion_for(_finding(TextEdit(4, 6, 4, 8, "==")), TEXT) is None
    assert suggestion_for(_finding(TextEdit(40, 1, 40, 2, "x")), TEXT) is None


def test_a_fix_joining_two_lines_is_not_a_suggestion():
    joined = _finding(TextEdit(1, 11, 2, 1, " "))  # removes the newline after line 1
    assert suggestion_for(joined, TEXT) is None


def test_backticks_in_the_replacement_get_a_longer_fence():
    text = "s = 'a'\n"
    suggestion = suggestion_for(_finding(TextEdit(1, 5, 1, 8, "'```'")), text)
    assert suggestion.markdown() == "````suggestion\ns = '```'\n````"


def test_crlf_and_a_last_line_without_newline():
    text = "a = 1\r\nb == None"
    suggestion = suggestion_for(_finding(TextEdit(2, 3, 2, 5, "is"), line=2), text)
    assert suggestion == Suggestion(2, 2, "b is None")


def test_a_syntax_guess_is_offered_as_a_suggestion_through_the_same_engine():
    from ghbot.engine.analysis.syntax import check_syntax
    from ghbot.engine.models import SourceFile

    text = "from os impor path\n"
    [finding] = check_syntax(SourceFile("a.py", text))
    assert finding.fix is not None and finding.fix.applicability == "unsafe"
    assert "a guess" in finding.fix.description
    assert suggestion_for(finding, text) == Suggestion(1, 1, "from os import path")
