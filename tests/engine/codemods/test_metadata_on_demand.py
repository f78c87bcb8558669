"""Scope analysis costs about twenty LibCST parses: a codemod resolves it only when some node
passes its syntactic checks, and the finding's fix needs only syntactic positions."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import (
    MetadataWrapper,
    QualifiedNameProvider,
    ScopeProvider,
    WhitespaceInclusivePositionProvider,
)

from ghbot.engine.fixes.codemods import run_codemods
from ghbot.engine.fixes.codemods.none_comparison import NoneComparison
from ghbot.engine.fixes.codemods.subprocess_shell import SubprocessShellConstant
from ghbot.engine.models import SourceFile, apply_edits


class Recording(MetadataWrapper):
    def __init__(self, module: cst.Module) -> None:
        super().__init__(module, unsafe_skip_copy=True)
        self.resolved: list[type] = []

    def resolve(self, provider):  # type: ignore[no-untyped-def]
        self.resolved.append(provider)
        return super().resolve(provider)


def _wrapper(text: str) -> Recording:
    return Recording(cst.parse_module(text))


def test_no_scope_analysis_when_no_call_could_be_a_site() -> None:
    wrapper = _wrapper("import subprocess\n\ndef run(cmd):\n    subprocess.run(cmd, shell=True)\n")
    assert SubprocessShellConstant.find(wrapper) == []
    assert not {ScopeProvider, QualifiedNameProvider} & set(wrapper.resolved)


def test_names_are_resolved_once_a_call_passes_the_syntactic_checks() -> None:
    text = "import subprocess as sp\n\nsp.run('ls -l', shell=True)\nrun('ls', shell=True)\n"
    wrapper = _wrapper(text)
    sites = SubprocessShellConstant.find(wrapper)
    assert [wrapper.module.code_for_node(s.node) for s in sites] == ["sp.run('ls -l', shell=True)"]
    assert QualifiedNameProvider in wrapper.resolved


def test_none_comparison_needs_no_metadata_and_tells_truth_contexts_apart() -> None:
    text = "if not (a == None or b):\n    pass\nx = [a == None]\nassert c != None\n"
    wrapper = _wrapper(text)
    sites = NoneComparison.find(wrapper)
    assert wrapper.resolved == []
    assert [s.applicability for s in sites] == ["safe", "unsafe", "safe"]


def test_an_operator_fix_is_placed_without_whitespace_inclusive_positions(monkeypatch) -> None:
    def refuse(self, provider):  # type: ignore[no-untyped-def]
        assert provider is not WhitespaceInclusivePositionProvider
        return original(self, provider)

    original = MetadataWrapper.resolve
    monkeypatch.setattr(MetadataWrapper, "resolve", refuse)
    text = "def f(x):\n    if x  ==  None:\n        return (x != None)\n"
    findings = run_codemods(SourceFile("a.py", text))
    assert [f.line for f in findings] == [2, 3]
    fixed = apply_edits(text, [e for f in findings for e in f.fix.edits])
    assert fixed == "def f(x):\n    if x  is  None:\n        return (x is not None)\n"


def test_syntactic_checks_first_survive_calls_that_are_not_open() -> None:
    # A bytes "mode" in another function's call once reached the mode check before the name was.
    text = 'import zipfile\n\nzipfile.ZipFile("a").open("x", b"r")\nopen("y", "r")\n'
    findings = run_codemods(SourceFile("a.py", text), ["HEP105"])
    assert [(f.rule, f.line) for f in findings] == [("HEP105", 4)]
