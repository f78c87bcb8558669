"""The App's credentials as GitHub returns them from the manifest conversion, kept in the data
dir: one JSON file, mode 0600, replaced atomically so a crash never leaves half a key."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from ghbot import logs
from ghbot.settings import Settings, SettingsError

FILE_NAME = "app.json"
MAX_BYTES = 64 * 1024  # a PEM key and a few ids: anything bigger is not ours


class StoredApp(BaseModel):
    """What the conversion returns that the server needs; secrets never show in a repr."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: int = Field(gt=0)
    slug: str = Field(min_length=1, max_length=100)
    html_url: str = Field(pattern=r"^https?://", max_length=2000)
    client_id: str = Field(max_length=200)
    client_secret: SecretStr
    webhook_secret: SecretStr = Field(min_length=1)
    pem: SecretStr

    def secrets(self) -> tuple[str, ...]:
        return tuple(s.get_secret_value() for s in (self.client_secret, self.webhook_secret,
                                                    self.pem))  # fmt: skip

    def to_json(self) -> str:
        plain = self.model_dump(mode="python")
        for name in ("client_secret", "webhook_secret", "pem"):
            plain[name] = getattr(self, name).get_secret_value()
        return json.dumps(plain, indent=2) + "\n"


def path(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def load(data_dir: Path) -> StoredApp | None:
    """The stored App, or None before setup; a damaged file is a clear settings error."""
    file = path(data_dir)
    try:
        with file.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SettingsError(f"cannot read the App's credentials {file}: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise SettingsError(f"{file} is not the App's credentials file (too large)")
    try:
        stored = StoredApp.model_validate_json(raw)
    except ValidationError:
        raise SettingsError(
            f"{file} is damaged: delete it and run the setup again, or set the App's "
            "credentials with HEPHAESTUS_APP_ID, HEPHAESTUS_PRIVATE_KEY and "
            "HEPHAESTUS_WEBHOOK_SECRET"
        ) from None
    for secret in stored.secrets():
        logs.register_secret(secret)
    return stored


def save(data_dir: Path, app: StoredApp) -> None:
    """Write the file readable by this user only: created 0600 under a temporary name, synced,
    then renamed over the old one (atomic on POSIX)."""
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    for secret in app.secrets():
        logs.register_secret(secret)
    fd, temp = tempfile.mkstemp(prefix=".app-", suffix=".tmp", dir=data_dir)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(app.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path(data_dir))
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def merge(settings: Settings, app: StoredApp | None) -> Settings:
    """Settings with the stored App filling what the environment and flags left unset."""
    if app is None:
        return settings
    update: dict[str, object] = {}
    if settings.app_id is None:
        update["app_id"] = app.id
    if settings.private_key is None and settings.private_key_path is None:
        update["private_key"] = app.pem
    if settings.webhook_secret is None:
        update["webhook_secret"] = app.webhook_secret
    if "app_slug" not in settings.model_fields_set:
        update["app_slug"] = app.slug
    return settings.model_copy(update=update)
