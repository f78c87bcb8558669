"""check_syntax: rules, precise locations and plain messages, several errors per file."""

import pytest

from ghbot.engine.analysis.syntax import RULES, check_syntax
from ghbot.engine.models import Severity, SourceFile, apply_edits


def check(text: str):
    return check_syntax(SourceFile("pkg/mod.py", text))


def test_valid_file_has_no_findings():
    assert check("def f(x):\n    return x\n") == []
    assert check("") == []


def test_bracket_left_open_far_above_points_at_the_opening_bracket():
    text = (
        "def load(path):\n"
        "    data = read(path,\n"
        "                encoding='utf-8'\n"
        "    for line in data:\n"
        "        yield line\n"
    )
    [finding] = check(text)
    assert finding.rule == "syntax/unclosed-bracket"
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (2, 16, 2, 17)
    assert "never closed" in finding.message and "')'" in finding.message
    assert finding.fix is not None and finding.fix.applicability == "safe"
    fixed = apply_edits(text, finding.fix.edits)
    assert "encoding='utf-8')\n" in fixed


def test_mixed_tabs_and_spaces_names_the_line_indentation():
    [finding] = check("if x:\n\ty = 1\n        z = 2\n")
    assert finding.rule == "syntax/tabs-and-spaces"
    assert (finding.line, finding.column, finding.end_column) == (3, 1, 9)
    assert "tabs and spaces" in finding.message


@pytest.mark.parametrize(
    ("text", "rule", "column"),
    [
        ("print 'hello'\n", "syntax/python2-print", 1),
        ("exec 'x = 1'\n", "syntax/python2-exec", 1),
        ("try:\n    pass\nexcept IOError, error:\n    pass\n", "syntax/python2-except", 8),
        ("x = `value`\n", "syntax/python2-backticks", 5),
        ("if a <> b:\n    pass\n", "syntax/python2-ne", 6),
        ("raise KeyError, 'k'\n", "syntax/python2-raise", 15),
        ("mode = 0644\n", "syntax/python2-octal", 8),
    ],
)
def test_python2_idioms_get_their_own_rule(text, rule, column):
    finding = check(text)[0]
    assert finding.rule == rule
    assert finding.column == column
    assert "Python 2" in finding.message
    assert finding.fix is not None


def test_each_error_of_a_file_is_reported_at_its_own_place():
    text = (
        "def main(argv)\n"  # 1: missing colon
        "    items = [1 2]\n"  # 2: missing comma
        "    total = sum(items\n"  # 3: unclosed
        "    print total\n"  # 4: python 2 print
        "    return 'done\n"  # 5: unterminated string
    )
    findings = check(text)
    assert [(f.rule, f.line) for f in findings] == [
        ("syntax/missing-colon", 1),
        ("syntax/missing-comma", 2),
        ("syntax/unclosed-bracket", 3),
        ("syntax/python2-print", 4),
        ("syntax/unterminated-string", 5),
    ]
    assert findings[0].column == 15
    assert findings[2].column == 16
    assert all(f.severity is Severity.ERROR and f.source == "syntax" for f in findings)
    assert all(f.rule in RULES for f in findings)
    # Only the first finding carries the repair; it fixes the whole file.
    assert findings[0].fix is not None and all(f.fix is None for f in findings[1:])
    fixed = apply_edits(text, findings[0].fix.edits)
    compile(fixed, "<fixed>", "exec", dont_inherit=True)
    assert "print(total)" in fixed and "return 'done'" in fixed


def test_indentation_messages_stay_plain():
    [finding] = check("for x in y:\nprint(x)\n")
    assert finding.rule == "syntax/indentation"
    assert finding.message == "expected an indented block after 'for' statement on line 1"
    assert finding.line == 2


def test_an_error_no_edit_repairs_gets_only_the_last_resort_as_a_suggestion():
    [finding] = check("return 42\n")
    assert finding.rule == "syntax/invalid-syntax"
    assert finding.message == "'return' outside function"
    assert finding.fix is not None and finding.fix.applicability == "unsafe"
    assert "comment out" in finding.fix.description
    assert [edit.content for edit in finding.fix.edits] == ["# "]


def test_null_bytes_are_located():
    [finding] = check("x = 1\ny = 2\0\n")
    assert finding.rule == "syntax/invalid-character"
    assert (finding.line, finding.column) == (2, 6)


@pytest.mark.timeout(60)
def test_huge_and_deeply_nested_inputs_give_one_clear_finding():
    [deep] = check("x = " + "(" * 5000 + "1\n")
    assert deep.message == "too many nested parentheses" and deep.fix is None
    [huge] = check("x = [" + "1, " * 700_000 + "\n")  # one 2 MB line
    assert huge.rule == "syntax/unclosed-bracket"
    assert (huge.line, huge.column) == (1, 5)


def test_snippet_feeds_a_stable_fingerprint():
    first = check("x = (1,\n")[0]
    moved = check("\n\n\nx = (1,\n")[0]
    assert first.line != moved.line
    assert first.fingerprint == moved.fingerprint


@pytest.mark.parametrize(("text", "missed"), [
    ("try:\n    pass\nexcept ValueError, TypeError:\n    pass\n", True),  # 3.14 only
    ("try:\n    pass\n\texcept ValueError, TypeError:\n    pass\n", True),  # still broken here
    ("try:\n    pass\nexcept (ValueError, TypeError):\n    pass\n", False),
    ("x = 1  # except ValueError, TypeError:\n", False),  # not at a line's start
    ("s = 'except A, B'\ntry:\n    pass\nexcept A, B:\n    pass\n", True),
    ("def f():\n    return 1\n", False),
])
def test_ruff_misses_finds_what_only_ruff_accepts(text, missed):
    from ghbot.engine.analysis.syntax_gate import ruff_misses

    assert ruff_misses(text) is missed
