"""Which of the App's handlers a mode runs. Selection is by handler module, so a handler added
to `ghbot.handlers.HANDLERS` in one of these modules joins its mode without a change here."""

from __future__ import annotations

from ghbot.action.inputs import Mode
from ghbot.github.events import Event
from ghbot.registry import Registration, Registry

MODE_MODULES: dict[Mode, tuple[str, ...] | None] = {
    "review": ("ghbot.handlers.pull_requests",),  # analysis, check run, review
    # failure reports on failed runs, the failure catalog's flaky marks, pasted logs in issues
    "triage": ("ghbot.handlers.failures", "ghbot.handlers.catalog", "ghbot.handlers.issues"),
    "fix": ("ghbot.handlers.fixes",),  # fix delivery
    "auto": None,  # every handler the registry has for the event, as the App runs them
}
# Events the workspace review covers when no handler of the mode takes the event.
PULL_REQUEST_EVENTS = frozenset({"pull_request", "pull_request_target"})


def in_mode(registration: Registration, mode: Mode) -> bool:
    modules = MODE_MODULES[mode]
    return modules is None or any(registration.name.startswith(m + ".") for m in modules)


def select(registry: Registry, mode: Mode, event: Event) -> list[Registration]:
    """The handlers the mode runs for this event, in the registry's order."""
    return [r for r in registry.handlers_for(event.name, event.action) if in_mode(r, mode)]


def events_of(registry: Registry, mode: Mode) -> list[str]:
    """Events some handler of the mode takes: for the "nothing to do" line."""
    return sorted(
        {s.event for r in registry.registrations if in_mode(r, mode) for s in r.subscriptions}
    )
