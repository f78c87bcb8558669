"""The manifests are contracts: app.yml must grant what the code handles, action.yml must pass
exactly the inputs the code reads and declare the outputs it writes."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ghbot.action import INPUTS, MODES, OUTPUTS, ActionInputs
from ghbot.registry import default_registry

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str) -> dict:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def test_app_manifest_subscribes_to_every_handled_event():
    manifest = _load("app.yml")
    handled = set(default_registry().events())
    assert handled <= set(manifest["default_events"])


def test_app_manifest_never_asks_for_the_workflows_permission():
    # Without it GitHub refuses any write under .github/workflows/: the bot can't change CI.
    assert "workflows" not in _load("app.yml")["default_permissions"]


def test_action_inputs_match_the_code():
    action = _load("action.yml")
    assert set(action["inputs"]) == set(INPUTS)
    # Every input reaches the program through env, each under the name the code reads.
    run_step = next(s for s in action["runs"]["steps"] if s.get("id") == "run")
    inputs = {k: v for k, v in run_step["env"].items() if k.startswith("HEPHAESTUS_")}
    assert inputs == {var: f"${{{{ inputs.{name} }}}}" for name, var in INPUTS.items()}
    assert set(run_step["env"]) - set(inputs) == {"PYTHONPATH", "VENV"}  # where the code is
    assert "inputs." not in run_step["run"]  # never ${{ inputs.* }} inside the script
    fields = ActionInputs.model_fields
    for name, spec in action["inputs"].items():
        field = fields[name.replace("-", "_")]
        if name != "github-token":
            assert str(field.default) == spec["default"], name


def test_action_outputs_and_modes_match_the_code():
    action = _load("action.yml")
    assert set(action["outputs"]) == set(OUTPUTS)
    for name, spec in action["outputs"].items():
        assert spec["value"] == f"${{{{ steps.run.outputs.{name} }}}}"
    described = set(re.findall(r"\b(\w+) \(", action["inputs"]["mode"]["description"]))
    assert described == set(MODES)


def test_every_action_mode_runs_handlers_that_exist():
    # A mode names handler modules; each must hold at least one registered handler, so a
    # renamed module cannot silently leave a mode with nothing to run.
    from ghbot.action.modes import MODE_MODULES

    assert set(MODE_MODULES) == set(MODES)
    names = [r.name for r in default_registry().registrations]
    for mode, modules in MODE_MODULES.items():
        for module in modules or ():
            assert any(n.startswith(module + ".") for n in names), f"{mode}: {module}"


def test_action_inputs_never_reach_a_script_unquoted():
    # Every ${{ }} in a composite step goes through env:, never into `run:` text.
    for step in _load("action.yml")["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step.get("name")
