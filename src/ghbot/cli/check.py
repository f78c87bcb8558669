"""`hephaestus check [PATH...]`: analyse files and report findings.

Exit codes: 0 no finding at or above --fail-level, 1 some, 2 usage or input error (a missing
path, an unknown --diff ref, an unwritable --output), 3 internal error (ruff could not run, a bug).
Skipped files (binary, not UTF-8, too large, symlinks out of the tree) and notices go to stderr.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ghbot.checkout_config import CONFIG_PATH
from ghbot.cli import EXIT_FINDINGS, EXIT_OK, prelisting
from ghbot.cli.file_verbs import STDIN, STDIN_NAME, configured, read_stdin
from ghbot.cli.guard import UsageParser, run_guarded
from ghbot.engine.diff import FilterMode
from ghbot.engine.fail_level import FailLevel
from ghbot.engine.files import BINARY, DEFAULT_MAX_BYTES, InputError, default_root, start_listing
from ghbot.engine.models import SourceFile

if TYPE_CHECKING:
    from ghbot.engine.analysis.run import AnalysisOptions, AnalysisResult

FORMATS = ("text", "json", "sarif", "github")
_FINGERPRINTED = ("json", "sarif")  # the formats that show findings' fingerprints
_LIST_BINARY = 5  # more binary files than this are summarised in one line


def build_parser() -> argparse.ArgumentParser:
    parser = UsageParser(
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
                        help="with --diff: which lines count as changed (default: added)")
    parser.add_argument("--select", action="append", metavar="RULES",
                        help="only these rule ids, prefixes or analysers (comma-separated)")
    parser.add_argument("--ignore", action="append", metavar="RULES",
                        help="drop these rule ids, prefixes or analysers (comma-separated)")
    parser.add_argument("--config", type=Path, metavar="PATH",
                        help=f"the repository config to use (default: {CONFIG_PATH}, else "
                        "[tool.hephaestus] in pyproject.toml; a .toml PATH is read as pyproject)")
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
    parser.add_argument("--statistics", action="store_true",
                        help="with the text format: one line per rule with its count, instead "
                        "of every finding")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour the text format (default: auto, on a terminal unless "
                        "NO_COLOR is set)")
    parser.add_argument("--stdin-filename", metavar="NAME", default=STDIN_NAME,
                        help=f"with PATH `-`: the name the text read is checked as (default: "
                        f"{STDIN_NAME})")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="files done per stage on stderr (default: on a terminal, once the "
                        "run has lasted a second)")
    # Off by default for every format: LibCST fixes took SARIF and JSON on Django from 1 s to
    # 13 s. ruff's own fixes are always attached.
    parser.add_argument("--fixes", action=argparse.BooleanOptionalAction, default=False,
                        help="also attach the codemods' fixes (HEP1xx) to their findings; they "
                        "need LibCST, seconds on a large tree (default: off)")
    return parser  # fmt: skip


class _Progress:
    """Files done per stage on stderr, rewritten in place on a terminal; a line each elsewhere
    (asked for with --progress). On a terminal by default, once the run has lasted `after`."""

    def __init__(self, after: float, terminal: bool) -> None:
        self.started, self.after, self.terminal = time.monotonic(), after, terminal

    def _showing(self) -> bool:
        return time.monotonic() - self.started >= self.after

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._showing():
            from ghbot.engine.render import plural  # its import costs the time before ruff starts

            line = f"hephaestus check: {stage}: {done}/{plural(total, 'file')}"
            sys.stderr.write(f"\r{line}\033[K" if self.terminal else f"{line}\n")
            sys.stderr.flush()

    def finish(self) -> None:
        if self.terminal and self._showing():
            sys.stderr.write("\r\033[K")


def _json(document: object) -> str:
    # orjson: a report of thousands of findings takes json.dumps longer than ruff takes to lint.
    import orjson

    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"


def render(
    result: AnalysisResult, fmt: str, *, color: bool = False, statistics: bool = False
) -> str:
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
    from ghbot.engine.report.text import render_statistics, render_text

    show = render_statistics if statistics else render_text
    return show(result.findings, result.files_checked, len(result.skipped), color=color)


def _analyse_stdin(
    root: Path, args: argparse.Namespace, options: AnalysisOptions
) -> AnalysisResult:
    """`hephaestus check -`: standard input, checked as --stdin-filename would be in `root`
    (under the root's ruff configuration), e.g. for an editor checking an unsaved buffer."""
    from ghbot.engine.analysis.lint import find_config
    from ghbot.engine.analysis.run import analyse_files

    text = read_stdin(args.paths, args.diff)
    config = find_config(root)
    trusted = [SourceFile(config.name, config.read_text("utf-8"))] if config else []
    result = analyse_files([SourceFile(args.stdin_filename, text)], options, ruff_configs=trusted)
    result.root = root
    return result


def _colour(choice: str, output: Path | None) -> bool:
    """--color auto: only for a terminal, and never when NO_COLOR is set (no-color.org)."""
    if choice != "auto":
        return choice == "always"
    return output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


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
    # A check makes a few hundred thousand objects (files, findings) and no garbage cycles: the
    # collector's passes over them were 5% of a run on Django. Back on afterwards, for a caller
    # that runs on (the tests).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return run_guarded("hephaestus check", _run, argv)
    finally:
        if collecting:
            gc.enable()


def _run(argv: list[str]) -> int:
    parser = build_parser()
    if any(arg in {"-h", "--help"} for arg in argv):
        parser.print_help()
        return EXIT_OK
    args = parser.parse_args(argv)
    if args.max_file_size <= 0:
        raise InputError("--max-file-size must be a positive number of bytes")
    if args.filter_mode is not None and args.diff is None:
        raise InputError("--filter-mode applies to --diff BASE only; give both, or neither")
    paths = [p for p in args.paths if p != STDIN]
    root = args.root.resolve() if args.root else default_root(paths)
    config = configured(root, args.config, args.select, args.ignore)
    if args.statistics and args.format != "text":
        raise InputError("--statistics is a text report; leave out --format")
    stdin = STDIN in args.paths
    if stdin:
        prelisting.discard()
    # git lists the tree while the analysers import: ruff, which needs the list, starts sooner.
    listing = None if stdin else start_listing(root, args.paths, prelisting.take(str(root)))
    from ghbot.engine.analysis.run import AnalysisOptions, analyse

    terminal = sys.stderr.isatty()
    show = args.progress if args.progress is not None else terminal
    progress = _Progress(0.0 if args.progress else 1.0, terminal) if show else None
    options = AnalysisOptions(
        select=config.select,
        ignore=config.ignore,
        diff_base=args.diff,
        filter_mode=FilterMode(args.filter_mode or FilterMode.ADDED),
        max_file_bytes=args.max_file_size,
        secrets_allowlist=config.secrets_allowlist,
        exclude=config.exclude,
        progress=progress,
        codemod_fixes=args.fixes,
        fingerprints=args.format in _FINGERPRINTED,
    )
    result = _analyse_stdin(root, args, options) if stdin else analyse(
        root, args.paths, options, listing
    )
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
    color = _colour(args.color, args.output)
    _write(render(result, args.format, color=color, statistics=args.statistics), args.output)
    return EXIT_FINDINGS if args.fail_level.fails(result.findings) else EXIT_OK
