"""The setup page is public until the App exists: a stranger must not be able to bind this server
to an App of theirs, inject markup, or get a delivery accepted before setup."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_setup.setup_server import SetupServer, form_of
from sandbox import Sandbox

from ghbot.setup import flow as setup_flow


@pytest.fixture
def server(sandbox: Sandbox, tmp_path: Path) -> Iterator[SetupServer]:
    running = SetupServer(tmp_path, sandbox.base_url)
    yield running
    running.stop()


def _conversions(sandbox: Sandbox) -> int:
    return len(sandbox.calls("POST", "/app-manifests/*/conversions"))


def test_without_the_setup_token_there_is_no_form_and_no_state(server: SetupServer) -> None:
    for query in ("/", "/?token=", "/?token=guess", "/?token[]=x"):
        status, _, html = server.get(query)
        assert status == 403, query
        assert "manifest" not in html and "Setup token required" in html


def test_a_forged_or_missing_state_triggers_no_conversion(
    server: SetupServer, sandbox: Sandbox
) -> None:
    for query in ("", "?code=abc", "?code=abc&state=forged", "?state=&code=abc",
                  "?code=abc&state=" + "x" * 5000):  # fmt: skip
        status, _, html = server.get("/setup/callback" + query)
        assert status == 400, query
    assert _conversions(sandbox) == 0
    assert not (server.data / "app.json").exists()


def test_a_code_github_does_not_know_stores_nothing_and_uses_up_the_state(
    server: SetupServer, sandbox: Sandbox
) -> None:
    _, _, html = server.get(server.link.removeprefix(server.public_url))
    action, _ = form_of(html, sandbox.base_url)
    state = action.rsplit("state=", 1)[1]
    status, _, html = server.get(f"/setup/callback?code=stale&state={state}")
    assert status == 502 and "GitHub refused the code (404)" in html
    assert not (server.data / "app.json").exists()
    assert server.get(f"/setup/callback?code=stale&state={state}")[0] == 400
    # A code with characters no GitHub code has never reaches GitHub.
    _, _, html = server.get(server.link.removeprefix(server.public_url))
    state = form_of(html, sandbox.base_url)[0].rsplit("state=", 1)[1]
    assert server.get(f"/setup/callback?code=a/../b&state={state}")[0] == 400
    assert _conversions(sandbox) == 1


def test_hostile_names_are_escaped_and_a_bad_organisation_is_refused(
    server: SetupServer, sandbox: Sandbox
) -> None:
    link = server.link.removeprefix(server.public_url)
    status, _, html = server.get(link + "&name=%3Cscript%3Ealert(1)%3C/script%3E")
    assert status == 200
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    status, _, html = server.get(link + "&owner=%22%3E%3Cimg%20src=x%3E")
    assert status == 400 and "is not a GitHub organisation name" in html
    assert "<img" not in html
    # The refused organisation is not where the form posts.
    assert form_of(html, sandbox.base_url + "/settings/apps/new?state=")
    status, _, html = server.get(link + "&name=" + "n" * 35)
    assert status == 400 and "1 to 34 characters" in html


def test_deliveries_before_setup_are_refused_and_not_stored(server: SetupServer) -> None:
    for secret in (None, "", "guess"):
        assert server.deliver("pull_request", {"action": "opened"}, secret=secret) == 503
    with sqlite3.connect(server.data / "jobs.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM jobs").fetchone() == (0,)


def test_a_state_expires(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    async def never(_: object) -> None:
        raise AssertionError("not reached")

    flow = setup_flow.SetupFlow("https://bot.example", "https://api.github.com", tmp_path, never)
    clock = [1000.0]
    monkeypatch.setattr(setup_flow.time, "monotonic", lambda: clock[0])
    fresh, stale = flow.new_state(), flow.new_state()
    clock[0] += setup_flow.STATE_TTL - 1
    assert flow.take_state(fresh) and not flow.take_state(fresh)
    clock[0] += 2
    assert not flow.take_state(stale)


def test_a_damaged_credentials_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "app.json").write_text('{"id": "not a number"}')
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEPHAESTUS_")}
    proc = subprocess.run(
        [sys.executable, "-m", "ghbot", "serve", "--data-dir", str(tmp_path)],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "app.json is damaged" in proc.stderr and "Traceback" not in proc.stderr
