"""Deployment history: one markdown file per environment and month, newest first.

Format (version 1), `deployments/<env>/<YYYY-MM>.md` (the month the deployment was created):

- a marker line `<!-- hephaestus:deployments version=1 environment=NAME month=YYYY-MM -->`,
  a title and a short note;
- one table, newest deployment first:
  | When (UTC) | Status | Ref | Commit | Actor | Duration | Link | Notes | Id |
  `When` is the deployment's creation time `YYYY-MM-DD HH:MM:SS`; `Status` GitHub's state
  (`created` until a status arrives); `Commit` the short sha linked to the commit (the full sha
  is in the link; only a row written without the repository's URL has it in backticks);
  `Duration` from creation to a final status (`1h 2m 3s`); `Notes` say what a rollback
  restored, and on a failure how to roll back; `Id` is `DEPLOYMENT/STATUS`, the key of the row:
  a redelivered status changes nothing and a later status of the same deployment updates its
  row in place;
- `## Unreadable rows`, when any: table lines the bot could not read back, kept verbatim.

Rows past MAX_ROWS in one month drop the oldest, counted in the marker (`dropped=N`): files stay
bounded even for an environment that deploys every few minutes.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from ghbot.engine import markers
from ghbot.engine.render import escape_inline

FORMAT_VERSION = 1
ROOT = "deployments"
MAX_ROWS = 1000
MAX_UNREADABLE = 100
MAX_LINE = 4000
MAX_TEXT = 120  # ref, actor, description in a cell
FINAL_STATES = frozenset({"success", "failure", "error"})
FAILED_STATES = frozenset({"failure", "error"})
ROLLBACK_TRAILER = "Hephaestus-Rollback"

_KIND = "deployments"
_TIME = "%Y-%m-%d %H:%M:%S"
_COLUMNS = ("When (UTC)", "Status", "Ref", "Commit", "Actor", "Duration", "Link", "Notes", "Id")
_SAFE_ENV = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_STATE = re.compile(r"[a-z_]{1,20}")
_SHA = re.compile(r"[0-9a-f]{40}")
_SHORT_SHA = re.compile(r"[0-9a-f]{7,40}")
_URL = re.compile(r"https?://[^\s|<>()\\`\[\]]{1,500}")
_LINK = re.compile(r"\[([a-z]{1,12})\]\((https?://[^\s|<>()\\`\[\]]{1,500})\)")
_COMMIT_LINK = re.compile(r"\[([0-9a-f]{7,40})\]\((https?://[^\s|<>()\\`\[\]]{1,500})\)")
_DURATION = re.compile(r"(?:(\d{1,6})h)? ?(?:(\d{1,2})m)? ?(?:(\d{1,2})s)?")
_ID = re.compile(r"(\d{1,19})/(\d{1,19})")
_UNESCAPE = re.compile(r"\\([\\`*_\[\]|#])")
_ROLLBACK_OF = re.compile(r"rollback to `?([0-9a-f]{7,40})`?")
_TRAILER = re.compile(rf"^{ROLLBACK_TRAILER}: *([0-9a-f]{{40}})\s*$", re.MULTILINE)


class HistoryFormatError(ValueError):
    """The file was written by a newer format version: rewriting it could lose what it holds."""


@dataclass(frozen=True, slots=True)
class Deployment:
    """One row: a deployment and the latest of its statuses seen so far."""

    deployment_id: int
    status_id: int  # 0 until a status arrives
    environment: str
    created_at: datetime  # UTC
    state: str  # created, queued, pending, in_progress, success, failure, error, inactive
    ref: str
    sha: str
    actor: str
    duration: timedelta | None = None  # creation to a final status
    link: str = ""  # the status's log or environment URL
    commit_url: str = ""  # where the commit is shown; "" renders the full sha
    rollback_to: str = ""  # the sha whose tree this deployment restored, when it is a rollback
    description: str = ""
    notes: str = ""  # rendered from the above by `record`; read back as is

    @property
    def succeeded(self) -> bool:
        return self.state == "success"

    @property
    def key(self) -> str:
        return f"{self.deployment_id}/{self.status_id}"


@dataclass(frozen=True, slots=True)
class History:
    """One environment's file for one month."""

    environment: str
    month: str  # YYYY-MM
    entries: tuple[Deployment, ...] = ()
    unreadable: tuple[str, ...] = ()
    dropped: int = 0


# -- where ---------------------------------------------------------------------------------


def environment_dir(environment: str) -> str:
    """`deployments/<slug>`: the name itself when it is already a safe file name, else a slug
    plus a short hash so "Prod EU" and "prod-eu" never share a file."""
    name = environment.strip()
    if _SAFE_ENV.fullmatch(name):
        return f"{ROOT}/{name}"
    slug = re.sub(r"[^a-z0-9._-]+", "-", name.lower()[:64]).strip("-.") or "env"
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{ROOT}/{slug[:48]}-{digest}"


def month_of(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m")


def history_path(environment: str, created_at: datetime) -> str:
    return f"{environment_dir(environment)}/{month_of(created_at)}.md"


def is_month_file(name: str) -> bool:
    return re.fullmatch(r"\d{4}-\d{2}\.md", name) is not None


# -- cells ---------------------------------------------------------------------------------


def _clean(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cell(text: str) -> str:
    return escape_inline(text)


def _uncell(cell: str) -> str:
    return html.unescape(_UNESCAPE.sub(r"\1", cell.strip()))


def _split_row(line: str) -> list[str] | None:
    """The cells of `| a | b |`, honouring `\\|` escapes; None when it is not a table row."""
    line = line.strip()
    if not (line.startswith("|") and line.endswith("|")) or len(line) < 2:
        return None
    cells, current, i = [], [], 1
    while i < len(line) - 1:
        char = line[i]
        if char == "\\" and i + 1 < len(line) - 1:
            current.append(line[i : i + 2])
            i += 2
            continue
        if char == "|":
            cells.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    cells.append("".join(current))
    return [c.strip() for c in cells]


def format_duration(value: timedelta | None) -> str:
    if value is None:
        return ""
    total = max(0, int(value.total_seconds()))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes}m {seconds}s"
    return f"{minutes}m {seconds}s" if minutes else f"{seconds}s"


def _parse_duration(cell: str) -> timedelta | None:
    match = _DURATION.fullmatch(cell.strip()) if cell.strip() else None
    if match is None or not any(match.groups()):
        return None
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def safe_url(url: str) -> str:
    """`url` when it is a plain http(s) URL that cannot break a table or a link, else ""."""
    return url if _URL.fullmatch(url or "") else ""


def commit_url(repo_url: str, sha: str) -> str:
    """The commit's page under the repository's (`https://github.com/o/r`); "" without it."""
    return f"{repo_url.rstrip('/')}/commit/{sha}" if safe_url(repo_url) else ""


def commit_link(sha: str, url: str) -> str:
    """How every deployment row shows its commit: the short sha linked to the commit."""
    short = escape_inline(sha[:7])
    return f"[{short}]({url})" if safe_url(url) else f"`{short}`"


def _commit_cell(entry: Deployment) -> str:
    # The file keeps the full sha: in the link, else (no URL known) in the cell itself.
    return commit_link(entry.sha, entry.commit_url) if entry.commit_url else f"`{entry.sha}`"


def _link_cell(entry: Deployment) -> str:
    return f"[log]({entry.link})" if safe_url(entry.link) else ""


def _row(entry: Deployment) -> str:
    cells = [
        entry.created_at.astimezone(UTC).strftime(_TIME),
        entry.state,
        _cell(entry.ref),
        _commit_cell(entry),
        _cell(entry.actor),
        format_duration(entry.duration),
        _link_cell(entry),
        _cell(entry.notes),
        entry.key,
    ]
    return "| " + " | ".join(cells) + " |"


def _parse_row(cells: list[str], environment: str) -> Deployment | None:
    if len(cells) != len(_COLUMNS):
        return None
    when, state, ref, commit, actor, duration, link, notes, key = cells
    ids = _ID.fullmatch(key)
    shas = _SHA.findall(commit) or _SHORT_SHA.findall(commit)
    if ids is None or not shas or not _STATE.fullmatch(state):
        return None
    try:
        created = datetime.strptime(when, _TIME).replace(tzinfo=UTC)
    except ValueError:
        return None
    commit_url = _COMMIT_LINK.fullmatch(commit)  # a short sha, digits too, is the label
    link_match = _LINK.fullmatch(link)
    notes_text = _uncell(notes)
    rollback = _ROLLBACK_OF.search(notes_text)
    return Deployment(
        deployment_id=int(ids.group(1)),
        status_id=int(ids.group(2)),
        environment=environment,
        created_at=created,
        state=state,
        ref=_uncell(ref),
        sha=shas[-1],
        actor=_uncell(actor),
        duration=_parse_duration(duration),
        link=link_match.group(2) if link_match else "",
        commit_url=commit_url.group(2) if commit_url else "",
        rollback_to=rollback.group(1) if rollback else "",
        notes=notes_text,
    )


# -- the file ------------------------------------------------------------------------------


def parse(text: str, environment: str = "", month: str = "") -> History:
    """Read a history file back. Lines of the table that do not parse are kept in
    `unreadable`; a file from a newer format version raises HistoryFormatError."""
    marker = markers.parse(text, _KIND, sealed=False)
    dropped = 0
    if marker is not None:
        version = marker.get("version", "1")
        if not version.isdigit() or int(version) > FORMAT_VERSION:
            raise HistoryFormatError(
                f"deployment history format {version!r} is newer than this Hephaestus "
                f"understands ({FORMAT_VERSION}); upgrade before writing to it"
            )
        environment = marker.get("environment") or environment
        month = marker.get("month") or month
        dropped = int(marker.get("dropped", "0")) if marker.get("dropped").isdigit() else 0
    entries: list[Deployment] = []
    unreadable: list[str] = []
    in_table = in_unreadable = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("## "):
            in_unreadable, in_table = stripped == "## Unreadable rows", False
            continue
        if in_unreadable:
            if line.startswith("    ") and len(unreadable) < MAX_UNREADABLE:
                unreadable.append(line[4 : 4 + MAX_LINE])
            continue
        cells = _split_row(line[:MAX_LINE]) if stripped.startswith("|") else None
        if cells is None:
            in_table = False
            continue
        if cells and cells[0] == _COLUMNS[0]:
            in_table = True
            continue
        if not in_table or all(set(c) <= set("-: ") for c in cells):
            continue
        entry = _parse_row(cells, environment) if len(line) <= MAX_LINE else None
        if entry is None:
            unreadable.append(line[:MAX_LINE])
        else:
            entries.append(entry)
    entries.sort(key=_order, reverse=True)
    return History(environment, month, tuple(entries), tuple(unreadable), dropped)


def _order(entry: Deployment) -> tuple[datetime, int]:
    return entry.created_at, entry.deployment_id


def render(history: History) -> str:
    marker = markers.render(
        _KIND,
        sealed=False,  # a records file: git guards who writes it, and the Action shares it
        version=FORMAT_VERSION,
        environment=history.environment,
        month=history.month,
        **({"dropped": history.dropped} if history.dropped else {}),
    )
    lines = [
        marker,
        f"# Deployments to {escape_inline(history.environment)}, {history.month}",
        "",
        "Newest first; written by Hephaestus from GitHub deployment events (format "
        f"{FORMAT_VERSION}). Commit changes only to the Notes column.",
        "",
        "| " + " | ".join(_COLUMNS) + " |",
        "|" + "---|" * len(_COLUMNS),
        *(_row(e) for e in history.entries),
    ]
    if history.dropped:
        lines += ["", f"{history.dropped} older deployments of this month were dropped."]
    if history.unreadable:
        lines += ["", "## Unreadable rows", "", "Kept as they were; fix or delete them.", ""]
        lines += [f"    {u}" for u in history.unreadable[:MAX_UNREADABLE]]
    return "\n".join(lines) + "\n"


# -- recording -----------------------------------------------------------------------------


def rollback_trailer(sha: str) -> str:
    """The line a rollback commit carries so its deployment is recorded as a rollback."""
    return f"{ROLLBACK_TRAILER}: {sha}"


def rollback_target(commit_message: str) -> str:
    """The sha a commit rolled back to (from its trailer, also inside a squash message)."""
    match = _TRAILER.search(commit_message[:20_000])
    return match.group(1) if match else ""


def last_success(
    entries: Iterable[Deployment], *, before: Deployment | None = None
) -> Deployment | None:
    """The newest successful deployment (older than `before` when given)."""
    for entry in sorted(entries, key=_order, reverse=True):
        if before is not None and _order(entry) >= _order(before):
            continue
        if entry.succeeded:
            return entry
    return None


def _notes(entry: Deployment, others: Sequence[Deployment]) -> str:
    parts = []
    target = entry.rollback_to
    previous = last_success(others, before=entry)
    if not target and previous is not None and previous.sha != entry.sha:
        # Redeploying a commit that an earlier success already shipped is a rollback too.
        if any(o.succeeded and o.sha == entry.sha and _order(o) < _order(entry) for o in others):
            target = entry.sha
    if target:
        parts.append(f"rollback to `{target[:12]}`")
    if entry.state in FAILED_STATES:
        good = f" (last good `{previous.sha[:7]}`)" if previous is not None else ""
        parts.append(f"failed: roll back with `/hephaestus rollback {entry.environment}`{good}")
    if entry.description:
        parts.append(_clean(entry.description))
    return "; ".join(parts)


def record(
    text: str | None, entry: Deployment, *, repo_url: str = "", max_rows: int = MAX_ROWS
) -> str | None:
    """The history file `text` with `entry` in it, or None when it changes nothing (the same
    status redelivered, or an older status arriving after a newer one). With `repo_url`, rows
    written without a commit link get one, so every row shows its commit the same way."""
    history = (
        parse(text, entry.environment, month_of(entry.created_at))
        if text
        else History(entry.environment, month_of(entry.created_at))
    )
    current = next((e for e in history.entries if e.deployment_id == entry.deployment_id), None)
    if current is not None and current.status_id >= entry.status_id:
        return None
    if current is not None and current.succeeded and entry.state == "inactive":
        return None  # superseded by a newer deployment: it stays a known good one to return to
    others = [
        _linked(e, repo_url) for e in history.entries if e.deployment_id != entry.deployment_id
    ]
    if current is not None and not entry.rollback_to:
        entry = replace(entry, rollback_to=current.rollback_to)
    entry = _as_recorded(entry, others, repo_url)
    entries = sorted([*others, entry], key=_order, reverse=True)
    dropped = history.dropped + max(0, len(entries) - max_rows)
    history = replace(history, entries=tuple(entries[:max_rows]), dropped=dropped)
    return render(history)


def _as_recorded(entry: Deployment, others: Sequence[Deployment], repo_url: str) -> Deployment:
    entry = replace(
        entry,
        ref=_clean(entry.ref),
        actor=_clean(entry.actor),
        link=safe_url(entry.link),
        commit_url=safe_url(entry.commit_url) or commit_url(repo_url, entry.sha),
    )
    return replace(entry, notes=_notes(entry, others))


def as_recorded(entries: Sequence[Deployment], *, repo_url: str = "") -> list[Deployment]:
    """`entries` as a history file would hold them, newest first: cells bounded, links checked,
    notes written (for rows that come from elsewhere than the file, shown before read back)."""
    ordered = sorted(entries, key=_order)
    recorded = [_as_recorded(e, ordered[:i], repo_url) for i, e in enumerate(ordered)]
    return sorted(recorded, key=_order, reverse=True)


def _linked(entry: Deployment, repo_url: str) -> Deployment:
    if entry.commit_url or not repo_url:
        return entry
    return replace(entry, commit_url=commit_url(repo_url, entry.sha))


# -- answering -----------------------------------------------------------------------------


def recent_table(
    entries: Sequence[Deployment], *, repo_url: str = "", with_environment: bool = False
) -> str:
    """A markdown table of deployments for a comment; `repo_url` links the commits of rows
    that carry no link of their own."""
    head = ["When (UTC)", "Status", "Ref", "Commit", "Actor", "Duration", "Link", "Notes"]
    if with_environment:
        head.insert(0, "Environment")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for e in entries:
        cells = [
            e.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
            _status_label(e.state),
            _cell(e.ref),
            commit_link(e.sha, e.commit_url or commit_url(repo_url, e.sha)),
            _cell(e.actor),
            format_duration(e.duration),
            _link_cell(e),
            _cell(e.notes),
        ]
        if with_environment:
            cells.insert(0, _cell(e.environment))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _status_label(state: str) -> str:
    icon = {"success": "✅", "failure": "❌", "error": "❌", "inactive": "⏸️"}.get(state, "⏳")
    return f"{icon} {state}"


def to_json(entry: Deployment) -> dict[str, object]:
    return {
        "environment": entry.environment,
        "deployment_id": entry.deployment_id,
        "status_id": entry.status_id,
        "created_at": entry.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "state": entry.state,
        "ref": entry.ref,
        "sha": entry.sha,
        "commit_url": entry.commit_url,
        "actor": entry.actor,
        "duration_seconds": (
            int(entry.duration.total_seconds()) if entry.duration is not None else None
        ),
        "link": entry.link,
        "rollback_to": entry.rollback_to,
        "notes": entry.notes,
    }
