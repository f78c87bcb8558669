"""Each installation's write budget as one window on the queue's Redis, shared by every process
on every host (`WriteThrottle(shared=...)` asks it after its own budget allows a write).

The window is a sorted set of recent writes (`writes:<installation>`), trimmed and counted by one
Lua script on the server's clock. People's writes may fill it to `limit`; bookkeeping only to
`limit - reserve`, so a records backlog on one host cannot take the slots a review on another
host needs.
"""

from __future__ import annotations

import logging
import uuid

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from ghbot.github.throttle import Priority, SharedSlot

log = logging.getLogger("ghbot.github")

# ARGV: key, period ms, how many writes this priority may find in the window, a unique member.
# Returns 0 (granted) or the ms until enough writes leave the window.
_TAKE = """
local key, period, limit = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - period)
local count = redis.call('ZCARD', key)
if count < limit then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('PEXPIRE', key, period)
  return 0
end
local leaving = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
return math.max(1, tonumber(leaving[2]) + period - now)
"""


class RedisWriteWindow:
    def __init__(
        self,
        url: str,
        *,
        limit: int = 80,
        period: float = 60.0,
        reserve: int = 10,
        prefix: str = "hephaestus:",
    ) -> None:
        self._r = aioredis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)
        self._take = self._r.register_script(_TAKE)
        self._limit, self._reserve = limit, min(reserve, limit - 1)
        self._period_ms = round(period * 1000)
        self._prefix = prefix

    def slot_for(self, installation_id: int) -> SharedSlot:
        key = f"{self._prefix}writes:{installation_id}"

        async def take(priority: Priority) -> float:
            limit = self._limit - (self._reserve if priority is Priority.BOOKKEEPING else 0)
            try:
                wait_ms = await self._take(
                    keys=[], args=[key, self._period_ms, limit, uuid.uuid4().hex]
                )
            except RedisError as exc:  # this process's own budget still holds
                log.warning("shared write window unavailable: %s", exc)
                return 0.0
            return int(wait_ms) / 1000

        return take

    async def close(self) -> None:
        await self._r.aclose()
