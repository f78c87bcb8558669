"""Minimal edits, unified diffs git accepts, and run_codemods' finding shape and prefilter."""

from __future__ import annotations

import subprocess
from pathlib import Path

import libcst
import pytest

from ghbot.engine.fixes.codemods import run_codemods
from ghbot.engine.fixes.patch import edits_between, unified_diff
from ghbot.engine.models import SourceFile, TextEdit, apply_edits


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("a\nb\nc\n", "a\nB\nc\n"),
        ("x = 1\n", "x = 1\ny = 2\n"),
        ("x = 1\ny = 2\n", "y = 2\n"),
        ("no newline", "no newline at all"),
        ("form\x0cfeed\nline\n", "form\x0cfeed\nLINE\n"),
        ("", "new\n"),
        ("a\r\nb\r\n", "a\r\nc\r\n"),
    ],
)
def test_edits_between_round_trips(before: str, after: str) -> None:
    assert apply_edits(before, edits_between(before, after)) == after


def test_edits_are_trimmed_to_the_changed_characters() -> None:
    assert edits_between("if x == None:\n", "if x is None:\n") == (TextEdit(1, 6, 1, 8, "is"),)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("a\nb\n", "a\nc\n"),
        ("a\nb", "a\nc"),  # no final newline on either side
        ("a\nb", "a\nb\n"),
        ("a\r\nb\r\n", "a\r\nc\r\n"),
    ],
)
def test_unified_diff_applies_with_git(tmp_path: Path, before: str, after: str) -> None:
    (tmp_path / "f.py").write_bytes(before.encode())
    (tmp_path / "p.diff").write_bytes(unified_diff("f.py", before, after).encode())
    done = subprocess.run(
        ["git", "apply", "p.diff"], cwd=tmp_path, capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "f.py").read_bytes() == after.encode()


def test_unified_diff_of_equal_texts_is_empty() -> None:
    assert unified_diff("f.py", "x\n", "x\n") == ""


def test_finding_shape_and_suggestion_edit() -> None:
    text = "def f(x):\n    try:\n        return x == None\n    except:\n        pass\n"
    findings = run_codemods(SourceFile("pkg/m.py", text))
    assert [(f.rule, f.line, f.column, f.end_line, f.end_column) for f in findings] == [
        ("HEP102", 3, 16, 3, 25),
        ("HEP104", 4, 5, 4, 11),
    ]
    first = findings[0]
    assert first.source == "codemod" and first.path == "pkg/m.py"
    assert first.snippet == "x == None"
    assert first.fix is not None and first.fix.applicability == "unsafe"  # a returned value
    assert first.fix.edits == (TextEdit(3, 18, 3, 20, "is"),)
    # Everything outside the edit is untouched byte for byte.
    fixed = apply_edits(text, first.fix.edits)
    assert fixed == text.replace("x == None", "x is None")


def test_select_by_name_and_prefix() -> None:
    text = "if x == None:\n    pass\ntry:\n    pass\nexcept:\n    pass\n"
    file = SourceFile("m.py", text)
    assert {f.rule for f in run_codemods(file, ["none-comparison"])} == {"HEP102"}
    assert {f.rule for f in run_codemods(file, ["HEP1"])} == {"HEP102", "HEP104"}
    assert run_codemods(file, ["F401"]) == []


def test_unparsable_file_has_no_codemod_findings() -> None:
    assert run_codemods(SourceFile("m.py", "if x == None\n    pass\n")) == []


def test_prefilter_skips_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = libcst.parse_module

    def counting(text: str, *args: object, **kwargs: object) -> libcst.Module:
        calls.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(libcst, "parse_module", counting)
    assert run_codemods(SourceFile("m.py", "x = compute(1)\nprint(x)\n")) == []
    assert calls == []
    run_codemods(SourceFile("m.py", "y = x == None\n"))
    assert len(calls) == 1


SITES = """\
import datetime
import subprocess

import requests
import yaml


def f(a, b=[], c={}):
    if a == None or b != None:
        return yaml.load(open("x"))
    try:
        subprocess.run("ls", shell=True)
        requests.get("https://example.com")
    except:
        return datetime.datetime.utcnow()
"""


def test_each_findings_own_fix_is_the_whole_module_rewrite_of_its_site() -> None:
    from libcst.metadata import MetadataWrapper

    from ghbot.engine.fixes.codemods.base import apply_sites
    from ghbot.engine.fixes.codemods.registry import CODEMODS

    found = run_codemods(SourceFile("m.py", SITES))
    assert {f.rule for f in found} >= {"HEP101", "HEP102", "HEP103", "HEP104", "HEP105"}
    by_rule: dict[str, list] = {}
    for finding in found:
        by_rule.setdefault(finding.rule, []).append(finding)
    for codemod in CODEMODS:
        sites = codemod.find(MetadataWrapper(libcst.parse_module(SITES), unsafe_skip_copy=True))
        for site, finding in zip(sites, by_rule.get(codemod.id, []), strict=True):
            module = libcst.parse_module(SITES)
            wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
            (again,) = [s for s in codemod.find(wrapper) if s.message == site.message][:1]
            expected = apply_sites(wrapper.module, [again])
            assert apply_edits(SITES, finding.fix.edits) == expected, finding.rule


def test_hundreds_of_sites_in_one_file_each_get_their_own_fix() -> None:
    text = "".join(f"if x{i} == None:\n    pass\n" for i in range(300))
    found = run_codemods(SourceFile("many.py", text), select=["HEP102"])
    assert len(found) == 300
    for i in (0, 150, 299):
        fixed = apply_edits(text, found[i].fix.edits)
        assert f"x{i} is None" in fixed and fixed.count("== None") == 299


def test_whole_module_fixes_are_bounded_per_file() -> None:
    from ghbot.engine.fixes.codemods.runner import MAX_MODULE_FIXES

    # A mutable default is fixed in two places (the default and the body): a module rewrite.
    text = "".join(f"def f{i}(a=[]):\n    return a\n" for i in range(MAX_MODULE_FIXES + 5))
    found = run_codemods(SourceFile("defaults.py", text), select=["HEP103"])
    assert len(found) == MAX_MODULE_FIXES + 5
    assert sum(f.fix is not None for f in found) == MAX_MODULE_FIXES
