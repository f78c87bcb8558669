"""The verb registry: registration rules, permission requirements, config overrides, help text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ghbot.commands import registry
from ghbot.commands.registry import (
    CommandCall,
    RegistryError,
    Requirement,
    command,
    load,
    markdown_table,
    requirement_for,
    requirement_of,
    resolve,
)
from ghbot.github.repo_config import RepoConfig

README = Path(__file__).resolve().parents[2] / "README.md"


async def _noop(call: CommandCall) -> str:
    return "ok"


@pytest.fixture
def scratch(monkeypatch):
    """Registrations made in a test are dropped after it (the real verbs are loaded first, or
    they would register into the scratch copy and vanish with it)."""
    load()
    monkeypatch.setattr(registry, "_COMMANDS", dict(registry._COMMANDS))


def test_the_design_defaults():
    specs = {spec.verb: spec for spec in load()}
    assert {v: specs[v].who for v in ("help", "check", "explain", "triage")} == dict.fromkeys(
        ("help", "check", "explain", "triage"), "read"
    )
    assert specs["fix"].requirement == Requirement("write", author=True)
    assert specs["retest"].requirement == Requirement("write", author=True)
    assert specs["ignore"].requirement == Requirement("write")
    # what writes is audited; reading verbs are not
    assert [v for v in ("help", "explain") if specs[v].writes] == []
    assert all(specs[v].writes for v in ("check", "triage", "fix", "retest", "ignore"))


def test_requirements_from_who():
    assert requirement_of("read") == Requirement("read")
    assert requirement_of(("maintain", "write")) == Requirement("write")  # either: the lower
    assert requirement_of(("write", "author")) == Requirement("write", author=True)
    assert requirement_of("author") == Requirement("admin", author=True)
    with pytest.raises(RegistryError):
        requirement_of("owner")  # type: ignore[arg-type]
    with pytest.raises(RegistryError):
        requirement_of(())


def test_bad_verbs_and_double_registration_are_refused(scratch):
    for bad in ("Fix", "fix it now", "", "fix!", "a" * 30):
        with pytest.raises(RegistryError):
            command(bad, summary="x")
    command("scratch", summary="x")(_noop)
    command("scratch", summary="x")(_noop)  # re-importing the same function is fine

    async def other(call: CommandCall) -> str:
        return ""

    with pytest.raises(RegistryError, match="registered twice"):
        command("scratch", summary="x")(other)


def test_two_word_verbs_win_over_their_first_word(scratch):
    command("scratch", summary="one word")(_noop)
    command("scratch make", who="write", summary="two words")(_noop)
    spec, args = resolve(["Scratch", "MAKE", "A", "b"])
    assert (spec.verb, args) == ("scratch make", ("A", "b"))
    spec, args = resolve(["scratch", "other"])
    assert (spec.verb, args) == ("scratch", ("other",))
    assert resolve(["nope"]) is None and resolve([]) is None


def test_config_raises_lowers_or_adds_the_author(scratch):
    command("scratch make", who="write", summary="x")(_noop)
    specs = {spec.verb: spec for spec in load()}
    config = RepoConfig.model_validate(
        {"commands": {"permissions": {"check": "maintain", "fix": "read",
                                      "scratch-make": "author", "retest": "admin"}}}
    )  # fmt: skip
    assert requirement_for(specs["check"], config) == Requirement("maintain")
    assert requirement_for(specs["fix"], config) == Requirement("read", author=True)
    assert requirement_for(specs["retest"], config) == Requirement("admin", author=True)
    assert requirement_for(specs["scratch make"], config) == Requirement("write", author=True)
    assert requirement_for(specs["explain"], config) == Requirement("read")


def test_readme_command_table_is_the_generated_one():
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- commands-table:start[^\n]*-->\n(.*?)<!-- commands-table:end -->",
                      text, re.S)  # fmt: skip
    assert found, "README lacks the command table markers"
    assert found.group(1) == markdown_table(), (
        "README's command table is stale: paste `hephaestus commands --markdown` between the "
        "commands-table markers"
    )


def test_the_table_escapes_nothing_it_should_not():
    table = markdown_table()
    assert table.startswith("| command | who (default) | does |\n| --- | --- | --- |\n")
    assert "| `/hephaestus fix [RULE...]` | write or author |" in table
    assert all(line.count(" | ") == 2 for line in table.splitlines())
