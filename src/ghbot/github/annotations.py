"""Engine findings as check-run annotations."""

from __future__ import annotations

from ghbot.engine.models import Finding, Severity
from ghbot.github.models import Annotation, AnnotationLevel

_LEVELS: dict[Severity, AnnotationLevel] = {
    Severity.ERROR: "failure",
    Severity.WARNING: "warning",
    Severity.NOTE: "notice",
}


def annotation_for(finding: Finding) -> Annotation:
    # Check annotations count columns inclusively; the engine's end column is exclusive.
    return Annotation(
        path=finding.path,
        start_line=finding.line,
        end_line=max(finding.line, finding.end_line),
        level=_LEVELS[finding.severity],
        message=finding.message,
        title=finding.rule,
        start_column=finding.column,
        end_column=max(finding.column, finding.end_column - 1),
    )
