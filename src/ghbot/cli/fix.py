"""`hephaestus fix [PATH...]`: repair files in place (syntax, ruff's safe fixes, codemods).

Exit codes:
  0  done: every file parses (with --dry-run: and nothing would change)
  1  with --dry-run, some file would change; or some file still does not parse
  2  usage or input error: a bad path or ref, or a file that could not be read or written
     (binary, not UTF-8, too large, read-only); the other files are still fixed
  3  internal error (ruff could not run, a bug)
Writes are atomic (a temporary file in the same directory, then a rename) and keep the file's
mode, its line endings (LF or CRLF) and a UTF-8 byte-order mark. The write reaches the file from
the root one directory at a time without following symlinks: one swapped onto the path while the
file was being fixed cannot lead the write out of the tree.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import secrets
import stat
import sys
import time
from collections import Counter
from pathlib import Path

from ghbot.checkout_config import CONFIG_PATH
from ghbot.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from ghbot.cli.file_verbs import STDIN, STDIN_NAME, Configured, configured, read_stdin
from ghbot.cli.guard import UsageParser, run_guarded
from ghbot.engine.analysis.lint import PYTHON_SUFFIXES, RuffRun
from ghbot.engine.analysis.syntax_gate import ruff_misses
from ghbot.engine.files import (
    DEFAULT_MAX_BYTES,
    InputError,
    default_root,
    discover,
    excluded,
    inside_tree,
    load_diff,
)
from ghbot.engine.fixes.codemod_catalog import CATALOG as CODEMOD_CATALOG
from ghbot.engine.fixes.codemod_catalog import SOURCE as CODEMOD_SOURCE
from ghbot.engine.fixes.codemods import CODEMODS
from ghbot.engine.fixes.patch import unified_diff
from ghbot.engine.fixes.pipeline import FileResult, FixOptions, fix_file_isolated
from ghbot.engine.fixes.ruff_stdin import RuffOnText
from ghbot.engine.isolation import NOT_ANALYSED
from ghbot.engine.models import SourceFile
from ghbot.engine.render import plural

_BOM = "\ufeff"
_PROGRESS_AFTER_SECONDS = 1.0


def build_parser() -> argparse.ArgumentParser:
    parser = UsageParser(
        prog="hephaestus fix",
        description="Repair Python files in place: syntax repair first, then ruff's safe fixes, "
        "then the safe codemods. Each change is re-checked; a fix that makes the file fail to "
        "parse or adds a finding is dropped.",
        epilog="Exit codes: 0 done, 1 --dry-run would change files or a file still does not "
        "parse, 2 usage or input error, 3 internal error.",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="files or directories (default: the current directory)")
    parser.add_argument("--dry-run", action="store_true",
                        help="print a unified diff of the changes and write nothing")
    parser.add_argument("--select", action="append", metavar="RULES",
                        help="only these rule ids, prefixes or sources: syntax, ruff, codemod "
                        "(comma-separated; `--select syntax` repairs syntax only)")
    parser.add_argument("--ignore", action="append", metavar="RULES",
                        help="skip these rule ids, prefixes or sources (comma-separated)")
    parser.add_argument("--unsafe", "--unsafe-fixes", action="store_true", dest="unsafe",
                        help="also apply fixes that are otherwise only suggestions")
    parser.add_argument("--config", type=Path, metavar="PATH",
                        help=f"the repository config to use (default: {CONFIG_PATH}, else "
                        "[tool.hephaestus] in pyproject.toml)")
    parser.add_argument("--diff", metavar="BASE",
                        help="only files changed since the git ref BASE")
    parser.add_argument("--root", type=Path,
                        help="the project root: ruff's configuration is found from here "
                        "(default: the git work tree, else the common directory of PATHs)")
    parser.add_argument("--stdin-filename", metavar="NAME", default=STDIN_NAME,
                        help=f"with PATH `-`: the name the text read is fixed as (default: "
                        f"{STDIN_NAME})")
    parser.add_argument("--max-file-size", type=int, default=DEFAULT_MAX_BYTES, metavar="BYTES",
                        help=f"skip larger files (default: {DEFAULT_MAX_BYTES})")
    return parser  # fmt: skip




def main(argv: list[str]) -> int:
    return run_guarded("hephaestus fix", _run, argv)


def _run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    paths = [p for p in args.paths if p != STDIN]
    root = (args.root or default_root(paths)).resolve()
    names = [info.name for info in CODEMOD_CATALOG.values()]
    config = configured(root, args.config, args.select, args.ignore, names)
    if STDIN in args.paths:
        return _fix_stdin(root, args, config)
    only = set(load_diff(root, args.diff).changed_paths()) if args.diff else None
    found = discover(root, args.paths, max_bytes=args.max_file_size, only=only)
    status = EXIT_OK
    for skipped in found.skipped:
        if skipped.path.endswith(PYTHON_SUFFIXES):
            sys.stderr.write(f"{skipped.path}: skipped: {skipped.reason}\n")
            status = EXIT_USAGE
    python = [
        f for f in found.files
        if f.path.endswith(PYTHON_SUFFIXES) and not excluded(f.path, config.exclude)
    ]  # fmt: skip
    options = FixOptions(select=config.select or None, ignore=config.ignore, unsafe=args.unsafe)
    lint = RuffOnText(root)
    work = _needing_work(root, python, options)
    started = time.monotonic()
    changed = fixes = 0
    for done, file in enumerate(work, 1):
        if time.monotonic() - started > _PROGRESS_AFTER_SECONDS:
            sys.stderr.write(f"[{done}/{len(work)}] {file.path}\n")
        outcome = _fix_one(root, file, options, lint, dry_run=args.dry_run)
        if outcome is None:
            status = EXIT_USAGE
            continue
        if outcome.problem is not None and status == EXIT_OK:
            status = EXIT_FINDINGS
        if outcome.changed:
            changed += 1
            fixes += len(outcome.applied)
            if args.dry_run and status == EXIT_OK:
                status = EXIT_FINDINGS
    verb = "would change" if args.dry_run else "changed"
    sys.stderr.write(f"{verb} {changed} of {plural(len(python), 'Python file')} "
                     f"({plural(fixes, 'fix', 'fixes')})\n")  # fmt: skip
    return status


def _fix_stdin(root: Path, args: argparse.Namespace, config: Configured) -> int:
    """`hephaestus fix -`: the fixed text of standard input on standard output (what an editor
    pipes a buffer through); what was fixed goes to stderr. Exit 1 if it still does not parse."""
    text = read_stdin(args.paths, args.diff)
    options = FixOptions(select=config.select or None, ignore=config.ignore, unsafe=args.unsafe)
    result = fix_file_isolated(SourceFile(args.stdin_filename, text), options, RuffOnText(root))
    _report(result, sys.stderr)
    sys.stdout.write(result.after)
    return EXIT_FINDINGS if result.problem is not None else EXIT_OK


def _needing_work(root: Path, python: list[SourceFile], options: FixOptions) -> list[SourceFile]:
    """The files the pipeline may change: one ruff run over all of them (0.5 s on Django's 2,800
    files) spares a ruff process per file for the many that hold nothing to fix."""
    if not python:
        return []
    report = RuffRun(root, [f.path for f in python]).collect({f.path: f.text for f in python})
    paths = set(report.syntax_errors) | {f.path for f in python if ruff_misses(f.text)}
    paths.update(f.path for f in report.findings if f.rule == NOT_ANALYSED)  # to say so
    paths.update(
        f.path for f in report.findings
        if f.fix is not None and (options.unsafe or f.fix.applicability == "safe")
        and options.wants(f.rule, f.source)
    )  # fmt: skip
    codemods = [c for c in CODEMODS if options.wants(c.id, CODEMOD_SOURCE, c.name)]
    return [
        f for f in python
        if f.path in paths or any(codemod.prefilter(f.text) for codemod in codemods)
    ]  # fmt: skip


def _fix_one(
    root: Path, file: SourceFile, options: FixOptions, lint: RuffOnText, *, dry_run: bool
) -> FileResult | None:
    """Fix one file and write it (or print its diff); None when it could not be written."""
    try:
        path = inside_tree(root, file.path)
    except InputError as error:
        sys.stderr.write(f"{error}\n")
        return None
    crlf = "\r\n" in file.text
    result = fix_file_isolated(
        SourceFile(file.path, file.text.replace("\r\n", "\n")), options, lint
    )
    _report(result, sys.stdout if not dry_run else sys.stderr)
    if not result.changed:
        return result
    after = result.after.replace("\n", "\r\n") if crlf else result.after
    try:
        with _Target(root, path) as target:
            prefix = _BOM if target.bom else ""
            if dry_run:
                sys.stdout.write(unified_diff(file.path, prefix + file.text, prefix + after))
            else:
                target.replace((prefix + after).encode("utf-8"))
    except OSError as error:
        verb = "cannot read" if dry_run else "cannot write"
        sys.stderr.write(f"{file.path}: {verb}: {error.strerror or error}; left unchanged\n")
        return None
    return result


def _report(result: FileResult, stream) -> None:  # type: ignore[no-untyped-def]
    if result.problem:
        stream.write(f"{result.path}: {result.problem}\n")
    if result.applied:
        counts = Counter(applied.rule for applied in result.applied)
        rules = ", ".join(f"{rule} x{n}" if n > 1 else rule for rule, n in counts.items())
        stream.write(f"{result.path}: fixed {rules}\n")
    for dropped in result.dropped:
        stream.write(f"{result.path}:{dropped.line}: dropped {dropped.rule}: {dropped.reason}\n")


_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


class _Target:
    """A regular file at `path` (resolved, inside `root`), reached from `root` one directory at
    a time with O_NOFOLLOW and kept as its directory's descriptor: reading it and renaming over
    it happen in that directory, wherever symlinks point. OSError if a directory on the way or
    the file itself is now a symlink or not what it should be."""

    def __init__(self, root: Path, path: Path) -> None:
        self.name = path.name
        self.directory = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
        try:
            for part in path.parent.relative_to(root).parts:
                inner = os.open(part, _DIRECTORY, dir_fd=self.directory)
                os.close(self.directory)
                self.directory = inner
            fd = os.open(self.name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK,
                         dir_fd=self.directory)  # fmt: skip
            try:
                info = os.fstat(fd)
                if not stat.S_ISREG(info.st_mode):
                    raise OSError(errno.EINVAL, "not a regular file any more")
                self.mode = stat.S_IMODE(info.st_mode)
                self.bom = os.read(fd, len(_BOM.encode())) == _BOM.encode()
            finally:
                os.close(fd)
        except OSError as error:
            os.close(self.directory)
            if error.errno in (errno.ELOOP, errno.ENOTDIR):
                raise OSError(error.errno, "a symlink or file took the place of a directory on "
                              "its path, or of the file, while it was being fixed") from None
            raise

    def __enter__(self) -> _Target:
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.directory)

    def replace(self, data: bytes) -> None:
        """The file's content becomes `data`, in one rename, with the file's permission bits."""
        if not os.access(self.name, os.W_OK, dir_fd=self.directory):
            raise PermissionError(errno.EACCES, "Permission denied")
        temporary = f".{self.name}.{secrets.token_hex(4)}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600,
                     dir_fd=self.directory)  # fmt: skip
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                os.fchmod(out.fileno(), self.mode)
            os.replace(temporary, self.name, src_dir_fd=self.directory,
                       dst_dir_fd=self.directory)  # fmt: skip
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=self.directory)
            raise
