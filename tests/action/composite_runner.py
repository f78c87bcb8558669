"""action.yml's composite steps run as a runner runs them, as far as that is possible without
GitHub: inputs' defaults, the `${{ }}` expressions the action uses, `if:`, each `run:` step
through `bash --noprofile --norc -eo pipefail` with its own GITHUB_OUTPUT. The two `uses:`
steps are stood in for: actions/setup-python by this interpreter, actions/cache by a directory
of saved entries (restored on an exact key; saved after a job that succeeded, as its post step
does). An expression, condition or action the simulation does not know fails the test, so a
new one in action.yml cannot go unexercised."""

from __future__ import annotations

import platform
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from conftest import SimulatedRunner, StepRun, read_outputs, step_run

ROOT = Path(__file__).resolve().parents[2]
_EXPRESSION = re.compile(r"\$\{\{\s*(.{1,200}?)\s*\}\}")
_CONDITION = re.compile(r"^(\S+) (==|!=) '([^']*)'$")


@dataclass
class CompositeRun:
    code: int  # the failing step's exit code, 0 when every step succeeded
    ran: list[str]  # names of the steps that ran, in order
    outputs: dict[str, str]  # the action's `outputs:`
    last: StepRun | None  # the last step that ran, read back as the runner reads it
    cache_hit: bool = False


@dataclass
class CompositeAction:
    """A copy of the action (action.yml, a lock, the source) and the runner state that outlives
    a job: the cache entries and a RUNNER_TEMP at the same path every job, as on hosted runners."""

    runner: SimulatedRunner
    lock: str
    root: Path = field(init=False)
    cache: Path = field(init=False)
    temp: Path = field(init=False)

    def __post_init__(self) -> None:
        base = self.runner.tmp_path
        self.root, self.cache, self.temp = base / "action", base / "cache", base / "runner-temp"
        self.root.mkdir()
        self.cache.mkdir()
        shutil.copy(ROOT / "action.yml", self.root / "action.yml")
        (self.root / "src").symlink_to(ROOT / "src")
        (self.root / "requirements.lock").write_text(self.lock)
        self.metadata = yaml.safe_load((self.root / "action.yml").read_text())

    def relock(self, lock: str) -> None:
        """The action at a release with another lock."""
        (self.root / "requirements.lock").write_text(lock)

    def run(
        self,
        event_name: str,
        payload: dict[str, Any],
        inputs: dict[str, str],
        *,
        api_url: str = "",
        **env: str,
    ) -> CompositeRun:
        shutil.rmtree(self.temp, ignore_errors=True)  # the runner empties it for each job
        self.temp.mkdir()
        step_dir, job_env = self.runner.job_env(
            event_name, payload, api_url=api_url, RUNNER_TEMP=str(self.temp),
            RUNNER_OS="Linux", RUNNER_ARCH="X64", GITHUB_ACTION_PATH=str(self.root), **env,
        )  # fmt: skip
        context = _Context(self, inputs, job_env.get("GITHUB_TOKEN", ""))
        ran: list[str] = []
        last: StepRun | None = None
        saves: list[tuple[Path, str]] = []
        hit = False
        for number, step in enumerate(self.metadata["runs"]["steps"]):
            if "if" in step and not context.condition(step["if"]):
                continue
            ran.append(step["name"])
            outputs: dict[str, str]
            if "uses" in step:
                outputs = self._uses(step, context, saves)
                hit = hit or outputs.get("cache-hit") == "true"
            else:
                assert step["shell"] == "bash", step
                script = step_dir / f"step{number}.sh"
                script.write_text(context.evaluate(step["run"]))
                step_env = {
                    **job_env,
                    "GITHUB_OUTPUT": str(step_dir / f"output{number}.txt"),
                    **{k: context.evaluate(str(v)) for k, v in step.get("env", {}).items()},
                }
                proc = subprocess.run(
                    ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                    cwd=self.runner.workspace, env=step_env, capture_output=True, text=True,
                    timeout=300,
                )  # fmt: skip
                last = step_run(proc, step_env)
                outputs = read_outputs(Path(step_env["GITHUB_OUTPUT"]))
                if proc.returncode:
                    context.steps[step.get("id", "")] = outputs
                    return CompositeRun(proc.returncode, ran, context.action_outputs(), last, hit)
            context.steps[step.get("id", "")] = outputs
        for path, key in saves:  # actions/cache's post step: only after a successful job
            if not (self.cache / key).exists():
                shutil.copytree(path, self.cache / key, symlinks=True)
        return CompositeRun(0, ran, context.action_outputs(), last, hit)

    def _uses(self, step: dict, context: _Context, saves: list) -> dict[str, str]:
        name, _, ref = step["uses"].partition("@")
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{step['uses']} is not pinned by sha"
        with_ = {k: context.evaluate(str(v)) for k, v in step.get("with", {}).items()}
        if name == "actions/setup-python":
            return {"python-path": sys.executable, "python-version": platform.python_version()}
        if name == "actions/cache":
            path, key = Path(with_["path"]), with_["key"]
            assert with_["path"] and key, with_
            assert "," not in key and len(key) <= 512, key  # actions/cache refuses these
            saved = self.cache / key
            if saved.exists():
                shutil.copytree(saved, path, symlinks=True, dirs_exist_ok=True)
                return {"cache-hit": "true"}
            saves.append((path, key))
            return {"cache-hit": "false"}
        raise AssertionError(f"the simulation does not know {name}")


class _Context:
    def __init__(self, action: CompositeAction, inputs: dict[str, str], token: str) -> None:
        self.action = action
        self.token = token
        declared = action.metadata.get("inputs", {})
        unknown = set(inputs) - set(declared)
        assert not unknown, f"not inputs of the action: {unknown}"
        self.inputs = {name: inputs.get(name, str(spec.get("default", "")))
                       for name, spec in declared.items()}  # fmt: skip
        self.steps: dict[str, dict[str, str]] = {}

    def value(self, expression: str) -> str:
        parts = expression.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            return self.evaluate(self.inputs[parts[1]])
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return self.steps.get(parts[1], {}).get(parts[3], "")
        if expression == "github.action_path":
            return str(self.action.root)
        if expression == "github.token":
            return self.token
        raise AssertionError(f"the simulation does not know `${{{{ {expression} }}}}`")

    def evaluate(self, text: str) -> str:
        return _EXPRESSION.sub(lambda m: self.value(m.group(1)), text)

    def condition(self, text: str) -> bool:
        match = _CONDITION.match(text.strip())
        assert match, f"the simulation does not know the condition {text!r}"
        left, operator, literal = match.groups()
        return (self.value(left) == literal) == (operator == "==")

    def action_outputs(self) -> dict[str, str]:
        return {name: self.evaluate(spec["value"])
                for name, spec in self.action.metadata.get("outputs", {}).items()}  # fmt: skip
