"""Which files the workflow checks read: a few path tests, apart from the checks themselves
(their YAML walk and dozens of expressions are imported only when a tree holds such a file).
String tests, not regexes: they run on every file of the tree."""

from __future__ import annotations

_YAML = (".yml", ".yaml")
_WORKFLOWS_DIR = ".github/workflows"


def is_action_path(path: str) -> bool:
    """A composite or other action's metadata file (`action.yml`/`action.yaml`), at any depth."""
    return path.rpartition("/")[2] in ("action.yml", "action.yaml")


def is_workflow_path(path: str) -> bool:
    """A workflow (a YAML file right in a `.github/workflows` directory, at any depth) or an
    action's metadata file."""
    folder, _, name = path.rpartition("/")
    if not name.endswith(_YAML) or name in _YAML:
        return False
    in_workflows = folder == _WORKFLOWS_DIR or folder.endswith("/" + _WORKFLOWS_DIR)
    return in_workflows or name in ("action.yml", "action.yaml")
