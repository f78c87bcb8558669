"""Root fixtures: the sandbox GitHub (tests/sandbox/README.md).

One server per xdist worker (session scope); its state is wiped before each test, and a test
fails at teardown if it sent GitHub a request the REST API description does not allow.
"""

from collections.abc import Iterator

import pytest
from sandbox import Sandbox


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[Sandbox]:
    server = Sandbox().start()
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
