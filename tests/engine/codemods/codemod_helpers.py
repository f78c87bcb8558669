"""Helpers for codemod before/after tests."""

from __future__ import annotations

from ghbot.engine.fixes.codemods import run_codemods
from ghbot.engine.fixes.codemods.registry import selected
from ghbot.engine.fixes.codemods.runner import apply_codemod
from ghbot.engine.models import Finding, SourceFile, apply_edits


def findings(text: str, rule: str) -> list[Finding]:
    return run_codemods(SourceFile("example.py", text), select=[rule])


def fix_all(text: str, rule: str) -> str:
    """Every site of the codemod applied at once, as `hephaestus fix` does."""
    (codemod,) = selected([rule])
    fixed, _ = apply_codemod(text, codemod)
    return fixed


def fix_one(text: str, finding: Finding) -> str:
    """One finding's own edits applied, as a review suggestion would."""
    assert finding.fix is not None
    return apply_edits(text, finding.fix.edits)
