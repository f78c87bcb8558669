"""The fix pipeline with the real ruff: order, safe/unsafe, syntax-only, and the rule that a fix
which adds a finding is dropped (bisected away from the fixes that are fine)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ghbot.engine.fixes.pipeline import FixOptions, compiles, fix_file
from ghbot.engine.fixes.ruff_stdin import RuffOnText
from ghbot.engine.models import SourceFile

MIXED = '''import os
import sys


def f(a, b=[]):
    if a == None:
        print(sys.argv, b)
'''


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ruff]\nline-length = 60\n[tool.ruff.lint]\nselect = ["E", "F", "W"]\n'
    )
    return tmp_path


def test_safe_fixes_only_by_default(root: Path) -> None:
    result = fix_file(SourceFile("m.py", MIXED), FixOptions(), RuffOnText(root))
    assert result.after == MIXED.replace("import os\n", "").replace("a == None", "a is None")
    assert [(a.rule, a.source) for a in result.applied] == [("F401", "ruff"), ("HEP102", "codemod")]
    assert result.dropped == []


def test_unsafe_also_applies_suggestions(root: Path) -> None:
    result = fix_file(SourceFile("m.py", MIXED), FixOptions(unsafe=True), RuffOnText(root))
    assert "def f(a, b=None):\n    if b is None:\n        b = []\n" in result.after
    assert "HEP103" in {a.rule for a in result.applied}
    # ruff's own B006/E711 fixes are left to the codemods that supersede them
    assert {a.source for a in result.applied if a.rule.startswith(("B", "E7"))} == set()


def test_fix_that_adds_a_finding_is_dropped_and_the_rest_kept(root: Path) -> None:
    # Adding encoding="utf-8" pushes the second line past 60 columns (E501): that one site is
    # dropped, the short one is applied.
    text = 'a = open("x")\nb = open("a-rather-long-file-name-for-this-test.txt")\n'
    result = fix_file(
        SourceFile("m.py", text), FixOptions(select=("HEP105",), unsafe=True), RuffOnText(root)
    )
    assert result.after == (
        'a = open("x", encoding="utf-8")\n'
        'b = open("a-rather-long-file-name-for-this-test.txt")\n'
    )
    assert [(d.rule, d.line, d.reason) for d in result.dropped] == [
        ("HEP105", 2, "it introduces E501")
    ]


def test_select_syntax_repairs_syntax_alone(root: Path) -> None:
    text = "import os\ndef f(x)\n    return x == None\n"
    result = fix_file(SourceFile("m.py", text), FixOptions(select=("syntax",)), RuffOnText(root))
    assert result.after == "import os\ndef f(x):\n    return x == None\n"
    assert [a.source for a in result.applied] == ["syntax"]


def test_syntax_first_then_the_rest(root: Path) -> None:
    text = "import os\ndef f(x)\n    return x\n"
    result = fix_file(SourceFile("m.py", text), FixOptions(), RuffOnText(root))
    assert compiles(result.after) and "import os" not in result.after
    assert [a.source for a in result.applied] == ["syntax", "ruff"]


def test_unrepairable_file_is_left_alone(root: Path) -> None:
    text = "<<<<<<< HEAD\nx = 1\n=======\nx = 2\n>>>>>>> main\n"  # never guessed at
    result = fix_file(SourceFile("m.py", text), FixOptions(), RuffOnText(root))
    assert result.after == text and result.problem is not None


def test_pipeline_is_idempotent(root: Path) -> None:
    lint = RuffOnText(root)
    once = fix_file(SourceFile("m.py", MIXED), FixOptions(unsafe=True), lint).after
    again = fix_file(SourceFile("m.py", once), FixOptions(unsafe=True), lint)
    assert again.after == once and again.applied == []


def test_a_syntax_guess_is_applied_only_when_guesses_are_allowed(root: Path) -> None:
    text = "from os impor path\n"  # 'import' misspelt: a guess, however likely
    lint = RuffOnText(root)
    applied = fix_file(SourceFile("m.py", text), FixOptions(select=("syntax",)), lint)
    assert applied.after == "from os import path\n"
    assert "a guess" in applied.applied[0].description
    held = fix_file(
        SourceFile("m.py", text), FixOptions(select=("syntax",), syntax_guesses=False), lint
    )
    assert held.after == text and not held.applied
    assert held.problem is not None and "offered as a suggestion" in held.problem
    sure = fix_file(
        SourceFile("m.py", "def f(a)\n    return a\n"),
        FixOptions(select=("syntax",), syntax_guesses=False),
        lint,
    )
    assert sure.after == "def f(a):\n    return a\n"
