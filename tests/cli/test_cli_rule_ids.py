"""Our rule ids in `--select`/`--ignore`, as users type them, in both verbs."""

import json
import sys
from pathlib import Path

import pytest

from ghbot.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine" / "check"))
from check_helpers import make_repo  # noqa: E402

SOURCE = (
    "import os\nimport requests\nrequests.get('http://x')\n"
    "try:\n    pass\nexcept:\n    print(1)\n"
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    root = make_repo(tmp_path / "r", {"a.py": SOURCE})
    monkeypatch.chdir(root)
    return root


def _rules(capsys) -> list[str]:
    return [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]]


def test_our_ids_and_prefixes_select_and_ignore(repo: Path, capsys) -> None:
    assert main(["check", "--format", "json", "--select", "HEP104"]) == 0
    assert _rules(capsys) == ["HEP104"]
    assert main(["check", "--format", "json", "--select", "HEP1"]) == 0
    assert _rules(capsys) == ["HEP106", "HEP104"]
    assert main(["check", "--format", "json", "--ignore", "HEP1,I"]) == 0
    assert _rules(capsys) == ["F401"]


def test_one_finding_has_one_id_whatever_the_selection(repo: Path, capsys) -> None:
    assert main(["check", "--format", "json"]) == 0
    assert "HEP106" in _rules(capsys)
    for selection in (["--select", "S"], ["--select", "S113"], ["--select", "HEP106"]):
        assert main(["check", "--format", "json", *selection]) == 0
        assert _rules(capsys) == ["HEP106"], selection
    assert main(["check", "--format", "json", "--ignore", "S113"]) == 0
    assert not {"HEP106", "S113"} & set(_rules(capsys))


@pytest.mark.parametrize("verb", ["check", "fix"])
@pytest.mark.parametrize("flag", ["--select", "--ignore"])
def test_an_unknown_id_is_exit_2_with_the_closest_ids(repo: Path, capsys, verb, flag) -> None:
    assert main([verb, flag, "HEP107x"]) == 2
    err = capsys.readouterr().err
    assert f"hephaestus {verb}: unknown rule 'HEP107x'; did you mean HEP107" in err
    assert main([verb, flag, "NOPE"]) == 2
    assert "unknown rule 'NOPE'" in capsys.readouterr().err
    assert (repo / "a.py").read_text() == SOURCE  # nothing was fixed


def test_fix_takes_ignore_and_codemod_names(repo: Path, capsys) -> None:
    (repo / "b.py").write_text("import os\nx = 1\nif x == None:\n    print(x)\n")
    assert main(["fix", "b.py", "--ignore", "HEP102,E711"]) == 0
    assert (repo / "b.py").read_text() == "\nx = 1\nif x == None:\n    print(x)\n"  # F401
    assert main(["fix", "b.py", "--select", "none-comparison"]) == 0
    assert (repo / "b.py").read_text() == "\nx = 1\nif x is None:\n    print(x)\n"


def test_inline_ignore_silences_every_kind_of_finding(repo: Path, capsys) -> None:
    (repo / "b.py").write_text(
        "import os  # hephaestus: ignore[F401]\n"
        "import requests\n"
        "requests.get('http://x')  # hephaestus: ignore[S113]\n"  # the codemod's ruff alias
        "requests.get('http://y')  # hephaestus: ignore[HEP106]\n"
        "requests.get('http://z')\n"
        "eval('1')  # hephaestus: ignore\n"
        "TOKEN = 'ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'  # hephaestus: ignore[secrets, S105]\n"
    )
    (repo / "c.py").write_text("def f(:  # hephaestus: ignore[syntax]\n    pass\n")
    (repo / "d.py").write_text("def f(:\n    pass\n")
    assert main(["check", "b.py", "c.py", "d.py", "--format", "json", "--ignore", "I"]) == 1
    found = json.loads(capsys.readouterr().out)["findings"]
    assert {(f["path"], f["line"], f["rule"].partition("/")[0]) for f in found} == {
        ("b.py", 5, "HEP106"), ("d.py", 1, "syntax"),
    }  # fmt: skip
