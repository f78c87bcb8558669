"""`attach_codemod_fixes`: the fixes of ruff-detected codemod findings, computed afterwards for
the findings a caller shows, equal the ones the full LibCST analysis gives."""

from __future__ import annotations

from ghbot.engine.analysis.run import AnalysisOptions, analyse_files, attach_codemod_fixes
from ghbot.engine.models import SourceFile

TEXT = """import subprocess

import yaml


def f(x, cmd, y=[]):
    if x == None or (None != y):
        subprocess.run("ls -l", shell=True, check=True)
    subprocess.run(cmd, shell=True, check=False)
    return yaml.load(open("a.txt"), Loader=yaml.Loader)
"""
FILES = [SourceFile("a.py", TEXT), SourceFile("b.py", TEXT.replace("ls -l", "git status"))]


def test_attached_fixes_equal_the_full_analysis_and_findings_keep_their_identity():
    full = analyse_files(FILES).findings
    bare = analyse_files(FILES, AnalysisOptions(codemod_fixes=False)).findings
    codemod = [f for f in bare if f.source == "codemod"]
    assert codemod and all(f.fix is None for f in codemod)
    attached = attach_codemod_fixes(FILES, bare)
    assert [(f.rule, f.line, f.column, f.fingerprint) for f in attached] == [
        (f.rule, f.line, f.column, f.fingerprint) for f in bare
    ]
    expected = {(f.path, f.rule, f.line, f.fix) for f in full if f.source == "codemod"}
    got = {(f.path, f.rule, f.line, f.fix) for f in attached if f.source == "codemod"}
    assert got == expected
    assert all(f.fix is not None for f in attached if f.source == "codemod")


def test_a_command_built_at_run_time_stays_ruffs_error_in_both_modes():
    for fixes in (True, False):
        findings = analyse_files(FILES[:1], AnalysisOptions(codemod_fixes=fixes)).findings
        on_line_9 = {(f.rule, f.severity.value) for f in findings if f.line == 9}
        assert on_line_9 == {("S602", "error")}


def test_only_the_given_findings_files_are_parsed(monkeypatch):
    import ghbot.engine.fixes.codemods.parallel as codemods

    parsed: list[str] = []
    real = codemods.run_isolated

    def spy(function, items, **kwargs):  # LibCST runs in worker processes: spy on what they get
        parsed.extend(file.path for file, _ in items)
        return real(function, items, **kwargs)

    monkeypatch.setattr(codemods, "run_isolated", spy)
    bare = analyse_files(FILES, AnalysisOptions(codemod_fixes=False)).findings
    assert parsed == []
    shown = [f for f in bare if f.path == "b.py" and f.rule == "HEP102"][:1]
    [fixed] = attach_codemod_fixes(FILES, shown)
    assert parsed == ["b.py"] and fixed.fix is not None and fixed.fix.description == "Use `is`"
    assert attach_codemod_fixes(FILES, [f for f in bare if f.source != "codemod"]) is not None
    assert parsed == ["b.py"]  # nothing to fix: no parse
