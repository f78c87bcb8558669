"""The verb registry: registration rules, permission requirements, config overrides, help text.
Tests build their own small registries from `@command` functions; the real one is `VERBS`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ghbot.commands import permissions
from ghbot.commands.registry import (
    CommandCall,
    Commands,
    RegistryError,
    Requirement,
    command,
    requirement_for,
    requirement_of,
    spec_of,
)
from ghbot.commands.verbs import COMMANDS, VERBS
from ghbot.github.repo_config import RepoConfig

README = Path(__file__).resolve().parents[2] / "README.md"


def _verb(verb: str, **kw):
    """A fresh `@command` function for `verb`."""

    async def run(call: CommandCall) -> str:
        return verb

    kw.setdefault("summary", f"does {verb}")
    return command(verb, **kw)(run)


def test_the_design_defaults():
    specs = {spec.verb: spec for spec in COMMANDS.specs}
    assert {v: specs[v].who for v in ("help", "check", "explain", "triage")} == dict.fromkeys(
        ("help", "check", "explain", "triage"), "read"
    )
    assert specs["fix"].requirement == Requirement("write", author=True)
    assert specs["retest"].requirement == Requirement("write", author=True)
    assert specs["ignore"].requirement == Requirement("write")
    assert specs["rollback"].requirement == Requirement("maintain")
    # what writes is audited; reading verbs are not
    reading = ("help", "explain", "runbook search", "deployments")
    assert [v for v in reading if specs[v].writes] == []
    writing = ("check", "triage", "fix", "retest", "ignore", "runbook create", "rollback")
    assert all(specs[v].writes for v in writing)


def test_the_guards_services_check_are_the_verbs_own_defaults():
    """`fix`, `retest` and `runbook create` also guard fix commits and dashboard boxes: the
    services read the same requirement the verb has, and follow the repo config the same way."""
    specs = {spec.verb: spec for spec in COMMANDS.specs}
    config = RepoConfig.model_validate(
        {"commands": {"permissions": {"fix": "maintain", "runbook-create": "admin"}}}
    )
    for guard in (permissions.FIX, permissions.RETEST, permissions.RUNBOOK_CREATE):
        assert specs[guard.verb].requirement == guard.default
        assert guard.requirement(config) == requirement_for(specs[guard.verb], config)
    assert permissions.FIX.requirement(config) == Requirement("maintain", author=True)


def test_requirements_from_who():
    assert requirement_of("read") == Requirement("read")
    assert requirement_of(("maintain", "write")) == Requirement("write")  # either: the lower
    assert requirement_of(("write", "author")) == Requirement("write", author=True)
    assert requirement_of("author") == Requirement("admin", author=True)
    assert requirement_of(Requirement("triage")) == Requirement("triage")
    with pytest.raises(RegistryError):
        requirement_of("owner")  # type: ignore[arg-type]
    with pytest.raises(RegistryError):
        requirement_of(())


def test_bad_verbs_unmarked_functions_and_doubles_are_refused():
    for bad in ("Fix", "fix it now", "", "fix!", "a" * 30):
        with pytest.raises(RegistryError):
            command(bad, summary="x")

    async def unmarked(call: CommandCall) -> str:
        return ""

    with pytest.raises(RegistryError, match="has no @command"):
        Commands([_verb("one"), unmarked])
    with pytest.raises(RegistryError, match="listed twice"):
        Commands([_verb("one"), _verb("one")])
    marked = _verb("one")
    with pytest.raises(RegistryError, match="marked as two commands"):
        command("two", summary="x")(marked)
    assert spec_of(marked).verb == "one"


def test_the_registry_keeps_the_order_of_its_list():
    funcs = [_verb("zeta"), _verb("alpha", who="write"), _verb("mid make")]
    commands = Commands(funcs)
    assert [s.verb for s in commands.specs] == ["zeta", "alpha", "mid make"]
    assert commands.func(commands.specs[1]) is funcs[1]
    assert [s.verb for s in COMMANDS.specs] == [spec_of(f).verb for f in VERBS]


def test_two_word_verbs_win_over_their_first_word():
    commands = Commands([_verb("scratch"), _verb("scratch make", who="write")])
    spec, args = commands.resolve(["Scratch", "MAKE", "A", "b"])
    assert (spec.verb, args) == ("scratch make", ("A", "b"))
    spec, args = commands.resolve(["scratch", "other"])
    assert (spec.verb, args) == ("scratch", ("other",))
    assert commands.resolve(["nope"]) is None and commands.resolve([]) is None


def test_config_raises_lowers_or_adds_the_author():
    scratch = spec_of(_verb("scratch make", who="write"))
    specs = {spec.verb: spec for spec in COMMANDS.specs}
    config = RepoConfig.model_validate(
        {"commands": {"permissions": {"check": "maintain", "fix": "read",
                                      "scratch-make": "author", "retest": "admin"}}}
    )  # fmt: skip
    assert requirement_for(specs["check"], config) == Requirement("maintain")
    assert requirement_for(specs["fix"], config) == Requirement("read", author=True)
    assert requirement_for(specs["retest"], config) == Requirement("admin", author=True)
    assert requirement_for(scratch, config) == Requirement("write", author=True)
    assert requirement_for(specs["explain"], config) == Requirement("read")


def test_readme_command_table_is_the_generated_one():
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- commands-table:start[^\n]*-->\n(.*?)<!-- commands-table:end -->",
                      text, re.S)  # fmt: skip
    assert found, "README lacks the command table markers"
    assert found.group(1) == COMMANDS.markdown_table(), (
        "README's command table is stale: paste `hephaestus commands --markdown` between the "
        "commands-table markers"
    )


def test_the_table_escapes_nothing_it_should_not():
    table = COMMANDS.markdown_table()
    assert table.startswith("| command | who (default) | does |\n| --- | --- | --- |\n")
    assert "| `/hephaestus fix [RULE...]` | write or author |" in table
    assert all(line.count(" | ") == 2 for line in table.splitlines())
    small = Commands([_verb("zeta", usage="zeta [X]"), _verb("alpha", who=("write", "author"))])
    assert small.markdown_table().splitlines()[2:] == [
        "| `/hephaestus zeta [X]` | read | does zeta |",
        "| `/hephaestus alpha` | write or author | does alpha |",
    ]
