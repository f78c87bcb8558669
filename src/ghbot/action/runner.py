"""What a GitHub Actions runner gives a step: the event, the workspace, and the files a step
appends its outputs and job summary to."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ghbot.action.inputs import ActionError
from ghbot.engine.redact import redact
from ghbot.engine.render import truncate_middle
from ghbot.github.client import DEFAULT_API_URL
from ghbot.github.events import Event, EventError

STEP_SUMMARY_LIMIT = 1_000_000  # the runner rejects a step summary over 1 MiB
MAX_EVENT_BYTES = 25 * 1024 * 1024  # GitHub never delivers a bigger event
# Whose comments and commits are the bot's own: the job's GITHUB_TOKEN acts as
# github-actions[bot]; a step given an App's token sets HEPHAESTUS_BOT_LOGIN to `<app>[bot]`.
DEFAULT_BOT_LOGIN = "github-actions[bot]"


def set_outputs(output_file: Path | None, **values: object) -> None:
    """Append `name<<DELIM` blocks; a random delimiter per value, so no value can close its
    block early and smuggle in another output. Later writes of a name win."""
    if output_file is None:
        return
    with output_file.open("a", encoding="utf-8") as out:
        for name, value in values.items():
            delimiter = f"ghadelim_{secrets.token_hex(16)}"
            out.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")


def _path(env: Mapping[str, str], name: str) -> Path | None:
    return Path(env[name]) if env.get(name) else None


@dataclass(frozen=True, slots=True)
class Runner:
    event: Event
    workspace: Path
    output_file: Path | None
    summary_file: Path | None
    temp_dir: Path
    api_url: str
    bot_login: str
    marker_key: str | None = field(default=None, repr=False)  # seals markers (engine/markers.py)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Runner:
        name, event_path = env.get("GITHUB_EVENT_NAME"), env.get("GITHUB_EVENT_PATH")
        if not name or not event_path:
            raise ActionError(
                "GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set: "
                "`hephaestus action` runs as a step of a GitHub Actions workflow"
            )
        try:
            with open(event_path, "rb") as handle:
                raw = handle.read(MAX_EVENT_BYTES + 1)
            payload = json.loads(raw) if len(raw) <= MAX_EVENT_BYTES else None
        except (OSError, ValueError) as exc:
            raise ActionError(f"cannot read the event file {event_path}: {exc}") from None
        if payload is None:
            raise ActionError(f"the event file {event_path} is over 25 MB")
        # The run stands for the delivery: a re-run of the job is a new attempt.
        run_id, attempt = env.get("GITHUB_RUN_ID", "local"), env.get("GITHUB_RUN_ATTEMPT", "1")
        delivery = f"actions-{run_id}-{attempt}"
        try:
            event = Event.from_payload(name, delivery, payload)
        except EventError as exc:
            raise ActionError(f"the event file {event_path}: {exc}") from None
        workspace = _path(env, "GITHUB_WORKSPACE") or Path.cwd()
        return cls(
            event=event,
            workspace=workspace,
            output_file=_path(env, "GITHUB_OUTPUT"),
            summary_file=_path(env, "GITHUB_STEP_SUMMARY"),
            temp_dir=_path(env, "RUNNER_TEMP") or workspace,
            api_url=env.get("GITHUB_API_URL") or DEFAULT_API_URL,
            bot_login=env.get("HEPHAESTUS_BOT_LOGIN", "").strip() or DEFAULT_BOT_LOGIN,
            marker_key=env.get("HEPHAESTUS_MARKER_KEY", "").strip() or None,
        )

    def set_outputs(self, **values: object) -> None:
        set_outputs(self.output_file, **values)

    def add_summary(self, markdown: str) -> None:
        if self.summary_file is not None:
            with self.summary_file.open("a", encoding="utf-8") as out:
                # The job summary is published like a comment: redacted as the client would.
                out.write(truncate_middle(redact(markdown), STEP_SUMMARY_LIMIT) + "\n")


@contextmanager
def commands_paused(stream: TextIO) -> Iterator[None]:
    """Stop the runner from obeying workflow commands while handlers run: their logs quote PR
    titles, file names and CI output, and a line like `::add-mask::` or `::error` in there
    must stay text. Our own commands are written after this block."""
    token = secrets.token_hex(16)
    stream.write(f"::stop-commands::{token}\n")
    stream.flush()
    try:
        yield
    finally:
        stream.write(f"::{token}::\n")
        stream.flush()
