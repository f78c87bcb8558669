"""Who the codemods are, without LibCST: id, name, how safe their fix is, and the ruff rules that
detect the same problem. `check` reads this alone (importing LibCST costs half a second, more
than ruff takes on a large tree); the codemod classes take their identity from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ghbot.engine.models import Applicability, Severity

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


CATALOG: dict[str, CodemodInfo] = {
    info.id: info
    for info in (
        CodemodInfo("HEP101", "yaml-unsafe-load", "safe", ("S506",)),
        CodemodInfo("HEP102", "none-comparison", "safe", ("E711",)),
        CodemodInfo("HEP103", "mutable-default-argument", "unsafe", ("B006",)),
        CodemodInfo("HEP104", "bare-except", "unsafe", ("E722",)),
        # PLW1514 is a preview rule: the probe run enables preview, the main run does not.
        CodemodInfo("HEP105", "open-without-encoding", "unsafe", ("PLW1514",)),
        CodemodInfo("HEP106", "request-without-timeout", "unsafe", ("S113",)),
        CodemodInfo("HEP107", "subprocess-shell-constant", "safe", ("S602", "S604")),
        CodemodInfo("HEP108", "tempfile-mktemp", "unsafe", ("S306",)),
        CodemodInfo("HEP109", "datetime-utcnow", "unsafe", ("DTZ003", "DTZ004")),
    )
}

# ruff rule -> the codemod that owns its problem
BY_RUFF_RULE: dict[str, CodemodInfo] = {
    rule: info for info in CATALOG.values() for rule in info.ruff_rules
}
