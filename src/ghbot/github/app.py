"""The App identity: mints installation tokens and hands workers a client per installation.

Jobs carry installation ids, never tokens; `await app.client_for(installation_id)` is all a worker
needs. One aiohttp session, one token cache and one write throttle per installation are shared by
every client the App hands out.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import aiohttp

from ghbot.github.auth import (
    AppCredentials,
    AuthError,
    InstallationToken,
    InstallationTokenCache,
    StaticToken,
)
from ghbot.github.client import (
    DEFAULT_API_URL,
    GitHubClient,
    ResponseHook,
    RetryPolicy,
)
from ghbot.github.errors import GitHubError
from ghbot.github.throttle import SharedSlot, WriteThrottle

if TYPE_CHECKING:
    from ghbot.settings import Settings


class GitHubApp:
    def __init__(
        self,
        credentials: AppCredentials,
        *,
        api_url: str = DEFAULT_API_URL,
        session: aiohttp.ClientSession | None = None,
        on_response: ResponseHook | None = None,
        policy: RetryPolicy | None = None,
        clock: Callable[[], float] = time.time,
        shared_writes: Callable[[int], SharedSlot] | None = None,
    ) -> None:
        self.credentials = credentials
        # An installation's write window shared with other processes (a Redis queue), if any.
        self._shared_writes = shared_writes
        self.api_url = api_url.rstrip("/")
        self._session = session
        self._owns_session = session is None
        self._on_response = on_response
        self._policy = policy or RetryPolicy()
        self._clock = clock
        self.tokens = InstallationTokenCache(self._mint, clock=clock)
        self._throttles: dict[int, WriteThrottle] = {}

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> GitHubApp:
        """From `ghbot.settings.Settings` (app id, private key, API URL)."""
        settings.require("app_id", "private_key")
        credentials = AppCredentials(str(settings.app_id), settings.private_key_pem())
        return cls(credentials, api_url=settings.github_api_url, **kwargs)

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        return self._session

    async def close(self) -> None:
        if self._owns_session and self._session is not None:
            await self._session.close()
            self._session = None

    def app_client(self) -> GitHubClient:
        """A client with no installation token: for calls made as the App, with `jwt=`."""
        return GitHubClient(
            self._http(),
            None,
            api_url=self.api_url,
            policy=self._policy,
            on_response=self._on_response,
            clock=self._clock,
        )

    async def _mint(self, installation_id: int) -> InstallationToken:
        data = await self.app_client().call(
            "POST",
            "/app/installations/{installation_id}/access_tokens",
            {"installation_id": installation_id},
            data=b"",
            jwt=self.credentials.jwt(self._clock()),
        )
        try:
            token = str(data["token"])
            expires = datetime.fromisoformat(str(data["expires_at"]).replace("Z", "+00:00"))
        except (TypeError, KeyError, ValueError) as exc:
            raise AuthError(
                f"GitHub's token answer for installation {installation_id} lacks "
                f"token/expires_at ({type(exc).__name__})"
            ) from None
        return InstallationToken(token=token, expires_at=expires.timestamp())

    async def client_for(self, installation_id: int) -> GitHubClient:
        """The worker's entry point; tokens are minted lazily on the first request."""
        if installation_id <= 0:
            raise GitHubError(
                f"invalid installation id {installation_id}", status=None, method="", url=""
            )
        throttle = self._throttles.get(installation_id)
        if throttle is None:
            shared = self._shared_writes
            throttle = WriteThrottle(shared=shared(installation_id) if shared else None)
            self._throttles[installation_id] = throttle
        return GitHubClient(
            self._http(),
            self.tokens.provider(installation_id),
            api_url=self.api_url,
            policy=self._policy,
            throttle=throttle,
            on_response=self._on_response,
            clock=self._clock,
        )

    # `ghbot.context.ClientFactory` is an async callable of an installation id.
    __call__ = client_for


def action_client(
    token: str,
    session: aiohttp.ClientSession,
    *,
    api_url: str = DEFAULT_API_URL,
    on_response: ResponseHook | None = None,
) -> GitHubClient:
    """Action mode: the runner's token, one throttle for the job."""
    return GitHubClient(
        session,
        StaticToken(token),
        api_url=api_url,
        throttle=WriteThrottle(),
        on_response=on_response,
    )
