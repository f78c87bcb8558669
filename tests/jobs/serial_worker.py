"""A worker process for the serial-key tests: claims jobs from the queue at the URL argv[1] until
none is left, and logs `start|end <delivery> <monotonic time>` for each to argv[3]."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from ghbot.jobs.backends import open_queue

HOLD = 0.3  # seconds each job "runs"
DEADLINE = 30.0


async def main(url: str, worker: str, log: Path) -> None:
    queue = await open_queue(url)
    stop = time.monotonic() + DEADLINE
    try:
        with log.open("a") as out:
            while time.monotonic() < stop:
                job = await queue.claim(worker, 30)
                if job is None:
                    stats = await queue.stats()
                    if stats.pending == 0:
                        return
                    await asyncio.sleep(0.02)
                    continue
                out.write(f"start {job.spec.delivery_id} {time.monotonic()}\n")
                out.flush()
                await asyncio.sleep(HOLD)
                out.write(f"end {job.spec.delivery_id} {time.monotonic()}\n")
                out.flush()
                await queue.complete(job.id, worker)
    finally:
        await queue.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], Path(sys.argv[3])))
