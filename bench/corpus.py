"""Shared by the benchmarks: pinned PyPI sdists as corpora, and reference tools in their own venvs.

Archives and venvs are cached in bench/.cache (git-ignored). Unpacked trees go OUTSIDE this
checkout: a tree under it would inherit this project's own ruff configuration (ruff looks for
one in parent directories, and ours excludes bench/.cache), so ruff and hephaestus would not be
checking what the reference tools check.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
import venv
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"
TREES = Path(
    os.environ.get("HEPHAESTUS_BENCH_TREES", Path(tempfile.gettempdir()) / "hephaestus-bench")
)


def sdist(requirement: str) -> Path:
    """The sdist archive of a pinned `requirement` (e.g. "django==5.2.7"), downloaded once."""
    name, _, version = requirement.partition("==")
    if not version:
        raise ValueError(f"pin an exact version: {requirement!r}")
    download = CACHE / "sdists"
    wanted = f"{name.strip().lower().replace('-', '_')}-{version.strip()}.tar.gz"

    def found() -> list[Path]:
        return [p for p in download.glob("*.tar.gz") if p.name.lower().replace("-", "_")
                == wanted.replace("-", "_")]  # fmt: skip

    if not found():
        download.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
             requirement, "-d", str(download)],
            check=True,
        )  # fmt: skip
    (archive,) = found()
    return archive


def unpacked(requirement: str, *, git: bool = False) -> Path:
    """The sdist unpacked outside this checkout; `git`: in a repository of its own (no commit,
    so every file is untracked and still listed) as `hephaestus check` and detect-secrets
    expect a git work tree."""
    archive = sdist(requirement)
    tree = TREES / archive.name.removesuffix(".tar.gz")
    if not tree.exists():
        TREES.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive) as tar:
            tar.extractall(TREES, filter="data")
    if git and not (tree / ".git").is_dir():
        subprocess.run(["git", "init", "-q", str(tree)], check=True)
    return tree


def tool_bin(*packages: str) -> Path:
    """The bin directory of a venv holding `packages` (the reference tools), made once."""
    env = CACHE / ("venv-" + "-".join(sorted(p.split("=")[0] for p in packages)))
    marker = env / ".installed"
    if not marker.exists():
        venv.create(env, with_pip=True)
        subprocess.run([str(env / "bin" / "pip"), "install", "-q", *packages], check=True)
        marker.write_text("\n".join(packages))
    return env / "bin"
