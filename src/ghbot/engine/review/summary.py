"""The markdown around a review: the check run's title and summary, the review's body, and the
conclusion the fail level gives."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ghbot.engine.fail_level import FailLevel
from ghbot.engine.isolation import NOT_ANALYSED
from ghbot.engine.models import Finding, Severity
from ghbot.engine.render import escape_inline, plural
from ghbot.engine.review.plan import ReviewPlan

MAX_ROWS = 100  # table rows per list; the rest are counted


def fails(findings: Sequence[Finding], fail_level: FailLevel | str) -> bool:
    """The check run's conclusion: see FailLevel.fails."""
    return FailLevel(fail_level).fails(findings)


def title(findings: Sequence[Finding]) -> str:
    if not findings:
        return "No problems found"
    counts = Counter(f.severity for f in findings)
    parts = [plural(counts[s], s.value) for s in Severity if counts[s]]
    return ", ".join(parts)


def table(findings: Sequence[Finding], limit: int = MAX_ROWS) -> list[str]:
    rows = ["| File | Line | Rule | Problem |", "| --- | --- | --- | --- |"]
    rows += [
        f"| `{escape_inline(f.path)}` | {f.line} | `{f.rule}` | {escape_inline(f.message)} |"
        for f in findings[:limit]
    ]
    if len(findings) > limit:
        rows.append(f"| … | | | {len(findings) - limit} more |")
    return rows


def check_summary(
    plan: ReviewPlan,
    *,
    files: int,
    skipped: Sequence[str] = (),
    notices: Sequence[str] = (),
    fixable: int = 0,
) -> str:
    lines = [
        f"Analysed {plural(files, 'changed file')}: {plural(len(plan.reported), 'finding')}"
        f" reported, {plural(len(plan.comments), 'new inline comment')}"
        f" ({plan.already_commented} already commented earlier)."
    ]
    if fixable:
        lines.append(f"{plural(fixable, 'finding')} can be fixed automatically.")
    lost = [f for f in plan.reported if f.rule == NOT_ANALYSED]
    if lost:
        lines += ["", f"**{plural(len(lost), 'file')} could not be analysed**, so this check "
                  "fails: what such a file holds was not checked. Simplify the file (e.g. less "
                  "deeply nested code), or ask a maintainer to review it by hand.", ""]
        lines += [f"- `{escape_inline(f.path)}`: {escape_inline(f.message)}"
                  for f in lost[:MAX_ROWS]]  # fmt: skip
    if plan.outside_diff:
        lines += ["", "### Outside the diff", "", "These cannot carry an inline comment:", ""]
        lines += table(plan.outside_diff)
    if plan.overflow:
        lines += ["", f"### Over the comment cap ({len(plan.overflow)})", ""]
        lines += table(plan.overflow)
    if skipped:
        lines += ["", "Not analysed:"] + [f"- {escape_inline(s)}" for s in skipped[:MAX_ROWS]]
    if notices:
        lines += ["", "Notes:"] + [f"- {escape_inline(n)}" for n in notices[:MAX_ROWS]]
    return "\n".join(lines)


def review_body(plan: ReviewPlan, head_sha: str) -> str:
    lines = [f"Hephaestus reviewed {head_sha[:12]}: {plural(len(plan.reported), 'finding')}."]
    if plan.comments:
        lines.append(f"{plural(len(plan.comments), 'inline comment')} below.")
    if plan.overflow:
        lines += [
            "",
            f"{plural(len(plan.overflow), 'more finding')} over the cap of inline comments "
            "(`review.max_comments`):",
            "",
        ]
        lines += table(plan.overflow, limit=50)
    if plan.outside_diff:
        lines += ["", f"{plural(len(plan.outside_diff), 'finding')} outside the diff: "
                  "listed in the Hephaestus check run."]  # fmt: skip
    return "\n".join(lines)


def unplaced_section(comments: Sequence[tuple[Finding, str]]) -> str:
    """Comments GitHub would not anchor, folded into the review body."""
    lines = ["", "These could not be placed on the diff:", ""]
    lines += table([f for f, _ in comments], limit=50)
    return "\n".join(lines)
