"""`hephaestus setup`: `serve` that insists on --public-url, so the setup page is served when the
App's credentials are missing (and "the App exists" once they are)."""

from __future__ import annotations

import os
import sys

from ghbot.settings import SettingsError, parse

from . import serve

PROG = "hephaestus setup"
DESCRIPTION = (
    "Serve the setup page at the public URL's / : it creates the GitHub App from app.yml with "
    "GitHub's manifest flow, stores its credentials in the data dir and serves its webhooks. "
    "Takes every `hephaestus serve` setting."
)


def main(argv: list[str]) -> int:
    try:
        settings = parse(argv, os.environ, PROG, DESCRIPTION)
    except SettingsError as exc:
        sys.stderr.write(f"{PROG}: {exc}\n")
        return 2
    if settings.public_url is None:
        sys.stderr.write(f"{PROG}: needs --public-url (HEPHAESTUS_PUBLIC_URL): the address "
                         "GitHub reaches this server at, e.g. https://bot.example.com\n")
        return 2
    return serve.main(argv, PROG)
