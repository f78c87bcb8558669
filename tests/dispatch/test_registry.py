"""The handler registry: @on subscriptions, one ordered list, what events it handles."""

from __future__ import annotations

import pytest

from ghbot.registry import Registry, RegistryError, handler_name, on


@on("pull_request", "opened", "synchronize")
@on("check_run", "rerequested")
async def analyse(ctx) -> None: ...


@on("pull_request")
async def every_pr_action(ctx) -> None: ...


@on("push")
async def push(ctx) -> None: ...


async def unmarked(ctx) -> None: ...


def test_matching_keeps_the_list_order():
    registry = Registry([every_pr_action, analyse, push])
    names = [r.handler for r in registry.handlers_for("pull_request", "opened")]
    assert names == [every_pr_action, analyse]
    assert [r.handler for r in registry.handlers_for("pull_request", "closed")] == [
        every_pr_action
    ]
    assert [r.handler for r in registry.handlers_for("check_run", "rerequested")] == [analyse]
    assert registry.handlers_for("check_run", "completed") == []
    assert registry.handles("push", None)
    assert not registry.handles("star", "created")


def test_events_lists_what_is_handled_for_app_yml():
    registry = Registry([analyse, push])
    assert registry.events() == {
        "pull_request": frozenset({"opened", "synchronize"}),
        "check_run": frozenset({"rerequested"}),
        "push": None,
    }
    assert Registry([analyse, every_pr_action]).events()["pull_request"] is None


def test_list_errors_are_caught_at_start():
    with pytest.raises(RegistryError, match="no @on"):
        Registry([unmarked])
    with pytest.raises(RegistryError, match="twice"):
        Registry([push, push])


def test_handler_names_are_qualified():
    assert handler_name(push) == f"{__name__}.push"


def test_default_registry_reads_the_modules_handlers_list(tmp_path, monkeypatch):
    from ghbot.registry import default_registry

    (tmp_path / "my_handlers_mod.py").write_text(
        "from ghbot.registry import on\n"
        "@on('issues', 'opened')\n"
        "async def h(ctx): pass\n"
        "HANDLERS = [h]\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert default_registry("my_handlers_mod").events() == {"issues": frozenset({"opened"})}


def test_a_broken_handler_module_is_a_clear_error(tmp_path, monkeypatch):
    from ghbot.registry import default_registry

    (tmp_path / "broken_handlers_mod.py").write_text("HANDLERS = [\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(RegistryError, match="broken_handlers_mod.HANDLERS: SyntaxError"):
        default_registry("broken_handlers_mod")
    with pytest.raises(RegistryError, match="ModuleNotFoundError"):
        default_registry("no_such_handlers_mod")
