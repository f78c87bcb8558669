from __future__ import annotations

import asyncio
import logging

import jwt
import pytest
from aiohttp import web

from ghbot.github.app import GitHubApp
from ghbot.github.auth import (
    AppCredentials,
    AuthError,
    InstallationToken,
    InstallationTokenCache,
    StaticToken,
)


def test_jwt_claims_and_signature_verify_with_the_public_key(rsa_key):
    private, public = rsa_key
    now = 1_700_000_000
    token = AppCredentials("4242", private).jwt(now)
    claims = jwt.decode(
        token,
        public,
        algorithms=["RS256"],
        options={"verify_exp": False, "verify_iat": False},
        issuer="4242",
    )
    assert claims["iat"] == now - 60
    assert claims["exp"] - now <= 600
    assert claims["exp"] > now
    assert jwt.get_unverified_header(token)["alg"] == "RS256"


def test_jwt_signed_by_another_key_is_rejected(rsa_key):
    _, public = rsa_key
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = other.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(AppCredentials("1", pem).jwt(), public, algorithms=["RS256"])


def test_bad_private_key_is_a_clear_error_without_the_key():
    secret_text = "-----BEGIN PRIVATE KEY-----\nnot-a-key-SECRETSECRET\n-----END PRIVATE KEY-----"
    with pytest.raises(AuthError) as info:
        AppCredentials("1", secret_text).jwt()
    assert "SECRETSECRET" not in str(info.value)
    assert "SECRETSECRET" not in repr(AppCredentials("1", secret_text))


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def test_cache_reuses_a_token_until_five_minutes_before_expiry():
    clock = Clock(1000.0)
    minted: list[int] = []

    async def mint(installation_id: int) -> InstallationToken:
        minted.append(installation_id)
        return InstallationToken(f"t{len(minted)}", expires_at=clock.now + 3600)

    cache = InstallationTokenCache(mint, clock=clock)
    assert await cache.token(7) == "t1"
    clock.now += 3600 - 301  # still 301 s of life: reuse
    assert await cache.token(7) == "t1"
    clock.now += 2  # 299 s left: inside the margin, refresh
    assert await cache.token(7) == "t2"
    assert await cache.token(8) == "t3"  # installations are cached apart
    assert minted == [7, 7, 8]
    assert "t1" not in repr(cache) and "t2" not in repr(InstallationToken("t2", 0))


async def test_concurrent_callers_share_one_refresh():
    calls = 0
    release = asyncio.Event()

    async def mint(installation_id: int) -> InstallationToken:
        nonlocal calls
        calls += 1
        await release.wait()
        return InstallationToken("shared", expires_at=10**12)

    cache = InstallationTokenCache(mint)
    waiters = [asyncio.create_task(cache.token(1)) for _ in range(20)]
    await asyncio.sleep(0)
    release.set()
    assert await asyncio.gather(*waiters) == ["shared"] * 20
    assert calls == 1


async def test_a_failed_refresh_is_not_cached():
    attempts = 0

    async def mint(installation_id: int) -> InstallationToken:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            raise RuntimeError("GitHub down")
        return InstallationToken("ok", expires_at=10**12)

    cache = InstallationTokenCache(mint)
    with pytest.raises(RuntimeError):
        await cache.token(3)
    assert await cache.token(3) == "ok"


async def test_static_token_for_action_mode():
    provider = StaticToken("ghs_runner")
    assert await provider.token() == "ghs_runner"
    provider.invalidate()
    assert await provider.token() == "ghs_runner"
    assert "ghs_runner" not in repr(provider)


async def test_app_mints_installation_tokens_over_http_and_never_logs_them(
    rsa_key, fake_github, session, caplog
):
    private, public = rsa_key
    minted = 0

    async def access_tokens(request: web.Request) -> web.Response:
        nonlocal minted
        scheme, _, bearer = request.headers["Authorization"].partition(" ")
        assert scheme.lower() == "bearer"
        claims = jwt.decode(bearer, public, algorithms=["RS256"], issuer="99")
        assert claims["exp"] - claims["iat"] <= 600
        minted += 1
        return web.json_response(
            {"token": f"ghs_secret{minted}", "expires_at": "2999-01-01T00:00:00Z"}, status=201
        )

    async def repo(request: web.Request) -> web.Response:
        assert request.headers["Authorization"] == "token ghs_secret1"
        return web.json_response(
            {
                "id": 1,
                "name": "r",
                "full_name": "o/r",
                "owner": {"login": "o"},
                "default_branch": "trunk",
            }
        )

    fake = await fake_github(
        lambda f: (
            f.route("POST", "/app/installations/{iid}/access_tokens", access_tokens),
            f.route("GET", "/repos/o/r", repo),
        )
    )
    app = GitHubApp(AppCredentials("99", private), api_url=fake.base_url, session=session)
    caplog.set_level(logging.DEBUG)
    gh = await app.client_for(55)
    assert (await gh.get_repo("o", "r")).default_branch == "trunk"
    gh2 = await app.client_for(55)
    await gh2.get_repo("o", "r")
    assert minted == 1
    assert [s.path for s in fake.seen][0] == "/app/installations/55/access_tokens"
    assert "ghs_secret" not in caplog.text


async def test_a_401_refreshes_the_token_once(rsa_key, fake_github, session):
    private, _ = rsa_key
    minted = 0

    async def access_tokens(request: web.Request) -> web.Response:
        nonlocal minted
        minted += 1
        return web.json_response({"token": f"tok{minted}", "expires_at": "2999-01-01T00:00:00Z"})

    async def repo(request: web.Request) -> web.Response:
        if request.headers["Authorization"] == "token tok1":
            return web.json_response({"message": "Bad credentials"}, status=401)
        return web.json_response({"id": 1, "default_branch": "main"})

    fake = await fake_github(
        lambda f: (
            f.route("POST", "/app/installations/{iid}/access_tokens", access_tokens),
            f.route("GET", "/repos/o/r", repo),
        )
    )
    app = GitHubApp(AppCredentials("99", private), api_url=fake.base_url, session=session)
    gh = await app.client_for(1)
    assert (await gh.get_repo("o", "r")).id == 1
    assert minted == 2
