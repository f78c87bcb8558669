"""`hephaestus runbook lint` and the lint engine: each defect is caught, with its line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ghbot.cli import main as cli
from ghbot.engine.knowledge.lint import lint_dir

CORPUS = Path(__file__).parent / "data" / "runbooks"
GOOD = (CORPUS / "pytest-module-not-found.md").read_text()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "docs" / "runbooks").mkdir(parents=True)
    (tmp_path / "docs" / "runbooks" / "pytest-module-not-found.md").write_text(GOOD)
    (tmp_path / "docs" / "guide.md").write_text("# guide\n")
    return tmp_path


def _write(repo: Path, name: str, text: str) -> None:
    (repo / "docs" / "runbooks" / name).write_text(text)


def _messages(repo: Path) -> list[str]:
    return [str(p) for p in lint_dir(repo, "docs/runbooks").problems]


def test_clean_directory_has_no_problems(repo):
    report = lint_dir(repo, "docs/runbooks")
    assert (report.checked, report.problems) == (1, ())


def test_corpus_has_no_errors():
    report = lint_dir(CORPUS.parent, "runbooks")
    assert report.errors == 0
    assert report.checked >= 30


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda t: t.replace("## Rollback\n", "## Roll back\n"),
         "error: required section '## Rollback' is missing"),
        (lambda t: t.replace("Revert the commit that introduced the import if the dependency "
                             "cannot be added.", "<!-- later -->"),
         ":33: error: section '## Rollback' is empty"),
        (lambda t: t + "\n## Solution\nagain\n", ":39: error: section 'Solution' appears twice"),
        (lambda t: t.replace("format: 1", "format: 9"), ":2: error: 'format': unsupported"),
        (lambda t: t.replace("## Prevention\n", "## Prevention\nSee [the guide](../guide.md), "
                             "[missing](./nope.md#x), [web](https://example.com), "
                             "[anchor](#solution), `[code](not-a-link.md)`.\n"),
         ":37: error: link './nope.md#x' does not resolve"),
        (lambda t: t.replace("## Prevention\n", "## Prevention\n[up](../../../etc/passwd)\n"),
         "error: link '../../../etc/passwd' points outside the repository"),
        (lambda t: t.replace("## Prevention\n", "## Prevention\n[ref]: /docs/missing.md\n"),
         "error: link '/docs/missing.md' does not resolve"),
    ],
)
def test_each_defect_is_caught(repo, edit, expected):
    _write(repo, "pytest-module-not-found.md", edit(GOOD))
    messages = _messages(repo)
    assert any(expected in m for m in messages), messages
    assert len(messages) == 1


def test_links_inside_fences_and_root_links_are_handled(repo):
    text = GOOD.replace("## Prevention\n", "## Prevention\n[guide](/docs/guide.md)\n"
                        "```\n[x](missing.md)\n```\n")
    _write(repo, "pytest-module-not-found.md", text)
    assert _messages(repo) == []


def test_duplicate_ids_and_signatures_and_file_names(repo):
    _write(repo, "copy.md", GOOD)
    messages = _messages(repo)
    # Files are read in name order: the second one holding an id is the one in error.
    assert any("pytest-module-not-found.md:3: error: id 'pytest-module-not-found' is also "
               "used by docs/runbooks/copy.md" in m for m in messages), messages
    assert any("copy.md:3: warning: id 'pytest-module-not-found' differs from the file name"
               in m for m in messages)
    assert any("found.md:5: warning: signature t1-e0e5bfb0415521d6 is also claimed" in m
               for m in messages)


def test_readme_and_templates_are_not_runbooks(repo):
    _write(repo, "README.md", "# Runbooks index\n")
    _write(repo, "_template.md", "---\n")
    assert lint_dir(repo, "docs/runbooks").checked == 1
    assert _messages(repo) == []


# -- the CLI ------------------------------------------------------------------------------------


def test_cli_lint_exit_codes_and_formats(repo, capsys, monkeypatch):
    monkeypatch.chdir(repo / "docs")  # the root is found by its .git
    assert cli(["runbook", "lint"]) == 0
    assert "1 runbook checked: 0 errors, 0 warnings" in capsys.readouterr().out

    _write(repo, "bad.md", GOOD.replace("id: \"pytest-module-not-found\"", "id: \"bad\"")
           .replace("## Solution\n", "## Fix\n"))
    assert cli(["runbook", "lint", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["errors"] == 1
    assert report["problems"][0]["message"] == "required section '## Solution' is missing"

    (repo / "docs" / "runbooks" / "bad.md").unlink()
    _write(repo, "other-name.md", GOOD.replace("t1-e0e5bfb0415521d6", "t1-1111111111111111")
           .replace('id: "pytest-module-not-found"', 'id: "other"'))
    assert cli(["runbook", "lint"]) == 0  # warnings only
    assert cli(["runbook", "lint", "--strict"]) == 1


def test_cli_reads_the_directory_from_the_repo_config(repo, capsys):
    shutil.move(repo / "docs" / "runbooks", repo / "kb")
    (repo / ".github").mkdir()
    (repo / ".github" / "hephaestus.yml").write_text("knowledge: {runbooks_dir: kb}\n")
    assert cli(["runbook", "search", "--root", str(repo), "ModuleNotFoundError"]) == 0
    assert "kb/pytest-module-not-found.md" in capsys.readouterr().out
    (repo / ".github" / "hephaestus.yml").write_text("knowledge: {runbook_dir: kb}\n")
    assert cli(["runbook", "search", "--root", str(repo), "x"]) == 2  # default dir is missing
    err = capsys.readouterr().err
    assert "did you mean 'runbooks_dir'" in err
    assert "no runbooks directory 'docs/runbooks'" in err


def test_cli_search_formats_and_exit_codes(capsys):
    root = ["--root", str(CORPUS.parent), "--dir", "runbooks"]
    assert cli(["runbook", "search", *root, "--format", "json", "--limit", "2",
                "exit", "code", "137"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 2
    assert hits[0]["id"] == "runner-oom-exit-137"
    assert hits[0]["path"] == "runbooks/runner-oom-exit-137.md"
    assert set(hits[0]) >= {"title", "score", "similarity", "signature_match", "used"}

    assert cli(["runbook", "search", *root, "--signature", "t1-9473ed4e04eb1121", "npm"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(" 1. Gradle build fails with java.lang.OutOfMemoryError")
    assert "(signature match)" in out

    assert cli(["runbook", "search", *root, "qqqqzzzz"]) == 1
    assert capsys.readouterr().out == "no matching runbook\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["runbook"],
        ["runbook", "search"],
        ["runbook", "frobnicate"],
        ["runbook", "search", "--limit", "0", "x"],
        ["runbook", "lint", "--format", "xml"],
        ["runbook", "lint", "--root", "/nonexistent/dir"],
    ],
)
def test_cli_usage_errors_exit_2_without_traceback(argv, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs" / "runbooks").mkdir(parents=True)
    assert cli(argv) == 2
    err = capsys.readouterr().err
    assert "hephaestus runbook" in err
    assert "Traceback" not in err
