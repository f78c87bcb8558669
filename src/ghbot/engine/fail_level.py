"""The fail level: how severe a finding must be to fail a run. One type for every front door
(the CLI's `--fail-level`, the Action's `fail-level` input, the repository's
`review.fail_level`), so they accept the same words and decide the same way."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from ghbot.engine.models import Finding, Severity


class FailLevel(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"
    NEVER = "never"

    def fails(self, findings: Iterable[Finding]) -> bool:
        """True when some finding is at or above this level, or some file could not be
        analysed, whatever the level: what such a file holds cannot pass unchecked."""
        from ghbot.engine.isolation import NOT_ANALYSED  # not at import: the CLI's parsers use this

        threshold = None if self is FailLevel.NEVER else Severity(self.value).rank
        return any(
            f.rule == NOT_ANALYSED or (threshold is not None and f.severity.rank >= threshold)
            for f in findings
        )
