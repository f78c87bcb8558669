"""Who the codemods are, without LibCST: id, name, how safe their fix is, and the ruff rules that
detect the same problem. `check` reads this alone (importing LibCST costs half a second, more
than ruff takes on a large tree); the codemod classes take their identity from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ghbot.engine.models import Applicability, Finding, Severity

SOURCE = "codemod"  # Finding.source of every codemod finding; also a --select name


@dataclass(frozen=True, slots=True)
class CodemodInfo:
    id: str
    name: str
    applicability: Applicability
    # Ruff rules finding the same problem: a codemod finding replaces theirs on the same lines,
    # and they serve as probes so LibCST parses only files where ruff saw the problem.
    ruff_rules: tuple[str, ...]
    severity: Severity = Severity.WARNING
    # (ruff rule, text its message must hold): where the codemod's problem is narrower than the
    # rule's, the hits outside it stay ruff's findings and cost no LibCST parse.
    narrowed: tuple[tuple[str, str], ...] = ()
    # Set for a codemod whose ruff rule is preview-only: a separate ruff run with preview on,
    # over just the files holding this text, detects it (the repository's own rules must not
    # change behaviour under preview).
    preview_trigger: str = ""

    def detects(self, hit: Finding) -> bool:
        """True when ruff's `hit` (one of `ruff_rules`) may be this codemod's problem."""
        return all(hit.rule != rule or text in hit.message for rule, text in self.narrowed)


CATALOG: dict[str, CodemodInfo] = {
    info.id: info
    for info in (
        CodemodInfo("HEP101", "yaml-unsafe-load", "safe", ("S506",)),
        CodemodInfo("HEP102", "none-comparison", "safe", ("E711",)),
        CodemodInfo("HEP103", "mutable-default-argument", "unsafe", ("B006",)),
        CodemodInfo("HEP104", "bare-except", "unsafe", ("E722",)),
        # PLW1514 also flags Path.read_text() and friends: the codemod fixes calls of open().
        CodemodInfo(
            "HEP105",
            "open-without-encoding",
            "unsafe",
            ("PLW1514",),
            narrowed=(("PLW1514", "`open` in text mode"),),
            preview_trigger="open(",
        ),
        CodemodInfo("HEP106", "request-without-timeout", "unsafe", ("S113",)),
        # ruff says "seems safe" for a literal command, the only kind the codemod rewrites.
        CodemodInfo(
            "HEP107",
            "subprocess-shell-constant",
            "safe",
            ("S602", "S604"),
            narrowed=(("S602", "seems safe"),),
        ),
        CodemodInfo("HEP108", "tempfile-mktemp", "unsafe", ("S306",)),
        CodemodInfo("HEP109", "datetime-utcnow", "unsafe", ("DTZ003", "DTZ004")),
    )
}

# ruff rule -> the codemod that owns its problem
BY_RUFF_RULE: dict[str, CodemodInfo] = {
    rule: info for info in CATALOG.values() for rule in info.ruff_rules
}
# The stable rules among them: added to the main ruff run, so detection costs no second pass.
STABLE_PROBES: tuple[str, ...] = tuple(
    sorted(rule for rule, info in BY_RUFF_RULE.items() if not info.preview_trigger)
)
PREVIEW_PROBES: tuple[CodemodInfo, ...] = tuple(i for i in CATALOG.values() if i.preview_trigger)


def safe_fix_expected(finding: Finding) -> bool:
    """True when `finding` has a safe fix, or is a codemod finding whose fix was not computed
    (ruff's detection alone) and whose codemod's fixes are safe. What the check run's "Apply
    fixes" button goes by, so no LibCST runs for findings nobody sees; the fix run computes the
    edits and says so if a site turns out to need a human."""
    if finding.fix is not None:
        return finding.fix.applicability == "safe"
    info = CATALOG.get(finding.rule)
    return finding.source == SOURCE and info is not None and info.applicability == "safe"
