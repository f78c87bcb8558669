"""`.pre-commit-hooks.yaml`: valid for pre-commit, and its hooks do their job on the files
pre-commit would hand them (chosen by pre-commit's own file-type tags)."""

import shlex
import subprocess
import sys
from pathlib import Path

from identify.identify import tags_from_path
from pre_commit.clientlib import load_manifest

REPO = Path(__file__).resolve().parents[2]
TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"


def _files_for(hook: dict, root: Path) -> list[str]:
    """What pre-commit passes: files whose tags include all of `types` and one of `types_or`."""
    chosen = []
    for path in sorted(p for p in root.iterdir() if p.is_file()):
        tags = tags_from_path(str(path))
        if set(hook["types"]) <= tags and (not hook["types_or"] or tags & set(hook["types_or"])):
            chosen.append(path.name)
    return chosen


def _run(hook: dict, root: Path, files: list[str]) -> subprocess.CompletedProcess:
    program, *rest = shlex.split(hook["entry"])
    command = [str(Path(sys.executable).parent / program), *rest, *hook["args"], *files]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120)


def test_hooks_are_valid_and_work(tmp_path: Path) -> None:
    hooks = {hook["id"]: hook for hook in load_manifest(str(REPO / ".pre-commit-hooks.yaml"))}
    assert set(hooks) == {"hephaestus-check", "hephaestus-fix"}
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "a.py").write_text("import os\nx = 1\n")
    (tmp_path / "notes.txt").write_text(f"token: {TOKEN}\n")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")

    check = hooks["hephaestus-check"]
    assert _files_for(check, tmp_path) == ["a.py", "notes.txt"]
    done = _run(check, tmp_path, _files_for(check, tmp_path))
    assert done.returncode == 1, done.stderr  # the token is an error
    assert "secrets/github-token" in done.stdout and "F401" in done.stdout

    fix = hooks["hephaestus-fix"]
    assert _files_for(fix, tmp_path) == ["a.py"]
    done = _run(fix, tmp_path, _files_for(fix, tmp_path))
    assert done.returncode == 0, done.stderr
    assert "import os" not in (tmp_path / "a.py").read_text()
