"""Credentials for GitHub: the App's JWT, cached installation tokens, and Action-mode tokens.

Tokens never appear in logs or reprs: the only way to read one is `await provider.token()`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

import jwt

Clock = Callable[[], float]

# GitHub rejects a JWT whose `iat` is in its future, so backdate for clock drift; `exp` may be
# at most 10 minutes after the real now, and 9 keeps a margin on our side too.
JWT_BACKDATE_SECONDS = 60
JWT_LIFETIME_SECONDS = 9 * 60
# Installation tokens live one hour; refresh this long before expiry so a token handed out is
# still good for the longest request a job makes with it.
TOKEN_REFRESH_MARGIN_SECONDS = 5 * 60


class AuthError(Exception):
    """Credentials are unusable (bad private key, or GitHub refused to mint a token)."""


@dataclass(frozen=True, slots=True)
class AppCredentials:
    app_id: str
    private_key: str = field(repr=False)

    def jwt(self, now: float | None = None) -> str:
        """An RS256 App JWT valid from one minute ago for nine minutes."""
        issued = int(time.time() if now is None else now) - JWT_BACKDATE_SECONDS
        claims = {"iat": issued, "exp": issued + JWT_LIFETIME_SECONDS, "iss": self.app_id}
        try:
            return jwt.encode(claims, self.private_key, algorithm="RS256")
        except (ValueError, TypeError, jwt.PyJWTError) as exc:
            # The message of a key-parsing error never includes the key itself.
            raise AuthError(f"cannot sign the App JWT: {type(exc).__name__}: {exc}") from None


@dataclass(frozen=True, slots=True)
class InstallationToken:
    token: str = field(repr=False)
    expires_at: float  # epoch seconds


class TokenProvider(Protocol):
    """What a client needs: a current token, and a way to drop one GitHub rejected."""

    @property
    def refreshable(self) -> bool:
        """Whether a token dropped after a 401 can be replaced by a fresh one."""

    async def token(self) -> str: ...

    def invalidate(self) -> None: ...


@dataclass(slots=True)
class StaticToken:
    """Action mode: the runner's GITHUB_TOKEN (or a PAT), valid for the whole job."""

    value: str = field(repr=False)
    refreshable: bool = field(default=False, init=False)

    async def token(self) -> str:
        return self.value

    def invalidate(self) -> None:
        """Nothing to refresh: a rejected static token stays rejected."""


MintToken = Callable[[int], Awaitable[InstallationToken]]


class InstallationTokenCache:
    """Installation tokens by installation id, refreshed `margin` seconds before they expire.

    Concurrent callers for the same installation share one in-flight request, so a burst of jobs
    after a restart mints one token, not one each.
    """

    def __init__(
        self,
        mint: MintToken,
        *,
        clock: Clock = time.time,
        margin: float = TOKEN_REFRESH_MARGIN_SECONDS,
    ) -> None:
        self._mint = mint
        self._clock = clock
        self._margin = margin
        self._tokens: dict[int, InstallationToken] = {}
        self._inflight: dict[int, asyncio.Future[InstallationToken]] = {}

    def __repr__(self) -> str:
        return f"InstallationTokenCache(installations={sorted(self._tokens)})"

    async def token(self, installation_id: int) -> str:
        cached = self._tokens.get(installation_id)
        if cached is not None and self._clock() < cached.expires_at - self._margin:
            return cached.token
        pending = self._inflight.get(installation_id)
        if pending is None:
            pending = asyncio.ensure_future(self._refresh(installation_id))
            self._inflight[installation_id] = pending
        # shield: one caller being cancelled must not cancel the refresh the others wait on.
        return (await asyncio.shield(pending)).token

    async def _refresh(self, installation_id: int) -> InstallationToken:
        try:
            fresh = await self._mint(installation_id)
            self._tokens[installation_id] = fresh
            return fresh
        finally:
            self._inflight.pop(installation_id, None)

    def invalidate(self, installation_id: int) -> None:
        self._tokens.pop(installation_id, None)

    def provider(self, installation_id: int) -> InstallationTokenProvider:
        return InstallationTokenProvider(self, installation_id)


@dataclass(frozen=True, slots=True)
class InstallationTokenProvider:
    cache: InstallationTokenCache
    installation_id: int
    refreshable: bool = field(default=True, init=False)

    async def token(self) -> str:
        return await self.cache.token(self.installation_id)

    def invalidate(self) -> None:
        self.cache.invalidate(self.installation_id)
