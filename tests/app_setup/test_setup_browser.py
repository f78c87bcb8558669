"""The setup flow as a person meets it: Debian's chromium, driven by Playwright, clicks through
the setup page and the sandbox GitHub's "new App" page. SETUP_SCREENSHOT=PATH also saves the
setup page as README shows it (docs/setup-page.png)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from playwright.sync_api import sync_playwright
from sandbox import Sandbox
from setup_server import SetupServer

CHROMIUM = "/usr/bin/chromium"  # Debian's package; scripts/test installs it


def test_a_person_creates_the_app_from_the_setup_page_in_a_browser(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    server = SetupServer(tmp_path, sandbox.base_url, verb="setup")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            page = browser.new_page(viewport={"width": 900, "height": 760})
            errors: list[str] = []
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))

            page.goto(server.link)
            assert page.locator("h1").inner_text() == "Create the Hephaestus GitHub App"
            page.get_by_label("App name (unique on GitHub)").fill("Hephaestus for Mona")
            page.get_by_role("button", name="Update").click()
            assert "Hephaestus for Mona" in page.locator("form[method=post]").inner_text()
            if os.environ.get("SETUP_SCREENSHOT"):
                page.screenshot(path=os.environ["SETUP_SCREENSHOT"], full_page=True)

            page.get_by_role("button", name="Create the App on GitHub").click()
            assert page.locator("h1").inner_text() == "Create GitHub App for mona"
            assert page.locator("#app-name").inner_text() == "Hephaestus for Mona"
            page.get_by_role("button", name="Create GitHub App").click()

            page.wait_for_url(server.public_url + "/")
            assert page.locator("h1").inner_text() == "The App exists"
            install = page.get_by_role("link", name="Install it on repositories")
            app = sandbox.state.app
            assert install.get_attribute("href") == (
                f"https://github.com/apps/{app.slug}/installations/new"
            )
            page.reload()  # a second visit says the same
            assert page.locator("h1").inner_text() == "The App exists"
            assert errors == []  # the CSP blocked nothing the page needs
            browser.close()

        assert app.name == "Hephaestus for Mona"
        saved = json.loads((server.data / "app.json").read_text())
        assert saved["id"] == app.id
        deadline = time.monotonic() + 10
        while server.deliver("ping", {"zen": "hi"}, secret=app.webhook_secret) != 200:
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        server.stop()
