"""A simulated GitHub Actions runner: `hephaestus action` as a subprocess with the event file,
output and summary files and the variables a runner sets, reading its results back the way
the runner does (workflow commands obeyed only outside `::stop-commands::`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

COMMAND_PREFIXES = ("::error ", "::warning ", "::notice ", "::error::", "::warning::")


@dataclass
class StepRun:
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str

    @property
    def commands(self) -> list[str]:
        """The workflow commands the runner would obey."""
        obeyed, paused = [], None
        for line in self.stdout.splitlines():
            if paused is not None:
                if line == f"::{paused}::":
                    paused = None
                continue
            if line.startswith("::stop-commands::"):
                paused = line.removeprefix("::stop-commands::")
            elif line.startswith("::"):
                obeyed.append(line)
        return obeyed

    @property
    def annotations(self) -> list[str]:
        return [c for c in self.commands if c.startswith(COMMAND_PREFIXES)]

    def report(self) -> dict[str, Any]:
        return json.loads(Path(self.outputs["report"]).read_text(encoding="utf-8"))


def read_outputs(path: Path) -> dict[str, str]:
    """GITHUB_OUTPUT as the runner reads it: `name=value` lines and `name<<DELIM` blocks;
    later writes win."""
    outputs: dict[str, str] = {}
    if not path.exists():
        return outputs
    lines = iter(path.read_text(encoding="utf-8").split("\n"))
    for line in lines:
        if "=" in line.split("<<", 1)[0]:
            name, single = line.split("=", 1)
            outputs[name] = single
            continue
        if "<<" not in line:
            continue
        name, delimiter = line.split("<<", 1)
        value = []
        for item in lines:
            if item == delimiter:
                break
            value.append(item)
        else:
            raise AssertionError(f"output {name}: delimiter {delimiter} never closed")
        outputs[name] = "\n".join(value)
    return outputs


class SimulatedRunner:
    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.workspace = tmp_path / "workspace"
        self.workspace.mkdir()
        self.runs = 0

    def run(
        self, event_name: str, payload: dict[str, Any], *, api_url: str = "", **env: str
    ) -> StepRun:
        step, full_env = self.job_env(event_name, payload, api_url=api_url, **env)
        proc = subprocess.run(
            [sys.executable, "-m", "ghbot", "action"],
            cwd=self.workspace, env=full_env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        return step_run(proc, full_env)

    def job_env(
        self, event_name: str, payload: dict[str, Any], *, api_url: str = "", **env: str
    ) -> tuple[Path, dict[str, str]]:
        """A fresh step directory and the variables the runner sets for a job's step."""
        self.runs += 1
        step = self.tmp_path / f"step{self.runs}"
        step.mkdir()
        event_file = step / "event.json"
        # A runner's event names no App installation.
        event_file.write_text(json.dumps({k: v for k, v in payload.items() if k != "installation"}))
        base = {
            k: v for k, v in os.environ.items()
            if not k.startswith(("GITHUB_", "HEPHAESTUS_", "RUNNER_"))
        }  # fmt: skip
        full_env = {
            **base,
            "GITHUB_EVENT_NAME": event_name,
            "GITHUB_EVENT_PATH": str(event_file),
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_OUTPUT": str(step / "output.txt"),
            "GITHUB_STEP_SUMMARY": str(step / "summary.md"),
            "GITHUB_RUN_ID": str(1000 + self.runs),
            "RUNNER_TEMP": str(step),
            **({"GITHUB_API_URL": api_url} if api_url else {}),
            **env,
        }
        return step, full_env

    def checkout(self, base_files: dict[str, str], change: dict[str, str]) -> str:
        """The workspace as a git checkout: a base commit and a change on top; returns the
        base sha (what a pull request's `base.sha` or a push's `before` names)."""
        repo = self.workspace
        git(repo, "init", "-q", "-b", "main")
        git(repo, "config", "user.email", "dev@example.com")
        git(repo, "config", "user.name", "Dev")
        shas = []
        for files in (base_files, change):
            for name, text in files.items():
                (repo / name).parent.mkdir(parents=True, exist_ok=True)
                (repo / name).write_text(text)
            git(repo, "add", ".")
            git(repo, "commit", "-q", "--allow-empty", "-m", "commit")
            shas.append(git(repo, "rev-parse", "HEAD"))
        return shas[0]


def step_run(proc: subprocess.CompletedProcess[str], env: dict[str, str]) -> StepRun:
    """A finished step as the runner reads it back: exit code, output and summary files."""
    summary = Path(env["GITHUB_STEP_SUMMARY"])
    return StepRun(
        proc.returncode,
        proc.stdout,
        proc.stderr,
        read_outputs(Path(env["GITHUB_OUTPUT"])),
        summary.read_text(encoding="utf-8") if summary.exists() else "",
    )


@pytest.fixture
def runner(tmp_path: Path) -> SimulatedRunner:
    return SimulatedRunner(tmp_path)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()
