"""`hephaestus check [PATH...]`: analyse files and report findings.

Exit codes: 0 no finding at or above --fail-level, 1 some, 2 usage or input error (a missing
path, an unknown --diff ref, an unwritable --output), 3 internal error (ruff could not run, a bug).
Skipped files (binary, not UTF-8, too large, symlinks out of the tree) and notices go to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import orjson

from ghbot.cli import EXIT_FINDINGS, EXIT_OK
from ghbot.cli.guard import run_guarded
from ghbot.engine.analysis.run import AnalysisOptions, AnalysisResult, analyse
from ghbot.engine.diff import FilterMode
from ghbot.engine.fail_level import FailLevel
from ghbot.engine.files import BINARY, DEFAULT_MAX_BYTES, InputError, default_root

FORMATS = ("text", "json", "sarif", "github")
_LIST_BINARY = 5  # more binary files than this are summarised in one line


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits on its own; we return our code
        raise InputError(f"{self.prog}: {message}\n\n{self.format_usage().strip()}")


def _rules(values: Sequence[str] | None) -> tuple[str, ...]:
    rules = (rule.strip() for value in values or () for rule in value.split(","))
    return tuple(rule for rule in rules if rule)


# Formats read by tools that apply edits (SARIF fixes, JSON consumers): codemod fixes by default.
_FIX_FORMATS = frozenset({"json", "sarif"})


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hephaestus check",
        description="Find syntax errors, lint and security problems (ruff), committed secrets "
        "and unsafe GitHub workflows. Inside a git work tree .gitignore is respected.",
        epilog="Exit codes: 0 nothing at or above the fail level, 1 findings, 2 usage or input "
        "error, 3 internal error.",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="files or directories (default: the current directory)")
    parser.add_argument("--diff", metavar="BASE",
                        help="only files changed since the git ref BASE, findings on changed lines")
    parser.add_argument("--filter-mode", choices=[m.value for m in FilterMode],
                        default=FilterMode.ADDED.value,
                        help="with --diff: which lines count as changed (default: added)")
    parser.add_argument("--select", action="append", metavar="RULES",
                        help="only these rule ids, prefixes or analysers (comma-separated)")
    parser.add_argument("--ignore", action="append", metavar="RULES",
                        help="drop these rule ids, prefixes or analysers (comma-separated)")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--output", type=Path, metavar="FILE",
                        help="write the report here instead of stdout")
    parser.add_argument("--fail-level", type=FailLevel, choices=list(FailLevel),
                        default=FailLevel.ERROR,
                        help="exit 1 when a finding is at least this severe (default: error)")
    parser.add_argument("--root", type=Path,
                        help="paths in the report are relative to this directory (default: the "
                        "git work tree, else the common directory of PATHs)")
    parser.add_argument("--max-file-size", type=int, default=DEFAULT_MAX_BYTES, metavar="BYTES",
                        help=f"skip larger files (default: {DEFAULT_MAX_BYTES})")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="progress on stderr (default: when stderr is a terminal)")
    parser.add_argument("--fixes", action=argparse.BooleanOptionalAction, default=None,
                        help="attach the codemods' fixes (HEP1xx) to their findings; they "
                        "need LibCST, seconds on a large tree (default: for json and sarif)")
    return parser  # fmt: skip


class _Progress:
    """Progress lines on stderr, only once the run has lasted a second."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if time.monotonic() - self.started >= 1.0:
            sys.stderr.write(f"\rhephaestus: {stage} {done}/{total}\033[K")
            sys.stderr.flush()

    def finish(self) -> None:
        if time.monotonic() - self.started >= 1.0:
            sys.stderr.write("\r\033[K")


def _json(document: object) -> str:
    # orjson: a report of thousands of findings takes json.dumps longer than ruff takes to lint.
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"


def render(result: AnalysisResult, fmt: str) -> str:
    if fmt == "json":
        document = {
            "findings": [f.to_dict() for f in result.findings],
            "skipped": [{"path": s.path, "reason": s.reason} for s in result.skipped],
        }
        return _json(document)
    if fmt == "sarif":
        from ghbot.engine.analysis.sarif import to_sarif

        sarif = to_sarif(result.findings, result.root.as_uri() + "/", result.skipped)
        return _json(sarif)
    if fmt == "github":
        from ghbot.engine.report.github import render_github

        return render_github(result.findings)
    from ghbot.engine.report.text import render_text

    return render_text(result.findings, result.files_checked, len(result.skipped))


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        temporary = output.with_name(f".{output.name}.{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(output)
    except OSError as error:
        raise InputError(f"--output {output}: {error.strerror or error}") from None


def main(argv: list[str]) -> int:
    return run_guarded("hephaestus check", _run, argv)


def _run(argv: list[str]) -> int:
    parser = build_parser()
    if any(arg in {"-h", "--help"} for arg in argv):
        parser.print_help()
        return EXIT_OK
    args = parser.parse_args(argv)
    if args.max_file_size <= 0:
        raise InputError("--max-file-size must be a positive number of bytes")
    root = args.root.resolve() if args.root else default_root(args.paths)
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    progress = _Progress() if show else None
    options = AnalysisOptions(
        select=_rules(args.select),
        ignore=_rules(args.ignore),
        diff_base=args.diff,
        filter_mode=FilterMode(args.filter_mode),
        max_file_bytes=args.max_file_size,
        progress=progress,
        codemod_fixes=args.fixes if args.fixes is not None else args.format in _FIX_FORMATS,
    )
    result = analyse(root, args.paths, options)
    if progress is not None:
        progress.finish()
    binary = [item for item in result.skipped if item.reason == BINARY]
    for item in result.skipped:
        if item.reason != BINARY or len(binary) <= _LIST_BINARY:
            sys.stderr.write(f"hephaestus check: skipped {item.path}: {item.reason}\n")
    if len(binary) > _LIST_BINARY:  # images and archives are expected: count, don't list
        sys.stderr.write(f"hephaestus check: skipped {len(binary)} binary files\n")
    for notice in result.notices:
        sys.stderr.write(f"hephaestus check: {notice}\n")
    if result.files_checked == 0 and not result.skipped:
        sys.stderr.write("hephaestus check: no files to check\n")
    _write(render(result, args.format), args.output)
    return EXIT_FINDINGS if args.fail_level.fails(result.findings) else EXIT_OK
