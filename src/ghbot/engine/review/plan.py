"""Which findings become inline comments of this run's review, and which earlier ones are fixed.

Every finding gets a key: its fingerprint (rule, path, offending text; no line numbers) plus an
occurrence number when the same text is flagged more than once in a file. Earlier comments carry
their key, so a re-run posts only findings nobody has commented on yet, and marks the comments
whose key no longer appears as fixed. Keys are computed over every finding of the analysed files
(not only the reported ones), so a filter never renumbers them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ghbot.engine.diff import DiffIndex, FilterMode
from ghbot.engine.isolation import NOT_ANALYSED
from ghbot.engine.models import Finding
from ghbot.engine.redact import holds_secret
from ghbot.engine.render import inert
from ghbot.engine.review.suggestions import Suggestion, suggestion_for

MAX_MESSAGE = 1_000


@dataclass(frozen=True, slots=True)
class PriorComment:
    """A review comment the bot posted on an earlier run (found by its hidden marker)."""

    id: int
    key: str
    path: str
    fixed: bool  # already marked as fixed
    replies: int = 0


@dataclass(frozen=True, slots=True)
class PlannedComment:
    key: str
    finding: Finding
    line: int
    start_line: int | None  # set for a multi-line comment (a suggestion over several lines)
    body: str  # markdown, without the hidden marker

    @property
    def path(self) -> str:
        return self.finding.path


@dataclass(frozen=True, slots=True)
class PlanOptions:
    filter_mode: FilterMode = FilterMode.ADDED
    max_comments: int = 30
    suggestions: bool = True


@dataclass(slots=True)
class ReviewPlan:
    reported: list[Finding] = field(default_factory=list)  # pass the filter mode
    comments: list[PlannedComment] = field(default_factory=list)  # new inline comments
    outside_diff: list[Finding] = field(default_factory=list)  # reported, no line to sit on
    overflow: list[Finding] = field(default_factory=list)  # over max_comments
    already_commented: int = 0  # reported findings an earlier comment still covers
    fixed: list[PriorComment] = field(default_factory=list)  # earlier comments now fixed


def keyed(findings: Iterable[Finding]) -> list[tuple[str, Finding]]:
    """(key, finding) in the findings' order; repeats of one fingerprint get `-2`, `-3`, ..."""
    seen: dict[str, int] = {}
    out = []
    for finding in sorted(findings, key=lambda f: (f.path, f.line, f.column, f.rule)):
        fp = finding.fingerprint
        seen[fp] = seen.get(fp, 0) + 1
        out.append((fp if seen[fp] == 1 else f"{fp}-{seen[fp]}", finding))
    return out


def _anchor_line(diff: DiffIndex, finding: Finding) -> int | None:
    """A line of the finding's range a comment can sit on (inside a hunk), preferring the first."""
    last = min(max(finding.line, finding.end_line), finding.line + 200)
    for line in range(finding.line, last + 1):
        if diff.in_diff_context(finding.path, line):
            return line
    return None


WITHHELD = (
    "A fix exists, but it is not shown: the lines it writes hold a secret, which a suggestion "
    "would publish. Remove the secret (and rotate it), then ask again."
)


def comment_body(finding: Finding, suggestion: Suggestion | None, *, withheld: bool = False) -> str:
    message = inert(" ".join(finding.message.split())[:MAX_MESSAGE])
    lines = [f"**{finding.severity.value}** `{finding.rule}`: {message}"]
    if suggestion is not None and finding.fix is not None:
        lines += ["", f"Suggested fix: {finding.fix.description}", "", suggestion.markdown()]
    elif withheld:
        lines += ["", WITHHELD]
    elif finding.fix is not None:
        kind = "safe" if finding.fix.applicability == "safe" else "unsafe, review it first"
        lines += ["", f"A fix exists ({kind}): {finding.fix.description}"]
    return "\n".join(lines)


def _priority(finding: Finding) -> tuple[int, str, int, str]:
    return (-finding.severity.rank, finding.path, finding.line, finding.rule)


def plan_review(
    findings: Sequence[Finding],
    diff: DiffIndex,
    texts: Mapping[str, str],
    prior: Sequence[PriorComment],
    options: PlanOptions,
) -> ReviewPlan:
    """`findings`: every finding in the analysed files (after select/ignore); `texts`: those
    files' contents at the head; `prior`: the bot's earlier comments on this pull request."""
    plan = ReviewPlan()
    open_keys = {c.key for c in prior if not c.fixed}
    reported_keys: set[str] = set()
    candidates: list[PlannedComment] = []
    mode = options.filter_mode
    for key, finding in keyed(findings):
        # A file that could not be analysed is reported wherever its finding sits.
        if finding.rule != NOT_ANALYSED and not diff.should_report(
            finding.path, finding.line, finding.end_line, mode
        ):
            continue
        plan.reported.append(finding)
        reported_keys.add(key)
        if key in open_keys:
            plan.already_commented += 1
            continue
        planned = _place(key, finding, diff, texts.get(finding.path), options)
        if planned is None:
            plan.outside_diff.append(finding)
        else:
            candidates.append(planned)
    # The cap is on the bot's open comments on the PR, not per run: re-runs must not trickle
    # the overflow in, 30 at a time.
    room = max(0, options.max_comments - plan.already_commented)
    candidates.sort(key=lambda c: _priority(c.finding))
    plan.comments = candidates[:room]
    plan.overflow = [c.finding for c in candidates[room:]]
    plan.comments.sort(key=lambda c: (c.path, c.line))
    analysed = set(texts)
    plan.fixed = [
        c for c in prior
        if not c.fixed and c.key not in reported_keys
        and (c.path in analysed or c.path not in diff.files)
    ]  # fmt: skip
    return plan


def plan_with_fixes(
    findings: Sequence[Finding],
    diff: DiffIndex,
    texts: Mapping[str, str],
    prior: Sequence[PriorComment],
    options: PlanOptions,
    attach: Callable[[Sequence[Finding]], list[Finding]],
) -> ReviewPlan:
    """`plan_review` where the fixes that cost time to compute (LibCST's) are computed only for
    the findings that become inline comments, the only place a fix is shown: `attach` gets those
    findings and returns them, in order, with fixes. Then the plan is made again with them; a fix
    changes a comment's anchor and body, never which findings get comments (keys and the cap's
    order ignore fixes, and a finding placed without a fix is placed with one)."""
    plan = plan_review(findings, diff, texts, prior, options)
    shown = [c.finding for c in plan.comments]
    if not shown:
        return plan
    fixed = {id(old): new for old, new in zip(shown, attach(shown), strict=True) if new is not old}
    if not fixed:
        return plan
    findings = [fixed.get(id(f), f) for f in findings]
    return plan_review(findings, diff, texts, prior, options)


def _place(
    key: str, finding: Finding, diff: DiffIndex, text: str | None, options: PlanOptions
) -> PlannedComment | None:
    suggestion = suggestion_for(finding, text) if options.suggestions and text else None
    # Posted masked it would corrupt the code on "Commit suggestion": withheld, with the reason.
    withheld = suggestion is not None and holds_secret(suggestion.replacement)
    if withheld:
        suggestion = None
    if suggestion is not None and diff.in_diff_context(
        finding.path, suggestion.start_line, suggestion.end_line
    ):
        start = suggestion.start_line if suggestion.start_line < suggestion.end_line else None
        return PlannedComment(
            key, finding, suggestion.end_line, start, comment_body(finding, suggestion)
        )
    line = _anchor_line(diff, finding)
    if line is None:
        return None
    return PlannedComment(key, finding, line, None, comment_body(finding, None, withheld=withheld))
