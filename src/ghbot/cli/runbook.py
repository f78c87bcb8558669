"""`hephaestus runbook search QUERY...` and `hephaestus runbook lint` on a checkout.

The runbooks directory comes from `--dir`, else from `knowledge.runbooks_dir` in the checkout's
`.github/hephaestus.yml`, else `docs/runbooks`. The checkout root is `--root`, else the nearest
directory above the current one holding `.git`.

Exit codes: search 0 results found, 1 nothing matched; lint 0 no errors (warnings too with
`--strict`), 1 problems found; both 2 usage or input error, 3 internal error.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from pathlib import Path
from typing import NoReturn

from ghbot.checkout_config import CONFIG_PATH
from ghbot.cli import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE
from ghbot.engine.knowledge.lint import LintReport, lint_dir
from ghbot.engine.knowledge.runbooks import load_dir
from ghbot.engine.knowledge.search import Hit, Index

DEFAULT_DIR = "docs/runbooks"


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse would exit by itself; we return 2
        raise _UsageError(f"{self.prog}: {message}\n{self.format_usage().strip()}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hephaestus runbook",
        description="Search and validate the runbooks kept in this repository.",
        epilog="Exit codes: 0 ok, 1 no match (search) or problems (lint), 2 usage or input "
        "error, 3 internal error.",
    )
    common = _Parser(add_help=False)
    common.add_argument("--dir", metavar="DIR",
                        help="runbooks directory, relative to the root (default: "
                        f"knowledge.runbooks_dir of {CONFIG_PATH}, else {DEFAULT_DIR})")
    common.add_argument("--root", type=Path, metavar="PATH",
                        help="the checkout (default: the nearest parent holding .git)")
    common.add_argument("--format", choices=["text", "json"], default="text")
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=_Parser)
    search = verbs.add_parser("search", parents=[common], help="ranked runbooks for a query")
    search.add_argument("query", nargs="+", metavar="QUERY",
                        help="words, an error message or a failure fingerprint")
    search.add_argument("--signature", action="append", default=[], metavar="FINGERPRINT",
                        help="failure fingerprint that ranks its runbooks first; repeatable")
    search.add_argument("--limit", type=int, default=10, metavar="N", help="at most N results")
    lint = verbs.add_parser("lint", parents=[common],
                            help="check front matter, sections, ids and links")
    lint.add_argument("--strict", action="store_true", help="warnings fail too")
    return parser  # fmt: skip


def find_root(start: Path) -> Path:
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return start


def runbooks_dir(root: Path) -> str:
    """`knowledge.runbooks_dir` from the checkout's config, the default when there is none.
    A broken config is reported on stderr, and the default is used, as the bot does."""
    config_file = root / CONFIG_PATH
    if not config_file.is_file():
        return DEFAULT_DIR
    from ghbot.github.repo_config import parse_config

    result = parse_config(config_file.read_bytes(), CONFIG_PATH)
    for error in result.errors:
        sys.stderr.write(f"hephaestus runbook: {error} (using defaults)\n")
    return result.config.knowledge.runbooks_dir


def main(argv: list[str]) -> int:
    try:
        args = build_parser().parse_args(argv)
        root = (args.root or find_root(Path.cwd())).resolve()
        if not root.is_dir():
            raise _UsageError(f"hephaestus runbook: {root} is not a directory")
        directory = args.dir or runbooks_dir(root)
        if not (root / directory).is_dir():
            raise _UsageError(f"hephaestus runbook: no runbooks directory {directory!r} in {root}")
        if args.verb == "search":
            if args.limit < 1:
                raise _UsageError("hephaestus runbook search: --limit must be >= 1")
            return _search(root, directory, args)
        return _lint(root, directory, args)
    except _UsageError as error:
        sys.stderr.write(f"{error}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_USAGE
    except Exception:  # a bug: say so, with the traceback a report needs
        sys.stderr.write("hephaestus runbook: internal error, please report it:\n")
        traceback.print_exc()
        return EXIT_INTERNAL


def _search(root: Path, directory: str, args: argparse.Namespace) -> int:
    loaded = load_dir(root, directory)
    for problem in loaded.problems:
        sys.stderr.write(f"hephaestus runbook: skipped {problem}\n")
    hits = Index(loaded.runbooks).search(
        " ".join(args.query), signatures=args.signature, limit=args.limit
    )
    if args.format == "json":
        sys.stdout.write(json.dumps([h.to_dict() for h in hits], indent=2) + "\n")
    else:
        sys.stdout.write(_hits_text(hits))
    return EXIT_OK if hits else EXIT_FINDINGS


def _hits_text(hits: list[Hit]) -> str:
    if not hits:
        return "no matching runbook\n"
    lines = []
    for rank, hit in enumerate(hits, start=1):
        why = "signature match" if hit.signature_match else f"score {hit.score:.2f}"
        lines.append(f"{rank:>2}. {hit.runbook.title}\n    {hit.runbook.path} ({why})")
    return "\n".join(lines) + "\n"


def _lint(root: Path, directory: str, args: argparse.Namespace) -> int:
    report: LintReport = lint_dir(root, directory)
    if args.format == "json":
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
    else:
        for problem in report.problems:
            sys.stdout.write(f"{problem}\n")
        sys.stdout.write(
            f"{report.checked} runbook{'s' if report.checked != 1 else ''} checked: "
            f"{report.errors} error{'s' if report.errors != 1 else ''}, "
            f"{report.warnings} warning{'s' if report.warnings != 1 else ''}\n"
        )
    failed = report.errors or (args.strict and report.warnings)
    return EXIT_FINDINGS if failed else EXIT_OK
