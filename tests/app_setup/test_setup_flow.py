"""The manifest flow end to end over HTTP against the sandbox GitHub: setup page, GitHub's
pages, the redirect with a code, its conversion, stored credentials, webhooks served at once."""

from __future__ import annotations

import json
import stat
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml
from sandbox import Sandbox
from setup_server import SetupServer, form_of, post_form

from ghbot.cli import setup as setup_cli

APP_YML = yaml.safe_load((Path(__file__).parents[2] / "app.yml").read_text())


def create_app(server: SetupServer, sandbox: Sandbox, query: str = "") -> str:
    """Click through as a person: the setup page, GitHub's page, "Create GitHub App"; returns
    GitHub's redirect (the server's callback URL with code and state)."""
    status, headers, html = server.get(server.link.removeprefix(server.public_url) + query)
    assert status == 200, html
    action, fields = form_of(html, sandbox.base_url)
    status, _, github_page = post_form(action, fields)
    assert status == 200, github_page
    create, _ = form_of(github_page.replace("'", '"'), "/_sandbox/manifests/")
    status, headers, _ = post_form(sandbox.base_url + create, {})
    assert status == 302
    return headers["Location"]


def test_the_setup_page_creates_the_app_and_webhooks_work_without_a_restart(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    server = SetupServer(tmp_path, sandbox.base_url)
    try:
        # Before setup: no secret, so every delivery is refused, signed or not.
        assert server.deliver("ping", {"zen": "hi"}, secret=None) == 503
        status, headers, html = server.get(server.link.removeprefix(server.public_url))
        assert status == 200
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "no-referrer"
        action, fields = form_of(html, sandbox.base_url + "/settings/apps/new?state=")
        manifest = json.loads(fields["manifest"])
        assert manifest["hook_attributes"]["url"] == server.public_url + "/webhook"
        assert manifest["redirect_url"] == server.public_url + "/setup/callback"
        assert manifest["setup_url"] == server.public_url + "/setup/installed"
        assert manifest["default_permissions"] == APP_YML["default_permissions"]
        assert manifest["default_events"] == APP_YML["default_events"]

        location = create_app(server, sandbox)
        assert location.startswith(server.public_url + "/setup/callback?")
        status, headers, _ = server.get(location.removeprefix(server.public_url))
        assert (status, headers["Location"]) == (303, "/")
        app = sandbox.state.app
        assert app.owner == "mona"  # the signed-in user's account

        stored = server.data / "app.json"
        assert stat.S_IMODE(stored.stat().st_mode) == 0o600
        saved = json.loads(stored.read_text())
        assert (saved["id"], saved["pem"]) == (app.id, app.private_key_pem)
        logged = "".join(server.lines)
        for secret in (app.webhook_secret, saved["client_secret"], "PRIVATE KEY"):
            assert secret not in logged

        status, _, html = server.get("/")  # the second visit
        assert status == 200 and "The App exists" in html
        assert f'href="https://github.com/apps/{app.slug}/installations/new"' in html
        # The same redirect again: its state was used up.
        assert server.get(location.removeprefix(server.public_url))[0] == 400
        assert len(sandbox.calls("POST", "/app-manifests/*/conversions")) == 1

        inst = sandbox.create_installation("octo", ["octo/app"])
        sandbox.create_repo("octo/app", files={"a.py": "x = 1\n"}, default_branch="main")
        payload = {"action": "opened", "number": 1, "installation": {"id": inst.id},
                   "repository": {"full_name": "octo/app"},
                   "pull_request": {"number": 1, "head": {"sha": "a" * 40}},
                   "sender": {"login": "alice", "type": "User"}}  # fmt: skip
        assert server.deliver("pull_request", payload, secret=None) == 401
        assert server.deliver("pull_request", payload, secret=app.webhook_secret) == 202
        deadline = time.monotonic() + 30
        while not list(server.marks.iterdir()):
            assert time.monotonic() < deadline, "".join(server.lines)
            time.sleep(0.05)
        assert next(server.marks.iterdir()).read_text() == "main"
    finally:
        server.stop()

    # A restart reads the stored credentials: no setup page, webhooks served.
    again = SetupServer(tmp_path, sandbox.base_url, awaiting_setup=False)
    try:
        assert again.deliver("ping", {"zen": "hi"}, secret=app.webhook_secret) == 200
        assert "The App exists" in again.get("/")[2]
    finally:
        again.stop()


def test_an_organisation_gets_the_app_and_the_name_is_the_persons_choice(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    server = SetupServer(tmp_path, sandbox.base_url)
    try:
        status, _, html = server.get(
            server.link.removeprefix(server.public_url) + "&owner=octo-org&name=Octo+Bot"
        )
        action, fields = form_of(html, sandbox.base_url + "/organizations/octo-org/settings/")
        assert json.loads(fields["manifest"])["name"] == "Octo Bot"
        location = create_app(server, sandbox, "&owner=octo-org&name=Octo+Bot")
        state = parse_qs(urlsplit(location).query)["state"][0]
        assert state in location
        assert server.get(location.removeprefix(server.public_url))[0] == 303
        assert (sandbox.state.app.owner, sandbox.state.app.name) == ("octo-org", "Octo Bot")
    finally:
        server.stop()


def test_setup_needs_a_public_url(monkeypatch, capsys) -> None:
    monkeypatch.delenv("HEPHAESTUS_PUBLIC_URL", raising=False)
    assert setup_cli.main(["--data-dir", "unused"]) == 2
    assert "needs --public-url" in capsys.readouterr().err
    assert setup_cli.main(["--public-url", "ftp://x"]) == 2
    assert "must start with https:// or http://" in capsys.readouterr().err


def test_a_server_configured_by_the_environment_says_so(sandbox: Sandbox, tmp_path: Path,
                                                        monkeypatch) -> None:  # fmt: skip
    env = {"HEPHAESTUS_APP_ID": str(sandbox.app.id),
           "HEPHAESTUS_PRIVATE_KEY": sandbox.app.private_key_pem,
           "HEPHAESTUS_WEBHOOK_SECRET": sandbox.app.webhook_secret}  # fmt: skip
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    server = SetupServer(tmp_path, sandbox.base_url, awaiting_setup=False)
    try:
        status, _, html = server.get("/")
        assert status == 200 and f"with App id {sandbox.app.id}" in html
        assert server.deliver("ping", {"zen": "hi"}, secret=sandbox.app.webhook_secret) == 200
    finally:
        server.stop()
