"""A repository's own known-failure rules are hostile: they may not crash or stall a report.

Issue 13, item 7: YAML aliases in `.github/hephaestus/rules` that repeat alternation patterns
made `re2.Set` fail to compile with `re2.error` (not a RuleError), so every failure report of the
repository crashed its handler; aliases also multiply the patterns to validate without bound.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import aiohttp
import pytest

from ghbot.context import Context
from ghbot.engine.triage.normalise import normalise
from ghbot.engine.triage.rules import RuleError, load_catalog
from ghbot.github.auth import StaticToken
from ghbot.github.client import GitHubClient, RetryPolicy
from ghbot.github.events import Event
from ghbot.logs import bind
from ghbot.services import failures

REPO = "octo/app"
RULE = "{{id: r{n}, title: t, category: test, explanation: e, fix: f, patterns: {patterns}}}"
# Each pattern alone is valid RE2; a hundred distinct ones overflow the Set's memory budget.
HEAVY = [f"'(x|y|z){{1,{900 + i}}}'" for i in range(100)]
TRACEBACK = (
    "##[group]Run pytest\nTraceback (most recent call last):\n"
    '  File "app.py", line 3, in <module>\n    port = settings["port"]\nKeyError: \'port\'\n'
    "##[error]Process completed with exit code 1.\n"
)


def _rules_file(rules: list[str]) -> str:
    return "rules:\n" + "".join(f"  - {rule}\n" for rule in rules)


UNCOMPILABLE = _rules_file([RULE.format(n=0, patterns="[" + ", ".join(HEAVY) + "]")])


def test_rules_that_cannot_be_compiled_together_are_a_rule_error(tmp_path: Path) -> None:
    (tmp_path / "heavy.yml").write_text(UNCOMPILABLE, encoding="utf-8")
    with pytest.raises(RuleError, match="cannot be compiled"):
        load_catalog([tmp_path])


def test_one_pattern_repeated_by_aliases_compiles_once(tmp_path: Path) -> None:
    aliases = "[&p '(x|y|z){1,900}', " + ", ".join(["*p"] * 99) + "]"
    (tmp_path / "aliases.yml").write_text(
        _rules_file([RULE.format(n=0, patterns=aliases)]), encoding="utf-8"
    )
    catalog = load_catalog([tmp_path])
    assert [hit.rule.id for hit in catalog.match([normalise(1, "error: xyzzy")], 0)] == ["r0"]


def test_an_alias_bomb_of_patterns_is_refused_in_bounded_time(tmp_path: Path) -> None:
    # 400 rules that each alias the same 100 heavy patterns: 40,000 patterns to validate.
    first = RULE.format(n=0, patterns="&p [" + ", ".join(HEAVY) + "]")
    rest = [RULE.format(n=n, patterns="*p") for n in range(1, 400)]
    (tmp_path / "bomb.yml").write_text(_rules_file([first, *rest]), encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(RuleError, match="patterns"):
        load_catalog([tmp_path])
    assert time.monotonic() - started < 5


@pytest.fixture
async def ctx(sandbox):
    rules = {".github/hephaestus/rules/heavy.yml": UNCOMPILABLE}
    sandbox.create_repo(REPO, files={"README.md": "# app\n", **rules})
    inst = sandbox.create_installation("octo", [REPO])
    policy = RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.05, max_total_wait=2.0)
    async with aiohttp.ClientSession() as session:
        gh = GitHubClient(session, StaticToken(sandbox.token(inst)), api_url=sandbox.base_url,
                          policy=policy)  # fmt: skip
        payload = {"repository": {"full_name": REPO, "default_branch": "main"},
                   "installation": {"id": inst.id}}  # fmt: skip
        event = Event.from_payload("issue_comment", "hostile-rules", payload)
        yield Context(event=event, log=bind("test.hostile_rules"), client=gh)


async def test_an_uncompilable_rules_file_is_reported_once_and_builtin_rules_apply(
    sandbox, ctx, caplog, capfd
) -> None:
    head = sandbox.commit(REPO, "feature", {"app.py": "x = 2\n"})
    number = sandbox.create_pull(REPO, head="feature").number
    steps = [("Set up job", "success"), ("Run pytest", "failure")]
    run = sandbox.add_workflow_run(
        REPO, head, "failure", jobs=[("test", TRACEBACK, "failure", steps)], head_branch="feature"
    )
    caplog.set_level(logging.INFO, logger="test.hostile_rules")
    for _ in range(3):  # three reports of the same repository: none crashes
        assert await failures.triage_latest(ctx, number, run.id) == (
            f"reported run #{run.run_number} on #{number}"
        )
    [comment] = [c for c in sandbox.issue_comments(REPO, number)
                 if c.user == sandbox.app.bot_login]  # fmt: skip
    assert "Repository rules not used" in comment.body and "heavy.yml" in comment.body
    assert "cannot be compiled" in comment.body
    assert "KeyError" in comment.body  # the built-in rules and extractors still apply
    warnings = [r for r in caplog.records if "rules" in r.getMessage() and r.levelno >= 30]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    err = capfd.readouterr().err
    assert "re2" not in err and "absl" not in err.lower()
