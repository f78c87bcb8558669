"""`/hephaestus explain RULE` from each source: own rules, real ruff, triage rules."""

from __future__ import annotations

import pytest

from ghbot.commands.explain import UnknownRule, explain


async def test_ruff_rules_come_from_the_installed_ruff():
    text = await explain("e501")
    assert text.startswith("### `E501` line-too-long (ruff, pycodestyle)")
    assert "## Why is this bad?" in text
    assert "https://docs.astral.sh/ruff/rules/line-too-long/" in text


async def test_own_rules_say_what_and_how_to_fix():
    codemod = await explain("hep104")
    assert codemod.startswith("### `HEP104` (codemod, warning)")
    assert "`/hephaestus fix` applies this rewrite" in codemod
    assert "\n    " not in codemod  # docstring indentation removed
    workflow = await explain("workflow/script-injection")
    assert "(workflows, error)" in workflow and "security hardening" in workflow
    secret = await explain("secrets/aws-access-key-id")
    assert "Revoke and rotate" in secret


async def test_triage_rules_explain_why_and_fix():
    text = await explain("pip-build-failed")
    assert "(CI failure rule, dependency)" in text
    assert "**Why**:" in text and "**Fix**:" in text


@pytest.mark.parametrize("rule", ["E9999", "nope", "x" * 60])
async def test_unknown_rules_are_refused_with_suggestions(rule):
    with pytest.raises(UnknownRule, match="I know no rule"):
        await explain(rule)


async def test_near_misses_are_suggested():
    with pytest.raises(UnknownRule, match="Did you mean `secrets/aws-access-key-id`"):
        await explain("secrets/aws-access-key")
