from pathlib import Path

import pytest
from check_helpers import commit, git, make_repo, write

from ghbot.engine.diff import DiffParseError, FilterMode, parse_unified_diff
from ghbot.engine.files import InputError, load_diff


def test_git_diff_of_a_real_commit(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {
        "keep.py": "a = 1\nb = 2\nc = 3\nd = 4\n",
        "gone.py": "import gone\nprint(gone.__file__)\n",
        "old name.py": "".join(f"line{i} = {i}\n" for i in range(20)),
        "logo.bin": b"\x00\x01\x02",
    })  # fmt: skip
    base = commit(repo)
    write(repo, {"keep.py": "a = 1\nB = 2\nc = 3\nd = 4\ne = 5\n", "logo.bin": b"\x00\x09",
                 "café.py": "x = 1\n"})  # fmt: skip
    (repo / "gone.py").unlink()
    git(repo, "mv", "old name.py", "new name.py")
    commit(repo)
    index = load_diff(repo, base)
    assert index.files["keep.py"].added == {2, 5}
    assert index.files["gone.py"].deleted_file
    assert index.files["new name.py"].old_path == "old name.py"
    assert index.files["new name.py"].added == set()  # a pure rename changes no line
    assert index.files["café.py"].new_file and index.files["café.py"].added == {1}
    assert index.files["logo.bin"].binary
    assert "gone.py" not in index.changed_paths()
    assert index.should_report("keep.py", 2)
    assert not index.should_report("keep.py", 3)
    assert index.should_report("keep.py", 3, end_line=5)  # a range reaching a changed line
    assert index.should_report("keep.py", 3, mode=FilterMode.FILE)
    assert not index.should_report("other.py", 1, mode=FilterMode.FILE)
    assert index.should_report("other.py", 1, mode=FilterMode.NOFILTER)


def test_untracked_files_count_as_added_and_bad_refs_are_input_errors(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"a.py": "a = 1\n", ".gitignore": "ignored.py\n"})
    base = commit(repo)
    write(repo, {"new.py": "x = 1\ny = 2\n", "ignored.py": "z = 1\n"})
    index = load_diff(repo, base)
    assert index.files["new.py"].added == {1, 2}
    assert "ignored.py" not in index.files
    with pytest.raises(InputError, match="no such commit"):
        load_diff(repo, "does-not-exist")
    with pytest.raises(InputError, match="not a git ref"):
        load_diff(repo, "--output=/tmp/x")
    with pytest.raises(InputError, match="needs a git repository"):
        (tmp_path / "plain").mkdir()
        load_diff(tmp_path / "plain", "HEAD")


DIFF_WITH_CONTEXT = """\
diff --git a/m.py b/m.py
--- a/m.py
+++ b/m.py
@@ -1,7 +1,7 @@
 one
 two
 three
-four
+FOUR
 five
 six
 seven
@@ -20,2 +20,0 @@
--- removed line that looks like a file header
-removed
diff --git "a/t\\303\\251st.py" "b/t\\303\\251st.py"
--- "a/t\\303\\251st.py"
+++ "b/t\\303\\251st.py"
@@ -1 +1 @@
-a
+b
\\ No newline at end of file
"""


def test_context_lines_filter_modes_and_hostile_lines() -> None:
    index = parse_unified_diff(DIFF_WITH_CONTEXT)
    entry = index.files["m.py"]
    assert entry.added == {4}
    assert entry.context == {1, 2, 3, 4, 5, 6, 7, 20}
    assert not index.should_report("m.py", 2, mode=FilterMode.ADDED)
    assert index.should_report("m.py", 2, mode=FilterMode.DIFF_CONTEXT)
    assert not index.should_report("m.py", 9, mode=FilterMode.DIFF_CONTEXT)
    assert index.in_diff_context("m.py", 2, 6)
    assert not index.in_diff_context("m.py", 6, 9)
    # the removed "--- ..." line did not start a new file; the quoted UTF-8 path was decoded
    assert set(index.files) == {"m.py", "tést.py"}
    assert index.files["tést.py"].added == {1}


def test_malformed_hunk_header_is_a_clear_error() -> None:
    with pytest.raises(DiffParseError, match="malformed hunk header"):
        parse_unified_diff("--- a/x\n+++ b/x\n@@ nonsense @@\n")
