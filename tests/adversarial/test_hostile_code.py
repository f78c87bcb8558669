"""Analysed code is hostile: no file may crash `check` or `fix`, or pass the check unanalysed."""

from pathlib import Path

import pytest

from ghbot.cli import check, fix

# Two real snippets that end in a keyword and a space, with no newline.
KEYWORD_AT_EOF = {
    "import_tail.py": "import newProj.poll.models import ",
    "and_tail.py": "import sys\nsys.stdout.flush() \nand ",
}


@pytest.mark.parametrize("name", sorted(KEYWORD_AT_EOF))
def test_keyword_and_space_at_end_of_file_is_a_finding_not_a_crash(
    tmp_path: Path, monkeypatch, capsys, name: str
) -> None:
    (tmp_path / name).write_text(KEYWORD_AT_EOF[name], encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert check.main([name]) == 1
    assert "syntax/invalid-syntax" in capsys.readouterr().out


def test_fix_over_a_folder_goes_past_a_file_ending_in_a_keyword(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    for name, text in KEYWORD_AT_EOF.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "zz_later.py").write_text("print 'hello'\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert fix.main(["--select", "syntax", "."]) in (0, 1)
    assert (tmp_path / "zz_later.py").read_text(encoding="utf-8") == "print('hello')\n"
