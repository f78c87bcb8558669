"""The Redis job store: a stream of ready jobs read by one consumer group, for many hosts.

Layout (every key under a prefix, `hephaestus:` by default):
- `job:<id>` a hash per job: the spec, its state, attempts, lease, worker, handlers, last error;
  `payload:<id>` the delivery's body until the job is done (dead jobs keep it). It arrives as
  `arriving:<delivery id>` by one MSET in the enqueue's MULTI, and the enqueue script renames it
  (payloads do not pass through Lua, which would copy each twice);
- `stream` holds one entry per ready job. The group `workers` reads new entries into the pending
  entries list (PEL) of the consumer `ready`; a claim moves the chosen entry to the worker's own
  consumer (XCLAIM), so `XPENDING` shows who runs what. Completing, retrying or burying a job
  acknowledges and deletes its entry; a lapsed lease moves it back to `ready`, where it keeps
  its place in line. A retry waits in `delayed` (a sorted set by due time) and gets a new entry
  when due;
- `pending`, `running`, `dead`, `done`: sorted sets of ids per state (`running` scored by lease
  end), which the claim, the reclaim, `stats` and `jobs` read;
- `hold:<serial key>` names the job that holds the key; a hold counts only while that job runs
  under a live lease, so a dead worker's keys free up when its lease lapses;
- `delivery:<id>` marks a delivery as received for 7 days (the dedupe).

Every change is one Lua script, atomic on the server (one enqueue call stores every delivery that
arrived in one pass of the event loop, or while the previous call was under way: group commit),
and times come from the server's clock (`TIME`), so workers on hosts whose clocks disagree still
agree on leases. With `appendonly yes` and `appendfsync always`, an enqueue's reply means the job
is on the server's disk.
Redis Cluster is not supported (the scripts name keys they build from the prefix).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as LostConnection
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as NoReply

from ghbot.jobs.models import STATES, Job, JobInfo, JobSpec, QueueStats
from ghbot.jobs.queue import QueueUnavailable, Unstorable
from ghbot.jobs.sqlite import join_keys, split_keys
from ghbot.jobs.urls import without_password

DEDUPE_SECONDS = 7 * 24 * 3600
_SCAN = 500  # parked jobs a claim looks at, oldest first
_BATCH = 1000  # jobs one reclaim, promotion or prune pass moves
_MAX_ERROR_CHARS = 4000
# One enqueue script call carries at most this many deliveries, or about this many bytes of
# payload (a larger delivery goes alone): Redis runs nothing else while a script runs.
_SEND_DELIVERIES = 256
_SEND_BYTES = 8 << 20
# Script calls under way at once: a second one goes while the first waits for its reply (and
# Redis's fsync), so the loop is not idle; more would only make the calls smaller.
_IN_FLIGHT = 2

# Shared by the scripts: the server's clock in ms; a job's keys; whether a job runs under a live
# lease; dropping the holds of a job leaving `running`; a job's hash as a flat list.
_COMMON = """
local p = ARGV[1]
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function keys_of(id)
  local text = redis.call('HGET', p .. 'job:' .. id, 'keys')
  local out = {}
  if text then for k in string.gmatch(text, '[^\\n]+') do out[#out + 1] = k end end
  return out
end
local function live(id, now)
  local lease = redis.call('ZSCORE', p .. 'running', id)
  return lease and tonumber(lease) > now
end
local function unhold(id)
  for _, k in ipairs(keys_of(id)) do
    if redis.call('GET', p .. 'hold:' .. k) == id then redis.call('DEL', p .. 'hold:' .. k) end
  end
  redis.call('ZREM', p .. 'running', id)
end
local function owned(id, worker)
  local f = redis.call('HMGET', p .. 'job:' .. id, 'state', 'worker')
  return f[1] == 'running' and f[2] == worker
end
local function drop_entry(id)
  local entry = redis.call('HGET', p .. 'job:' .. id, 'entry')
  if entry then
    redis.call('XACK', p .. 'stream', 'workers', entry)
    redis.call('XDEL', p .. 'stream', entry)
    redis.call('HDEL', p .. 'job:' .. id, 'entry')
  end
end
local function add_entry(id)
  local entry = redis.call('XADD', p .. 'stream', '*', 'job', id)
  redis.call('HSET', p .. 'job:' .. id, 'entry', entry)
end
"""

# ARGV: prefix, dedupe seconds, then per delivery: its id, and its spec but the payload (which
# waits in `arriving:<delivery id>`) as a JSON array of the hash's fields and values, all strings
# (one argument: the client packs each argument on its own). Returns per delivery its new job's
# id, or 0 if it was already received; nothing is written if a payload is missing.
# Few commands per delivery (a script's every command costs): the dedupe mark set only if absent,
# the ids drawn at once, one ZADD for all.
_ENQUEUE = _COMMON + """
local ttl, now, out, fresh, arriving, i = tonumber(ARGV[2]), now_ms(), {}, {}, {}, 3
while i <= #ARGV do
  arriving[#arriving + 1] = p .. 'arriving:' .. ARGV[i]
  i = i + 2
end
if redis.call('EXISTS', unpack(arriving)) ~= #arriving then
  return redis.error_reply('a payload did not arrive with its job')
end
i = 3
while i <= #ARGV do
  if redis.call('SET', p .. 'delivery:' .. ARGV[i], 1, 'NX', 'EX', ttl) then
    fresh[#fresh + 1] = i + 1
    out[#out + 1] = true
  else
    out[#out + 1] = 0
  end
  i = i + 2
end
if #fresh > 0 then
  local id = redis.call('INCRBY', p .. 'seq', #fresh) - #fresh
  local ranks, k = {}, 0
  for slot, mark in ipairs(out) do
    if mark then
      k = k + 1
      id = id + 1
      local at = fresh[k]
      local entry = redis.call('XADD', p .. 'stream', '*', 'job', id)
      redis.call('HSET', p .. 'job:' .. id, 'state', 'pending', 'attempts', 0, 'created', now,
                 'entry', entry, unpack(cjson.decode(ARGV[at])))
      redis.call('RENAME', arriving[slot], p .. 'payload:' .. id)
      ranks[#ranks + 1] = now
      ranks[#ranks + 1] = id
      out[slot] = id
    end
  end
  redis.call('ZADD', p .. 'pending', unpack(ranks))
end
for slot, mark in ipairs(out) do
  if mark == 0 then redis.call('DEL', arriving[slot]) end
end
return out
"""

# ARGV: prefix, worker, lease ms, how many parked jobs to look at. Returns the job's hash.
_CLAIM = _COMMON + """
local now = now_ms()
local stream = p .. 'stream'
for _, id in ipairs(redis.call('ZRANGEBYSCORE', p .. 'delayed', '-inf', now, 'LIMIT', 0, 1000)) do
  add_entry(id)
  redis.call('ZREM', p .. 'delayed', id)
end
redis.call('XREADGROUP', 'GROUP', 'workers', 'ready', 'COUNT', 1000, 'STREAMS', stream, '>')
local parked = redis.call('XPENDING', stream, 'workers', '-', '+', tonumber(ARGV[4]), 'ready')
for _, row in ipairs(parked) do
  local entry = row[1]
  local found = redis.call('XRANGE', stream, entry, entry)
  local id = found[1] and found[1][2][2]
  if not id or redis.call('HGET', p .. 'job:' .. id, 'state') ~= 'pending' then
    redis.call('XACK', stream, 'workers', entry)  -- an entry whose job moved on: drop it
    redis.call('XDEL', stream, entry)
  else
    local free = true
    for _, k in ipairs(keys_of(id)) do
      local holder = redis.call('GET', p .. 'hold:' .. k)
      if holder and holder ~= id and live(holder, now) then free = false break end
    end
    if free then
      for _, k in ipairs(keys_of(id)) do redis.call('SET', p .. 'hold:' .. k, id) end
      redis.call('XCLAIM', stream, 'workers', ARGV[2], 0, entry, 'JUSTID')
      redis.call('ZREM', p .. 'pending', id)
      redis.call('ZADD', p .. 'running', now + tonumber(ARGV[3]), id)
      redis.call('HSET', p .. 'job:' .. id, 'state', 'running', 'worker', ARGV[2])
      redis.call('HINCRBY', p .. 'job:' .. id, 'attempts', 1)
      local job = redis.call('HGETALL', p .. 'job:' .. id)
      job[#job + 1] = 'id'
      job[#job + 1] = id
      local payload = redis.call('GET', p .. 'payload:' .. id)
      if payload then
        job[#job + 1] = 'payload'
        job[#job + 1] = payload
      end
      return job
    end
  end
end
return false
"""

# ARGV: prefix, job id, worker, lease ms.
_HEARTBEAT = _COMMON + """
if not owned(ARGV[2], ARGV[3]) then return 0 end
redis.call('ZADD', p .. 'running', now_ms() + tonumber(ARGV[4]), ARGV[2])
return 1
"""

# ARGV: prefix, job id, worker, then: 'done' | 'dead' error | 'retry' delay-ms error handlers
# | 'release'.
_SETTLE = _COMMON + """
local id, how = ARGV[2], ARGV[4]
if not owned(id, ARGV[3]) then return 0 end
local job = p .. 'job:' .. id
local now = now_ms()
unhold(id)
redis.call('HDEL', job, 'worker')
if how == 'release' then
  redis.call('HINCRBY', job, 'attempts', -1)
  redis.call('HSET', job, 'state', 'pending')
  redis.call('ZADD', p .. 'pending', now, id)
  local entry = redis.call('HGET', job, 'entry')
  redis.call('XCLAIM', p .. 'stream', 'workers', 'ready', 0, entry, 'JUSTID')
  return 1
end
drop_entry(id)
if how == 'done' then
  redis.call('HSET', job, 'state', 'done', 'finished', now)
  redis.call('HDEL', job, 'payload', 'error')
  redis.call('DEL', p .. 'payload:' .. id)
  redis.call('ZADD', p .. 'done', now, id)
elseif how == 'dead' then
  redis.call('HSET', job, 'state', 'dead', 'finished', now, 'error', ARGV[5])
  redis.call('ZADD', p .. 'dead', now, id)
else
  redis.call('HSET', job, 'state', 'pending', 'error', ARGV[6], 'handlers', ARGV[7])
  redis.call('ZADD', p .. 'pending', now, id)
  redis.call('ZADD', p .. 'delayed', now + tonumber(ARGV[5]), id)
end
return 1
"""

# ARGV: prefix. Jobs whose lease lapsed go back in line where they were; returns how many.
_RECLAIM = _COMMON + """
local now = now_ms()
local lapsed = redis.call('ZRANGEBYSCORE', p .. 'running', '-inf', now, 'LIMIT', 0, 1000)
for _, id in ipairs(lapsed) do
  unhold(id)
  local job = p .. 'job:' .. id
  redis.call('HDEL', job, 'worker')
  redis.call('HSET', job, 'state', 'pending')
  redis.call('ZADD', p .. 'pending', now, id)
  local entry = redis.call('HGET', job, 'entry')
  if entry then redis.call('XCLAIM', p .. 'stream', 'workers', 'ready', 0, entry, 'JUSTID') end
end
return #lapsed
"""

# ARGV: prefix, job id. A dead job runs again from its first attempt.
_REVIVE = _COMMON + """
local id = ARGV[2]
if redis.call('ZREM', p .. 'dead', id) == 0 then return 0 end
local job = p .. 'job:' .. id
redis.call('HSET', job, 'state', 'pending', 'attempts', 0)
redis.call('HDEL', job, 'handlers', 'finished')
redis.call('ZADD', p .. 'pending', now_ms(), id)
add_entry(id)
return 1
"""

# ARGV: prefix, age in ms. Forgets finished jobs older than that.
_PRUNE = _COMMON + """
local cutoff = now_ms() - tonumber(ARGV[2])
local old = redis.call('ZRANGEBYSCORE', p .. 'done', '-inf', cutoff, 'LIMIT', 0, 1000)
for _, id in ipairs(old) do redis.call('DEL', p .. 'job:' .. id, p .. 'payload:' .. id) end
if #old > 0 then redis.call('ZREM', p .. 'done', unpack(old)) end
return #old
"""

# ARGV: prefix. Jobs whose lease lapsed, and who held them: a flat list of id, worker.
_LAPSED = _COMMON + """
local out = {}
local lapsed = redis.call('ZRANGEBYSCORE', p .. 'running', '-inf', now_ms(), 'LIMIT', 0, 1000)
for _, id in ipairs(lapsed) do
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGET', p .. 'job:' .. id, 'worker') or ''
end
return out
"""


class RedisQueue:
    """`JobQueue` on a Redis server. Create with `await RedisQueue.open(url)`."""

    backend = "redis"

    def __init__(self, client: aioredis.Redis, prefix: str) -> None:
        self._r = client
        self._p = prefix
        # Enqueued but not yet sent (by delivery id, in order), and the tasks that send them, at
        # most _IN_FLIGHT: the deliveries that arrive during a round trip go together in the
        # next call (group commit).
        self._arriving: dict[str, _Arrival] = {}
        self._senders: set[asyncio.Task[None]] = set()
        self._collecting = False  # a sender is about to take what arrives this loop pass
        self._closing = False
        self._scripts = {
            name: client.register_script(source)
            for name, source in {
                "claim": _CLAIM, "heartbeat": _HEARTBEAT,
                "settle": _SETTLE, "reclaim": _RECLAIM, "revive": _REVIVE, "prune": _PRUNE,
                "lapsed": _LAPSED,
            }.items()
        }  # fmt: skip

    @classmethod
    async def open(cls, url: str, *, prefix: str = "hephaestus:") -> RedisQueue:
        # A dropped connection (Redis restarted, failed over) is retried on a new one. A command
        # whose reply was lost may run twice: an enqueue then answers "duplicate" (it is
        # stored), a claim leaves a job whose lease lapses and which runs again.
        where = without_password(url)
        for name, path in _files_named(url):
            if not Path(path).is_file():
                raise QueueUnavailable(f"the Redis URL {where} names {name}={path}, no such file")
        try:
            client = aioredis.Redis.from_url(
                url, socket_timeout=10, socket_connect_timeout=5,
                retry=Retry(ExponentialBackoff(cap=2.0, base=0.05), retries=5),
                retry_on_error=[LostConnection, NoReply],
            )  # fmt: skip
        except ValueError as exc:  # a query parameter's value the client cannot parse
            raise QueueUnavailable(f"the Redis URL {where} is not understood: {exc}") from None
        queue = cls(client, prefix)
        try:
            await client.ping()
            await queue._create_group()
        except (RedisError, OSError, TypeError) as exc:
            await client.aclose()
            raise QueueUnavailable(_unreachable(where, exc)) from None
        return queue

    async def _create_group(self) -> None:
        try:
            await self._r.xgroup_create(self._p + "stream", "workers", id="0", mkstream=True)
        except RedisError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def _run(self, name: str, *args: Any) -> Any:
        try:
            return await self._scripts[name](keys=[], args=[self._p, *args])
        except RedisError as exc:
            if "NOGROUP" not in str(exc):
                raise
        # The server restarted without its data (no persistence): make the group again.
        await self._create_group()
        return await self._scripts[name](keys=[], args=[self._p, *args])

    async def enqueue(self, spec: JobSpec) -> bool:
        if self._closing:
            raise RuntimeError("the job store is closed")
        arriving = self._arriving.get(spec.delivery_id)
        if arriving is not None:  # twice in one call: stored once, by the first
            await asyncio.shield(arriving.future)
            return False
        try:  # here, so that one delivery's bad text cannot fail the others of its call
            meta = orjson.dumps(_spec_fields(spec))
        except orjson.JSONEncodeError as exc:
            raise Unstorable(f"a field is not valid text: {exc}") from None
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._arriving[spec.delivery_id] = _Arrival(spec, meta, future)
        if not self._collecting and len(self._senders) < _IN_FLIGHT:
            # starts on the loop's next pass: this pass's deliveries join
            self._collecting = True
            sender = asyncio.create_task(self._send_arrivals())
            self._senders.add(sender)
            sender.add_done_callback(self._senders.discard)
        return await future

    async def _send_arrivals(self) -> None:
        """Store what arrived, one script call after another; each delivery's future is answered
        with its call's reply, which (AOF, appendfsync always) comes after Redis's fsync."""
        batch: list[_Arrival] = []
        self._collecting = False
        try:
            while self._arriving:
                batch = self._next_batch()
                try:
                    ids = await self._store(batch)
                except Exception as exc:  # every delivery of the call gets its answer (503)
                    for arrival in batch:
                        if not arrival.future.done():
                            arrival.future.set_exception(exc)
                    continue
                for arrival, job_id in zip(batch, ids, strict=True):
                    if not arrival.future.done():
                        arrival.future.set_result(bool(job_id))
        finally:
            for arrival in batch:  # cancelled mid-call: the store is closing
                if not arrival.future.done():
                    arrival.future.set_exception(RuntimeError("the job store closed while storing"))

    async def _store(self, batch: Sequence[_Arrival]) -> list[int]:
        """One MULTI: the payloads by one MSET, then the enqueue script; per spec its job's id,
        or 0 for a delivery already received. EVAL, not EVALSHA: a script Redis forgot (it
        keeps none over a restart) would fail after the MSET; Redis still compiles it once."""
        args: list[Any] = [self._p, DEDUPE_SECONDS]
        for arrival in batch:
            args += [arrival.spec.delivery_id, arrival.meta]
        payloads = {f"{self._p}arriving:{a.spec.delivery_id}": a.spec.payload for a in batch}
        async with self._r.pipeline(transaction=True) as pipe:
            # in a pipeline a call only queues the command (the stubs say awaitable)
            pipe.mset(payloads)  # type: ignore[unused-awaitable]
            pipe.eval(_ENQUEUE, 0, *args)  # type: ignore[unused-awaitable]
            _, ids = await pipe.execute()
        return [int(job_id) for job_id in ids]

    def _next_batch(self) -> list[_Arrival]:
        """The oldest arrivals that fit one script call (at least one)."""
        batch: list[_Arrival] = []
        size = 0
        for arrival in self._arriving.values():
            size += len(arrival.spec.payload)
            if batch and (len(batch) == _SEND_DELIVERIES or size > _SEND_BYTES):
                break
            batch.append(arrival)
        for arrival in batch:
            del self._arriving[arrival.spec.delivery_id]
        return batch

    async def claim(self, worker: str, lease: float) -> Job | None:
        flat = await self._run("claim", worker, _ms(lease), _SCAN)
        if not flat:
            return None
        return _job(_pairs(flat))

    async def heartbeat(self, job_id: int, worker: str, lease: float) -> bool:
        return bool(await self._run("heartbeat", job_id, worker, _ms(lease)))

    async def complete(self, job_id: int, worker: str) -> None:
        await self._run("settle", job_id, worker, "done")

    async def retry(
        self, job_id: int, worker: str, delay: float, error: str, handlers: Sequence[str] | None
    ) -> None:
        chosen = json.dumps(None if handlers is None else list(handlers))
        await self._run("settle", job_id, worker, "retry", _ms(delay), _clip(error), chosen)

    async def bury(self, job_id: int, worker: str, error: str) -> None:
        await self._run("settle", job_id, worker, "dead", _clip(error))

    async def release(self, job_id: int, worker: str) -> None:
        await self._run("settle", job_id, worker, "release")

    async def bury_orphans(self, died: Callable[[str], bool]) -> list[Job]:
        flat = await self._run("lapsed")
        buried = []
        for raw_id, raw_worker in zip(flat[::2], flat[1::2], strict=True):
            worker = raw_worker.decode()
            if not worker or not died(worker):
                continue
            fields = await self._hash(raw_id)
            payload = await self._r.get(f"{self._p}payload:{raw_id.decode()}")
            if payload is not None:
                fields["payload"] = _bytes(payload)
            if await self._run("settle", int(raw_id), worker, "dead",
                               "its worker process died while running it"):  # fmt: skip
                buried.append(_job({**fields, "id": raw_id}))
        return buried

    async def recover_expired(self) -> int:
        return int(await self._run("reclaim"))

    async def prune(self, older_than: float) -> int:
        return int(await self._run("prune", _ms(older_than)))

    async def stats(self) -> QueueStats:
        async with self._r.pipeline(transaction=False) as pipe:
            for state in STATES:
                # in a pipeline the call only queues the command (the stubs say awaitable)
                pipe.zcard(self._p + state)  # type: ignore[unused-awaitable]
            pending, running, dead, done = await pipe.execute()
        return QueueStats(pending=pending, running=running, dead=dead, done=done)

    async def jobs(self, state: str, limit: int) -> list[JobInfo]:
        if state not in STATES:
            raise ValueError(f"no such state: {state}")
        newest_first = state in ("dead", "done")
        ids = await self._r.zrange(self._p + state, 0, limit - 1, desc=newest_first)
        found = []
        for raw in map(_bytes, ids):
            fields = await self._hash(raw)
            if fields:
                found.append(_info(int(raw), fields))
        return found

    async def revive(self, job_id: int) -> bool:
        return bool(await self._run("revive", job_id))

    async def _hash(self, raw_id: bytes) -> dict[str, bytes]:
        found = await self._r.hgetall(f"{self._p}job:{raw_id.decode()}")
        return {_bytes(key).decode(): _bytes(value) for key, value in found.items()}

    async def close(self) -> None:
        self._closing = True
        await asyncio.gather(*self._senders)
        await self._r.aclose()


def _files_named(url: str) -> list[tuple[str, str]]:
    """The TLS files (CA, client certificate and key) a URL's query names, for redis-py."""
    query = parse_qs(urlsplit(url).query)
    return [(name, path) for name in ("ssl_ca_certs", "ssl_certfile", "ssl_keyfile")
            for path in query.get(name, [])]  # fmt: skip


def _unreachable(where: str, exc: Exception) -> str:
    """Why the queue could not be opened, in one sentence for the operator."""
    if isinstance(exc, TypeError):  # the client's connection refused a keyword from the query
        return f"the Redis URL {where} is not understood: {exc}"
    if "CERTIFICATE_VERIFY_FAILED" in str(exc):
        return (f"cannot reach Redis at {where}: its TLS certificate is not signed by a CA this "
                f"host trusts (name the CA's PEM file with ?ssl_ca_certs=PATH): {exc}")  # fmt: skip
    return f"cannot reach Redis at {where}: {exc}"


def _bytes(value: object) -> bytes:
    """A reply item: bytes, since the client does not decode responses."""
    if not isinstance(value, bytes):
        raise TypeError(f"unexpected reply from Redis: {type(value).__name__}")
    return value


@dataclass(frozen=True, slots=True)
class _Arrival:
    """A delivery waiting for its enqueue call, and the future its request awaits."""

    spec: JobSpec
    meta: bytes  # _spec_fields as JSON
    future: asyncio.Future[bool]


def _spec_fields(spec: JobSpec) -> list[str]:
    """A spec but its payload as the job hash's fields and values, all text (absent values left
    out; integers as text, which Lua's numbers could not hold beyond 2**53)."""
    fields = ["delivery", spec.delivery_id, "event", spec.event]
    for name, value in (("action", spec.action), ("installation", spec.installation_id),
                        ("repo", spec.repo), ("number", spec.number), ("sha", spec.sha),
                        ("keys", join_keys(spec.serial_keys))):  # fmt: skip
        if value is not None:
            fields += [name, str(value)]
    return fields


def _ms(seconds: float) -> int:
    return max(0, round(seconds * 1000))


def _clip(error: str) -> str:
    return error[:_MAX_ERROR_CHARS]


def _pairs(flat: Sequence[bytes]) -> dict[str, bytes]:
    return {flat[i].decode(): flat[i + 1] for i in range(0, len(flat) - 1, 2)}


def _text(fields: dict[str, bytes], name: str) -> str | None:
    value = fields.get(name)
    return None if value is None else value.decode()


def _int(fields: dict[str, bytes], name: str) -> int | None:
    value = fields.get(name)
    return None if value is None else int(value)


def _job(fields: dict[str, bytes]) -> Job:
    handlers = json.loads(fields.get("handlers", b"null"))
    spec = JobSpec(
        delivery_id=fields["delivery"].decode(), event=fields["event"].decode(),
        payload=fields.get("payload", b""), action=_text(fields, "action"),
        installation_id=_int(fields, "installation"), repo=_text(fields, "repo"),
        number=_int(fields, "number"), sha=_text(fields, "sha"),
        serial_keys=split_keys(_text(fields, "keys")),
    )  # fmt: skip
    return Job(
        id=int(fields["id"]), spec=spec, attempts=int(fields["attempts"]),
        worker=_text(fields, "worker") or "",
        handlers=None if handlers is None else tuple(handlers),
    )  # fmt: skip


def _info(job_id: int, fields: dict[str, bytes]) -> JobInfo:
    return JobInfo(
        id=job_id, delivery_id=fields["delivery"].decode(), event=fields["event"].decode(),
        action=_text(fields, "action"), repo=_text(fields, "repo"),
        state=fields["state"].decode(), attempts=int(fields["attempts"]),
        serial_keys=split_keys(_text(fields, "keys")), worker=_text(fields, "worker"),
        error=_text(fields, "error"), created_at=int(fields["created"]) / 1000,
    )  # fmt: skip
