"""Prometheus metrics: one registry for the process and a few verbs other modules call.

Other modules never touch the metric objects: they call `delivery`, `job_finished`,
`handler_finished`, `dead_lettered`, `github_call` and `queue_depth`, so names and labels stay in
one place. Label values come from GitHub (event names) or from our code (outcomes, handler
names), and are clipped so a surprise cannot blow up the series count per value.
"""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from ghbot.jobs.models import QueueStats

REGISTRY = CollectorRegistry(auto_describe=True)
CONTENT_TYPE = CONTENT_TYPE_LATEST

_DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)

_deliveries = Counter(
    "hephaestus_webhook_deliveries",
    "Webhook deliveries received, by event and outcome (queued, duplicate, ignored, rejected...)",
    ["event", "outcome"],
    registry=REGISTRY,
)
# Under `serve --processes N` every process writes its values to files (prometheus_client's
# multiprocess mode, chosen by PROMETHEUS_MULTIPROC_DIR at import); gauges then report the latest
# value any process set, counters and histograms the sum.
_delivery_children: dict[tuple[str, str], Counter] = {}
_queue = Gauge(
    "hephaestus_queue_jobs", "Jobs in the store by state", ["state"], registry=REGISTRY,
    multiprocess_mode="mostrecent",
)
_dead = Counter(
    "hephaestus_jobs_dead_lettered",
    "Jobs dead-lettered by this process after their last attempt",
    ["event"],
    registry=REGISTRY,
)
_jobs = Histogram(
    "hephaestus_job_duration_seconds",
    "Time to run one job attempt, by event and outcome",
    ["event", "outcome"],
    buckets=_DURATION_BUCKETS,
    registry=REGISTRY,
)
_handlers = Histogram(
    "hephaestus_handler_duration_seconds",
    "Time one handler ran, by handler and outcome (ok, error, timeout)",
    ["handler", "outcome"],
    buckets=_DURATION_BUCKETS,
    registry=REGISTRY,
)
_github_calls = Counter(
    "hephaestus_github_api_calls", "GitHub API calls by HTTP status", ["status"], registry=REGISTRY
)
_ratelimit = Gauge(
    "hephaestus_github_ratelimit_remaining",
    "x-ratelimit-remaining of the latest GitHub API response",
    registry=REGISTRY,
    multiprocess_mode="mostrecent",
)


def _label(value: str | None) -> str:
    return (value or "-")[:64]


def delivery(event: str | None, outcome: str) -> None:
    # Once per delivery: the labelled child is looked up here instead of through `labels()`, whose
    # checks and lock cost more than the increment (event names are bounded by `_label`).
    key = (_label(event), outcome)
    child = _delivery_children.get(key)
    if child is None:
        child = _delivery_children[key] = _deliveries.labels(*key)
    child.inc()


def job_finished(event: str, outcome: str, seconds: float) -> None:
    _jobs.labels(_label(event), outcome).observe(seconds)


def dead_lettered(event: str) -> None:
    _dead.labels(_label(event)).inc()


def handler_finished(handler: str, outcome: str, seconds: float) -> None:
    _handlers.labels(_label(handler), outcome).observe(seconds)


def github_call(status: int, ratelimit_remaining: int | None = None) -> None:
    """Called by the GitHub client after every response."""
    _github_calls.labels(str(status)).inc()
    if ratelimit_remaining is not None:
        _ratelimit.set(ratelimit_remaining)


def queue_depth(stats: QueueStats) -> None:
    for state in ("pending", "running", "dead"):
        _queue.labels(state).set(getattr(stats, state))


def render() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        merged = CollectorRegistry()
        MultiProcessCollector(merged)
        return generate_latest(merged)
    return generate_latest(REGISTRY)
