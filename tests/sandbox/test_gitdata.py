"""Object ids and patches agree with real git."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sandbox.gitdata import Blob, Commit, ObjectStore, Signature, unified_patch
from sandbox.state import State

FILES = {
    "README.md": "# app\n",
    "src/app.py": "def f():\n    return 1\n",
    "src/pkg/__init__.py": "",
    "src/pkg-extra.txt": "sorts after 'src/pkg' as a tree, before it as a file\n",
    "no_newline.txt": "last line",
}


def git(cwd: Path, *args: str, env: dict[str, str] | None = None, stdin: bytes = b"") -> str:
    full_env = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
                **(env or {})}
    return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True,
                          check=True, env=full_env).stdout.decode().strip()


def test_blob_id_matches_git_hash_object(tmp_path: Path) -> None:
    for text in FILES.values():
        assert Blob(text.encode()).sha == git(tmp_path, "hash-object", "--stdin",
                                              stdin=text.encode())


def test_tree_and_commit_ids_match_a_real_repository(tmp_path: Path) -> None:
    state = State()
    repo = state.create_repo("octo/app")
    commit_sha = state.commit(repo, "main", FILES, message="Initial commit\n")
    commit = repo.store.commit(commit_sha)

    git(tmp_path, "init", "-q", "-b", "main")
    for path, text in FILES.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    git(tmp_path, "add", "-A")
    assert git(tmp_path, "write-tree") == commit.tree

    author = commit.author
    env = {
        "GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": author.email,
        "GIT_AUTHOR_DATE": f"{author.timestamp} +0000",
        "GIT_COMMITTER_NAME": author.name, "GIT_COMMITTER_EMAIL": author.email,
        "GIT_COMMITTER_DATE": f"{author.timestamp} +0000",
    }
    real = git(tmp_path, "commit-tree", commit.tree, "-F", "-", env=env,
               stdin=b"Initial commit\n")
    assert real == commit_sha

    second = state.commit(repo, "main", {"src/app.py": None, "new.py": "x = 1\n"}, "Two\n")
    c2 = repo.store.commit(second)
    git(tmp_path, "update-index", "--force-remove", "src/app.py")
    (tmp_path / "new.py").write_text("x = 1\n")
    git(tmp_path, "add", "new.py")
    assert git(tmp_path, "write-tree") == c2.tree
    env = {**env, "GIT_AUTHOR_DATE": f"{c2.author.timestamp} +0000",
           "GIT_COMMITTER_DATE": f"{c2.author.timestamp} +0000"}
    assert git(tmp_path, "commit-tree", c2.tree, "-p", real, "-F", "-", env=env,
               stdin=b"Two\n") == second


def test_commit_payload_layout() -> None:
    sig = Signature("a", "a@x", 0)
    store = ObjectStore()
    tree = store.write_tree({})
    assert tree == "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's empty tree
    commit = Commit(tree, (), sig, sig, "m")
    assert commit.payload().startswith(f"tree {tree}\nauthor a <a@x> 0 +0000\n".encode())


def test_patch_matches_git_diff(tmp_path: Path) -> None:
    old = "".join(f"line {i}\n" for i in range(1, 21))
    new = old.replace("line 3\n", "line three\n").replace("line 17\n", "") + "tail"
    (tmp_path / "a").write_text(old)
    (tmp_path / "b").write_text(new)
    proc = subprocess.run(["git", "diff", "--no-index", "--no-color", "a", "b"], cwd=tmp_path,
                          capture_output=True, check=False)
    expected = proc.stdout.decode().split("\n")
    hunks = "\n".join(expected[expected.index(next(x for x in expected if x.startswith("@@"))):])
    hunks = "\n".join(line.split(" @@")[0] + " @@" if line.startswith("@@") else line
                      for line in hunks.rstrip("\n").split("\n"))
    patch, lines = unified_patch(old.encode(), new.encode())
    assert patch == hunks
    assert [d.new_line for d in lines if d.kind == "+"] == [3, 20]
