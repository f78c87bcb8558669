"""One mapping from the engine's errors to the CLI's exit codes, shared by the file verbs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import NoReturn

from ghbot.cli import EXIT_INTERNAL, EXIT_USAGE
from ghbot.engine.files import InputError


class UsageParser(argparse.ArgumentParser):
    """argparse would print and exit 2 itself; this raises, so the verb returns its code and
    `run_guarded` prints the message once, after the verb's name."""

    def error(self, message: str) -> NoReturn:
        raise InputError(f"{message}\n\n{self.format_usage().strip()}")


def run_guarded(prog: str, body: Callable[[list[str]], int], argv: list[str]) -> int:
    """Run a verb: bad input is exit 2 with a message, ruff or a bug is exit 3, never a bare
    traceback as the interface."""
    try:
        return body(argv)
    except InputError as error:
        sys.stderr.write(f"{prog}: {error}\n")
        return EXIT_USAGE
    except Exception as error:
        # Imported here, not at start: `check` imports the analysers only once git lists files.
        import traceback

        from ghbot.engine.analysis.lint import RuffError

        if isinstance(error, RuffError):
            sys.stderr.write(f"{prog}: ruff could not run: {error}\n")
        else:  # a bug: say so, with the traceback a report needs
            sys.stderr.write(f"{prog}: internal error, please report it:\n")
            sys.stderr.write(traceback.format_exc())
        return EXIT_INTERNAL
