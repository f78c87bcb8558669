"""Which handler runs for which `(event, action)`.

`@on("pull_request", "opened", "synchronize")` marks a handler with what it subscribes to; the
`Registry` is then built from ONE explicit ordered list of handlers (`ghbot.handlers.HANDLERS`),
so the order handlers run in is written down in one place rather than left to import order.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ghbot.context import Context

Handler = Callable[["Context"], Awaitable[None]]

_MARK = "__hephaestus_on__"


@dataclass(frozen=True, slots=True)
class Subscription:
    event: str
    actions: frozenset[str] | None  # None: every action (and events that have none)

    def matches(self, event: str, action: str | None) -> bool:
        return event == self.event and (self.actions is None or action in self.actions)


@dataclass(frozen=True, slots=True)
class Registration:
    name: str
    handler: Handler
    subscriptions: tuple[Subscription, ...]


def on(event: str, *actions: str) -> Callable[[Handler], Handler]:
    """Subscribe a handler to an event, optionally only to some of its actions. Stackable."""
    subscription = Subscription(event, frozenset(actions) if actions else None)

    def mark(handler: Handler) -> Handler:
        existing: tuple[Subscription, ...] = getattr(handler, _MARK, ())
        setattr(handler, _MARK, (*existing, subscription))
        return handler

    return mark


def handler_name(handler: Handler) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"


class RegistryError(ValueError):
    pass


class Registry:
    def __init__(self, handlers: Iterable[Handler]) -> None:
        registrations: list[Registration] = []
        for handler in handlers:
            subscriptions = getattr(handler, _MARK, ())
            name = handler_name(handler)
            if not subscriptions:
                raise RegistryError(f"{name} is in the handler list but has no @on(...)")
            if any(r.name == name for r in registrations):
                raise RegistryError(f"{name} is listed twice")
            registrations.append(Registration(name, handler, tuple(subscriptions)))
        self.registrations: tuple[Registration, ...] = tuple(registrations)
        # The webhook endpoint asks `handles` for every delivery: one lookup, no list built.
        self._handled = self.events()

    def handlers_for(self, event: str, action: str | None) -> list[Registration]:
        return [
            r for r in self.registrations if any(s.matches(event, action) for s in r.subscriptions)
        ]

    def handles(self, event: str, action: str | None) -> bool:
        if event not in self._handled:
            return False
        actions = self._handled[event]
        return actions is None or action in actions

    def events(self) -> dict[str, frozenset[str] | None]:
        """Each handled event with the actions handled (None: all): for app.yml's contract."""
        handled: dict[str, frozenset[str] | None] = {}
        for registration in self.registrations:
            for s in registration.subscriptions:
                if s.event in handled and handled[s.event] is None:
                    continue
                if s.actions is None:
                    handled[s.event] = None
                else:
                    handled[s.event] = (handled.get(s.event) or frozenset()) | s.actions
        return handled


def default_registry(module: str = "ghbot.handlers") -> Registry:
    """The registry the server and workers use: the module's `HANDLERS` list."""
    try:
        handlers: Sequence[Handler] = importlib.import_module(module).HANDLERS
    except Exception as exc:  # a broken handler module must stop start-up with a clear message
        raise RegistryError(
            f"cannot load the handler list {module}.HANDLERS: {type(exc).__name__}: {exc}"
        ) from None
    return Registry(handlers)
