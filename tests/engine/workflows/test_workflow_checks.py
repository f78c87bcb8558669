from __future__ import annotations

import textwrap

import pytest
import yaml

from ghbot.engine.analysis.workflow_paths import is_workflow_path
from ghbot.engine.analysis.workflows import check_workflow
from ghbot.engine.models import Severity, SourceFile, apply_edits

SHA = "b4ffde65f46336ab88eb53be808477a3936bae11"


def check(text: str) -> list:
    return check_workflow(SourceFile(".github/workflows/ci.yml", textwrap.dedent(text)))


def rules(findings) -> list[str]:
    return [f.rule for f in findings]


def located(findings, text: str) -> list[str]:
    """The source text each finding points at (single-line findings)."""
    lines = textwrap.dedent(text).splitlines()
    return [lines[f.line - 1][f.column - 1 : f.end_column - 1] for f in findings]


HARDENED = f"""\
name: ci
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@{SHA} # v4
        with:
          persist-credentials: false
      - uses: ./.github/actions/setup
      - env:
          TITLE: ${{{{ github.event.pull_request.title }}}}
        run: |
          echo "$TITLE"
          echo "${{{{ github.sha }}}} ${{{{ github.event.pull_request.number }}}}"
          echo "${{{{ secrets.GITHUB_TOKEN != '' }}}}"
"""


def test_a_hardened_workflow_has_no_findings():
    assert check(HARDENED) == []


def test_script_injection_in_run_with_exact_position_and_env_fix():
    text = """\
    on: issues
    permissions: {}
    jobs:
      greet:
        runs-on: ubuntu-latest
        steps:
          - name: Say hello
            run: |
              echo "New issue: ${{ github.event.issue.title }}"
              echo ${{ github.event.issue.body }}
    """
    findings = check(text)
    assert rules(findings) == ["workflow/script-injection"] * 2
    assert [f.severity for f in findings] == [Severity.ERROR] * 2
    assert [(f.line, f.column) for f in findings] == [(9, 28), (10, 16)]
    assert located(findings, text) == [
        "${{ github.event.issue.title }}",
        "${{ github.event.issue.body }}",
    ]
    fix = findings[0].fix
    assert fix is not None and fix.applicability == "unsafe"
    assert findings[1].fix is None  # one fix per step covers every expression in it
    fixed = apply_edits(textwrap.dedent(text), fix.edits)
    assert fixed.splitlines()[6:12] == [
        "      - name: Say hello",
        "        env:",
        "          ISSUE_TITLE: ${{ github.event.issue.title }}",
        "          ISSUE_BODY: ${{ github.event.issue.body }}",
        "        run: |",
        '          echo "New issue: ${ISSUE_TITLE}"',
    ]
    assert fixed.splitlines()[12] == '          echo "${ISSUE_BODY}"'
    step = yaml.safe_load(fixed)["jobs"]["greet"]["steps"][0]
    assert step["env"]["ISSUE_TITLE"] == "${{ github.event.issue.title }}"
    assert check(fixed) == []


def test_env_fix_extends_an_existing_env_block():
    text = """\
    on: pull_request_target
    permissions: {}
    jobs:
      label:
        runs-on: ubuntu-latest
        steps:
          - run: git log -1 ${{ github.head_ref }}
            env:
              GH_TOKEN: ${{ github.token }}
    """
    (finding,) = check(text)
    fixed = apply_edits(textwrap.dedent(text), finding.fix.edits)
    step = yaml.safe_load(fixed)["jobs"]["label"]["steps"][0]
    assert step["run"] == 'git log -1 "${HEAD_REF}"'
    assert step["env"] == {"HEAD_REF": "${{ github.head_ref }}", "GH_TOKEN": "${{ github.token }}"}


@pytest.mark.parametrize(
    "run",
    [
        "echo '${{ github.event.comment.body }}'",  # inside single quotes: quoting would change
        '"echo ${{ github.event.comment.body }}"',  # a double-quoted YAML scalar
    ],
)
def test_no_fix_where_it_is_not_clearly_right(run):
    text = f"""\
    on: issue_comment
    permissions: {{}}
    jobs:
      j:
        runs-on: ubuntu-latest
        steps:
          - run: {run}
    """
    (finding,) = check(text)
    assert finding.rule == "workflow/script-injection" and finding.fix is None


def test_no_fix_for_powershell_on_windows():
    text = """\
    on: issues
    permissions: {}
    jobs:
      j:
        runs-on: windows-latest
        steps:
          - run: Write-Output "${{ github.event.issue.title }}"
    """
    (finding,) = check(text)
    assert finding.fix is None


@pytest.mark.parametrize(
    "expression",
    [
        "github.event.pull_request.title",
        "github.event.pull_request.body",
        "github.event.pull_request.head.ref",
        "github.event.pull_request.head.label",
        "github.event.review.body",
        "github.event.review_comment.body",
        "github.event.discussion.title",
        "github.event.head_commit.message",
        "github.event.head_commit.author.email",
        "github.event.commits[0].message",
        "github.event.pages[0].page_name",
        "github.event.workflow_run.head_branch",
        "github.event.workflow_run.head_commit.message",
        "toJSON(github.event.issue.title)",
    ],
)
def test_attacker_controlled_contexts_are_errors(expression):
    text = f"""\
    on: pull_request
    permissions: {{}}
    jobs:
      j:
        runs-on: ubuntu-latest
        steps:
          - run: echo "${{{{ {expression} }}}}"
    """
    (finding,) = check(text)
    assert finding.rule == "workflow/script-injection"
    assert finding.severity is Severity.ERROR


def test_other_event_text_is_a_warning_and_safe_values_pass():
    text = """\
    on: release
    permissions: {}
    jobs:
      j:
        runs-on: ubuntu-latest
        steps:
          - run: echo "${{ github.event.release.name }}"
          - run: echo "${{ github.event.release.id }} ${{ github.event.sender.login }}"
    """
    (finding,) = check(text)
    assert finding.severity is Severity.WARNING
    assert finding.line == 7


def test_github_script_injection():
    text = f"""\
    on: issue_comment
    permissions: {{}}
    jobs:
      j:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/github-script@{SHA}
            with:
              script: |
                const body = `${{{{ github.event.comment.body }}}}`
                console.log(process.env.SAFE)
    """
    (finding,) = check(text)
    assert finding.rule == "workflow/script-injection"
    assert (finding.line, finding.column) == (10, 27)
    assert "process.env" in finding.message


@pytest.mark.parametrize(
    ("trigger", "ref"),
    [
        ("pull_request_target", "${{ github.event.pull_request.head.sha }}"),
        ("pull_request_target", "${{ github.event.pull_request.head.ref }}"),
        ("pull_request_target", "refs/pull/${{ github.event.number }}/merge"),
        ("workflow_run", "${{ github.event.workflow_run.head_sha }}"),
    ],
)
def test_privileged_trigger_checking_out_the_pr_head(trigger, ref):
    text = f"""\
    on:
      {trigger}:
    permissions:
      contents: read
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@{SHA}
            with:
              ref: {ref}
          - run: make
    """
    findings = check(text)
    assert rules(findings) == ["workflow/untrusted-checkout"]
    assert findings[0].line == 11
    assert located(findings, text) == [ref]


def test_the_same_checkout_under_pull_request_is_fine():
    text = f"""\
    on: pull_request
    permissions:
      contents: read
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@{SHA}
            with:
              ref: ${{{{ github.event.pull_request.head.sha }}}}
    """
    assert check(text) == []


def test_privileged_trigger_fetching_the_pr_in_a_script():
    text = """\
    on: [pull_request_target]
    permissions: {}
    jobs:
      j:
        runs-on: ubuntu-latest
        steps:
          - run: |
              gh pr checkout "$PR"
    """
    (finding,) = check(text)
    assert finding.rule == "workflow/untrusted-checkout"
    assert located([finding], text) == ["gh pr checkout"]


def test_unpinned_actions_by_owner():
    text = f"""\
    on: push
    permissions: {{}}
    jobs:
      j:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/setup-python@v5
          - uses: codecov/codecov-action@v4.1.0
          - uses: someone/tool
          - uses: docker://alpine:3.19
          - uses: docker://alpine@sha256:{"a" * 64}
          - uses: octo/pinned@{SHA}
      call:
        uses: octo/workflows/.github/workflows/release.yml@main
    """
    findings = check(text)
    assert [(f.line, f.severity) for f in findings] == [
        (7, Severity.NOTE),
        (8, Severity.WARNING),
        (9, Severity.ERROR),
        (10, Severity.WARNING),
        (14, Severity.WARNING),
    ]
    assert set(rules(findings)) == {"workflow/unpinned-action"}
    assert located(findings, text)[1] == "codecov/codecov-action@v4.1.0"


def test_permissions_write_all_and_contents_write_under_pull_request_target():
    text = f"""\
    on: pull_request_target
    permissions: write-all
    jobs:
      j:
        runs-on: ubuntu-latest
        permissions:
          contents: write
          pull-requests: write
        steps:
          - uses: actions/labeler@{SHA}
    """
    findings = check(text)
    assert [(f.rule, f.severity, f.line) for f in findings] == [
        ("workflow/excessive-permissions", Severity.ERROR, 2),
        ("workflow/excessive-permissions", Severity.ERROR, 7),
    ]
    assert located(findings[:1], text) == ["write-all"]


def test_contents_write_is_fine_on_push():
    text = """\
    on: push
    permissions:
      contents: write
    jobs:
      j:
        runs-on: ubuntu-latest
        steps:
          - run: echo ok
    """
    assert check(text) == []


def test_missing_top_level_permissions_names_the_unscoped_jobs():
    text = """\
    on: push
    jobs:
      scoped:
        runs-on: ubuntu-latest
        permissions:
          contents: read
        steps: [{run: echo}]
      release:
        runs-on: ubuntu-latest
        steps: [{run: echo}]
    """
    (finding,) = check(text)
    assert finding.rule == "workflow/excessive-permissions"
    assert finding.severity is Severity.WARNING
    assert "release" in finding.message and "scoped" not in finding.message
    assert finding.line == 2


def test_inline_ignore_on_the_line():
    text = """\
    on: push
    permissions: {}
    jobs:
      j:
        runs-on: ubuntu-latest
        steps:
          - uses: codecov/codecov-action@v4  # hephaestus: ignore[workflow/unpinned-action]
          - uses: other/action@v1  # hephaestus: ignore[workflow/script-injection]
    """
    assert [f.line for f in check(text)] == [8]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("on: push\njobs:\n  a: [\n", 4, "expected"),
        ("on: push\njobs:\n\tbuild: {}\n", 3, "tab"),
        ("- just\n- a list\n", 1, "top level must be a mapping"),
        ("on: push\r\njobs: {a: 1\n", 3, "expected"),
        ("\x07bell", 1, "special characters"),
    ],
)
def test_bad_yaml_is_one_clear_finding(text, line, words):
    (finding,) = check_workflow(SourceFile(".github/workflows/x.yml", text))
    assert finding.rule == "workflow/invalid-yaml"
    assert finding.severity is Severity.ERROR
    assert finding.line == line
    assert words in finding.message


def test_hostile_nesting_is_a_finding_not_a_crash():
    text = "on: push\njobs: " + "[" * 5000 + "]" * 5000 + "\n"
    (finding,) = check_workflow(SourceFile(".github/workflows/x.yml", text))
    assert finding.rule == "workflow/invalid-yaml" and "nested" in finding.message


def test_empty_file_and_odd_shapes_do_not_crash():
    assert check_workflow(SourceFile(".github/workflows/x.yml", "")) == []
    odd = "on: 3\njobs:\n  a: 1\n  b:\n    steps: 5\n  c:\n    steps: [1, [2], {run: [x]}]\n"
    assert rules(check_workflow(SourceFile(".github/workflows/x.yml", odd))) == [
        "workflow/excessive-permissions"
    ]


def test_workflow_paths():
    assert is_workflow_path(".github/workflows/ci.yml")
    assert is_workflow_path("sub/.github/workflows/release.yaml")
    assert not is_workflow_path(".github/dependabot.yml")
    assert not is_workflow_path(".github/workflows/nested/x.yml")
    assert not is_workflow_path("x.github/workflows/ci.yml")  # another directory's name
    assert not is_workflow_path(".github/workflows/.yml")  # no name before the suffix
    assert not is_workflow_path(".github/workflows/ci.yml.bak")
    assert not is_workflow_path("myaction.yml") and is_workflow_path("deploy/action.yaml")
