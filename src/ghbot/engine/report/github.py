"""GitHub Actions workflow commands: `::error file=...,line=...::message`, one per finding.

Escaping follows the runner's rules: in the message `%`, CR and LF are percent-encoded; in
property values `:` and `,` are too, since they delimit properties.
"""

from __future__ import annotations

from collections.abc import Sequence

from ghbot.engine.models import Finding, Severity

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    properties = {
        "file": finding.path,
        "line": str(finding.line),
        "endLine": str(finding.end_line),
        "col": str(finding.column),
        "endColumn": str(finding.end_column),
        "title": f"{finding.rule} ({finding.source})",
    }
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    message = finding.message
    if finding.fix is not None:
        message += f"\nfix ({finding.fix.applicability}): {finding.fix.description}"
    return f"::{_COMMAND[finding.severity]} {rendered}::{escape_data(message)}\n"


def render_github(findings: Sequence[Finding]) -> str:
    return "".join(annotation(finding) for finding in findings)
