"""app.yml as the manifest GitHub's "create an App from a manifest" flow expects, with the
URLs that point back at this server."""

from __future__ import annotations

import re
from importlib import resources
from typing import Any
from urllib.parse import quote, urlsplit

import yaml

WEBHOOK_PATH = "/webhook"
CALLBACK_PATH = "/setup/callback"  # GitHub redirects here with ?code=...&state=...
INSTALLED_PATH = "/setup/installed"  # and here after someone installs the App

# GitHub's rules: logins are alphanumerics and single hyphens, at most 39 characters; App names
# at most 34 characters.
OWNER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")
NAME_MAX = 34


def app_yml() -> dict[str, Any]:
    text = resources.files("ghbot.setup").joinpath("app.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError("app.yml is not a mapping")
    return data


def build(public_url: str, name: str) -> dict[str, Any]:
    """The manifest: app.yml's name, events and permissions, and this server's URLs."""
    manifest = app_yml()
    manifest["name"] = name
    manifest["hook_attributes"] = {"url": public_url + WEBHOOK_PATH, "active": True}
    manifest["redirect_url"] = public_url + CALLBACK_PATH
    manifest["setup_url"] = public_url + INSTALLED_PATH
    return manifest


def web_url(api_url: str) -> str:
    """GitHub's web address for an API base URL: api.github.com -> github.com; GitHub Enterprise
    Server's https://HOST/api/v3 -> https://HOST; anything else (a test double) serves both."""
    parts = urlsplit(api_url)
    if parts.hostname == "api.github.com":
        return "https://github.com"
    base = api_url.rstrip("/")
    return base.removesuffix("/api/v3")


def new_app_url(web: str, owner: str | None, state: str) -> str:
    """Where the form posts the manifest: the signed-in user's account or an organisation."""
    where = f"/organizations/{quote(owner)}/settings/apps/new" if owner else "/settings/apps/new"
    return f"{web}{where}?state={quote(state)}"
