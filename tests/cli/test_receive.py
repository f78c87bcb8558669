"""`hephaestus receive EVENT PAYLOAD.json` runs the handlers once on a saved delivery, as the App,
against the sandbox GitHub (--api-url); bad input is exit 2 with one sentence."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sandbox import Sandbox
from sandbox.webhooks import pull_request_payload

from ghbot.cli import receive as receive_cli

REPO = "octo/app"


def receive(sandbox: Sandbox, tmp_path: Path, *args: str,
            stdin: str | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEPHAESTUS_")}
    env.update(HEPHAESTUS_APP_ID=str(sandbox.app.id),
               HEPHAESTUS_PRIVATE_KEY=sandbox.app.private_key_pem)  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "ghbot", "receive", *args, "--api-url", sandbox.base_url,
         "--data-dir", str(tmp_path / "data")],
        env=env, input=stdin, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_receive_runs_the_handlers_on_a_saved_pull_request_delivery(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    sandbox.create_installation("octo", [REPO])
    sandbox.create_repo(REPO, files={"a.py": "x = 1\n"}, default_branch="main")
    head = sandbox.commit(REPO, "feat", {"a.py": "def broken(:\n"}, message="break it")
    pr = sandbox.create_pull(REPO, head="feat", base="main", user="alice")
    saved = tmp_path / "delivery.json"
    saved.write_text(json.dumps(pull_request_payload(sandbox, REPO, pr.number)))

    proc = receive(sandbox, tmp_path, "pull_request", str(saved))

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert ": ok in " in proc.stdout
    (run,) = [r for r in sandbox.check_runs(REPO, head) if r.name == "Hephaestus"]
    assert run.conclusion == "failure"  # the syntax error was found
    assert sandbox.app.private_key_pem.splitlines()[1] not in proc.stdout + proc.stderr


def test_an_event_nothing_handles_runs_nothing(sandbox: Sandbox, tmp_path: Path) -> None:
    proc = receive(sandbox, tmp_path, "star", "-", stdin='{"action": "created"}')
    assert (proc.returncode, proc.stdout) == (0, "nothing ran: no handler for this event\n")


def test_bad_input_is_exit_2_with_one_sentence(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in [k for k in os.environ if k.startswith("HEPHAESTUS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("HEPHAESTUS_APP_ID", str(sandbox.app.id))
    monkeypatch.setenv("HEPHAESTUS_PRIVATE_KEY", sandbox.app.private_key_pem)
    (tmp_path / "list.json").write_text("[1, 2]")
    (tmp_path / "broken.json").write_text("{nope")
    cases = [
        (("pull_request", str(tmp_path / "missing.json")), "cannot read"),
        (("pull_request", str(tmp_path / "list.json")), "is not a JSON object"),
        (("pull_request", str(tmp_path / "broken.json")), "is not a JSON object"),
        (("Pull Request!", str(tmp_path / "list.json")), "is not an event name"),
    ]
    data = ["--data-dir", str(tmp_path / "data")]
    for args, message in cases:
        assert receive_cli.main([*args, *data]) == 2, args
        assert message in capsys.readouterr().err
    monkeypatch.delenv("HEPHAESTUS_APP_ID")
    assert receive_cli.main(["ping", str(tmp_path / "list.json"), *data]) == 2
    assert "missing setting HEPHAESTUS_APP_ID" in capsys.readouterr().err
