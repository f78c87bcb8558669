"""compose.yaml (README "Scale out"): Redis with the persistence a durable 202 needs, one
ingest-only server and two workers from the one image, each command one our CLI accepts."""

from __future__ import annotations

from pathlib import Path

import yaml

from ghbot.settings import parse

ROOT = Path(__file__).resolve().parents[1]


def test_compose_runs_redis_an_ingest_only_server_and_two_workers():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    redis = services["redis"]["command"]
    assert redis[redis.index("--appendonly") + 1] == "yes"
    assert redis[redis.index("--appendfsync") + 1] == "always"
    server, worker = services["server"], services["worker"]
    assert server["build"] == worker["build"] == "."  # one image, both roles
    assert worker["deploy"]["replicas"] == 2
    # Values compose takes from the operator's environment stand in as an operator would set them.
    given = {"HEPHAESTUS_APP_ID": "12345", "HEPHAESTUS_WEBHOOK_SECRET": "s"}
    env = {k: given.get(k, str(v)) for k, v in server["environment"].items()}
    assert set(given) <= set(env)
    for service, verb in ((server, "serve"), (worker, "worker")):
        assert service["command"][0] == verb
        settings = parse(service["command"][1:], env, verb, "")
        assert settings.queue == "redis://redis:6379/0"
    assert parse(server["command"][1:], env, "serve", "").workers == 0  # ingest only
