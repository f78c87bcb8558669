"""`hephaestus VERB ...`: the command-line front door.

Each verb lives in its own module under `ghbot.cli` and exposes `main(argv) -> int`; the module is
imported only when its verb runs, so `hephaestus triage` never pays for the server's imports.

Exit codes shared by every verb:
  0  success (for check/triage: nothing at or above the fail level)
  1  findings or failures at or above the fail level
  2  usage error or bad input (a clear message on stderr)
  3  internal error (a bug: please report it)
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # typing's import is a twentieth of what `check` imports before ruff starts
    from typing import NoReturn

from ghbot import __version__

# verb -> (module, one-line description). The order is the order of `hephaestus --help`.
VERBS: dict[str, tuple[str, str]] = {
    "serve": ("ghbot.cli.serve", "run the GitHub App webhook server (with in-process workers)"),
    "setup": ("ghbot.cli.setup", "serve the setup page that creates the App (then serve it)"),
    "worker": ("ghbot.cli.worker", "run job workers only, sharing the server's queue"),
    "jobs": ("ghbot.cli.jobs", "list the queue's pending, running and dead jobs; retry a dead one"),
    "receive": ("ghbot.cli.receive", "run the handlers once on a saved webhook delivery"),
    "action": ("ghbot.cli.action", "run as a GitHub Actions step (reads the runner's environment)"),
    "check": ("ghbot.cli.check", "analyse files: syntax, lint, security, secrets, workflows"),
    "fix": ("ghbot.cli.fix", "repair files: syntax repair, ruff safe fixes, LibCST codemods"),
    "triage": ("ghbot.cli.triage", "explain why a CI log failed"),
    "runbook": ("ghbot.cli.runbook", "search and lint the repository's runbooks"),
    "deployments": (
        "ghbot.cli.deployments",
        "show the deployment history recorded in a checkout",
    ),
    "schema": ("ghbot.cli.schema", "print the JSON Schema of .github/hephaestus.yml"),
    "commands": ("ghbot.cli.commands", "list the /hephaestus comment commands; their audit log"),
}

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_BROKEN_PIPE = 141  # what a shell reports for a process that SIGPIPE ended


def _usage() -> str:
    width = max(map(len, VERBS))
    rows = "\n".join(f"  {verb.ljust(width)}  {desc}" for verb, (_, desc) in VERBS.items())
    return (
        "usage: hephaestus VERB [options]\n\n"
        f"verbs:\n{rows}\n\n"
        "Run `hephaestus VERB --help` for a verb's options.\n"
        "Exit codes: 0 ok, 1 findings at or above the fail level, 2 usage or input error, "
        "3 internal error.\n"
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in {"-h", "--help", "help"}:
        sys.stdout.write(_usage())
        return EXIT_OK if args else EXIT_USAGE
    if args[0] == "--version":
        print(f"hephaestus {__version__}")
        return EXIT_OK
    verb, rest = args[0], args[1:]
    if verb not in VERBS:
        sys.stderr.write(f"hephaestus: unknown verb {verb!r}\n\n{_usage()}")
        return EXIT_USAGE
    module = importlib.import_module(VERBS[verb][0])
    try:
        return int(module.main(rest))
    except BrokenPipeError:  # `hephaestus ... | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def run() -> NoReturn:
    """The `hephaestus` program: `main`, then exit. What the verb leaves (a check's files and
    findings) is frozen first, so that the interpreter's collections at exit do not traverse
    every object the exit frees anyway (on Django, 0.05 s of a 1.7 s check)."""
    if sys.argv[1:2] == ["check"]:
        from ghbot.cli import prelisting

        prelisting.start()
    code = main()
    gc.freeze()
    sys.exit(code)
