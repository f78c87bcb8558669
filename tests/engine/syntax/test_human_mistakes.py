"""The human-mistakes corpus through the engine: the diagnosis names the culprit line, and the
repair riding on it is the one a reviewer would accept; when intent is ambiguous there is none,
or only a guess (a suggestion for a person, never applied as a fix)."""

import sys
from pathlib import Path

import pytest
from compiling import compiles

from ghbot.engine.analysis.syntax import RULES, check_syntax
from ghbot.engine.fixes.syntax_repair import repair
from ghbot.engine.models import SourceFile, apply_edits

sys.path.insert(0, str(Path(__file__).parent))
from human_cases import CASES, HELD_OUT  # noqa: E402 - a data module beside this test

ALL = CASES + HELD_OUT
BY_NAME = {case.name: case for case in ALL}


def test_corpus_is_well_formed():
    assert len(BY_NAME) == len(ALL), "case names must be unique"
    for case in ALL:
        assert not compiles(case.broken), case.name
        assert case.expected is None or compiles(case.expected), case.name
        assert case.rule is None or case.rule in RULES, case.name


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_diagnosis_points_at_the_culprit_and_repair_keeps_intent(name):
    case = BY_NAME[name]
    findings = check_syntax(SourceFile("case.py", case.broken))
    assert findings, "a broken file must be reported"
    first = findings[0]
    assert first.line == case.line, first.message
    if case.rule is not None:
        assert first.rule == case.rule
        assert not first.message.startswith("invalid syntax"), "a plain message is expected"
    if case.expected is None:
        assert all(f.fix is None or f.fix.applicability == "unsafe" for f in findings), first.fix
    else:
        assert first.fix is not None
        assert first.fix.applicability == "safe", first.fix.description
        assert apply_edits(case.broken, first.fix.edits) == case.expected


@pytest.mark.parametrize("name", [case.name for case in ALL if case.expected is None])
def test_ambiguous_cases_get_no_confident_repair_from_the_api_either(name):
    assert not any(r.confident for r in repair(BY_NAME[name].broken))


def test_merge_conflict_is_named_even_below_other_code():
    text = "def f():\n    return 1\n\n\n<<<<<<< HEAD\nX = 1\n=======\nX = 2\n>>>>>>> main\n"
    first = check_syntax(SourceFile("m.py", text))[0]
    assert (first.rule, first.line, first.fix) == ("syntax/merge-conflict", 5, None)
    assert "merge conflict" in first.message


def test_equals_rule_in_a_docstring_is_not_a_conflict():
    text = 'def f():\n    """Title\n=======\n    """\n    return (1\n'
    first = check_syntax(SourceFile("d.py", text))[0]
    assert first.rule == "syntax/unclosed-bracket"
    assert first.fix is not None
