import pytest

from ghbot.engine.models import EditConflict, Finding, Severity, TextEdit, apply_edits


def test_apply_edits_replaces_inserts_and_deletes_across_lines():
    text = "def f(x)\n    return x ==  None\n"
    edits = [
        TextEdit(1, 9, 1, 9, ":"),
        TextEdit(2, 14, 2, 22, "is None"),
    ]
    assert apply_edits(text, edits) == "def f(x):\n    return x is None\n"


def test_apply_edits_can_append_past_the_last_line():
    assert apply_edits("a\n", [TextEdit(2, 1, 2, 1, "b\n")]) == "a\nb\n"


def test_apply_edits_rejects_overlaps_and_out_of_range():
    with pytest.raises(EditConflict):
        apply_edits("abcdef\n", [TextEdit(1, 1, 1, 4, "x"), TextEdit(1, 3, 1, 5, "y")])
    with pytest.raises(EditConflict):
        apply_edits("abc\n", [TextEdit(9, 1, 9, 2, "x")])


def test_fingerprint_ignores_position_but_not_rule_path_or_text():
    def finding(line, rule="F401", path="a.py", snippet="import os"):
        return Finding(
            rule, Severity.ERROR, "unused", path, line, 1, line, 10, "ruff", snippet=snippet
        )

    assert finding(3).fingerprint == finding(40).fingerprint
    assert finding(3).fingerprint != finding(3, rule="F811").fingerprint
    assert finding(3).fingerprint != finding(3, path="b.py").fingerprint
    assert finding(3).fingerprint != finding(3, snippet="import sys").fingerprint
