"""Chaos on a Redis queue (issue 17; seeded, bounded in time): one ingest-only server and three
worker processes on one redis-server (AOF, appendfsync always), against the sandbox GitHub.
Pull requests are opened and pushed to; their heads' workflow runs and another CI app's check
suites fail; deployments succeed or fail; every delivery is sent again with the same id (answered
200, runs nothing), some events again with a new id (they run again and must converge). Every
few seconds a random worker is killed with SIGKILL and started again, and Redis is killed and
restarted once. At the end: every acknowledged delivery was handled or dead-lettered with a
reason; each head sha has exactly one "Hephaestus" check run and at most one review; no sticky
comment exists twice; the deployment history holds every deployment once.

The suite runs the issue's size, 60 pull requests and 2,000 deliveries (about 110 s on 2 quiet
cores); `HEPHAESTUS_CHAOS_SCALE` shrinks or grows it, `HEPHAESTUS_CHAOS_SEED` picks another
seeded run."""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from app_fleet import Fleet, deliver, fleet_env
from redis_server import RedisServer
from sandbox import Sandbox
from sandbox.webhooks import (
    Delivery,
    Payload,
    check_suite_payload,
    delivery,
    deployment_status_payload,
    pull_request_payload,
    workflow_run_payload,
)

from ghbot.engine import markers
from ghbot.engine.knowledge import deployments as history
from ghbot.jobs.redis_streams import RedisQueue

SCALE = float(os.environ.get("HEPHAESTUS_CHAOS_SCALE", "1"))
SEED = int(os.environ.get("HEPHAESTUS_CHAOS_SEED", "17"))
PULLS = max(4, round(60 * SCALE))
PUSHES = 3  # synchronize deliveries per pull request, each on a new head
PULLS_PER_REPO = 3  # one installation per repository: GitHub's write budget is per installation
DEPLOYMENTS_PER_REPO = 4
SENDS = round(2000 * SCALE)  # deliveries in all, copies included
WORKERS = 3
CONCURRENCY = 4  # jobs at once per worker: most of a job is waiting on GitHub
# How soon a killed worker's jobs run again. Shorter leases lapse under a live process too when
# the machine is loaded (3 s did at load 10-20: the run then stops and retries, never writes twice).
LEASE = "8"
# Each restart costs a process start (~2 s of CPU): capped, so a slow machine, which sees more
# kills per job, does not slow itself down further.
MAX_KILLS = round(80 * SCALE)
DEADLINE = 240 + 600 * SCALE  # seconds for the whole run (425 s at scale 1 and load 5-10)
KILL_EVERY = (3.0, 6.0)  # seconds between two kill -9s
RECORDS = "hephaestus/records"
# Small files: the subject is the queue, not the engine. An unused import is a finding with a
# ruff fix (an inline comment with a suggestion); nothing here needs LibCST's codemods, whose
# child process each restarted worker would start again.
CODE = "import os\n\nVALUE = {n}\n"
LOG = "E   AssertionError: assert 1 == {n}\nFAILED tests/test_app.py::test_value - AssertionError\n"
STEPS = [("Set up job", "success"), ("Run pytest", "failure")]


@dataclass
class Traffic:
    """What was sent and what GitHub was asked to hold, for the checks at the end."""

    acknowledged: set[str] = field(default_factory=set)  # answered 200 or 202
    statuses: Counter[int] = field(default_factory=Counter)
    heads: dict[tuple[str, int], list[str]] = field(default_factory=dict)  # (repo, PR) -> shas
    deployments: dict[str, list[int]] = field(default_factory=dict)  # repo -> ids
    done: threading.Event = field(default_factory=threading.Event)
    error: list[BaseException] = field(default_factory=list)


class World:
    """The sandbox's repositories and pull requests, and the deliveries of each round."""

    def __init__(self, sandbox: Sandbox, rng: random.Random) -> None:
        self.sandbox, self.rng = sandbox, rng
        self.pulls: list[tuple[str, int, str]] = []  # repo, number, branch
        self.repos: list[str] = []
        for i in range(PULLS):
            if i % PULLS_PER_REPO == 0:
                repo = f"org{len(self.repos)}/app"
                sandbox.create_repo(repo, files={"README.md": "# app\n", "app.py": "x = 1\n"})
                sandbox.create_installation(repo.split("/")[0], [repo])
                self.repos.append(repo)
            branch = f"feat-{i}"
            sandbox.commit(self.repos[-1], branch, {f"src/m{i}.py": CODE.format(n=0)})
            self.pulls.append((self.repos[-1], sandbox.create_pull(self.repos[-1],
                                                                   head=branch).number, branch))

    def round(self, index: int, traffic: Traffic) -> list[tuple[str, Payload]]:
        """Round 0 opens every pull request, each later round pushes to each; every head's CI
        fails (a workflow run; every other head another app's check suite too), and each
        repository deploys main now and then."""
        sb, events = self.sandbox, []
        for n, (repo, number, branch) in enumerate(self.pulls):
            if index:
                sb.commit(repo, branch, {f"src/m{n}.py": CODE.format(n=index)})
            action = "synchronize" if index else "opened"
            payload = pull_request_payload(sb, repo, number, action=action)
            head = payload["pull_request"]["head"]["sha"]
            traffic.heads.setdefault((repo, number), []).append(head)
            events.append(("pull_request", payload))
            job = ("test", LOG.format(n=index), "failure", STEPS)
            run = sb.add_workflow_run(repo, head, "failure", jobs=[job], head_branch=branch)
            events.append(("workflow_run", workflow_run_payload(sb, repo, run.id)))
            if (n + index) % 2 == 0:
                suite = run.check_suite_id + 1_000_000
                sb.add_check_run(repo, head, "jenkins/unit", "failure", "jenkins", suite,
                                 output={"title": "1 test failed", "summary": f"build {index}",
                                         "text": LOG.format(n=index)})  # fmt: skip
                events.append(("check_suite", check_suite_payload(
                    sb, repo, suite, head, "failure", "jenkins", head_branch=branch)))  # fmt: skip
        per_round = -(-DEPLOYMENTS_PER_REPO // (PUSHES + 1))
        for repo in self.repos:
            for k in range(per_round):
                if len(traffic.deployments.get(repo, [])) < DEPLOYMENTS_PER_REPO:
                    state = "failure" if (index + k) % 3 == 2 else "success"
                    dep = sb.add_deployment(repo, sb.ref(repo, "main") or "", state)
                    traffic.deployments.setdefault(repo, []).append(dep.id)
                    events.append(("deployment_status", deployment_status_payload(sb, repo, dep)))
        self.rng.shuffle(events)
        return events


def send_all(world: World, url: str, secret: str, traffic: Traffic, rng: random.Random) -> None:
    """Round by round: every delivery, then its copies with the same id (one, or two as needed to
    reach SENDS in all; each at once or in the next round), and one in ten pull_request events
    again under a new id."""
    try:
        later: list[Delivery] = []
        copies = 0.0  # sends per delivery that reach SENDS, from the first round's size
        for index in range(PUSHES + 1):
            events = world.round(index, traffic)
            batch = [delivery(name, payload, secret) for name, payload in events]
            pulls = [payload for name, payload in events if name == "pull_request"]
            batch += [delivery("pull_request", payload, secret, str(uuid.uuid4()))
                      for payload in rng.sample(pulls, len(pulls) // 10)]  # fmt: skip
            copies = copies or SENDS / (len(batch) * (PUSHES + 1))
            sends, next_round = list(batch), []
            for d in batch:
                for _ in range(1 + (rng.random() < copies - 2)):
                    (sends if rng.random() < 0.5 else next_round).append(d)
            rng.shuffle(sends)
            for d in sends + later:
                traffic.statuses[deliver(url, d)] += 1
                traffic.acknowledged.add(d.headers["X-GitHub-Delivery"])
            later = next_round
        for d in later:
            traffic.statuses[deliver(url, d)] += 1
    except BaseException as exc:  # reported by the test
        traffic.error.append(exc)
    finally:
        traffic.done.set()


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    server = RedisServer().start()
    yield server
    server.close()


@pytest.mark.timeout(DEADLINE + 120)
async def test_kill_9_workers_and_restart_redis_lose_and_duplicate_nothing(
    sandbox: Sandbox, own_redis: RedisServer, tmp_path: Path
):
    rng = random.Random(SEED)
    world = World(sandbox, rng)
    env = fleet_env(sandbox, tmp_path / "data", own_redis.url, lease_seconds=LEASE,
                    retry_base="0.2", retry_max="1", max_attempts="8")  # fmt: skip
    fleet = Fleet(env, tmp_path)
    traffic = Traffic()
    kills = 0
    began = time.monotonic()
    try:
        url = fleet.serve()
        workers = [fleet.worker(CONCURRENCY) for _ in range(WORKERS)]
        sender = threading.Thread(
            target=send_all, args=(world, url, sandbox.app.webhook_secret, traffic, rng),
            daemon=True,
        )  # fmt: skip
        sender.start()
        queue = await RedisQueue.open(own_redis.url)
        try:
            redis_restarted = False
            async with asyncio.timeout(DEADLINE):
                while not (traffic.done.is_set() and await _drained(queue)):
                    await asyncio.sleep(rng.uniform(*KILL_EVERY))
                    victim = _victim(fleet, workers, rng)
                    if victim is None or kills >= MAX_KILLS:
                        continue
                    workers[victim].kill()  # kill -9
                    workers[victim].wait()
                    workers[victim] = fleet.worker(CONCURRENCY)
                    kills += 1
                    if not redis_restarted and len(traffic.acknowledged) >= SENDS // 6:
                        assert own_redis.process is not None
                        own_redis.process.kill()
                        own_redis.process.wait()
                        own_redis.start()  # replays its AOF
                        redis_restarted = True
            sender.join(timeout=10)
            assert not traffic.error, traffic.error
            assert redis_restarted
            done = {j.delivery_id for j in await queue.jobs("done", 100_000)}
            dead = await queue.jobs("dead", 100_000)
        finally:
            await queue.close()
    finally:
        fleet.end()
    took = time.monotonic() - began
    print(f"chaos scale {SCALE}: {PULLS} pull requests, {sum(traffic.statuses.values())} "
          f"deliveries ({dict(traffic.statuses)}), {len(done)} jobs done, {len(dead)} dead, "
          f"{kills} workers killed, {took:.0f} s")  # fmt: skip

    assert sum(traffic.statuses.values()) >= SENDS * 0.9
    assert all(job.error for job in dead), dead  # each dead letter says why
    assert traffic.acknowledged <= done | {job.delivery_id for job in dead}
    bot = sandbox.app.bot_login
    for (repo, number), heads in traffic.heads.items():
        for head in heads:
            runs = [r for r in sandbox.check_runs(repo, head) if r.name == "Hephaestus"]
            assert len(runs) == 1, (repo, number, head, runs)
        reviews = Counter(r.commit_id for r in sandbox.reviews(repo, number) if r.user == bot)
        assert all(count <= 1 for count in reviews.values()), reviews
        stickies = Counter(_sticky(c.body) for c in sandbox.issue_comments(repo, number)
                           if c.user == bot)  # fmt: skip
        assert all(count == 1 for count in stickies.values()), (repo, number, stickies)
    for repo, deployed in traffic.deployments.items():
        on_commits = Counter((c.commit_id, _sticky(c.body)) for c in sandbox.commit_comments(repo)
                             if c.user == bot)  # fmt: skip
        assert all(count == 1 for count in on_commits.values()), (repo, on_commits)
        assert sorted(_history(sandbox, repo)) == sorted(deployed), repo


async def _drained(queue: RedisQueue) -> bool:
    stats = await queue.stats()
    return not stats.pending and not stats.running


def _victim(fleet: Fleet, workers: list[subprocess.Popen[bytes]], rng: random.Random) -> int | None:
    """A random worker among those that have finished a job since they started (with 4 jobs at
    once it is most likely running some); None while none has. A process still importing or
    warming up is spared: on a slow machine it would be killed again and again, and the run
    would starve."""
    warm = [i for i, w in enumerate(workers) if fleet.jobs_done(w)]
    return rng.choice(warm) if warm else None


def _sticky(body: str) -> tuple[str, ...]:
    """A bot comment's identity: its marker's kind and key fields (not its state)."""
    found = markers.parse_all(body, sealed=False)
    if not found:
        return ("", body)  # a plain reply: its own identity
    mark = found[0]
    return (mark.kind, *(f"{k}={mark.get(k)}" for k in ("workflow", "app", "branch", "sha")))


def _history(sandbox: Sandbox, repo_name: str) -> list[int]:
    """Every deployment id in the repository's deployment history, repeats included."""
    branch = sandbox.ref(repo_name, RECORDS)
    assert branch is not None, f"{repo_name}: no records branch"
    repo = sandbox.repo(repo_name)
    with sandbox.state.lock:
        paths = list(repo.store.flatten(repo.store.commit(branch).tree))
    ids: list[int] = []
    for path in paths:
        if path.startswith("deployments/"):
            text = sandbox.file(repo_name, path, RECORDS) or ""
            ids += [entry.deployment_id for entry in history.parse(text).entries]
    return ids
