import inspect
from pathlib import Path

from check_helpers import commit, make_repo, write

from ghbot.engine.analysis import workflows
from ghbot.engine.analysis.rules import WORKFLOW_RULES, catalog, markdown_table
from ghbot.engine.analysis.run import AnalysisOptions, analyse
from ghbot.engine.diff import FilterMode

TOKEN = "ghp_" + "Zq8Lr2Vx7Kd4Np1Tb6Wm3Hc9Jf5Gs0Ya2EuR7"
WORKFLOW = """\
on: pull_request_target
permissions: write-all
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ github.event.pull_request.title }}"
"""
APP = """\
import subprocess

import yaml


def load(path, cache=None):
    if cache == None:
        cache = {}
    subprocess.run("ls -l", shell=True)
    return yaml.load(open(path, encoding="utf-8"))
"""


def test_every_analyser_reports_once_in_stable_order(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {
        "app.py": APP,
        "conf/settings.ini": f"token = {TOKEN}\n",
        ".github/workflows/ci.yml": WORKFLOW,
        "broken.py": "def f(:\n    return 1\n",
    })  # fmt: skip
    seen: list[str] = []
    result = analyse(repo, options=AnalysisOptions(progress=lambda stage, d, t: seen.append(stage)))
    rules = [(f.path, f.rule) for f in result.findings]
    assert ("app.py", "HEP102") in rules and ("app.py", "HEP101") in rules
    assert ("app.py", "HEP107") in rules
    # the codemods' findings replace ruff's for the same problem
    assert ("app.py", "E711") not in rules and ("app.py", "S506") not in rules
    assert ("app.py", "S602") not in rules
    assert ("conf/settings.ini", "secrets/github-token") in rules
    assert any(p == "broken.py" and r.startswith("syntax/") for p, r in rules)
    assert any(r == "workflow/script-injection" for _, r in rules)
    assert len(rules) == len(set((f.rule, f.path, f.line, f.column) for f in result.findings))
    assert result.findings == sorted(result.findings, key=lambda f: (f.path, f.line, f.column))
    assert {"ruff", "secrets and workflows"} <= set(seen)
    assert result.files_checked == 4


def test_select_ignore_and_diff_filter(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"a.py": "import os\n", "b.py": "import sys\n"})
    base = commit(repo)
    write(repo, {"a.py": "import os\nimport json\n", "c.py": "import re\n"})
    result = analyse(repo, options=AnalysisOptions(diff_base=base, select=("F",)))
    assert [(f.path, f.line, f.rule) for f in result.findings] == [
        ("a.py", 2, "F401"), ("c.py", 1, "F401")
    ]
    assert result.files_checked == 2  # b.py did not change
    file_mode = AnalysisOptions(diff_base=base, filter_mode=FilterMode.FILE, select=("F",))
    whole = analyse(repo, options=file_mode)
    assert [(f.path, f.line) for f in whole.findings if f.rule == "F401"] == [
        ("a.py", 1), ("a.py", 2), ("c.py", 1)
    ]
    only = analyse(repo, options=AnalysisOptions(select=("F4",), ignore=("F401",)))
    assert only.findings == []
    secrets_only = analyse(repo, options=AnalysisOptions(select=("secrets",)))
    assert secrets_only.findings == []


def test_catalog_covers_our_rules_and_ruffs() -> None:
    rules = catalog()
    assert rules["S602"].security_severity and "security" in rules["S602"].tags
    assert rules["F401"].help_uri.endswith("/unused-import")
    assert rules["HEP101"].source == "codemod"
    assert rules["secrets/github-token"].source == "secrets"
    doc = inspect.getdoc(workflows) or ""
    for name, _, _ in WORKFLOW_RULES:
        assert f"`{name}`" in doc  # our table says what workflows.py says it reports
    table = markdown_table()
    assert "| `workflow/script-injection` | error |" in table
    assert "| `syntax/missing-colon` | error |" in table


def test_without_codemod_fixes_the_same_problems_are_found_from_ruff_alone(
    tmp_path: Path, monkeypatch
) -> None:
    repo = make_repo(tmp_path / "r", {
        "app.py": APP + "def read(p):\n    return open(p).read()\n",
        # flagged by ruff's PLW1514 too, but not open(): the codemod has no fix for it
        "paths.py": "import pathlib\n\n\ndef read(p):\n    return pathlib.Path(p).read_text()\n",
        "other.py": "def g(x=[]):\n    return x\n",
    })  # fmt: skip
    with_fixes = analyse(repo)
    from ghbot.engine.fixes.codemods import runner

    def no_libcst(*args, **kwargs):
        raise AssertionError("LibCST must not run without codemod fixes")

    monkeypatch.setattr(runner, "parse", no_libcst)
    fast = analyse(repo, options=AnalysisOptions(codemod_fixes=False))
    codemods = {(f.path, f.rule, f.line) for f in with_fixes.findings if f.source == "codemod"}
    found = {(f.path, f.rule, f.line) for f in fast.findings if f.source == "codemod"}
    assert {r for _, r, _ in found} >= {"HEP101", "HEP102", "HEP103", "HEP105", "HEP107"}
    assert found == codemods  # same problems, same lines
    assert not any(path == "paths.py" for path, _, _ in found)
    assert all(f.fix is None for f in fast.findings if f.source == "codemod")
    assert all(f.fix is not None for f in with_fixes.findings if f.source == "codemod")
    # one problem, one finding: ruff's own report of it is still replaced
    assert not {"E711", "S506", "B006"} & {f.rule for f in fast.findings}


def test_codemod_problems_the_repository_switched_off_in_ruff_are_not_reported(
    tmp_path: Path,
) -> None:
    repo = make_repo(tmp_path / "r", {
        "app.py": APP,
        "pyproject.toml": "[tool.ruff.lint]\nignore = [\"E711\"]\n",
    })  # fmt: skip
    for fixes in (True, False):
        result = analyse(repo, options=AnalysisOptions(codemod_fixes=fixes))
        rules = {f.rule for f in result.findings}
        assert "HEP102" not in rules and "E711" not in rules
        assert "HEP101" in rules  # the others still are


def test_a_python_file_the_read_skips_has_no_findings_from_ruff(tmp_path: Path) -> None:
    # ruff starts on the listed names before the files are read; a file the read then skips
    # (not UTF-8, too large) must not come back through ruff's report.
    repo = make_repo(tmp_path / "r", {
        "latin.py": "s = '\xe9t\xe9'\nimport os\n".encode("latin-1"),
        "big.py": "import os\n" + "x = 1\n" * 2000,
        "ok.py": "import os\n",
    })  # fmt: skip
    result = analyse(repo, options=AnalysisOptions(max_file_bytes=4096))
    assert {f.path for f in result.findings} == {"ok.py"}
    assert {s.path for s in result.skipped} == {"latin.py", "big.py"}


def test_readme_rule_table_is_the_generated_one() -> None:
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    # Regenerate with: python -m ghbot.engine.analysis.rules --markdown
    assert markdown_table().strip() in readme


def test_python2_except_that_ruff_accepts_is_still_reported(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"old.py": "try:\n    f()\nexcept ValueError, e:\n    pass\n"})
    result = analyse(repo)
    [finding] = [f for f in result.findings if f.source == "syntax"]
    assert (finding.rule, finding.line) == ("syntax/python2-except", 3)
    assert finding.fix is not None and finding.fix.applicability == "safe"
