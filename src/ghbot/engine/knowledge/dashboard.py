"""The dashboard issue's body: what is failing, what recurs, what deployed, what waits for review.

Pure text in, text out. Every section has a line budget and a character budget, so the body
stays under GitHub's 65,536 characters whatever the catalog holds. Nothing time-dependent is
rendered beyond the data itself, so the same data renders the same body and an unchanged
dashboard is never edited.

Checkboxes are commands: `- [ ] re-run failed jobs of run 123 <!-- hephaestus:do ... -->`. The
marker names the action; `requested` finds the boxes a user ticked that were offered unticked
in the previous body.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from ghbot.engine import markers
from ghbot.engine.knowledge.catalog import Catalog, Entry, daily_series, daily_totals
from ghbot.engine.knowledge.deployments import commit_link
from ghbot.engine.render import GITHUB_BODY_LIMIT, escape_inline

FORMAT_VERSION = 1
KIND = "dashboard"
ACTION_KIND = "do"
TITLE = "Hephaestus dashboard"
TREND_DAYS = 14
MAX_OPEN = 20
MAX_RECURRING = 25
MAX_RUNBOOK_OFFERS = 10
MAX_ENVIRONMENTS = 10
MAX_DEPLOYMENTS = 3  # per environment
MAX_PULLS = 10
MAX_RUNBOOKS = 10
MAX_LOG = 10
MAX_LINES_SCANNED = 5000  # of a body a user may have pasted anything into
MAX_LINE = 2000
# Budgets per section, in characters; their sum stays well below GITHUB_BODY_LIMIT.
BUDGET = 8000

_RUN_URL = re.compile(r"https?://[^\s]{1,400}/actions/runs/(\d{1,19})")
_BOX = re.compile(r"- \[([ xX])\] ")
_SPARK = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True, slots=True)
class DeploymentLine:
    environment: str
    when: str  # "YYYY-MM-DD HH:MM"
    state: str
    ref: str
    sha: str
    url: str = ""
    commit_url: str = ""


@dataclass(frozen=True, slots=True)
class PullLine:
    number: int
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class RunbookLine:
    title: str
    path: str
    created: str  # ISO date, sorts newest first
    signatures: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Action:
    """A checkbox command: `rerun` a run id, or `runbook` for a fingerprint."""

    kind: str
    target: str

    def describe(self) -> str:
        if self.kind == "rerun":
            return f"re-run failed jobs of run {self.target}"
        return f"create a runbook for `{self.target}`"


@dataclass(frozen=True, slots=True)
class DashboardData:
    repo: str  # owner/name
    default_branch: str
    catalog: Catalog
    today: date
    deployments: Sequence[DeploymentLine] = ()
    pulls: Sequence[PullLine] = ()
    runbooks: Sequence[RunbookLine] = ()
    log: Sequence[str] = ()  # outcome lines of checkbox commands, newest first
    notes: Sequence[str] = field(default=())  # e.g. "the catalog could not be read: ..."


def run_id_of(url: str) -> str | None:
    match = _RUN_URL.match(url)
    return match.group(1) if match else None


def offered(catalog: Catalog) -> set[Action]:
    """Every action the dashboard may offer for this catalog: a ticked box naming anything else
    is not ours, whoever typed it."""
    actions = set()
    for e in catalog.entries:
        run = run_id_of(e.example_run)
        if run is not None:
            actions.add(Action("rerun", run))
        actions.add(Action("runbook", e.fingerprint))
    return actions


# -- rendering -------------------------------------------------------------------------------


def render(data: DashboardData) -> str:
    runbook_for = {s: r for r in data.runbooks for s in r.signatures}
    sections = [
        [
            markers.render(KIND, version=FORMAT_VERSION),
            f"# {TITLE}",
            "",
            f"Kept up to date by Hephaestus for `{escape_inline(data.repo)}`. Tick a box to run "
            "its command (the same permissions as `/hephaestus` commands apply).",
            *(f"> {escape_inline(n[:300])}" for n in data.notes[:3]),
        ],
        _open_failures(data),
        _recurring(data, runbook_for),
        _deployments(data.deployments),
        _pulls(data.pulls),
        _runbooks(data.runbooks),
        _log(data.log),
    ]
    body = "\n\n".join("\n".join(s) for s in sections if s) + "\n"
    assert len(body) < GITHUB_BODY_LIMIT, "section budgets exceed the issue body limit"
    return body


def _fit(head: list[str], lines: Sequence[str], limit: int, more: int = 0) -> list[str]:
    """`head` plus as many whole `lines` as fit the section budget, and how many did not."""
    out, used = list(head), sum(len(h) + 1 for h in head)
    for i, line in enumerate(lines):
        if used + len(line) + 1 > BUDGET - 100 or i >= limit:
            more += len(lines) - i
            break
        out.append(line)
        used += len(line) + 1
    if more:
        out.append(f"\n… and {more} more")
    return out


def _title(e: Entry) -> str:
    title = e.title if len(e.title) <= 100 else e.title[:99] + "…"
    return escape_inline(title) or f"`{e.fingerprint}`"


def _box(action: Action, text: str) -> str:
    marker = markers.render(ACTION_KIND, action=action.kind, target=action.target)
    return f"- [ ] {text} {marker}"


def _open_failures(data: DashboardData) -> list[str]:
    head = [f"## Open failures on `{escape_inline(data.default_branch)}`", ""]
    entries = [e for e in data.catalog.entries if e.open]
    if not entries:
        return [*head, "None: the latest runs on the default branch passed."]
    lines = []
    for e in entries:
        run = run_id_of(e.example_run)
        about = (
            f"**{_title(e)}** ({escape_inline(e.category)}, seen {e.count}×, last "
            f"{e.last_seen:%Y-%m-%d}{', flaky' if e.flaky else ''})"
        )
        if run is None:
            lines.append(f"- {about}")
        else:
            text = f"re-run failed jobs of [run {run}]({e.example_run}): {about}"
            lines.append(_box(Action("rerun", run), text))
    return _fit(head, lines, MAX_OPEN)


def _sparkline(values: Sequence[int]) -> str:
    top = max(values, default=0)
    if not top:
        return _SPARK[0] * len(values)
    return "".join(_SPARK[min(7, (v * 7 + top - 1) // top)] if v else "·" for v in values)


def _recurring(data: DashboardData, runbook_for: Mapping[str, RunbookLine]) -> list[str]:
    head = ["## Recurring and flaky failures", ""]
    window = [(e, daily_series(e, data.today, TREND_DAYS)) for e in data.catalog.entries]
    recurring = [(e, s) for e, s in window if e.count > 1 or e.flaky]
    if not recurring:
        return [*head, "Nothing has failed more than once yet."]
    recurring.sort(key=lambda es: (sum(es[1]), es[0].flaky, es[0].count), reverse=True)
    totals = daily_totals(data.catalog, data.today, TREND_DAYS)
    flaky = [sum(x) for x in zip(*(s for e, s in window if e.flaky), strict=True)]
    chart = [
        "```mermaid",
        "xychart-beta",
        f'    title "Failures per day, last {TREND_DAYS} days (bars: all, line: flaky)"',
        "    x-axis [" + ", ".join(f'"{d:%m-%d}"' for d, _ in totals) + "]",
        f'    y-axis "failures" 0 --> {max(1, max(n for _, n in totals))}',
        "    bar [" + ", ".join(str(n) for _, n in totals) + "]",
        "    line [" + ", ".join(str(n) for n in (flaky or [0] * TREND_DAYS)) + "]",
        "```",
        "",
        f"| Failure | Count | Last {TREND_DAYS} days | Flaky | Runbook |",
        "| --- | --- | --- | --- | --- |",
    ]
    rows = []
    offers = []
    for e, series in recurring:
        runbook = runbook_for.get(e.fingerprint)
        link = e.runbook or (runbook.path if runbook else "")
        rows.append(
            f"| {_title(e)} <sub>`{e.fingerprint}`</sub> | {e.count} | {_sparkline(series)} | "
            f"{'yes' if e.flaky else ''} | {escape_inline(link)} |"
        )
        if not link:
            offers.append(
                _box(Action("runbook", e.fingerprint),
                     f"create a runbook for `{e.fingerprint}` ({_title(e)})")
            )
    table = _fit([*head, *chart], rows, MAX_RECURRING)
    if offers:
        table += ["", *offers[:MAX_RUNBOOK_OFFERS]]
    return table


def _deployments(deployments: Sequence[DeploymentLine]) -> list[str]:
    head = ["## Recent deployments", ""]
    if not deployments:
        return [*head, "No deployment recorded yet."]
    by_env: dict[str, list[DeploymentLine]] = {}
    for d in deployments:
        by_env.setdefault(d.environment, []).append(d)
    lines = ["| Environment | When (UTC) | Status | Ref | Commit |", "| --- " * 5 + "|"]
    for env in sorted(by_env)[:MAX_ENVIRONMENTS]:
        for d in by_env[env][:MAX_DEPLOYMENTS]:
            status = escape_inline(d.state)
            if d.url:
                status = f"[{status}]({d.url})"
            lines.append(
                f"| {escape_inline(env)} | {escape_inline(d.when)} | {status} | "
                f"{escape_inline(d.ref)} | {commit_link(d.sha, d.commit_url)} |"
            )
    more = max(0, len(by_env) - MAX_ENVIRONMENTS)
    return _fit(head, lines, 1 + MAX_ENVIRONMENTS * MAX_DEPLOYMENTS + 1, more)


def _pulls(pulls: Sequence[PullLine]) -> list[str]:
    head = ["## Pending fix pull requests", ""]
    if not pulls:
        return [*head, "None open."]
    lines = [f"- [#{p.number}]({p.url}) {escape_inline(p.title)}" for p in pulls]
    return _fit(head, lines, MAX_PULLS)


def _runbooks(runbooks: Sequence[RunbookLine]) -> list[str]:
    head = ["## Newest runbooks", ""]
    if not runbooks:
        return [*head, "No runbook yet."]
    newest = sorted(runbooks, key=lambda r: (r.created, r.path), reverse=True)
    lines = [
        f"- {escape_inline(r.title)} (`{escape_inline(r.path)}`, {escape_inline(r.created)})"
        for r in newest
    ]
    return _fit(head, lines, MAX_RUNBOOKS)


def _log(log: Sequence[str]) -> list[str]:
    if not log:
        return []
    return _fit(["## Recent actions", ""], [f"- {line}" for line in log], MAX_LOG)


# -- reading a body back ---------------------------------------------------------------------


def _lines(body: str) -> list[str]:
    return [line[:MAX_LINE] for line in body.splitlines()[:MAX_LINES_SCANNED]]


def boxes(body: str) -> dict[Action, bool]:
    """Every command checkbox in `body` and whether it is ticked."""
    found: dict[Action, bool] = {}
    for line in _lines(body):
        box = _BOX.match(line.strip())
        if box is None:
            continue
        marker = next((m for m in markers.parse_all(line) if m.kind == ACTION_KIND), None)
        if marker is None or marker.get("action") not in ("rerun", "runbook"):
            continue
        action = Action(marker.get("action"), marker.get("target"))
        found[action] = found.get(action, False) or box.group(1) != " "
    return found


def requested(body: str, previous: str) -> list[Action]:
    """Boxes ticked in `body` that were offered unticked in `previous` (the body before the
    edit): a box that was already ticked, or that nobody offered, is not a new request."""
    before = boxes(previous)
    return [a for a, ticked in boxes(body).items() if ticked and before.get(a) is False]


def log_of(body: str) -> list[str]:
    """The outcome lines of the Recent actions section, newest first."""
    out, inside = [], False
    for line in _lines(body):
        if line.startswith("## "):
            inside = line == "## Recent actions"
        elif inside and line.startswith("- "):
            out.append(line[2:].replace("<!--", "&lt;!--"))  # a log line is never a command
    return out[:MAX_LOG]
