from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from ghbot.cli import main as cli_main
from ghbot.github.repo_config import (
    CONFIG_PATH,
    MAX_CONFIG_BYTES,
    RepoConfig,
    parse_config,
)

VALID = """\
review:
  filter_mode: diff_context
  max_comments: 5
analysis:
  exclude: ["third_party/**"]
  secrets: {allowlist: ["EXAMPLE_[A-Z]+"]}
fixes: {mode: push}
commands:
  permissions: {fix: maintain}
knowledge: {runbooks_dir: docs/ops/runbooks}
"""


def test_missing_or_empty_file_gives_the_defaults():
    for text in ("", "# only a comment\n", "---\n"):
        result = parse_config(text)
        assert result.ok and result.config == RepoConfig()
    config = RepoConfig()
    assert config.review.filter_mode == "added" and config.review.max_comments == 30
    assert config.fixes.mode == "suggest" and config.analysis.exclude == ["vendor/**"]
    assert config.commands.permissions == {
        "fix": "write",
        "retest": "write",
        "rollback": "maintain",
    }
    assert config.knowledge.records_branch == "hephaestus/records"


def test_valid_file_overrides_only_what_it_names():
    result = parse_config(VALID)
    assert result.ok, result.errors
    c = result.config
    assert (c.review.filter_mode, c.review.max_comments, c.review.fail_level) == (
        "diff_context",
        5,
        "error",
    )
    assert c.analysis.exclude == ["third_party/**"]
    assert c.analysis.secrets.allowlist == ["EXAMPLE_[A-Z]+"]
    assert c.fixes.mode == "push"
    assert c.commands.permissions["fix"] == "maintain"
    assert c.commands.permissions["rollback"] == "maintain"  # merged over the defaults
    assert c.knowledge.runbooks_dir == "docs/ops/runbooks"


def test_malformed_yaml_reports_the_line_and_uses_defaults():
    result = parse_config("review:\n  max_comments: 3\n  filter_mode: [added\nfixes: {}\n")
    assert not result.ok and result.config == RepoConfig()
    (error,) = result.errors
    assert error.path == CONFIG_PATH and error.line in (3, 4)
    assert "invalid YAML" in error.message
    assert str(error).startswith(f"{CONFIG_PATH}:{error.line}: ")


def test_wrong_types_name_the_key_and_its_line():
    result = parse_config(
        "review:\n  draft_prs: true\n  max_comments: lots\nfixes:\n  mode: yolo\n"
    )
    assert result.config == RepoConfig()
    by_line = {e.line: e.message for e in result.errors}
    assert "review.max_comments" in by_line[3]
    assert "fixes.mode" in by_line[5] and "suggest" in by_line[5]


def test_unknown_keys_are_reported_with_a_suggestion():
    result = parse_config("reviews:\n  max_comments: 3\nfixes:\n  moed: off\n")
    messages = {e.line: e.message for e in result.errors}
    assert "unknown key 'reviews'" in messages[1] and "did you mean 'review'" in messages[1]
    assert "unknown key 'fixes.moed'" in messages[4] and "'mode'" in messages[4]


def test_top_level_must_be_a_mapping_and_paths_stay_inside_the_repo():
    assert "mapping" in parse_config("- a\n- b\n").errors[0].message
    result = parse_config("knowledge: {runbooks_dir: ../../etc}\n")
    assert not result.ok and "relative path" in result.errors[0].message


def test_huge_file_is_refused_before_parsing():
    result = parse_config("# " + "x" * MAX_CONFIG_BYTES + "\n")
    assert not result.ok and "cap" in result.errors[0].message


def test_yaml_alias_bomb_is_refused():
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        bomb.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    result = parse_config("\n".join(bomb) + "\n")
    assert not result.ok and "alias" in result.errors[0].message


def test_deep_nesting_and_non_utf8_are_errors_not_crashes():
    assert not parse_config("[" * 5000 + "]" * 5000).ok
    assert not parse_config("a: " + "{b: " * 40 + "1" + "}" * 40).ok
    assert "UTF-8" in parse_config(b"review: \xff\xfe\n").errors[0].message
    assert not parse_config("!!python/object:os.system {}\n").ok  # safe loader only


def test_schema_command_prints_a_schema_that_accepts_valid_and_rejects_typos(capsys):
    assert cli_main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate(yaml.safe_load(VALID))
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"reviews": {}})
    assert cli_main(["schema", "--no-such-flag"]) == 2
