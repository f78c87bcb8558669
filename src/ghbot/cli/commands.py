"""`hephaestus commands`: the `/hephaestus` comment commands, and their audit trail.

  hephaestus commands                  one line per verb: usage, who, what it does
  hephaestus commands --markdown       the README's command table
  hephaestus commands --audit [--data-dir DIR] [--repo OWNER/NAME] [--limit N] [--json]
                                       the newest audit records of commands that write
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import time
from dataclasses import asdict
from pathlib import Path

from ghbot.commands.audit import FILENAME, AuditLog
from ghbot.commands.verbs import COMMANDS

EXIT_OK, EXIT_USAGE = 0, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hephaestus commands", description="list the /hephaestus comment commands"
    )
    show = parser.add_mutually_exclusive_group()
    show.add_argument("--markdown", action="store_true", help="print the README command table")
    show.add_argument("--audit", action="store_true", help="print recent audit records")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(os.environ.get("HEPHAESTUS_DATA_DIR", ".hephaestus")),
        help="the server's data directory (default: $HEPHAESTUS_DATA_DIR or .hephaestus)",
    )
    parser.add_argument("--repo", help="only records of this repository (owner/name)")
    parser.add_argument("--limit", type=int, default=50, help="newest N records (default 50)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    return parser


def _audit(args: argparse.Namespace) -> int:
    path = args.data_dir / FILENAME
    if not path.is_file():
        sys.stderr.write(f"hephaestus commands: no audit records at {path}\n")
        return EXIT_USAGE
    try:
        records = AuditLog(path).query(repo=args.repo, limit=args.limit)
    except sqlite3.Error as exc:
        sys.stderr.write(f"hephaestus commands: cannot read {path}: {exc}\n")
        return EXIT_USAGE
    for r in records:
        if args.json:
            print(json.dumps(asdict(r), sort_keys=True))
        else:
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(r.at))
            command = " ".join(filter(None, (r.verb, r.args)))
            print(f"{when}Z  {r.repo}#{r.number}  @{r.caller}  {command}  {r.outcome}  {r.detail}")
    return EXIT_OK


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse's own exit: 0 for --help, 2 for a usage error
        return int(exc.code or 0)
    if args.audit:
        return _audit(args)
    if args.markdown:
        sys.stdout.write(COMMANDS.markdown_table())
        return EXIT_OK
    for spec in COMMANDS.specs:
        print(f"/hephaestus {spec.usage}\t{spec.who}\t{spec.summary}")
    return EXIT_OK
