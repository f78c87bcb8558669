"""Per-PR ignores: matching, the stored table, and who may plant one."""

from __future__ import annotations

import pytest

from ghbot.commands.ignores import (
    MAX_ENTRIES,
    IgnoreEntry,
    IgnoreError,
    Ignores,
    add_ignore,
    check_path,
    check_rule,
    load_ignores,
    parse,
    render,
    sticky,
)
from ghbot.engine import markers
from ghbot.github.comments import compose

BOT = "hephaestus[bot]"


def test_rules_match_exactly_or_by_ruff_style_prefix():
    entries = (IgnoreEntry("E5", None, "a"), IgnoreEntry("syntax/missing-colon", None, "a"))
    ignores = Ignores(entries)
    assert ignores.matches("E501", "x.py")
    assert not ignores.matches("ERA001", "x.py")  # E5 is pycodestyle's, not eradicate's
    assert not ignores.matches("E402", "x.py")
    assert ignores.matches("SYNTAX/missing-colon", "x.py")
    assert not ignores.matches("syntax/missing-colon-2", "x.py")


def test_paths_are_files_directories_or_globs():
    def hit(pattern, path):
        return IgnoreEntry("F401", check_path(pattern), "a").matches("F401", path)

    assert hit("src/a.py", "src/a.py") and not hit("src/a.py", "src/a.pyc")
    assert hit("src", "src/deep/a.py") and hit("src/", "src/a.py") and not hit("src", "srcx/a.py")
    assert hit("src/*.py", "src/deep/a.py")  # `*` crosses directories
    assert hit("./tests/test_?.py", "tests/test_a.py")
    assert not hit("src/*.py", "lib/a.py")
    assert not IgnoreEntry("F401", "src", "a").matches("F401", None)  # no path: no match


@pytest.mark.parametrize("bad", ["/etc/passwd", "../x", "a/../../b", "a b", "`x`", "a|b",
                                 "*" * 9, "x" * 256, ""])  # fmt: skip
def test_bad_paths_are_refused(bad):
    with pytest.raises(IgnoreError):
        check_path(bad)


@pytest.mark.parametrize("bad", ["", "-x", "a b", "E501`", "x" * 65, "<b>"])
def test_bad_rules_are_refused(bad):
    with pytest.raises(IgnoreError):
        check_rule(bad)


def test_the_table_round_trips_and_dedupes():
    ignores = Ignores()
    for entry in [IgnoreEntry("E501", None, "alice"), IgnoreEntry("F401", "src/*.py", "bob[bot]"),
                  IgnoreEntry("e501", None, "carol")]:  # fmt: skip
        ignores = ignores.adding(entry)
    assert len(ignores.entries) == 2
    assert parse(render(ignores)) == ignores
    assert "| `F401` | `src/*.py` | @bob[bot] |" in ignores.describe()
    assert Ignores().describe() == ""


def test_the_table_is_bounded():
    ignores = Ignores(tuple(IgnoreEntry(f"E{i}", None, "a") for i in range(MAX_ENTRIES)))
    with pytest.raises(IgnoreError, match="already has"):
        ignores.adding(IgnoreEntry("F401", None, "a"))
    assert len(parse(render(ignores) + "\n| `X1` | everywhere | @a |").entries) == MAX_ENTRIES


async def test_stored_on_the_pr_and_only_the_bots_table_counts(sandbox, gh):
    sandbox.commit("octo/app", "feature", {"ok.py": "x = 2\n"})
    number = sandbox.create_pull("octo/app", head="feature").number
    # Someone forging the bot's table in their own comment ignores nothing.
    forged = compose(sticky("octo", "app", number), render(Ignores((IgnoreEntry("S", None, "m"),))))
    sandbox.add_issue_comment("octo/app", number, forged, user="mallory")
    with markers.sealing(markers.derive_key("app secret", "octo/app")):
        assert await load_ignores(gh, "octo", "app", number, BOT) == Ignores()
        await add_ignore(gh, "octo", "app", number, BOT, IgnoreEntry("E501", None, "alice"))
        await add_ignore(gh, "octo", "app", number, BOT, IgnoreEntry("F401", "src", "bob"))
        await add_ignore(gh, "octo", "app", number, BOT, IgnoreEntry("F401", "src", "bob"))
        loaded = await load_ignores(gh, "octo", "app", number, BOT)
    assert [(e.rule, e.path, e.by) for e in loaded.entries] == [
        ("E501", None, "alice"), ("F401", "src", "bob")
    ]  # fmt: skip
    bot_comments = [c for c in sandbox.issue_comments("octo/app", number) if c.user == BOT]
    assert len(bot_comments) == 1
