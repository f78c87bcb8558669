"""`hephaestus serve --public-url ...` as a real process with no App credentials, pointed at the
sandbox GitHub; plus the clicks a person makes, done over plain HTTP."""

from __future__ import annotations

import hashlib
import hmac
import html as html_lib
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

# Reads the repository the delivery names, as the App: proves the stored id and key work.
HANDLERS = '''
import os
from pathlib import Path
from ghbot.registry import on

@on("pull_request", "opened")
async def record(ctx):
    owner, repo = ctx.owner_repo
    info = await ctx.gh.get_repo(owner, repo)
    Path(os.environ["MARK_DIR"], ctx.event.delivery_id).write_text(info.default_branch)

HANDLERS = [record]
'''


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class SetupServer:
    """One `hephaestus serve` child awaiting setup; `link` is the setup address it printed."""

    def __init__(self, tmp: Path, api_url: str, *extra: str, awaiting_setup: bool = True,
                 verb: str = "serve") -> None:  # fmt: skip
        (tmp / "setup_test_handlers.py").write_text(HANDLERS)
        self.marks = tmp / "marks"
        self.marks.mkdir(exist_ok=True)
        self.data = tmp / "data"
        self.port = free_port()
        self.public_url = f"http://127.0.0.1:{self.port}"
        keep = ("HEPHAESTUS_APP_ID", "HEPHAESTUS_PRIVATE_KEY", "HEPHAESTUS_WEBHOOK_SECRET")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("HEPHAESTUS_") or k in keep}  # a test sets these  # fmt: skip
        env.update(MARK_DIR=str(self.marks), PYTHONPATH=str(tmp))
        args = ["--host", "127.0.0.1", "--port", str(self.port), "--public-url", self.public_url,
                "--data-dir", str(self.data), "--github-api-url", api_url,
                "--handlers", "setup_test_handlers", "--workers", "1", *extra]  # fmt: skip
        command = [sys.executable, "-m", "ghbot", verb, *args]
        self.proc = subprocess.Popen(command, env=env, stderr=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, text=True)  # fmt: skip
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.link = self._wait_for_link(awaiting_setup)

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line)

    def records(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in list(self.lines)]

    def _wait_for_link(self, awaiting_setup: bool) -> str:
        deadline = time.monotonic() + 30
        link = None if awaiting_setup else ""
        while time.monotonic() < deadline:
            for record in self.records():
                if record["msg"] == "the App is not set up yet: open the setup page":
                    link = str(record["url"])
                if record["msg"] == "listening" and link is not None:
                    return link
            if self.proc.poll() is not None:
                raise AssertionError("serve exited: " + "".join(self.lines))
            time.sleep(0.05)
        raise AssertionError("serve did not start: " + "".join(self.lines))

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        """(status, headers, body) without following redirects."""
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(self.public_url + path, timeout=30) as resp:
                return resp.status, dict(resp.headers), resp.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read().decode()

    def deliver(self, event: str, payload: dict[str, object], secret: str | None) -> int:
        """POST a delivery, signed with `secret` (None: unsigned); the status code."""
        body = json.dumps(payload).encode()
        headers = {"X-GitHub-Event": event, "X-GitHub-Delivery": f"d-{time.monotonic_ns()}",
                   "Content-Type": "application/json"}  # fmt: skip
        if secret is not None:
            digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            headers["X-Hub-Signature-256"] = "sha256=" + digest
        request = urllib.request.Request(self.public_url + "/webhook", data=body,
                                         headers=headers, method="POST")  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=30) as resp:  # noqa: S310 (loopback)
                return resp.status
        except urllib.error.HTTPError as err:
            return err.code

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def form_of(html: str, action_prefix: str) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of the page's form whose action starts with the prefix."""
    for match in re.finditer(r'<form method=(\w+) action="([^"]*)">(.*?)</form>', html, re.S):
        action = match.group(2).replace("&amp;", "&")
        if action.startswith(action_prefix):
            fields = {name: value for name, value in re.findall(
                r'<input type=hidden name=(\w+) value="([^"]*)">', match.group(3))}  # fmt: skip
            return action, {k: html_lib.unescape(v) for k, v in fields.items()}
    raise AssertionError(f"no form posting to {action_prefix} in the page")


def post_form(url: str, fields: dict[str, str]) -> tuple[int, dict[str, str], str]:
    data = urllib.parse.urlencode(fields).encode()
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, data=data, method="POST"), timeout=30) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode()
