"""SARIF 2.1.0 for GitHub code scanning: one run, its rules, results, fingerprints and fixes.

GitHub's limits are kept: at most 25,000 results per run (the most severe kept, the cut said in a
notification) and rules only for the results present. Paths are relative to `%SRCROOT%`, the
checked root, and columns count code points (`columnKind: unicodeCodePoints`), as ruff's do.
Security rules carry `security-severity` so GitHub ranks them critical/high/medium/low.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import quote

from ghbot import __version__
from ghbot.engine.analysis.rules import Rule, describe
from ghbot.engine.files import Skipped
from ghbot.engine.models import Finding, Fix

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
MAX_RESULTS = 25_000
MAX_TAGS = 20
FINGERPRINT_KEY = "hephaestus/v1"


@lru_cache(maxsize=4096)  # thousands of results in a few hundred files
def _uri(path: str) -> str:
    return quote(path, safe="/")


def _region(line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _rule_descriptor(rule: Rule) -> dict[str, object]:
    tags = list(dict.fromkeys((*rule.tags, rule.source)))[:MAX_TAGS]
    properties: dict[str, object] = {"tags": tags}
    if rule.security_severity is not None:
        properties["security-severity"] = f"{rule.security_severity:.1f}"
        if "security" not in tags:
            tags.insert(0, "security")
            del tags[MAX_TAGS:]
    help_text = rule.explanation or rule.summary
    descriptor: dict[str, object] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": rule.severity.value},
        "properties": properties,
    }
    if rule.help_uri:
        descriptor["helpUri"] = rule.help_uri
    return descriptor


def _fix(path: str, fix: Fix) -> dict[str, object]:
    return {
        "description": {"text": f"{fix.description} ({fix.applicability})"},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": _uri(path), "uriBaseId": "%SRCROOT%"},
                "replacements": [
                    {
                        "deletedRegion": _region(e.line, e.column, e.end_line, e.end_column),
                        "insertedContent": {"text": e.content},
                    }
                    for e in fix.edits
                ],
            }
        ],
    }


def _result(finding: Finding, rule_index: int) -> dict[str, object]:
    result: dict[str, object] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": finding.severity.value,
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(finding.path), "uriBaseId": "%SRCROOT%"},
                    "region": _region(
                        finding.line, finding.column, finding.end_line, finding.end_column
                    ),
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    if finding.fix is not None:
        result["fixes"] = [_fix(finding.path, finding.fix)]
    return result


def to_sarif(
    findings: Sequence[Finding], root_uri: str | None = None, skipped: Sequence[Skipped] = ()
) -> dict[str, object]:
    """The SARIF log as a JSON-ready dict. `root_uri` (a file:// URI ending in /) anchors
    `%SRCROOT%`; leave it out for an upload, where GitHub anchors paths at the repository."""
    kept = sorted(findings, key=lambda f: -f.severity.rank)[:MAX_RESULTS]
    kept_ids = {id(f) for f in kept}
    ordered = [f for f in findings if id(f) in kept_ids]  # the caller's order, less the cut
    rules: dict[str, int] = {}
    descriptors: list[dict[str, object]] = []
    results = []
    for finding in ordered:
        if finding.rule not in rules:
            rules[finding.rule] = len(descriptors)
            descriptors.append(
                _rule_descriptor(describe(finding.rule, finding.source, finding.severity))
            )
        results.append(_result(finding, rules[finding.rule]))
    notifications = [
        {"level": "warning", "message": {"text": f"{item.path}: skipped, {item.reason}"}}
        for item in skipped
    ]
    if len(findings) > len(kept):
        cut = len(findings) - len(kept)
        notifications.append({
            "level": "warning",
            "message": {"text": f"{cut} less severe results left out (GitHub's limit is "
                                f"{MAX_RESULTS} per run)"},
        })  # fmt: skip
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "hephaestus",
                "version": __version__,
                "rules": descriptors,
            }
        },
        "invocations": [
            {"executionSuccessful": True, "toolExecutionNotifications": notifications}
        ],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if root_uri is not None:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": root_uri}}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
