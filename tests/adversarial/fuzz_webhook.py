"""A seeded fuzzer for the webhook server: generated requests against the real app, store and
workers (the real handlers, with a GitHub client that refuses every call).

Requests: bad and malformed signatures, missing headers, truncated and random bodies, deep
nesting, integers over 64 bits, and valid signatures over every event of GitHub's examples with
fields replaced by values of other types. Checked: no 5xx, the workers never die, and every
acknowledged delivery ends handled or dead-lettered with a reason.

    python tests/adversarial/fuzz_webhook.py --count 10000 --seed 1
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import hashlib
import hmac
import json
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, web
from pydantic import SecretStr

from ghbot.dispatch import Dispatcher
from ghbot.handlers import HANDLERS
from ghbot.jobs.sqlite import SqliteQueue
from ghbot.jobs.workers import PoolConfig, WorkerPool
from ghbot.registry import Registry
from ghbot.server import ServerState, create_app

SECRET = "fuzz-secret"
EXAMPLES = (
    Path(__file__).parents[1]
    / "npm/node_modules/@octokit/webhooks-examples/api.github.com/index.json"
)
ODD_VALUES: list[Any] = [None, True, 0, -1, 2**63, -(2**63) - 1, 2**64 + 5, 1.5, 1e308, "",
                         "x" * 300, "é\u202e", [], [1, "a"], {}, {"id": "1"}]  # fmt: skip


class NoGitHub:
    """The installation client of the fuzz: every call fails, as a GitHub outage would."""

    def __getattr__(self, name: str) -> Any:
        raise ConnectionError(f"the fuzz has no GitHub ({name})")


async def no_github(installation_id: int) -> NoGitHub:
    return NoGitHub()


@dataclass
class Outcome:
    statuses: Counter[int] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    acknowledged: set[str] = field(default_factory=set)


def _sign(body: bytes) -> str:
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def _examples() -> list[tuple[str, dict[str, Any]]]:
    return [(g["name"], p) for g in json.loads(EXAMPLES.read_text()) for p in g["examples"]]


def _mutate(value: Any, rng: random.Random, depth: int = 0) -> Any:
    """`value` with some nodes replaced by values of other types."""
    if isinstance(value, dict) and value and depth < 6:
        out = dict(value)
        for key in rng.sample(sorted(out), k=min(len(out), rng.randint(1, 3))):
            if rng.random() < 0.5:
                out[key] = _mutate(out[key], rng, depth + 1)
            elif rng.random() < 0.2:
                del out[key]
            else:
                out[key] = copy.deepcopy(rng.choice(ODD_VALUES))
        return out
    if isinstance(value, list) and value and depth < 6:
        return [_mutate(item, rng, depth + 1) for item in value]
    return copy.deepcopy(rng.choice(ODD_VALUES))


def request(rng: random.Random, examples: list[tuple[str, dict[str, Any]]],
            number: int) -> tuple[str, dict[str, str], bytes]:  # fmt: skip
    """(kind, headers, body) of one generated request."""
    event, payload = rng.choice(examples)
    kind = rng.choice(["example", "mutated", "mutated", "mutated", "bad_signature",
                       "malformed_signature", "missing_header", "truncated", "random_bytes",
                       "deep", "huge_int", "form"])  # fmt: skip
    body = json.dumps(payload).encode()
    content_type = "application/json"
    if kind == "mutated":
        body = json.dumps(_mutate(payload, rng)).encode()
    elif kind == "truncated":
        body = body[: rng.randint(0, max(0, len(body) - 1))]
    elif kind == "random_bytes":
        body = rng.randbytes(rng.randint(0, 2000))
    elif kind == "deep":
        levels = rng.choice([50, 500, 950, 990, 1000, 5000, 100_000])
        opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
        body = json.dumps(payload).encode()[:-1] + (
            ',"x":' + opener * levels + "1" + closer * levels + "}").encode()
    elif kind == "huge_int":
        mutated = dict(payload)
        mutated[rng.choice(["number", "installation"])] = rng.choice(
            [2**63, {"id": 2**63}, {"id": -(2**63) - 1}, 10**30])
        body = json.dumps(mutated).encode()
    elif kind == "form":
        from urllib.parse import urlencode

        content_type = "application/x-www-form-urlencoded"
        body = urlencode({"payload": json.dumps(_mutate(payload, rng))}).encode()
    headers = {"X-GitHub-Event": event, "X-GitHub-Delivery": f"fuzz-{number}",
               "X-Hub-Signature-256": _sign(body), "Content-Type": content_type}  # fmt: skip
    if kind == "bad_signature":
        headers["X-Hub-Signature-256"] = _sign(body + b" ")
    elif kind == "malformed_signature":
        headers["X-Hub-Signature-256"] = rng.choice(
            ["sha256=", "sha256=é", "sha1=" + "0" * 40, "sha256=" + "z" * 64, "x" * 500])
    elif kind == "missing_header":
        del headers[rng.choice(sorted(headers))]
    return kind, headers, body


async def fuzz(seed: int, count: int, data_dir: Path, concurrency: int = 8) -> Outcome:
    """Send `count` generated requests; wait for every acknowledged job to settle."""
    rng = random.Random(seed)
    examples = _examples()
    queue = await SqliteQueue.open(data_dir / "jobs.sqlite3")
    registry = Registry(HANDLERS)
    dispatcher = Dispatcher(registry, no_github, app_slug="hephaestus", timeout=5)
    pool = WorkerPool(queue, dispatcher.run_job,
                      PoolConfig(concurrency=4, max_attempts=2, retry_base=0.01, retry_max=0.02,
                                 poll=0.05))  # fmt: skip
    await pool.start()
    state = ServerState(SecretStr(SECRET), queue, registry, "hephaestus", pool)
    runner = web.AppRunner(create_app(state), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    outcome = Outcome()
    requests = [request(rng, examples, n) for n in range(count)]
    try:
        async with ClientSession() as session:
            url = f"http://127.0.0.1:{site.port}/webhook"
            lock = asyncio.Semaphore(concurrency)

            async def send(kind: str, headers: dict[str, str], body: bytes) -> None:
                async with lock, session.post(url, data=body, headers=headers) as resp:
                    await resp.read()
                outcome.statuses[resp.status] += 1
                outcome.kinds[f"{kind} {resp.status}"] += 1
                if resp.status == 202:
                    outcome.acknowledged.add(headers["X-GitHub-Delivery"])

            await asyncio.gather(*(send(*r) for r in requests))
        deadline = time.monotonic() + 60 + count / 20
        while time.monotonic() < deadline:
            stats = await queue.stats()
            if stats.pending == stats.running == 0:
                break
            assert pool.ready, "a worker died"
            await asyncio.sleep(0.1)
        assert pool.ready, "a worker died"
    finally:
        await runner.cleanup()
        await pool.stop(5)
        await queue.close()
    return outcome


def settled(data_dir: Path) -> dict[str, tuple[str, str | None]]:
    """Each stored delivery's state and last error."""
    with sqlite3.connect(data_dir / "jobs.sqlite3") as db:
        rows = db.execute("SELECT delivery_id, state, last_error FROM jobs").fetchall()
    return {delivery: (state, error) for delivery, state, error in rows}


def check(outcome: Outcome, data_dir: Path) -> None:
    server_errors = {s: n for s, n in outcome.statuses.items() if s >= 500}
    assert not server_errors, server_errors
    jobs = settled(data_dir)
    assert set(jobs) == outcome.acknowledged  # a 202 is a job, and only a 202 is
    for delivery, (state, error) in jobs.items():
        assert state == "done" or (state == "dead" and error), (delivery, state, error)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        outcome = asyncio.run(fuzz(args.seed, args.count, Path(tmp)))
        check(outcome, Path(tmp))
        jobs = Counter(state for state, _ in settled(Path(tmp)).values())
    print(f"{args.count} requests in {time.monotonic() - started:.1f} s, seed {args.seed}: "
          f"statuses {dict(sorted(outcome.statuses.items()))}, jobs {dict(jobs)}; "
          "0 5xx, workers alive, every 202 handled or dead-lettered with a reason")
    return 0


if __name__ == "__main__":
    sys.exit(main())
