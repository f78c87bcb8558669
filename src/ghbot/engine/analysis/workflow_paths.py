"""Which files the workflow checks read: a few path patterns, apart from the checks themselves
(their YAML walk and dozens of expressions are imported only when a tree holds such a file)."""

from __future__ import annotations

import re

_WORKFLOW_PATH = re.compile(r"(?:^|/)\.github/workflows/[^/]+\.ya?ml$")
_ACTION_PATH = re.compile(r"(?:^|/)action\.ya?ml$")


def is_action_path(path: str) -> bool:
    """A composite or other action's metadata file, at any depth."""
    return _ACTION_PATH.search(path) is not None


def is_workflow_path(path: str) -> bool:
    """A workflow or an action's metadata file (`action.yml`/`action.yaml` at any depth)."""
    return _WORKFLOW_PATH.search(path) is not None or is_action_path(path)
