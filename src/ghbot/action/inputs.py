"""The Action's inputs: `action.yml` passes each one through the environment variable named in
`INPUTS` (never interpolated into the script); tests/test_contracts.py keeps the two in step."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError

from ghbot.engine.diff import FilterMode
from ghbot.engine.fail_level import FailLevel

# action.yml input name -> environment variable the composite step sets.
INPUTS: dict[str, str] = {
    "mode": "HEPHAESTUS_MODE",
    "github-token": "HEPHAESTUS_TOKEN",
    "filter-mode": "HEPHAESTUS_FILTER_MODE",
    "fail-level": "HEPHAESTUS_FAIL_LEVEL",
    "config": "HEPHAESTUS_CONFIG",
    "sarif-file": "HEPHAESTUS_SARIF_FILE",
}
OUTPUTS = ("findings", "fixed", "report")
Mode = Literal["review", "triage", "fix", "auto"]
MODES: tuple[Mode, ...] = ("review", "triage", "fix", "auto")


class ActionError(ValueError):
    """An input or the runner's environment is unusable; the message says which and how."""


class ActionInputs(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    mode: Mode = "auto"
    github_token: SecretStr | None = None
    filter_mode: FilterMode = FilterMode.ADDED
    fail_level: FailLevel = FailLevel.ERROR
    config: str = ".github/hephaestus.yml"
    sarif_file: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ActionInputs:
        # An empty variable is an input left at its default (action.yml always sets them all).
        values = {
            name.replace("-", "_"): env[var].strip()
            for name, var in INPUTS.items()
            if env.get(var, "").strip()
        }
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            problems = []
            for error in exc.errors(include_input=False, include_url=False):
                field = str(error["loc"][0]).replace("_", "-")
                problems.append(f"input '{field}': {error['msg']}")
            raise ActionError("; ".join(problems)) from None
