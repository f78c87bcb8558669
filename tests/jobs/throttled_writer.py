"""A worker process's write throttle for the shared-budget test: the pair `GitHubApp.client_for`
builds on a Redis queue (its own `WriteThrottle`, asking the `RedisWriteWindow` shared by every
process), here with a small budget. Waits for the file argv[4], then makes argv[3] writes for
installation 7 and logs the monotonic time of each (system-wide on Linux) to argv[5].

    throttled_writer.py REDIS_URL "LIMIT PERIOD" WRITES GO_FILE LOG
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from ghbot.github.throttle import Priority, WriteThrottle
from ghbot.jobs.redis_throttle import RedisWriteWindow


async def main(url: str, budget: str, writes: int, go: Path, log: Path) -> None:
    limit, period = int(budget.split()[0]), float(budget.split()[1])
    window = RedisWriteWindow(url, limit=limit, period=period, reserve=0)
    throttle = WriteThrottle(limit=limit, period=period, shared=window.slot_for(7))
    try:
        deadline = time.monotonic() + 30
        while not go.exists() and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        with log.open("a") as out:
            for _ in range(writes):
                await throttle.acquire(Priority.PEOPLE)
                out.write(f"{time.monotonic()}\n")
                out.flush()
    finally:
        await window.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]),
                     Path(sys.argv[5])))  # fmt: skip
