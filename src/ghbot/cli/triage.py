"""`hephaestus triage LOG...`: explain why CI logs failed.

Inputs: files, `-` for stdin, or GitHub Actions run-logs zips. Exit codes: 0 no failure found,
1 failures found, 2 usage or input error (unreadable input, invalid rules), 3 internal error.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path
from typing import NoReturn

from ghbot.cli import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE
from ghbot.engine.triage.engine import DEFAULT_MAX_EXCERPT, DEFAULT_MAX_FAILURES, Triage
from ghbot.engine.triage.formats import to_json, to_markdown, to_text
from ghbot.engine.triage.inputs import InputError, open_logs
from ghbot.engine.triage.model import TriageReport
from ghbot.engine.triage.rules import RuleError, load_catalog

FORMATS = {"text": to_text, "json": to_json, "markdown": to_markdown}


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse would exit 2 itself; we return instead
        raise _UsageError(f"{self.prog}: {message}\n{self.format_usage().strip()}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hephaestus triage",
        description="Find the lines that say why a CI log failed, classify and explain them.",
        epilog="Exit codes: 0 no failure found, 1 failures found, 2 usage or input error, "
        "3 internal error.",
    )
    parser.add_argument("logs", nargs="+", metavar="LOG",
                        help="log file, `-` for stdin, or a GitHub Actions run-logs zip")
    parser.add_argument("--format", choices=list(FORMATS), default="text")
    parser.add_argument("--rules", action="append", type=Path, default=[], metavar="DIR",
                        help="extra known-failure rules (*.yml); repeatable; same id replaces")
    parser.add_argument("--max-excerpt", type=int, default=DEFAULT_MAX_EXCERPT, metavar="N",
                        help=f"at most N lines per excerpt (default {DEFAULT_MAX_EXCERPT})")
    parser.add_argument("--max-failures", type=int, default=DEFAULT_MAX_FAILURES, metavar="N",
                        help=f"at most N failures per report (default {DEFAULT_MAX_FAILURES})")
    parser.add_argument("--baseline", metavar="PASSED_LOG",
                        help="log of a passing run of the same job: lines it also printed are "
                             "not the cause")
    return parser  # fmt: skip


def main(argv: list[str]) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.max_excerpt < 1 or args.max_failures < 1:
            raise _UsageError("hephaestus triage: --max-excerpt and --max-failures must be >= 1")
        if [*args.logs, args.baseline].count("-") > 1:
            raise _UsageError("hephaestus triage: stdin (-) can be given only once")
        triage = Triage(load_catalog(args.rules), args.max_excerpt, args.max_failures)
        baseline = None
        if args.baseline is not None:
            with open_logs(args.baseline) as logs:
                baseline = triage.baseline(logs)
        reports: list[TriageReport] = []
        for name in args.logs:
            with open_logs(name) as logs:
                reports.append(triage.run(name, logs, baseline))
    except (_UsageError, InputError, RuleError) as error:
        sys.stderr.write(f"{error}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_USAGE
    except Exception:  # a bug: say so, with the traceback for the report
        sys.stderr.write("hephaestus triage: internal error, please report it:\n")
        traceback.print_exc()
        return EXIT_INTERNAL
    sys.stdout.write(FORMATS[args.format](reports))
    return EXIT_FINDINGS if any(report.failures for report in reports) else EXIT_OK
