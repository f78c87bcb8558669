"""`hephaestus commands`: the `/hephaestus` comment commands, and their audit trail.

  hephaestus commands                  one line per verb: usage, who, what it does
  hephaestus commands --markdown       the README's command table
  hephaestus commands --audit [--data-dir DIR | --queue redis://...] [--repo OWNER/NAME]
                      [--limit N] [--json]
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

from redis.exceptions import RedisError

from ghbot.commands.verbs import COMMANDS
from ghbot.jobs.audit import FILENAME, AuditLog, AuditRecord
from ghbot.jobs.redis_audit import RedisAuditLog
from ghbot.jobs.urls import check_url

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
    parser.add_argument(
        "--queue",
        default=os.environ.get("HEPHAESTUS_QUEUE_URL"),
        help="a Redis queue URL: read the trail kept there (default: $HEPHAESTUS_QUEUE_URL)",
    )
    parser.add_argument("--repo", help="only records of this repository (owner/name)")
    parser.add_argument("--limit", type=int, default=50, help="newest N records (default 50)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    return parser


def _audit(args: argparse.Namespace) -> int:
    if args.queue and not args.queue.startswith("sqlite://"):
        try:
            trail = RedisAuditLog(check_url(args.queue))
        except ValueError as exc:
            sys.stderr.write(f"hephaestus commands: --queue {exc}\n")
            return EXIT_USAGE
        try:
            return _print(trail.query(repo=args.repo, limit=args.limit), args.json)
        except RedisError as exc:
            sys.stderr.write(f"hephaestus commands: cannot read the audit trail: {exc}\n")
            return EXIT_USAGE
        finally:
            trail.close()
    path = args.data_dir / FILENAME
    if not path.is_file():
        sys.stderr.write(f"hephaestus commands: no audit records at {path}\n")
        return EXIT_USAGE
    try:
        records = AuditLog(path).query(repo=args.repo, limit=args.limit)
    except sqlite3.Error as exc:
        sys.stderr.write(f"hephaestus commands: cannot read {path}: {exc}\n")
        return EXIT_USAGE
    return _print(records, args.json)


def _print(records: list[AuditRecord], as_json: bool) -> int:
    for r in records:
        if as_json:
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
    rows = [(f"/hephaestus {spec.usage}", spec.who, spec.summary) for spec in COMMANDS.specs]
    usage_width = max((len(usage) for usage, _, _ in rows), default=0)
    who_width = max((len(who) for _, who, _ in rows), default=0)
    for usage, who, summary in rows:
        print(f"{usage.ljust(usage_width)}  {who.ljust(who_width)}  {summary}".rstrip())
    return EXIT_OK
