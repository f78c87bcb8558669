"""Hostile trees: `check` and `fix` never write outside the tree and never block on a special file.

Issue 13, item 8: `hephaestus fix linkdir/x.py` wrote through a directory symlink to a file
outside the tree, and a named pipe given to `check` hung it forever.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ghbot.cli import fix
from ghbot.engine.files import InputError, inside_tree

UNSAFE = "import yaml\n\nx = yaml.load(s)\n"  # HEP101 rewrites it to yaml.safe_load


def _git_tree(path: Path) -> Path:
    path.mkdir()
    subprocess.run(["git", "init", "-q", str(path)], check=True)  # noqa: S603, S607
    (path / "app.py").write_text("x = 1\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("git", [True, False], ids=["git", "plain"])
def test_fix_never_writes_through_a_directory_symlink_leaving_the_tree(
    tmp_path: Path, monkeypatch, capsys, git: bool
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.py").write_text(UNSAFE, encoding="utf-8")
    tree = _git_tree(tmp_path / "tree") if git else tmp_path / "tree"
    tree.mkdir(exist_ok=True)
    (tree / "linkdir").symlink_to(outside, target_is_directory=True)
    monkeypatch.chdir(tree)
    assert fix.main(["linkdir/x.py"]) == 2
    assert (outside / "x.py").read_text(encoding="utf-8") == UNSAFE
    assert "outside" in capsys.readouterr().err
    assert sorted(p.name for p in outside.iterdir()) == ["x.py"]  # no temporary file left there


def test_every_written_path_is_resolved_and_checked(tmp_path: Path) -> None:
    tree, outside = tmp_path / "tree", tmp_path / "outside"
    (tree / "pkg").mkdir(parents=True)
    outside.mkdir()
    (tree / "pkg" / "a.py").write_text("x = 1\n", encoding="utf-8")
    (tree / "escape").symlink_to(outside, target_is_directory=True)
    (tree / "pkg" / "link.py").symlink_to(tree / "pkg" / "a.py")
    assert inside_tree(tree, "pkg/a.py") == (tree / "pkg" / "a.py").resolve()
    # A symlink inside the tree is written at its target, which keeps the link a link.
    assert inside_tree(tree, "pkg/link.py") == (tree / "pkg" / "a.py").resolve()
    for name in ("escape/x.py", "../outside/x.py", str(outside / "x.py")):
        with pytest.raises(InputError, match="outside"):
            inside_tree(tree, name)


def _check(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        [sys.executable, "-m", "ghbot", "check", *args],
        cwd=cwd, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("given", ["pipe.py", "pipe.txt", "."])
def test_check_skips_a_named_pipe_with_a_note_instead_of_hanging(
    tmp_path: Path, given: str
) -> None:
    (tmp_path / "ok.py").write_text("import os\n", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.py")
    os.mkfifo(tmp_path / "pipe.txt")
    done = _check(given, "--format", "json", cwd=tmp_path)  # timeout=60: a hang fails the test
    assert done.returncode in (0, 1), done.stderr
    assert "not a regular file" in done.stderr
    assert "named pipe" in done.stderr


def test_check_skips_a_device_and_a_socket(tmp_path: Path) -> None:
    import socket

    (tmp_path / "dev.py").symlink_to("/dev/zero")  # reading it would never end
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock.py"))
    try:
        done = _check(".", cwd=tmp_path)
    finally:
        server.close()
    assert done.returncode in (0, 1), done.stderr
    assert "skipped dev.py: symlink to /dev/zero, outside the checked tree" in done.stderr
    assert "skipped sock.py: not a regular file (a socket)" in done.stderr, done.stderr
