"""The file listing of `hephaestus check`, started before the verb's modules import.

`check` cannot start ruff until git has listed the tree, and on a large tree git's walk takes
about as long as check's imports (Django's 6,900 files: a twentieth of a second each). So the
program starts the listing of the working directory first thing, and check takes it when it
lists that same directory, the whole of it; otherwise the listing is stopped unread.
"""

from __future__ import annotations

import os
import subprocess

# What `files.Listing` runs for a whole root, with the root as the working directory.
LS_FILES = ("ls-files", "-co", "--exclude-standard", "-z", "--", ".")

_running: tuple[str, subprocess.Popen[bytes]] | None = None


def start() -> None:
    """`git ls-files` in the working directory, in the background (nothing if git is missing)."""
    global _running
    try:
        # Fixed argv, no shell; git from PATH, as `files.run_git` finds it.
        git = subprocess.Popen(  # noqa: S603
            ["git", "-c", "core.quotepath=off", *LS_FILES],  # noqa: S607
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
    except OSError:
        return
    _running = (os.getcwd(), git)


def take(directory: str) -> subprocess.Popen[bytes] | None:
    """The listing started in `directory`, for its caller to read; None (the listing, if any,
    stopped) when it was started elsewhere or not at all. A listing is taken once."""
    global _running
    if _running is None:
        return None
    where, git = _running
    _running = None
    if where == directory:
        return git
    git.kill()
    git.communicate()
    return None


def discard() -> None:
    """Stop the listing, if any, unread."""
    take("")
