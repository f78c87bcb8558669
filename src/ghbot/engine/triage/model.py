"""Types of a triage report; `to_dict` is the stable JSON schema documented in README."""

from __future__ import annotations

from dataclasses import dataclass, field

CATEGORIES: tuple[str, ...] = (
    "compile", "lint", "test", "dependency", "infra", "network", "resource", "config",
    "security", "flaky",
)
REPORT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Excerpt:
    """Lines start_line..end_line (1-based, inclusive) of the raw input, cleaned and redacted."""

    start_line: int
    end_line: int
    text: str

    def to_dict(self) -> dict[str, object]:
        return {"start_line": self.start_line, "end_line": self.end_line, "text": self.text}


@dataclass(frozen=True, slots=True)
class Failure:
    category: str
    title: str
    rule: str | None  # id of the matched known-failure rule
    detector: str  # the extractor (pytest, gcc, ...) or "rule" or "fallback" that found it
    fingerprint: str
    confidence: float
    step: str | None
    log: str | None  # member of a run-logs zip, None for a plain log
    excerpt: Excerpt
    count: int  # occurrences of the same template in this log
    explanation: str
    fix: str
    docs: str | None = None
    retry: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "category": self.category,
            "title": self.title,
            "rule": self.rule,
            "detector": self.detector,
            "fingerprint": self.fingerprint,
            "confidence": self.confidence,
            "step": self.step,
            "log": self.log,
            "excerpt": self.excerpt.to_dict(),
            "count": self.count,
            "explanation": self.explanation,
            "fix": self.fix,
            "docs": self.docs,
            "retry": self.retry,
        }


@dataclass(frozen=True, slots=True)
class TriageReport:
    source: str
    failures: tuple[Failure, ...]
    lines: int
    bytes: int
    failing_steps: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        return {
            "version": REPORT_VERSION,
            "source": self.source,
            "lines": self.lines,
            "bytes": self.bytes,
            "failing_steps": list(self.failing_steps),
            "failures": [failure.to_dict() for failure in self.failures],
        }
