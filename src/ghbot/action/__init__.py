"""The GitHub Actions front door (see action.yml): the runner's event through the App's own
handlers, results shown as annotations, a job summary, outputs and SARIF.

inputs      the action.yml inputs, read from the environment
runner      the runner's event, output and summary files; workflow-command pausing
modes       which handlers a mode runs
access      read-only tokens: fork detection and the write gate
workspace   review of the checkout (no pull request to review through the API, or a fork)
annotations findings as workflow commands within the runner's per-step caps
step        one step, start to finish
"""

from ghbot.action.inputs import INPUTS, MODES, OUTPUTS, ActionError, ActionInputs
from ghbot.action.step import run

__all__ = ["INPUTS", "MODES", "OUTPUTS", "ActionError", "ActionInputs", "run"]
