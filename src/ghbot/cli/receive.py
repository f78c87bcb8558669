"""`hephaestus receive EVENT PAYLOAD.json`: run the handlers once on a saved delivery, as the
App (its credentials, against real GitHub unless --api-url says otherwise), without a server or
a queue: for debugging a handler without waiting for GitHub to deliver again."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import uuid
from pathlib import Path

from ghbot import logs
from ghbot.github.app import GitHubApp
from ghbot.github.events import Event, EventError
from ghbot.registry import Registry, RegistryError, default_registry
from ghbot.settings import Settings, SettingsError, add_arguments
from ghbot.settings import load as load_settings
from ghbot.setup import credentials

from .serve import dispatcher_for

PROG = "hephaestus receive"
_EVENT = re.compile(r"[a-z0-9_]{1,64}")  # as X-GitHub-Event names it
MAX_PAYLOAD = 25 * 1024 * 1024  # GitHub's largest delivery


class InputError(ValueError):
    """The event name or the payload file is unusable; the message says why."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Run the handlers once on a saved webhook delivery (the X-GitHub-Event name "
        "and the JSON body), with the App's credentials (environment, flags, or those the setup "
        "page stored in --data-dir). Exit 0 when every handler succeeded, 1 when one failed.",
    )
    parser.add_argument("event", help="the event name, as in X-GitHub-Event (e.g. pull_request)")
    parser.add_argument("payload", help="the delivery's JSON body, a file ('-': standard input)")
    parser.add_argument("--api-url", dest="github_api_url", metavar="URL",
                        help="GitHub's REST API URL (same as --github-api-url)")  # fmt: skip
    add_arguments(parser)
    return parser


def _event(name: str, source: str) -> Event:
    if not _EVENT.fullmatch(name):
        raise InputError(f"{name!r} is not an event name (e.g. pull_request, issue_comment)")
    try:
        raw = sys.stdin.buffer.read(MAX_PAYLOAD + 1) if source == "-" else _read(Path(source))
        if len(raw) > MAX_PAYLOAD:
            raise InputError(f"{source} is larger than GitHub's 25 MB deliveries")
        payload = json.loads(raw)
        return Event.from_payload(name, f"receive-{uuid.uuid4()}", payload)
    except (ValueError, EventError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"{source} is not a JSON object: {exc}") from None


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_PAYLOAD + 1)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or type(exc).__name__}") from None


async def _run(settings: Settings, registry: Registry, event: Event) -> int:
    app = GitHubApp.from_settings(settings)
    try:
        result = await dispatcher_for(settings, registry, app).dispatch(event)
    finally:
        await app.close()
    if result.skipped:
        print(f"nothing ran: {result.skipped}")
    for handler in result.results:
        detail = f": {handler.error}" if handler.error else ""
        print(f"{handler.name}: {handler.outcome} in {handler.seconds:.2f} s{detail}")
    return 1 if result.failed else 0


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args, os.environ)
        settings = credentials.merge(settings, credentials.load(settings.data_dir))
        settings.require("app_id", "private_key")
        for secret in (settings.private_key, settings.marker_key):
            if secret is not None:
                logs.register_secret(secret.get_secret_value())
        registry = default_registry(settings.handlers)
        event = _event(args.event, args.payload)
    except (SettingsError, RegistryError, InputError) as exc:
        sys.stderr.write(f"{PROG}: {exc}\n")
        return 2
    logs.configure(settings.log_level)
    return asyncio.run(_run(settings, registry, event))
