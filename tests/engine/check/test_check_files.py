import os
from pathlib import Path

import pytest
from check_helpers import commit, make_repo, write

from ghbot.engine.files import InputError, default_root, discover, list_names, start_listing


def _by_path(result):
    return {f.path: f.text for f in result.files}, {s.path: s.reason for s in result.skipped}


def test_git_listing_respects_gitignore_and_skips_bad_files(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("outside\n")
    repo = make_repo(tmp_path / "r", {
        ".gitignore": "build/\n*.log\n",
        "src/app.py": "x = 1\n",
        "build/gen.py": "y = 2\n",
        "debug.log": "noise\n",
        "img.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00",
        "latin.py": "name = 'caf\xe9'\n".encode("latin-1"),
        "big.txt": "a" * 5000,
        "bom.py": "\ufeffz = 3\n".encode(),
    })  # fmt: skip
    commit(repo)
    write(repo, {"untracked.py": "u = 1\n"})
    os.symlink(outside, repo / "leak.txt")
    os.symlink(repo / "src" / "app.py", repo / "alias.py")
    files, skipped = _by_path(discover(repo, max_bytes=4096))
    assert set(files) == {".gitignore", "src/app.py", "untracked.py", "bom.py", "alias.py"}
    assert files["bom.py"] == "z = 3\n"  # the BOM is not part of the text
    assert files["alias.py"] == "x = 1\n"  # a link inside the tree is read through
    assert skipped["img.png"] == "binary file"
    assert skipped["latin.py"].startswith("not UTF-8 (byte 0xe9 on line 1)")
    assert "5 KB is over the 4 KB size limit" in skipped["big.txt"]
    assert "outside the checked tree" in skipped["leak.txt"]


def test_explicit_paths_subdirectories_and_bad_arguments(tmp_path: Path, monkeypatch) -> None:
    repo = make_repo(tmp_path / "r", {
        ".gitignore": "gen.py\n", "pkg/a.py": "a = 1\n", "pkg/gen.py": "g = 1\n", "b.py": "b\n",
    })  # fmt: skip
    monkeypatch.chdir(repo)
    files, _ = _by_path(discover(repo, [Path("pkg")]))
    assert set(files) == {"pkg/a.py"}
    files, _ = _by_path(discover(repo, [Path("pkg/gen.py")]))  # named explicitly: taken
    assert set(files) == {"pkg/gen.py"}
    files, _ = _by_path(discover(repo, [Path("pkg")], only={"pkg/a.py", "b.py"}))
    assert set(files) == {"pkg/a.py"}
    with pytest.raises(InputError, match="no such file or directory"):
        discover(repo, [Path("missing.py")])
    with pytest.raises(InputError, match="outside the checked root"):
        discover(repo / "pkg", [tmp_path])
    assert default_root([Path("pkg/a.py")]) == repo.resolve()


def test_empty_repository_and_plain_directory_walk(tmp_path: Path) -> None:
    empty = make_repo(tmp_path / "empty", {})
    result = discover(empty)
    assert result.files == [] and result.skipped == []
    plain = tmp_path / "plain"
    write(plain, {"m.py": "m = 1\n", ".venv/lib.py": "v\n", "node_modules/x.js": "x\n",
                  "pkg.egg-info/PKG-INFO": "p\n", "sub/n.py": "n = 1\n"})  # fmt: skip
    files, _ = _by_path(discover(plain))
    assert set(files) == {"m.py", "sub/n.py"}
    assert default_root([plain / "sub"]) == (plain / "sub").resolve()


def test_a_listing_started_early_gives_the_names_list_names_gives(tmp_path: Path) -> None:
    """check starts git's listing before importing its analysers: same names, `only` included,
    in a repository and (walked) outside one."""
    files = {".gitignore": "*.log\n", "a.py": "", "d/b.py": "", "x.log": ""}
    repo = make_repo(tmp_path / "r", files)
    commit(repo)
    write(repo, {"d/new.py": ""})
    listing = start_listing(repo, [repo / "d", repo / "a.py"])
    assert listing.names() == list_names(repo, [repo / "d", repo / "a.py"])
    assert listing.names() == ["a.py", "d/b.py", "d/new.py"]
    assert start_listing(repo).names(only={"d/b.py", "gone.py"}) == ["d/b.py"]
    plain = tmp_path / "plain"
    write(plain, {"p.py": "", "sub/q.txt": ""})
    assert start_listing(plain).names() == ["p.py", "sub/q.txt"]


def test_a_failing_git_listing_is_an_input_error(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"a.py": ""})
    commit(repo)
    (repo / ".git" / "index").write_bytes(b"not an index")
    with pytest.raises(InputError, match="git ls-files failed"):
        start_listing(repo).names()
