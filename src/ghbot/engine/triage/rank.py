"""Order candidates root cause first, and fall back to anomalous lines when nothing is known.

Score buckets of 10 keep a tool's diagnostic above a generic error line, and inside a bucket the
earliest line wins: the first real error of the failing step, not the cascade after it. Lines of
steps that passed are demoted when the log says which steps failed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from ghbot.engine.triage.candidates import Candidate
from ghbot.engine.triage.extractors import EXTRACTORS
from ghbot.engine.triage.normalise import Kind, Line

IN_FAILING_STEP = 20
OUTSIDE_FAILING_STEP = -300  # below anything inside a failing step, whatever its rule
FALLBACK_SCORE = 15
LOCATED = 40  # the generic locator's block: above a generic error line, below a tool's own
UNCLEAR = 20  # no error-like block before the exit: the failing step's last lines
IN_BASELINE = 60  # subtracted when the passing run printed the same line (masked)
FALLBACK_CONTEXT = 3
_INDEPENDENT = frozenset(e.name for e in EXTRACTORS if e.independent)

_STEP_CATEGORY = (
    (re.compile(r"(?i)lint|ruff|flake8|eslint|format|clippy|mypy|style|pre-commit"), "lint"),
    (re.compile(r"(?i)test|pytest|spec|check"), "test"),
    (re.compile(r"(?i)install|deps|dependenc|setup|restore|pip|npm ci|yarn|bundle"), "dependency"),
    (re.compile(r"(?i)build|compile|make|cargo|go build|mvn|gradle|tsc"), "compile"),
    (re.compile(r"(?i)deploy|publish|release|upload|push"), "infra"),
)
_ANOMALOUS = re.compile(
    r"(?i)\b(?:not|no|invalid|missing|unexpected|expected|unknown|refused|denied|cannot|can't"
    r"|unable|wrong|bad|mismatch|illegal|forbidden|unauthori[sz]ed|abort|warn\w*|deprecated"
    r"|exit(?:ed)? (?:code|status)|status \d{3}|killed|terminated|stopped)\b"
)
# On ASCII text (nearly every line) the same words are found, three times faster, case-sensitively
# in the lowercased text.
_ANOMALOUS_LOWER = re.compile(_ANOMALOUS.pattern.removeprefix("(?i)"))
_BORING = re.compile(
    r"(?i)^(?:\s*$|post job cleanup|cleaning up orphan|shell: |env:|\s+[A-Z_]+: |"
    r"\[command\]|##\[|(?:Run|Switched to|Already on|HEAD is now) |git version|"
    r"Temporarily overriding HOME|Adding repository directory|Download action repository)"
)


def step_category(step: str | None) -> str:
    for pattern, category in _STEP_CATEGORY:
        if step and pattern.search(step):
            return category
    return "unknown"


def adjusted(candidate: Candidate, in_failing_step: bool | None) -> int:
    """The candidate's score moved up inside a failing step, down outside (None: not known)."""
    if in_failing_step is None:
        return candidate.score
    if in_failing_step:
        return candidate.score + IN_FAILING_STEP
    return candidate.score + OUTSIDE_FAILING_STEP


def order(scored: Sequence[tuple[int, Candidate]]) -> list[tuple[int, Candidate]]:
    """Best bucket first; inside a bucket, the earliest line (per log) first: the first error
    explains the cascade after it. Failures of a tool's independent units (pre-commit's hooks)
    explain none of each other, so the ones of one bucket take their places nearest the step's
    exit first: the one printed just above the failure line, where a reader of the step lands."""
    ranked = sorted(
        scored, key=lambda pair: (-(pair[0] // 10), pair[1].log or "", pair[1].key_line)
    )
    siblings: dict[tuple[int, str | None, str], list[int]] = defaultdict(list)
    for position, (score, candidate) in enumerate(ranked):
        if candidate.detector in _INDEPENDENT:
            siblings[(score // 10, candidate.log, candidate.detector)].append(position)
    for positions in siblings.values():
        latest_first = sorted((ranked[p] for p in positions), key=lambda pair: -pair[1].key_line)
        for position, pair in zip(positions, latest_first, strict=True):
            ranked[position] = pair
    return ranked


def anomalous_line(window: Sequence[Line]) -> int | None:
    """Index of the most unusual line near the end of `window`, preferring later lines."""
    best, best_score = None, 0.0
    for index, line in enumerate(window):
        text = line.text
        if line.kind in (Kind.STEP, Kind.MARKER) or _BORING.search(text):
            continue
        score = 1.0 + index / max(1, len(window))  # later lines are closer to the failure
        score += 3 * _anomalies(text[:500])
        if ":" in text:
            score += 0.5
        if text[:1].isspace():
            score -= 0.5
        if score > best_score:
            best, best_score = index, score
    return best


def _anomalies(text: str) -> int:
    if text.isascii():
        return len(_ANOMALOUS_LOWER.findall(text.lower()))
    return len(_ANOMALOUS.findall(text))


# How often the top failure's excerpt shows the cause, per kind of evidence: hit@1 on the first
# half of the shared sets' repositories (bench/triage_accuracy/shared.py --half tune), each rate
# pulled towards the overall one by 5 logs' weight, no surer than 0.9 (the sets are small) and no
# weaker evidence surer than stronger (a plain line never above a tool's own diagnostic). A tool's
# diagnostic held the cause 49 times in 54 on the tune half (101 in 104 held out): 0.85, below a
# rule inside one, whose 13 in 23 is 10 jobs of one repository labelled at an earlier error that
# a retry made good.
LOCATED_BLOCK = 0.85  # the error-like block just above the failing step's exit
RULE_ON_TOOL = 0.9  # a known rule matched inside a tool's own diagnostic
RULE_ON_LINE = 0.75  # a known rule matched a line no tool format recognised
TOOL_DIAGNOSTIC = 0.85  # a compiler's, test runner's or linter's own report, or an error line
NOT_THIS = 0.3  # a notice rule or a line that only says that something failed
UNSURE = 0.2  # no clear cause: kept low whatever the excerpt holds, the answer says so
# Below the top, how often the failure at that place (second, third, later) shows the cause.
RUNNER_UP = (0.3, 0.25, 0.1)
OUTSIDE = 0.6  # factor for a failure outside the failing step


def confidence(candidate: Candidate, score: int, fallback: bool, place: int = 0) -> float:
    """The chance that this failure's excerpt shows the cause, the failure being at `place`
    (0: the top) of the ranking."""
    if fallback or (candidate.detector == "locator" and candidate.score <= UNCLEAR):
        # (below the top, no surer than any failure at its place)
        return min(UNSURE, RUNNER_UP[min(place, len(RUNNER_UP)) - 1]) if place else UNSURE
    if candidate.detector == "locator":
        base = LOCATED_BLOCK
    elif candidate.rule is not None:
        if candidate.rule.priority < 0:
            base = NOT_THIS
        elif candidate.detector in ("generic", "annotation"):
            base = RULE_ON_LINE
        else:
            base = RULE_ON_TOOL
    elif candidate.consequence:
        base = NOT_THIS
    else:
        base = TOOL_DIAGNOSTIC
    if place > 0:
        base = min(base, RUNNER_UP[min(place, len(RUNNER_UP)) - 1])
    if score < candidate.score:  # outside the failing step
        base *= OUTSIDE
    return round(base, 2)
