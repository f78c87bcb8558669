"""Secret detection in source files: `scan_secrets(file)` and, for many, `scan_secrets_many`.

Rules come from `rules/secrets.yml` (see `secrets_rules` for the schema). A finding's message
and snippet never contain the secret: the message shows a masked form (`ghp_…Xa9f`) and the
snippet, which feeds the fingerprint, is a hash of the secret.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from ghbot.engine.analysis.secrets_ignore import LineIndex, ignored_on_line
from ghbot.engine.analysis.secrets_match import (
    Candidates,
    find_secrets,
    mask,
    texts_with_candidates,
)
from ghbot.engine.analysis.secrets_rules import (
    Allowlist,
    SecretRules,
    SecretRulesError,
    load_secret_rules,
)
from ghbot.engine.models import Finding, Severity, SourceFile

__all__ = [
    "SecretRules", "SecretRulesError", "Allowlist", "load_secret_rules", "scan_secrets",
    "scan_secrets_many",
]  # fmt: skip


def scan_secrets(
    file: SourceFile,
    rules: SecretRules | None = None,
    allowlist: Allowlist | Sequence[str] = (),
) -> list[Finding]:
    """Secrets committed in `file`. `allowlist` adds to the rules' own allowlist; strings are
    repo-config entries (`path:GLOB`, `value:TEXT`, or a regex searched in the secret)."""
    rules = rules if rules is not None else load_secret_rules()
    allow = _allowlist(rules, allowlist)
    if allow.allows_path(file.path):
        return []
    return _findings(file, rules, allow)


def scan_secrets_many(
    files: Sequence[SourceFile],
    rules: SecretRules | None = None,
    allowlist: Allowlist | Sequence[str] = (),
) -> list[Finding]:
    """`scan_secrets` over many files, in their order; the files that cannot hold a secret
    (no line a rule's prefilter accepts) are ruled out together, in one search."""
    rules = rules if rules is not None else load_secret_rules()
    allow = _allowlist(rules, allowlist)
    scanned = [file for file in files if not allow.allows_path(file.path)]
    found = texts_with_candidates([file.text for file in scanned], rules.for_scope("scan"))
    return [f for lines in found for f in _findings(scanned[lines.index], rules, allow, lines)]


def _allowlist(rules: SecretRules, extra: Allowlist | Sequence[str]) -> Allowlist:
    added = extra if isinstance(extra, Allowlist) else Allowlist.from_entries(extra)
    return rules.allowlist.merged(added)


def _findings(
    file: SourceFile, rules: SecretRules, allow: Allowlist, candidates: Candidates | None = None
) -> list[Finding]:
    scan = rules.for_scope("scan")
    matches = find_secrets(file.text, scan, rules.placeholder_words, allow, candidates)
    if not matches:
        return []
    index = LineIndex(file.text)
    findings: list[Finding] = []
    for match in matches:
        rule = match.rule
        line, column = index.position(match.start)
        if ignored_on_line(index.line_text(line), rule.rule_id):
            continue
        end_line, end_column = index.position(match.end)
        shown = mask(match.secret, rule.keep_prefix, show_tail=rule.block_end is None)
        if rule.severity is Severity.ERROR:
            message = (
                f"{rule.description} ({shown}) is committed here: revoke it, then load it from "
                "a secret store or an environment variable"
            )
        else:
            message = (
                f"possible hard-coded secret ({shown}): {rule.description}; load it from a "
                "secret store or an environment variable, or mark it `hephaestus: ignore`"
            )
        findings.append(
            Finding(
                rule=rule.rule_id,
                severity=rule.severity,
                message=message,
                path=file.path,
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
                source="secrets",
                snippet="sha256:" + hashlib.sha256(match.secret.encode()).hexdigest(),
            )
        )
    return findings
