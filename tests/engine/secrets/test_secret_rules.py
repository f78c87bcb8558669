from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ghbot.engine.analysis.secrets import scan_secrets
from ghbot.engine.analysis.secrets_match import is_placeholder, mask, shannon_entropy
from ghbot.engine.analysis.secrets_rules import (
    SecretRulesError,
    builtin_rules_path,
    load_secret_rules,
    parse_secret_rules,
)
from ghbot.engine.models import SourceFile

REPO = Path(__file__).resolve().parents[3]

MINIMAL = """
version: 1
rules:
  - id: demo-token
    description: demo token
    pattern: '(?P<secret>demo_[a-z0-9]{12})'
    keywords: [demo_]
"""


def test_builtin_rules_load_from_the_repository_rules_dir():
    # src/ghbot/rules links to the repo's rules/ (and is package data in a wheel)
    assert builtin_rules_path().resolve() == REPO / "rules" / "secrets.yml"
    rules = load_secret_rules()
    ids = {rule.id for rule in rules.rules}
    assert {"aws-access-key-id", "github-token", "private-key", "jwt", "url-password"} <= ids
    assert all(rule.regex.groupindex.get("secret") for rule in rules.rules)


def test_builtin_rules_load_in_a_fresh_interpreter_from_another_directory(tmp_path):
    code = (
        "from ghbot.engine.analysis.secrets import load_secret_rules; "
        "print(len(load_secret_rules().rules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert int(result.stdout) >= 15


def test_custom_rules_file_is_used(tmp_path):
    path = tmp_path / "rules.yml"
    path.write_text(MINIMAL)
    rules = load_secret_rules(path)
    findings = scan_secrets(SourceFile("a.txt", "x demo_abc123def456 y\n"), rules)
    assert [f.rule for f in findings] == ["secrets/demo-token"]
    assert findings[0].column == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("demo_[a-z0-9]{12})'", "demo_[a-z0-9]{12}'"), "invalid regex"),
        (("(?P<secret>", "("), "group \\(\\?P<secret>"),
        (("keywords: [demo_]", "keywords: [DEMO_]"), "lower-case"),
        (("keywords: [demo_]", "keywords: []"), "keywords"),
        (("id: demo-token", "id: Demo Token"), "rule 'Demo Token'"),
        (("description: demo token", "description: demo token\n    colour: red"), "colour"),
        (("version: 1", "version: 2"), "version"),
        (("keywords: [demo_]", "keywords: [demo_]\n    prefilter: '(a'"), "prefilter is not valid"),
    ],
)
def test_schema_errors_name_the_problem(change, message):
    old, new = change
    with pytest.raises(SecretRulesError, match=message):
        parse_secret_rules(MINIMAL.replace(old, new), "custom.yml")


def test_duplicate_ids_and_broken_yaml_are_rejected(tmp_path):
    doubled = MINIMAL + textwrap.indent(MINIMAL.split("rules:\n")[1], "")
    with pytest.raises(SecretRulesError, match="duplicate rule ids: demo-token"):
        parse_secret_rules(doubled)
    with pytest.raises(SecretRulesError, match="not valid YAML"):
        parse_secret_rules("rules: [\n")
    with pytest.raises(SecretRulesError, match="cannot read"):
        load_secret_rules(tmp_path / "missing.yml")


def test_every_builtin_pattern_is_bounded():
    # An unbounded `*` or `+` lets one match run over a whole log; every repeat is `{m,n}`.
    for rule in load_secret_rules().rules:
        stripped = re.sub(r"\\.", "", rule.regex.pattern)  # escapes
        stripped = re.sub(r"\[(?:[^\]])*\]", "", stripped)  # character classes
        stripped = re.sub(r"\}\+", "}", stripped)  # possessive bounded repeats
        assert not re.search(r"[*+]", stripped), rule.id


def test_entropy_mask_and_placeholder_helpers():
    assert shannon_entropy("") == 0
    assert shannon_entropy("aaaa") == 0
    assert shannon_entropy("abcd") == pytest.approx(2.0)
    assert mask("ghp_" + "a1b2" * 9, 4, show_tail=True) == "ghp_…a1b2"
    assert mask("short", 4, show_tail=True) == "…"
    assert is_placeholder("YOUR_TOKEN_HERE", ())
    assert is_placeholder("abc123def456", ()) is False
    assert is_placeholder("qwerty-example-key", ("example",))


def test_a_rule_prefilter_narrows_candidate_lines_without_losing_a_secret(tmp_path):
    from secret_samples import rand

    rules = load_secret_rules()
    value = rand(24)
    lines = [
        "api_key = request.GET.get('key')",  # a generic name in ordinary code
        "password = forms.CharField(widget=forms.PasswordInput)",
        f'DATABASE_PASSWORD_FOR_TESTS_ONLY   =   "{value}"',  # 40 characters to the operator
        f"\u00a0secret_token:\u00a0\u00a0b'{value}'",
        f"export APP_SECRET_KEY={value}",
        f"postgres://admin:{value}@db.example.net/app",
    ]
    found = scan_secrets(SourceFile("settings.py", "\n".join(lines) + "\n"), rules)
    assert {f.line for f in found} == {3, 4, 5, 6}
    from ghbot.engine.analysis.secrets_match import _candidate_lines

    scan = rules.for_scope("scan")
    candidates = [start for start, *_ in _candidate_lines("\n".join(lines[:2]), scan)]
    assert candidates == []  # ordinary code is not even a candidate line
