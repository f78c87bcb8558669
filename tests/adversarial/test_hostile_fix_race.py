"""`hephaestus fix` checks that each path stays in the tree, fixes the file (seconds, in a child
process), then writes it. Whoever can write in the tree meanwhile can swap a directory on the
path, or the file itself, for a symlink that leads out of it: the write must not follow it.

The swap is done at the worst moment: right after the fix is computed, before the write.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ghbot.cli import fix

BROKEN = "print 'hello'\n"
OUTSIDE = "SAFE = 1\n"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch) -> Path:
    root = tmp_path / "tree"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "a.py").write_text(BROKEN)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "a.py").write_text(OUTSIDE)
    monkeypatch.chdir(root)
    return root


def _swap_once_fixed(monkeypatch, swap) -> None:
    computed = fix.fix_file_isolated

    def then_swap(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = computed(*args, **kwargs)
        swap()
        return result

    monkeypatch.setattr(fix, "fix_file_isolated", then_swap)


def _outside_untouched(tree: Path) -> None:
    outside = tree.parent / "outside"
    assert sorted(p.name for p in outside.iterdir()) == ["a.py"]  # no temporary file left
    assert (outside / "a.py").read_text() == OUTSIDE


def test_a_directory_swapped_for_a_symlink_out_of_the_tree_is_not_written_through(
    tree: Path, monkeypatch, capsys
) -> None:
    def swap() -> None:
        (tree / "pkg").rename(tree.parent / "moved")
        (tree / "pkg").symlink_to(tree.parent / "outside", target_is_directory=True)

    _swap_once_fixed(monkeypatch, swap)
    assert fix.main(["--select", "syntax", "."]) == 2
    _outside_untouched(tree)
    assert (tree.parent / "moved" / "a.py").read_text() == BROKEN
    assert "pkg/a.py: cannot write: a symlink" in capsys.readouterr().err


def test_a_file_swapped_for_a_symlink_out_of_the_tree_is_not_written_through(
    tree: Path, monkeypatch, capsys
) -> None:
    def swap() -> None:
        (tree / "pkg" / "a.py").unlink()
        (tree / "pkg" / "a.py").symlink_to(tree.parent / "outside" / "a.py")

    _swap_once_fixed(monkeypatch, swap)
    assert fix.main(["--select", "syntax", "."]) == 2
    _outside_untouched(tree)
    assert (tree / "pkg" / "a.py").is_symlink()
    assert "pkg/a.py: cannot write: a symlink" in capsys.readouterr().err


def test_a_file_swapped_for_a_named_pipe_does_not_hang_the_write(
    tree: Path, monkeypatch, capsys
) -> None:
    import os

    def swap() -> None:
        (tree / "pkg" / "a.py").unlink()
        os.mkfifo(tree / "pkg" / "a.py")

    _swap_once_fixed(monkeypatch, swap)
    assert fix.main(["--select", "syntax", "."]) == 2
    assert "pkg/a.py: cannot write: not a regular file" in capsys.readouterr().err


def test_without_a_swap_the_file_is_fixed_in_place_keeping_its_mode(tree: Path) -> None:
    (tree / "pkg" / "a.py").chmod(0o640)
    assert fix.main(["--select", "syntax", "."]) == 0
    assert (tree / "pkg" / "a.py").read_text() == "print('hello')\n"
    assert (tree / "pkg" / "a.py").stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in (tree / "pkg").iterdir()) == ["a.py"]
