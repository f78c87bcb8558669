"""`check` and `fix` read the repository's config from the checkout, as the App reads it from the
default branch: `--config PATH`, else `.github/hephaestus.yml`, else `[tool.hephaestus]` in
pyproject.toml."""

import json
import sys
from pathlib import Path

import pytest

from ghbot.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine" / "check"))
from check_helpers import make_repo  # noqa: E402

TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"  # a GitHub token shape


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    files = {"a.py": "import os\n", "vendor/v.py": "import sys\n", "keys.txt": f"t = {TOKEN}\n"}
    root = make_repo(tmp_path / "r", files)
    monkeypatch.chdir(root)
    return root


def _found(capsys) -> set[tuple[str, str]]:
    return {(f["path"], f["rule"]) for f in json.loads(capsys.readouterr().out)["findings"]}


def test_without_config_vendor_is_excluded_by_default(repo: Path, capsys) -> None:
    assert main(["check", "--format", "json"]) == 1  # the token is an error
    assert _found(capsys) == {("a.py", "F401"), ("keys.txt", "secrets/github-token")}


def test_the_app_file_applies_exclude_ignore_and_the_allowlist(repo: Path, capsys) -> None:
    (repo / ".github").mkdir()
    (repo / ".github/hephaestus.yml").write_text(
        "analysis:\n  ignore: [F401]\n  exclude: []\n"
        f"  secrets:\n    allowlist: ['value:{TOKEN}']\n"
    )
    assert main(["check", "--format", "json"]) == 0
    assert _found(capsys) == set()
    assert main(["check", "--format", "json", "--select", "F"]) == 0  # ignore still wins
    assert _found(capsys) == set()


def test_pyproject_table_is_read_and_the_app_file_wins(repo: Path, capsys) -> None:
    (repo / "pyproject.toml").write_text('[tool.hephaestus.analysis]\nexclude = ["a.py"]\n')
    assert main(["check", "--format", "json", "--fail-level", "never"]) == 0
    assert ("a.py", "F401") not in _found(capsys)
    (repo / ".github").mkdir()
    (repo / ".github/hephaestus.yml").write_text("analysis:\n  exclude: [keys.txt]\n")
    assert main(["check", "--format", "json"]) == 0
    assert _found(capsys) == {("a.py", "F401"), ("vendor/v.py", "F401")}


def test_config_flag_overrides_both(repo: Path, capsys) -> None:
    (repo / ".github").mkdir()
    (repo / ".github/hephaestus.yml").write_text("analysis:\n  exclude: [a.py]\n")
    (repo / "other.yml").write_text("analysis:\n  ignore: [secrets]\n")
    assert main(["check", "--format", "json", "--config", "other.yml"]) == 0
    assert _found(capsys) == {("a.py", "F401")}
    assert main(["check", "--config", "missing.yml"]) == 2
    assert "--config missing.yml: no such config file" in capsys.readouterr().err


@pytest.mark.parametrize("verb", ["check", "fix"])
@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        (".github/hephaestus.yml", "analysis:\n  ignre: [F401]\n",
         ".github/hephaestus.yml:2: unknown key 'analysis.ignre'; did you mean 'ignore'?"),
        (".github/hephaestus.yml", "analysis: [\n", "invalid YAML"),
        ("pyproject.toml", "[tool.hephaestus]\nreview = 3\n", "pyproject.toml [tool.hephaestus]"),
        ("pyproject.toml", "[tool.hephaestus\n", "pyproject.toml: invalid TOML"),
        (".github/hephaestus.yml", "analysis:\n  select: [NOPE]\n", "unknown rule 'NOPE'"),
    ],
)  # fmt: skip
def test_a_broken_config_is_exit_2(repo: Path, capsys, verb, name, text, says) -> None:
    (repo / name).parent.mkdir(exist_ok=True)
    (repo / name).write_text(text)
    assert main([verb]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert (repo / "a.py").read_text() == "import os\n"  # fix wrote nothing


def test_fix_honours_exclude_and_ignore(repo: Path, capsys) -> None:
    (repo / "pyproject.toml").write_text('[tool.hephaestus.analysis]\nignore = ["F401"]\n')
    assert main(["fix"]) == 0
    assert (repo / "a.py").read_text() == "import os\n"
    (repo / "pyproject.toml").write_text('[tool.hephaestus.analysis]\nexclude = ["a.py"]\n')
    assert main(["fix"]) == 0
    assert (repo / "a.py").read_text() == "import os\n"
    assert (repo / "vendor/v.py").read_text() == ""  # vendor/ is no longer excluded
