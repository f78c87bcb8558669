"""Security checks for GitHub Actions workflows and composite actions' `action.yml`:
`check_workflow(file) -> list[Finding]`. A composite action's steps run in its callers' jobs
with their tokens and secrets, so they get the same step rules as a workflow's.

Hand-written over YAML nodes (no network, no subprocess, a few ms per file) rather than zizmor,
whose online audits and Rust binary add little for these four rules. Rules (`workflow/<id>`):

- `script-injection`: `${{ }}` in `run:` or in `actions/github-script`'s `script:` expanding
  text an outsider controls (issue/PR/comment/review/discussion titles and bodies, branch names,
  commit messages and authors, page names). error; other `github.event.*` values that are not
  known to be safe (numbers, ids, shas, logins...) are a warning. Fix: move to `env:` (unsafe).
- `untrusted-checkout`: a `pull_request_target` or `workflow_run` workflow that checks out or
  fetches the pull request's head, which then runs with secrets and a write token. error.
- `unpinned-action`: `uses:` not pinned to a 40-hex commit sha (tags and branches can be moved).
  warning for third parties; note for GitHub's own `actions/*` and `github/*`, which are
  maintained by the platform but can still be re-tagged; `./local` actions are exempt.
- `excessive-permissions`: `write-all` (error); `contents: write` under `pull_request_target` or
  `workflow_run` (error); no top-level `permissions:` while some job sets none either, so the
  repository's default token permissions (possibly read/write) apply (warning).
- `invalid-yaml`: the file is not YAML or not a workflow (action) mapping (error), reported
  where the parser stopped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from ghbot.engine.analysis.secrets_ignore import LineIndex, ignored_on_line
from ghbot.engine.analysis.workflow_paths import is_action_path
from ghbot.engine.analysis.workflows_fix import Expression, env_fix
from ghbot.engine.analysis.workflows_yaml import (
    MappingNode,
    Node,
    ScalarNode,
    Span,
    compose,
    entry,
    mapping_items,
    scalar,
    sequence_items,
    value,
)
from ghbot.engine.models import Finding, Fix, Severity, SourceFile

MAX_EXPRESSION = 2000  # characters between an expression's `${{` and `}}`
_ANY_INDEX = r"(?:\[[^\]]{0,40}\]|\.\*)?"
_ATTACKER_CONTROLLED = re.compile(
    r"\bgithub\.(?:head_ref\b|event\.(?:"
    r"(?:issue|pull_request|discussion)\.(?:title|body)"
    r"|(?:comment|review|review_comment)\.body"
    r"|pull_request\.head\.(?:ref|label|repo\.default_branch)"
    r"|(?:head_commit|workflow_run\.head_commit)\.(?:message|author\.(?:email|name))"
    rf"|commits{_ANY_INDEX}\.(?:message|author\.(?:email|name))"
    rf"|pages{_ANY_INDEX}\.page_name"
    r"|workflow_run\.(?:head_branch|display_title|head_repository\.description)"
    rf"|workflow_run\.pull_requests{_ANY_INDEX}\.head\.ref"
    r"))"
)
_EVENT_VALUE = re.compile(r"\bgithub\.event(?:\.[\w\-\[\]*]{1,100}){1,12}")
# Values outsiders cannot shape into shell code: numbers, ids, shas, flags, logins, repo names.
_SAFE_EVENT_SUFFIX = re.compile(
    r"\.(?:number|id|node_id|sha|head_sha|base_sha|merge_commit_sha|before|after|action|merged|"
    r"draft|state|created_at|updated_at|closed_at|login|full_name|html_url|url|ref|run_id|"
    r"run_number|run_attempt|conclusion|status|private|fork|default_branch|"
    r"(?:repository|repo)\.name|label\.name|ref_type|forced|deleted|size|type|zen|hook_id)$"
)
_PR_HEAD_REF = re.compile(
    r"github\.event\.pull_request\.head\.(?:sha|ref)|github\.head_ref|refs/pull/|"
    r"github\.event\.(?:pull_request\.)?number|github\.event\.pull_request\.merge_commit_sha|"
    r"github\.event\.workflow_run\.head_(?:sha|branch)|"
    r"github\.event\.pull_request\.head\.repo\.full_name|"
    r"github\.event\.workflow_run\.head_repository\.full_name"
)
_FETCH_PR_IN_SHELL = re.compile(
    r"\bgh[ \t]{1,10}pr[ \t]{1,10}checkout\b|\bgit[ \t]{1,10}fetch\b[^\n]{0,200}\bpull/"
)
_PRIVILEGED_TRIGGERS = {"pull_request_target", "workflow_run"}
_FIRST_PARTY_OWNERS = {"actions", "github"}
_SHA = re.compile(r"[0-9a-f]{40}")


def check_workflow(file: SourceFile) -> list[Finding]:
    """Security findings for one workflow file; bad YAML becomes a finding, never an error."""
    checker = _Checker(file)
    findings = checker.run()
    index = checker.index
    kept = [f for f in findings if not ignored_on_line(index.line_text(f.line), f.rule)]
    return sorted(kept, key=lambda f: (f.line, f.column, f.rule))


class _Checker:
    def __init__(self, file: SourceFile) -> None:
        self.file = file
        self.text = file.text
        self.index = LineIndex(file.text)
        self.findings: list[Finding] = []

    def run(self) -> list[Finding]:
        try:
            root = compose(self.text)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problem = " ".join(filter(None, [error.context, error.problem])) or "invalid YAML"
            if "'\\t'" in problem:
                problem += " (indent YAML with spaces: a tab cannot start a token)"
            self._add(
                "invalid-yaml",
                Severity.ERROR,
                f"workflow is not valid YAML: {problem}",
                Span(line, column, line, column + 1),
            )
            return self.findings
        except RecursionError:  # PyYAML composes nested collections recursively
            self._add(
                "invalid-yaml",
                Severity.ERROR,
                "workflow is nested too deeply to read",
                Span(1, 1, 1, 1),
            )
            return self.findings
        except yaml.YAMLError as error:  # reader errors (control characters) carry no mark
            self._add(
                "invalid-yaml",
                Severity.ERROR,
                f"workflow is not valid YAML: {error}",
                Span(1, 1, 1, 1),
            )
            return self.findings
        if root is None:
            return self.findings
        action = is_action_path(self.file.path)
        if not isinstance(root, MappingNode):
            self._add(
                "invalid-yaml",
                Severity.ERROR,
                "not an action: the top level must be a mapping with `runs:`"
                if action
                else "not a workflow: the top level must be a mapping with `on:` and `jobs:`",
                Span.of(root),
            )
            return self.findings
        if action:
            self._check_action(value(root, "runs"))
            return self.findings
        triggers = _triggers(value(root, "on"))
        privileged = triggers & _PRIVILEGED_TRIGGERS
        self._check_permissions(root, privileged)
        for _job_key, job in mapping_items(value(root, "jobs")):
            self._check_uses(value(job, "uses"))
            shell = _default_shell(job) or _default_shell(root)
            windows = "windows" in (scalar(job, "runs-on") or "").lower()
            for step in sequence_items(value(job, "steps")):
                self._check_step(step, privileged, scalar(step, "shell") or shell, windows)
        return self.findings

    def _check_action(self, runs: Node | None) -> None:
        # An action runs under its caller's triggers, unknown here: no privileged-trigger rules.
        image = value(runs, "image")
        if isinstance(image, ScalarNode) and image.value.strip().startswith("docker://"):
            self._check_uses(image)
        for step in sequence_items(value(runs, "steps")):
            self._check_step(step, set(), scalar(step, "shell"), False)

    # --- permissions -------------------------------------------------------------------------

    def _check_permissions(self, root: Node, privileged: set[str]) -> None:
        top = entry(root, "permissions")
        jobs = entry(root, "jobs")
        self._check_permission_block(top, privileged)
        unscoped = []
        for job_key, job in mapping_items(jobs[1] if jobs else None):
            job_permissions = entry(job, "permissions")
            self._check_permission_block(job_permissions, privileged)
            if job_permissions is None and value(job, "uses") is None:
                unscoped.append(job_key.value)
        if top is None and jobs is not None and unscoped:
            names = ", ".join(unscoped[:5]) + (" ..." if len(unscoped) > 5 else "")
            self._add(
                "excessive-permissions",
                Severity.WARNING,
                f"no top-level `permissions:` and job(s) {names} set none, so the repository's "
                "default GITHUB_TOKEN permissions apply (read/write on older settings); add "
                "`permissions: {contents: read}` at the top and grant more per job",
                Span.of(jobs[0]),
                snippet=f"permissions missing: {names}",
            )

    def _check_permission_block(
        self, found: tuple[ScalarNode, Node] | None, privileged: set[str]
    ) -> None:
        if found is None:
            return
        key, node = found
        if isinstance(node, ScalarNode) and node.value == "write-all":
            self._add(
                "excessive-permissions",
                Severity.ERROR,
                "`permissions: write-all` gives every job write access to everything; "
                "grant only the scopes each job needs",
                Span.of(node),
            )
            return
        contents = entry(node, "contents")
        if privileged and contents and getattr(contents[1], "value", None) == "write":
            trigger = " and ".join(sorted(privileged))
            self._add(
                "excessive-permissions",
                Severity.ERROR,
                f"`contents: write` in a workflow triggered by {trigger}: code from a "
                "fork's pull request can reach a token that pushes to this repository",
                Span(*_span_of_pair(contents)),
            )

    # --- steps -------------------------------------------------------------------------------

    def _check_step(
        self, step: Node, privileged: set[str], shell: str | None, windows: bool
    ) -> None:
        uses_node = value(step, "uses")
        uses = self._check_uses(uses_node)
        with_node = value(step, "with")
        run = entry(step, "run")
        if run is not None and isinstance(run[1], ScalarNode):
            expressions = list(self._injections(run[1], "run:"))
            if expressions:
                fix_shell = shell if shell is not None or not windows else "pwsh"
                fix = env_fix(
                    self.text,
                    self.index,
                    step,
                    run[0],
                    run[1],
                    [expression for expression, _ in expressions],
                    fix_shell,
                )
                self._report_injections(expressions, fix)
            if privileged:
                self._check_shell_checkout(run[1], privileged)
        if uses and uses.split("@")[0].lower() == "actions/github-script":
            script = value(with_node, "script")
            if isinstance(script, ScalarNode):
                self._report_injections(list(self._injections(script, "script:")), None)
        if privileged and uses and uses.split("@")[0].lower() == "actions/checkout":
            for key in ("ref", "repository"):
                ref = value(with_node, key)
                if isinstance(ref, ScalarNode) and _PR_HEAD_REF.search(ref.value):
                    trigger = " and ".join(sorted(privileged))
                    self._add(
                        "untrusted-checkout",
                        Severity.ERROR,
                        f"checks out the pull request's code in a workflow triggered by {trigger}"
                        ", where it runs with secrets and a write token; build it in a "
                        "`pull_request` workflow instead and pass results as an artifact",
                        Span.of(ref),
                        snippet=ref.value,
                    )

    def _check_shell_checkout(self, node: ScalarNode, privileged: set[str]) -> None:
        start, end = node.start_mark.index, node.end_mark.index
        for match in _FETCH_PR_IN_SHELL.finditer(self.text, start, end):
            trigger = " and ".join(sorted(privileged))
            self._add(
                "untrusted-checkout",
                Severity.ERROR,
                f"fetches the pull request's code in a workflow triggered by {trigger}, "
                "where it runs with secrets and a write token",
                self._span(match.start(), match.end()),
                snippet=match.group(),
            )

    def _injections(self, node: ScalarNode, where: str) -> Iterator[tuple[Expression, Severity]]:
        # Search the source between the node's marks, so positions are exact even inside block
        # scalars; an expression is written verbatim there.
        for start, end in _expressions(self.text, node.start_mark.index, node.end_mark.index):
            inner = self.text[start + 3 : end - 2]
            expression = Expression(start, end, self.text[start:end], inner)
            if _ATTACKER_CONTROLLED.search(inner):
                yield expression, Severity.ERROR
            elif any(
                not _SAFE_EVENT_SUFFIX.search(m.group()) for m in _EVENT_VALUE.finditer(inner)
            ):
                yield expression, Severity.WARNING

    def _report_injections(
        self, found: list[tuple[Expression, Severity]], fix: Fix | None
    ) -> None:
        for number, (expression, severity) in enumerate(found):
            certainty = "text anyone can write" if severity is Severity.ERROR else "event data"
            self._add(
                "script-injection",
                severity,
                f"`{expression.text.strip()}` expands {certainty} straight into the script, where "
                'it can run as code; pass it through `env:` and use the variable (`"$NAME"`, '
                "or `process.env.NAME` in github-script)",
                self._span(expression.start, expression.end),
                fix=fix if number == 0 else None,
                snippet=expression.text,
            )

    def _check_uses(self, node: Node | None) -> str | None:
        if not isinstance(node, ScalarNode):
            return None
        uses: str = node.value.strip()  # a scalar node's value is its text
        if uses.startswith("./") or not uses:
            return uses
        if uses.startswith("docker://"):
            if "@sha256:" not in uses:
                self._add(
                    "unpinned-action",
                    Severity.WARNING,
                    f"`{uses}` names a Docker tag, which can be moved; pin its digest "
                    "(`image@sha256:...`)",
                    Span.of(node),
                    snippet=uses,
                )
            return uses
        name, at, ref = uses.partition("@")
        owner = name.split("/")[0].lower()
        if not at:
            self._add(
                "unpinned-action",
                Severity.ERROR,
                f"`{uses}` has no version; pin a full commit sha",
                Span.of(node),
                snippet=uses,
            )
        elif not _SHA.fullmatch(ref):
            first_party = owner in _FIRST_PARTY_OWNERS
            self._add(
                "unpinned-action",
                Severity.NOTE if first_party else Severity.WARNING,
                f"`{uses}` is pinned to `{ref}`, which its owner can move to other code; pin the "
                f"full 40-character commit sha (`{name}@<sha> # {ref}`)",
                Span.of(node),
                snippet=uses,
            )
        return uses

    # --- helpers -----------------------------------------------------------------------------

    def _span(self, start: int, end: int) -> Span:
        return Span(*self.index.position(start), *self.index.position(end))

    def _add(
        self,
        rule: str,
        severity: Severity,
        message: str,
        span: Span,
        *,
        fix: Fix | None = None,
        snippet: str = "",
    ) -> None:
        self.findings.append(
            Finding(
                rule=f"workflow/{rule}",
                severity=severity,
                message=message,
                path=self.file.path,
                line=span.line,
                column=span.column,
                end_line=span.end_line,
                end_column=span.end_column,
                source="workflows",
                fix=fix,
                snippet=snippet,
            )
        )


def _expressions(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Where each `${{ ... }}` in text[start:end] starts and ends: it closes at the first `}}`
    after it, at most MAX_EXPRESSION characters on. The `}}` found is kept for the next `${{`
    while it still lies ahead of it, so the text is read once (a pattern searched 2,000
    characters ahead of every `${{` again: 7 s for 180 KB of them)."""
    close = -1
    opening = text.find("${{", start, end)
    while opening != -1:
        if close < opening + 3:
            close = text.find("}}", opening + 3, end)
            if close == -1:
                return
        if close - (opening + 3) <= MAX_EXPRESSION:
            yield opening, close + 2
            opening = text.find("${{", close + 2, end)
        else:
            opening = text.find("${{", opening + 1, end)


def _triggers(node: Node | None) -> set[str]:
    if isinstance(node, ScalarNode):
        return {node.value}
    if isinstance(node, MappingNode):
        return {key.value for key, _ in mapping_items(node)}
    return {item.value for item in sequence_items(node) if isinstance(item, ScalarNode)}


def _default_shell(node: Node | None) -> str | None:
    return scalar(value(value(node, "defaults"), "run"), "shell")


def _span_of_pair(pair: tuple[ScalarNode, Node]) -> tuple[int, int, int, int]:
    key, node = pair
    return (
        key.start_mark.line + 1,
        key.start_mark.column + 1,
        node.end_mark.line + 1,
        node.end_mark.column + 1,
    )
