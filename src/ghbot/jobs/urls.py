"""Queue URLs: `sqlite:///path` (embedded, the default under the data dir), `redis://host:port/db`,
`rediss://` (TLS) or `unix:///socket` (a shared Redis). Kept free of the backends' imports, so
the settings can check a URL cheaply."""

from __future__ import annotations

from pathlib import Path

SCHEMES = ("sqlite://", "redis://", "rediss://", "unix://")


def check_url(url: str) -> str:
    """`url` if it names a backend; else ValueError saying which forms are understood."""
    if not url.startswith(SCHEMES) or url in SCHEMES:
        raise ValueError(
            "must be sqlite:///PATH, redis://HOST:PORT/DB, rediss://HOST:PORT/DB or "
            "unix:///PATH/TO/SOCKET"
        )
    return url


def sqlite_path(url: str) -> Path | None:
    """The file of a `sqlite://` URL (`sqlite:///abs` or `sqlite://relative`); None otherwise."""
    return Path(url.removeprefix("sqlite://")) if url.startswith("sqlite://") else None


def without_password(url: str) -> str:
    """For messages and logs."""
    scheme, sep, rest = url.partition("://")
    _, at, host = rest.rpartition("@")
    return f"{scheme}{sep}{host}" if at else url
