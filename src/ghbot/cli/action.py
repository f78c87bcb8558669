"""`hephaestus action`: run as a step of a GitHub Actions workflow (see action.yml)."""

from __future__ import annotations

import sys
import traceback

from ghbot.action import INPUTS, ActionError, run
from ghbot.cli import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE
from ghbot.engine.files import InputError

HELP = """usage: hephaestus action

Runs as a GitHub Actions step: reads the event from GITHUB_EVENT_NAME / GITHUB_EVENT_PATH and
the inputs from the environment variables action.yml sets, runs the App's handlers for the
event with the job's token (GITHUB_API_URL), reviews the checkout when no handler takes the
event, and writes annotations, a job summary, outputs (findings, fixed, report) and optionally
SARIF. Exit codes: 0 ok, 1 findings at or above fail-level, 2 bad input, 3 a handler failed.

inputs (environment variable):
""" + "".join(f"  {name:<14} {var}\n" for name, var in INPUTS.items())


def main(argv: list[str]) -> int:
    if argv and argv[0] in {"-h", "--help"}:
        sys.stdout.write(HELP)
        return EXIT_OK
    if argv:
        sys.stderr.write(f"hephaestus action: takes no arguments (got {argv[0]!r})\n")
        return EXIT_USAGE
    try:
        return run()
    except (ActionError, InputError) as exc:
        # Surface the problem on the workflow run page, not only in the log.
        sys.stdout.write(f"::error title=Hephaestus::{exc}\n")
        sys.stderr.write(f"hephaestus action: {exc}\n")
        return EXIT_USAGE
    except Exception:
        sys.stderr.write("hephaestus action: internal error, please report it:\n")
        sys.stderr.write(traceback.format_exc())
        return EXIT_INTERNAL
