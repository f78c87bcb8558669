"""`/hephaestus explain RULE`: what a rule means, why it matters, how to fix it, as markdown.

Sources, in order: the project's own rules (syntax, secrets, workflows, codemods) from the
analysis catalog; ruff's rules from `ruff rule CODE --output-format json` (the installed ruff
describes exactly the rules it reports); the built-in known-failure rules of the triage engine.
"""

from __future__ import annotations

import asyncio
import difflib
import json
import re
from functools import cache

from ghbot.commands.registry import CommandCall, UsageError, command
from ghbot.engine.render import escape_inline, truncate_middle

RUFF_TIMEOUT = 15.0
MAX_EXPLANATION = 6000
_RUFF_CODE = re.compile(r"[A-Z]{1,4}[0-9]{1,4}")


class UnknownRule(LookupError):
    """No source knows the rule; the message suggests near names."""


@cache
def _own_rules() -> dict[str, tuple[str, str, str, str]]:
    """id -> (source, severity, summary, explanation) for the project's own analysis rules."""
    from ghbot.engine.analysis.rules import own_rules

    return {
        # Codemod explanations come from docstrings: drop their indentation.
        r.id: (
            r.source,
            r.severity.value,
            r.summary,
            "\n".join(map(str.strip, r.explanation.splitlines())),
        )
        for r in own_rules()
    }


@cache
def _triage_rules() -> dict[str, tuple[str, str, str, str, str | None]]:
    """id -> (title, category, explanation, fix, docs) for the built-in known-failure rules."""
    from ghbot.engine.triage.rules import load_catalog

    return {r.id: (r.title, r.category, r.explanation, r.fix, r.docs) for r in load_catalog().rules}


async def _ruff_rule(code: str) -> dict[str, object] | None:
    from ruff.__main__ import find_ruff_bin

    proc = await asyncio.create_subprocess_exec(
        find_ruff_bin(), "rule", code, "--output-format", "json",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), RUFF_TIMEOUT)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    if proc.returncode != 0:
        return None  # ruff knows no such rule
    data = json.loads(out)
    return data if isinstance(data, dict) else None


def _section(title: str, text: str) -> str:
    return f"**{title}**: {text.strip()}\n" if text.strip() else ""


def _long(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    return truncate_middle(text, MAX_EXPLANATION) + "\n"


def _suggest(rule: str) -> str:
    known = [*_own_rules(), *_triage_rules()]
    near = difflib.get_close_matches(rule, known, n=3, cutoff=0.6)
    return f" Did you mean {', '.join(f'`{n}`' for n in near)}?" if near else ""


async def explain(rule: str) -> str:
    """The markdown explanation of `rule`; UnknownRule when nobody knows it."""
    own = _own_rules().get(rule)
    if own is None:  # ids are case-sensitive but people type `hep104`
        lowered = {k.lower(): k for k in _own_rules()}
        if rule.lower() in lowered:
            rule = lowered[rule.lower()]
            own = _own_rules()[rule]
    if own is not None:
        source, severity, summary, explanation = own
        return (
            f"### `{rule}` ({source}, {severity})\n\n{summary}\n\n"
            + _long(explanation)
            + _how_to_fix(source)
        )
    if _RUFF_CODE.fullmatch(rule.upper()):
        data = await _ruff_rule(rule.upper())
        if data is not None:
            code, name = str(data.get("code", rule.upper())), str(data.get("name", ""))
            head = f"### `{code}` {escape_inline(name)} (ruff, {data.get('linter', 'ruff')})\n\n"
            return (
                head
                + _long(str(data.get("explanation") or data.get("summary") or ""))
                + _section("Fix", str(data.get("fix") or ""))
                + f"\nDocs: https://docs.astral.sh/ruff/rules/{name}/\n"
            )
    triage = _triage_rules().get(rule)
    if triage is not None:
        title, category, explanation, fix, docs = triage
        return (
            f"### `{rule}`: {escape_inline(title)} (CI failure rule, {category})\n\n"
            + _section("Why", explanation)
            + _section("Fix", fix)
            + (f"\nDocs: {docs}\n" if docs else "")
        )
    raise UnknownRule(f"I know no rule `{escape_inline(rule[:80])}`.{_suggest(rule)}")


def _how_to_fix(source: str) -> str:
    return {
        "codemod": "\n`/hephaestus fix` applies this rewrite on the pull request.\n",
        "secrets": "\nRevoke and rotate the credential first (it is in the git history), then "
        "move it to a secret store or environment variable.\n",
        "syntax": "\nThe file does not parse: fix it before any other check can run; "
        "`/hephaestus fix` repairs the common cases.\n",
        "workflows": "\nSee GitHub's guide on security hardening for GitHub Actions.\n",
    }.get(source, "")


@command("explain", usage="explain RULE", summary="what a rule means, why, and how to fix it")
async def explain_verb(call: CommandCall) -> str:
    if len(call.args) != 1:
        raise UsageError("name one rule")
    try:
        return await explain(call.args[0])
    except UnknownRule as exc:
        raise UsageError(str(exc)) from None
