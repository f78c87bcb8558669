"""Root fixtures: the sandbox GitHub (tests/sandbox/README.md).

One server per xdist worker (session scope); its state is wiped before each test, and a test
fails at teardown if it sent GitHub a request the REST API description does not allow.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from redis_server import RedisServer
from sandbox import Sandbox

APP_MANIFEST = Path(__file__).resolve().parents[1] / "app.yml"


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[Sandbox]:
    # Installations get what app.yml asks for, so a call the manifest does not grant fails the
    # test that makes it (tests/sandbox/permissions.py).
    manifest = yaml.safe_load(APP_MANIFEST.read_text(encoding="utf-8"))
    server = Sandbox(app_permissions=manifest["default_permissions"]).start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server: Sandbox) -> Iterator[Sandbox]:
    sandbox_server.reset()
    yield sandbox_server
    violations = sandbox_server.clear_violations()
    if violations:
        pytest.fail("sandbox GitHub saw requests GitHub would reject:\n"
                    + "\n".join(f"  {v}" for v in violations), pytrace=False)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """This run's own redis-server (one per xdist worker), on a unix socket in a temp dir."""
    server = RedisServer().start()
    yield server
    server.close()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The URL of an empty Redis."""
    redis_server.flush()
    return redis_server.url


@pytest.fixture(params=["sqlite", "redis"])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each queue backend in turn, empty: a SQLite file, then this run's redis-server."""
    if request.param == "redis":
        return str(request.getfixturevalue("redis_url"))
    return f"sqlite://{tmp_path / 'jobs.sqlite3'}"
