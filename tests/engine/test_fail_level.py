import ast
from pathlib import Path

import pytest

import ghbot
from ghbot.action.inputs import ActionInputs
from ghbot.cli.check import build_parser
from ghbot.engine.fail_level import FailLevel
from ghbot.engine.isolation import not_analysed
from ghbot.engine.models import Finding, Severity
from ghbot.github.repo_config import parse_config


def _finding(severity: Severity) -> Finding:
    return Finding("F401", severity, "m", "a.py", 1, 1, 1, 2, "ruff")


@pytest.mark.parametrize(
    ("level", "severity", "fails"),
    [
        ("error", Severity.WARNING, False),
        ("error", Severity.ERROR, True),
        ("warning", Severity.WARNING, True),
        ("warning", Severity.NOTE, False),
        ("note", Severity.NOTE, True),
        ("never", Severity.ERROR, False),
    ],
)
def test_threshold(level: str, severity: Severity, fails: bool) -> None:
    assert FailLevel(level).fails([_finding(severity)]) is fails


def test_a_file_not_analysed_fails_at_every_level() -> None:
    assert all(level.fails([not_analysed("a.py", "crashed")]) for level in FailLevel)


def test_every_front_door_takes_the_same_words() -> None:
    words = [level.value for level in FailLevel]
    for word in words:
        assert build_parser().parse_args(["--fail-level", word]).fail_level is FailLevel(word)
        assert ActionInputs(fail_level=word).fail_level is FailLevel(word)
        config = parse_config(f"review:\n  fail_level: {word}\n")
        assert config.ok and config.config.review.fail_level is FailLevel(word)


def test_the_action_does_not_import_the_cli() -> None:
    action = Path(ghbot.__file__).parent / "action"
    for module in action.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n == "ghbot.cli" or n.startswith("ghbot.cli.") for n in names), module
