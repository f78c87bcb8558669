"""Process settings: one validated model, read once from the environment and command-line flags.

Every field is both an environment variable (`HEPHAESTUS_<NAME>`) and a flag (`--name`); a flag wins
over the environment. Secrets are `SecretStr`, so a repr or a log line never shows them. The server
fails closed: `require()` names each missing setting by its variable and flag.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from ghbot.jobs.urls import check_url

ENV_PREFIX = "HEPHAESTUS_"
# Shorter flags some settings also answer to.
_ALIASES = {"queue_url": ("--queue",)}
# What only the HTTP side reads (listening, webhook verification, the setup page): verbs that run
# no server (`hephaestus worker`) offer no flag for these.
SERVER_ONLY = frozenset({
    "webhook_secret", "public_url", "host", "port", "header_timeout", "body_timeout",
    "body_budget", "max_connections", "processes",
})  # fmt: skip


class SettingsError(ValueError):
    """A setting is missing or invalid; the message names it and says how to set it."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    app_id: int | None = Field(None, gt=0, description="the GitHub App's numeric id")
    private_key: SecretStr | None = Field(
        None, description="the App's private key, PEM text (or use --private-key-path)"
    )
    private_key_path: Path | None = Field(
        None, description="a file holding the App's private key (PEM)"
    )
    webhook_secret: SecretStr | None = Field(
        None, description="the secret GitHub signs webhook deliveries with (required by serve)"
    )
    marker_key: SecretStr | None = Field(
        None,
        description="the secret that seals the bot's hidden markers (default: derived from the "
        "private key); changing it makes the bot forget its earlier comments' state",
    )
    app_slug: str = Field(
        "hephaestus",
        min_length=1,
        max_length=100,
        description="the App's slug; events sent by '<slug>[bot]' are ignored",
    )
    github_api_url: str = Field(
        "https://api.github.com",
        description="REST API base URL (GitHub Enterprise or a test double)",
    )
    public_url: str | None = Field(
        None,
        description="the address GitHub reaches this server at (e.g. https://bot.example.com); "
        "with it, serve without App credentials shows a setup page that creates the App",
    )
    data_dir: Path = Field(
        Path(".hephaestus"),
        description="directory of the job store: jobs.sqlite3 and its payload journal",
    )
    # A 202 means "stored": the job survives the server being killed (crash, OOM, kill -9,
    # deploy): its payload is in the journal (written before the answer), its row follows. Only
    # a power cut or kernel crash can lose the last writes; FULL also covers that at one
    # fdatasync (several ms) shared by the deliveries written before it.
    queue_url: str | None = Field(
        None,
        description="the job queue: sqlite:///PATH (embedded; default DATA_DIR/jobs.sqlite3), "
        "or redis://HOST:PORT/DB, rediss://... (TLS), unix:///SOCKET for a Redis shared by "
        "servers and workers on several hosts",
    )
    sqlite_synchronous: Literal["FULL", "NORMAL"] = Field(
        "NORMAL",
        description="NORMAL: an acknowledged delivery survives any crash or kill of the "
        "process, not a power cut of the host; FULL: acknowledged only after an fdatasync of the "
        "journal, which also survives a power cut but costs an fdatasync per group (several ms "
        "on most disks)",
    )
    host: str = Field("0.0.0.0", description="address the server listens on")  # noqa: S104
    port: int = Field(3000, ge=0, le=65535, description="port the server listens on (0: any)")
    header_timeout: float = Field(
        10.0,
        gt=0,
        description="seconds a connection gets to send a whole request's headers (after "
        "connecting or after its last answer); an idle keep-alive connection closes then too",
    )
    body_timeout: float = Field(
        30.0, gt=0, description="seconds one request body may take to arrive (then 408)"
    )
    body_budget: int = Field(
        256,
        ge=25,
        le=65536,
        description="MiB of request bodies all requests may hold in memory at once; beyond it a "
        "delivery gets 503 with Retry-After (at least 25: one delivery of GitHub's maximum)",
    )
    max_connections: int = Field(
        4096,
        ge=1,
        le=1_000_000,
        description="open connections per process; beyond it a new one gets 503 and is closed "
        "(lowered to fit the descriptor limit)",
    )
    workers: int = Field(4, ge=0, le=256, description="concurrent job workers in this process")
    processes: int = Field(
        1,
        ge=1,
        le=64,
        description="server processes sharing the port (SO_REUSEPORT): one per core uses every "
        "core; each runs its own --workers",
    )
    job_timeout: float = Field(
        300.0, gt=0, description="seconds one handler may run before it is cancelled"
    )
    max_attempts: int = Field(
        5, ge=1, le=100, description="attempts per job before it is dead-lettered"
    )
    retry_base: float = Field(
        2.0, gt=0, description="first retry delay in seconds (doubles each attempt, with jitter)"
    )
    retry_max: float = Field(600.0, gt=0, description="longest retry delay in seconds")
    lease_seconds: float = Field(
        30.0,
        gt=0,
        description="a claimed job's lease; a crashed worker's jobs run again after it lapses",
    )
    shutdown_grace: float = Field(
        25.0, ge=0, description="seconds running jobs get to finish on SIGTERM"
    )
    handlers: str = Field(
        "ghbot.handlers", description="module whose HANDLERS list is the handler registry"
    )
    log_level: str = Field("INFO", description="DEBUG, INFO, WARNING or ERROR")

    @field_validator("sqlite_synchronous", mode="before")
    @classmethod
    def _sync(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("queue_url")
    @classmethod
    def _queue(cls, value: str | None) -> str | None:
        return None if value is None else check_url(value)

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return level

    @field_validator("github_api_url", "public_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("https://", "http://")):
            raise ValueError("must start with https:// or http://")
        return value.rstrip("/")

    @property
    def store_path(self) -> Path:
        return self.data_dir / "jobs.sqlite3"

    @property
    def queue(self) -> str:
        """The queue's URL: the one given, else the SQLite store under the data dir."""
        return self.queue_url or f"sqlite://{self.store_path}"

    def private_key_pem(self) -> str:
        """The PEM text, read from the path if that is how it was given."""
        if self.private_key is not None:
            return self.private_key.get_secret_value()
        if self.private_key_path is None:
            raise SettingsError(_missing("private_key"))
        try:
            return self.private_key_path.read_text(encoding="utf-8")
        except OSError as exc:
            why = (exc.strerror or exc.__class__.__name__).lower()
            raise SettingsError(
                f"cannot read {ENV_PREFIX}PRIVATE_KEY_PATH ({self.private_key_path}): {why}"
            ) from None
        except UnicodeDecodeError:
            raise SettingsError(
                f"{ENV_PREFIX}PRIVATE_KEY_PATH ({self.private_key_path}) is not a PEM text file"
            ) from None

    def require(self, *names: str) -> None:
        """Fail closed: raise naming every required setting that is not set or not usable."""
        problems = []
        for name in names:
            if name == "private_key":
                if self.private_key is None and self.private_key_path is None:
                    problems.append(_missing(name))
                    continue
                pem = self.private_key_pem()
                if "-----BEGIN" not in pem or "PRIVATE KEY-----" not in pem:
                    problems.append(
                        f"{ENV_PREFIX}PRIVATE_KEY does not hold a PEM private key "
                        "(expected '-----BEGIN ... PRIVATE KEY-----')"
                    )
            elif name == "webhook_secret":
                if self.webhook_secret is None or not self.webhook_secret.get_secret_value():
                    problems.append(_missing(name))
            elif getattr(self, name) is None:
                problems.append(_missing(name))
        if problems:
            raise SettingsError("; ".join(problems))


def env_name(field: str) -> str:
    return ENV_PREFIX + field.upper()


def flag_name(field: str) -> str:
    return "--" + field.replace("_", "-")


def _missing(field: str) -> str:
    extra = " (or HEPHAESTUS_PRIVATE_KEY_PATH)" if field == "private_key" else ""
    return f"missing setting {env_name(field)}{extra}: set it or pass {flag_name(field)}"


def add_arguments(
    parser: argparse.ArgumentParser, skip: frozenset[str] = frozenset()
) -> None:
    """One flag per setting (but those in `skip`); the help names the environment variable and
    the default."""
    group = parser.add_argument_group("settings (flag, or environment variable)")
    for name, info in Settings.model_fields.items():
        if name in skip:
            continue
        default = "" if info.default is None else f"; default {info.default}"
        group.add_argument(
            flag_name(name),
            *_ALIASES.get(name, ()),
            dest=name,
            default=None,
            metavar=name.split("_")[-1].upper(),
            help=f"{info.description} [env {env_name(name)}{default}]",
        )


def load(flags: argparse.Namespace | Mapping[str, Any], env: Mapping[str, str]) -> Settings:
    """Build the settings from the environment, overridden by flags that were given."""
    given = vars(flags) if isinstance(flags, argparse.Namespace) else dict(flags)
    values: dict[str, Any] = {}
    for name in Settings.model_fields:
        flag_value = given.get(name)
        if flag_value is not None:
            values[name] = flag_value
        elif env.get(env_name(name)):
            values[name] = env[env_name(name)]
    try:
        return Settings(**values)
    except ValidationError as exc:
        raise SettingsError(_explain(exc)) from None


def _explain(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors(include_input=False, include_url=False):
        field = str(error["loc"][0]) if error["loc"] else "?"
        parts.append(f"invalid {env_name(field)} ({flag_name(field)}): {error['msg']}")
    return "; ".join(parts)


def parse(
    argv: Sequence[str],
    env: Mapping[str, str],
    prog: str,
    description: str,
    skip: frozenset[str] = frozenset(),
) -> Settings:
    """Parse a verb's flags (none for the settings in `skip`) into settings; usage errors exit 2
    through argparse."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    add_arguments(parser, skip)
    return load(parser.parse_args(list(argv)), env)
