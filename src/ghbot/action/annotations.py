"""Findings as workflow-command annotations, within what the runner keeps."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ghbot.engine.models import Finding, Severity
from ghbot.engine.redact import redact
from ghbot.engine.report.github import annotation

# The runner keeps 10 errors, 10 warnings and 10 notices per step and drops the rest silently.
PER_TYPE = 10


@dataclass(frozen=True, slots=True)
class Annotations:
    commands: str  # workflow commands, one per line
    left_out: int  # findings that did not fit

    def note(self) -> str | None:
        if not self.left_out:
            return None
        return (
            f"{self.left_out} finding{'s are' if self.left_out != 1 else ' is'} not shown as "
            f"annotations: the runner keeps {PER_TYPE} errors, {PER_TYPE} warnings and "
            f"{PER_TYPE} notices per step. The JSON report (output `report`) lists them all."
        )


def capped(findings: Sequence[Finding]) -> Annotations:
    """The most severe findings first, at most PER_TYPE of each severity, in a stable order."""
    per_type: Counter[Severity] = Counter()
    kept = []
    for finding in sorted(findings, key=lambda f: (-f.severity.rank, f.path, f.line)):
        if per_type[finding.severity] < PER_TYPE:
            per_type[finding.severity] += 1
            # Published on the run page: the message is redacted (the path stays a link).
            kept.append(annotation(replace(finding, message=redact(finding.message))))
    return Annotations("".join(kept), len(findings) - len(kept))
