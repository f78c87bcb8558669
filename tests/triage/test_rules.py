from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest

from ghbot.engine.triage.engine import Log, Triage
from ghbot.engine.triage.rules import RuleError, load_catalog, load_file, required_literals

GOOD = """
version: 1
rules:
  - id: acme-flaky-db
    title: Acme test database was not ready
    category: flaky
    patterns: ['acme-db: connection pool exhausted']
    multiline:
      - ['^BEGIN acme migration', 'acme migration aborted']
    context: {before: 1, after: 1}
    explanation: The shared test database was still starting.
    fix: Re-run; the fixture now waits for readiness.
    retry: true
"""


def write(tmp_path: Path, text: str, name: str = "acme.yml") -> Path:
    (tmp_path / name).write_text(textwrap.dedent(text))
    return tmp_path


def test_builtin_catalog_loads_and_every_rule_is_documented() -> None:
    catalog = load_catalog()
    assert len(catalog.rules) >= 40
    assert all(rule.explanation and rule.fix for rule in catalog.rules)
    assert "secrets" not in {Path(rule.source).stem for rule in catalog.rules}


def test_repo_rules_match_single_and_multi_line(tmp_path: Path) -> None:
    triage = Triage(load_catalog([write(tmp_path, GOOD)]))
    log = "setup\nrunning\nacme-db: connection pool exhausted\nteardown\n"
    top = triage.run("a", [Log(None, io.BytesIO(log.encode()))]).failures[0]
    assert (top.rule, top.category, top.retry) == ("acme-flaky-db", "flaky", True)
    assert (top.excerpt.start_line, top.excerpt.end_line) == (2, 4)
    multi = "BEGIN acme migration\nstep 1\nstep 2\nacme migration aborted\n"
    top = triage.run("b", [Log(None, io.BytesIO(multi.encode()))]).failures[0]
    assert top.rule == "acme-flaky-db"
    broken = "BEGIN acme migration\nstep 1\nall good\n"  # the sequence never completes
    failures = triage.run("c", [Log(None, io.BytesIO(broken.encode()))]).failures
    assert all(f.rule != "acme-flaky-db" for f in failures)


def test_a_repo_rule_replaces_a_builtin_with_the_same_id(tmp_path: Path) -> None:
    override = GOOD.replace("acme-flaky-db", "disk-full").replace("Acme test", "Our disk")
    catalog = load_catalog([write(tmp_path, override)])
    (rule,) = [rule for rule in catalog.rules if rule.id == "disk-full"]
    assert rule.title.startswith("Our disk")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("category: flaky", "category: oops"), "category 'oops' is not one of"),
        (("id: acme-flaky-db", "id: Bad Id"), "id must match"),
        (("['acme-db: connection pool exhausted']", "['(?<=a)b']"), "invalid RE2 pattern"),
        (("['acme-db: connection pool exhausted']", "['(unclosed']"), "patterns[0]: invalid RE2"),
        (("    retry: true", "    retry: maybe"), "retry must be true or false"),
        (("    retry: true", "    colour: red"), "unknown keys ['colour']"),
        (("context: {before: 1, after: 1}", "context: {before: 500}"), "context.before"),
        (("    explanation: The shared test database was still starting.\n", ""),
         "explanation must be a non-empty string"),
    ],
)
def test_invalid_rules_are_rejected_with_a_clear_message(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    path = write(tmp_path, GOOD.replace(*change)) / "acme.yml"
    with pytest.raises(RuleError) as raised:
        load_file(path)
    assert message in str(raised.value)
    assert str(path) in str(raised.value)


def test_duplicate_ids_and_bad_documents(tmp_path: Path) -> None:
    rules = GOOD.split("rules:\n")[1]
    with pytest.raises(RuleError, match="appears twice"):
        load_file(write(tmp_path, GOOD + rules) / "acme.yml")
    with pytest.raises(RuleError, match="expected a mapping"):
        load_file(write(tmp_path, "- just a list\n", "x.yml") / "x.yml")
    with pytest.raises(RuleError, match="cannot read rules"):
        load_file(write(tmp_path, "rules: [\n", "y.yml") / "y.yml")
    with pytest.raises(RuleError, match="not a directory"):
        load_catalog([tmp_path / "missing"])


def test_literals_feed_the_prefilter() -> None:
    assert required_literals(r"No space left on device") == ["No space left on device"]
    assert required_literals(r"(?i)\bENOSPC\b") == []  # too short: only trigger lines see it
    assert sorted(required_literals(r"(?:pool exhausted|too many clients)")) == [
        "pool exhausted", "too many clients"]
    assert required_literals(r"\w+ \d+") == []


@pytest.mark.timeout(20)
def test_hostile_pattern_and_line_cannot_stall_the_worker(tmp_path: Path) -> None:
    hostile = GOOD.replace(
        "['acme-db: connection pool exhausted']", r"['^(a+)+$', '(x+x+)+y', '(?:a|aa)*c']"
    )
    triage = Triage(load_catalog([write(tmp_path, hostile)]))
    # Catastrophic for a backtracking engine: seconds per line become centuries. RE2 is linear.
    line = "error " + "a" * 100_000 + "\n" + "error " + "x" * 50_000 + "\n"
    report = triage.run("hostile", [Log(None, io.BytesIO(line.encode() * 20))])
    assert report.lines == 40
    assert report.failures


def test_cmake_rule_wants_cmakes_own_shape_not_any_could_not_find(run_log) -> None:
    """A real CMake run says `Could NOT find GTest (missing: ...)` (cmake-find-module.log);
    logback, looking for an optional config file, says `Could NOT find resource [...]`."""
    log = (
        "Running com.example.IntegrationTest\n"
        "22:06:50,023 |-INFO in ch.qos.logback.classic.LoggerContext[default] - Could NOT find "
        "resource [logback.groovy]\n"
        "Tests run: 1, Failures: 0, Errors: 0, Skipped: 0\n"
    )
    assert not any(f.rule == "cmake-package-missing" for f in run_log(log).failures)
