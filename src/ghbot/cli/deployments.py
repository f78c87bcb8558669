"""`hephaestus deployments [ENV]`: the deployment history, read from a checkout.

Where the history is read from, first found wins:
1. the records branch, if the checkout has it (`hephaestus/records` or `origin/hephaestus/records`,
   or `knowledge.records_branch` from `.github/hephaestus.yml`), with `git show`: no checkout of
   that branch is needed, `git fetch origin hephaestus/records` is enough;
2. the files in the working tree: `.github/hephaestus/records/deployments/` (records kept on the
   default branch) or `deployments/` (the records branch checked out).

Exit codes: 0 history shown (possibly empty), 2 usage error or nothing to read, 3 internal error.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from ghbot.cli import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE
from ghbot.engine.knowledge import deployments as history
from ghbot.engine.knowledge.deployments import Deployment, HistoryFormatError
from ghbot.github.records import DEFAULT_BRANCH_DIR
from ghbot.github.repo_config import CONFIG_PATH, RepoConfig, parse_config

GIT_TIMEOUT = 30


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.prog}: {message}\n{self.format_usage().strip()}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hephaestus deployments",
        description="Show the recorded deployment history of a repository checkout.",
        epilog="Exit codes: 0 ok, 2 usage error or no history to read, 3 internal error.",
    )
    parser.add_argument("environment", nargs="?", metavar="ENV", help="one environment only")
    parser.add_argument("--repo", type=Path, default=Path("."), help="the checkout (default .)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--limit", type=int, default=20, help="rows per environment (default 20)")
    return parser


@dataclass(frozen=True, slots=True)
class Source:
    """Record files by record path (e.g. `deployments/production/2024-05.md`)."""

    describe: str
    files: dict[str, str]


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(  # noqa: S603 - fixed git argv, no shell
            ["git", "-C", str(root), *args],  # noqa: S607 - git from PATH, as a user runs it
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", errors="replace") if done.returncode == 0 else None


def _config(root: Path) -> RepoConfig:
    path = root / CONFIG_PATH
    if not path.is_file():
        return RepoConfig()
    result = parse_config(path.read_bytes())
    for error in result.errors:
        print(f"hephaestus deployments: {error} (using defaults)", file=sys.stderr)
    return result.config


def _from_branch(root: Path, branch: str) -> Source | None:
    for ref in (f"refs/heads/{branch}", f"refs/remotes/origin/{branch}"):
        listing = _git(root, "ls-tree", "-r", "--name-only", ref, "--", history.ROOT)
        if listing is None:
            continue
        files = {}
        for path in listing.splitlines():
            text = _git(root, "show", f"{ref}:{path}")
            if text is not None:
                files[path] = text
        return Source(f"{ref} in {root}", files)
    return None


def _from_tree(root: Path) -> Source | None:
    for base in (root / DEFAULT_BRANCH_DIR, root):
        folder = base / history.ROOT
        if folder.is_dir():
            files = {
                str(p.relative_to(base).as_posix()): p.read_text(encoding="utf-8", errors="replace")
                for p in sorted(folder.glob("*/*.md"))
                if history.is_month_file(p.name)
            }
            return Source(str(folder), files)
    return None


def _entries(source: Source, environment: str | None, limit: int) -> list[Deployment]:
    wanted = history.environment_dir(environment) + "/" if environment else history.ROOT + "/"
    by_env: dict[str, list[Deployment]] = {}
    for path in sorted(source.files, reverse=True):  # newest month first
        if not path.startswith(wanted) or not history.is_month_file(path.rsplit("/", 1)[-1]):
            continue
        folder = path.split("/")[1]
        try:
            parsed = history.parse(source.files[path], environment or folder)
        except HistoryFormatError as exc:
            print(f"hephaestus deployments: {path}: {exc}", file=sys.stderr)
            continue
        by_env.setdefault(folder, []).extend(parsed.entries)
    return [e for rows in by_env.values() for e in rows[:limit]]


def _text(entries: list[Deployment]) -> str:
    lines = []
    for e in entries:
        duration = history.format_duration(e.duration) or "-"
        lines.append(
            f"{e.created_at:%Y-%m-%d %H:%M:%S}  {e.environment:<14} {e.state:<11} "
            f"{e.sha[:7]}  {e.ref[:24]:<24} {e.actor[:20]:<20} {duration:>10}"
            + (f"  {e.notes}" if e.notes else "")
        )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    root: Path = args.repo
    if not root.is_dir():
        raise _UsageError(f"hephaestus deployments: {root} is not a directory")
    if args.limit < 1:
        raise _UsageError("hephaestus deployments: --limit must be at least 1")
    config = _config(root)
    source = None
    if config.knowledge.records_target == "records_branch":
        source = _from_branch(root, config.knowledge.records_branch)
    source = source or _from_tree(root)
    if source is None:
        raise _UsageError(
            f"hephaestus deployments: no deployment history in {root}: fetch the records branch "
            f"(git fetch origin {config.knowledge.records_branch}) and run it again"
        )
    entries = _entries(source, args.environment, args.limit)
    if args.format == "json":
        body = {"source": source.describe, "deployments": [history.to_json(e) for e in entries]}
        print(json.dumps(body, indent=2))
    elif entries:
        print(_text(entries))
    else:
        what = f"to {args.environment} " if args.environment else ""
        print(f"No deployments {what}recorded ({source.describe}).")
    return EXIT_OK


def main(argv: list[str]) -> int:
    try:
        return run(build_parser().parse_args(argv))
    except _UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except Exception:  # a bug: say so, with the trace, and a distinct exit code
        traceback.print_exc()
        return EXIT_INTERNAL
