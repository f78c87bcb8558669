"""What a handler receives: the event, an installation-authenticated client and a bound logger."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from ghbot.github.events import Event
from ghbot.logs import BoundLogger


class NoInstallationError(RuntimeError):
    """The event names no App installation, so there is no client to act with."""


class ClientFactory(Protocol):
    """`client_for(installation_id)`: an authenticated GitHub client for one installation.

    Implemented by `ghbot.github` (token cache + client); tests pass a double.
    """

    async def __call__(self, installation_id: int) -> Any: ...


@dataclass(frozen=True)
class Context:
    event: Event
    log: BoundLogger
    client: Any | None = field(default=None, repr=False)

    @property
    def gh(self) -> Any:
        """The installation's client; an event without an installation has none."""
        if self.client is None:
            raise NoInstallationError(
                f"{self.event.name} delivery {self.event.delivery_id} names no installation"
            )
        return self.client
