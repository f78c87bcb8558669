"""`hephaestus jobs`: what the job queue holds, on either backend; a dead job run again.

  hephaestus jobs [--queue URL] [--data-dir DIR] [--state pending|running|dead|done|all]
                  [--limit N] [--json]          list jobs (default: pending, running and dead)
  hephaestus jobs --retry ID                    a dead job back in line, attempts from zero
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from dataclasses import asdict

from ghbot.jobs.backends import open_queue
from ghbot.jobs.models import STATES, JobInfo
from ghbot.jobs.queue import QueueUnavailable
from ghbot.jobs.urls import sqlite_path
from ghbot.settings import SettingsError, load

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE = 0, 1, 2
_ERROR_CHARS = 120  # of the last error, in the table


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hephaestus jobs",
        description="List the job queue's pending, running and dead jobs (either backend), or "
        "run a dead one again.",
    )
    parser.add_argument("--queue", help="the queue URL [env HEPHAESTUS_QUEUE_URL; default the "
                        "SQLite store under the data dir]")  # fmt: skip
    parser.add_argument("--data-dir", help="the server's data directory [env HEPHAESTUS_DATA_DIR]")
    parser.add_argument("--state", choices=[*STATES, "all"], help="only jobs in this state")
    parser.add_argument("--limit", type=int, default=50, help="jobs per state (default 50)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--retry", type=int, metavar="ID", help="run dead job ID again")
    return parser


def _line(job: JobInfo) -> str:
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(job.created_at))
    event = f"{job.event}.{job.action}" if job.action else job.event
    error = (job.error or "").splitlines()[0][:_ERROR_CHARS] if job.error else ""
    fields = [str(job.id), job.state, f"attempts={job.attempts}", f"{when}Z", event,
              job.repo or "-", job.delivery_id, ",".join(job.serial_keys) or "-"]  # fmt: skip
    if job.worker:
        fields.append(f"worker={job.worker}")
    if error:
        fields.append(error)
    return "  ".join(fields)


async def _run(args: argparse.Namespace, url: str) -> int:
    queue = await open_queue(url)
    try:
        if args.retry is not None:
            if not await queue.revive(args.retry):
                sys.stderr.write(f"hephaestus jobs: job {args.retry} is not a dead job\n")
                return EXIT_NOT_FOUND
            print(f"job {args.retry} is pending again")
            return EXIT_OK
        states = {None: ("pending", "running", "dead"), "all": STATES}.get(
            args.state, (args.state,)
        )
        for state in states:
            for job in await queue.jobs(state, args.limit):
                print(json.dumps(asdict(job), sort_keys=True) if args.json else _line(job))
    finally:
        await queue.close()
    return EXIT_OK


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)  # argparse exits by itself: 0 for --help, 2 for misuse
    if args.limit < 1:
        sys.stderr.write("hephaestus jobs: --limit must be at least 1\n")
        return EXIT_USAGE
    try:
        settings = load({"queue_url": args.queue, "data_dir": args.data_dir}, os.environ)
        path = sqlite_path(settings.queue)
        if path is not None and not path.is_file():
            raise QueueUnavailable(f"no job store at {path} (give --data-dir or --queue)")
        return asyncio.run(_run(args, settings.queue))
    except (SettingsError, QueueUnavailable) as exc:
        sys.stderr.write(f"hephaestus jobs: {exc}\n")
        return EXIT_USAGE
