"""The failure catalog: one markdown file, one row per failure fingerprint, kept on the records
branch so every replica, the Action and people reading the repository see the same history.

Format (version 1, `catalog/failures.md`):

- a marker line `<!-- hephaestus:catalog version=1 -->`, a title and a short note;
- `## Failures`: | Fingerprint | Title | Category | First seen | Last seen | Count | Branches |
  Flaky | Status | Runbook | Example run |, most recently seen first. Times are UTC
  `YYYY-MM-DDTHH:MM:SSZ`; Flaky is `yes` or empty; Status is `open` while the failure is
  failing on the default branch;
- `## History`: | Fingerprint | Daily counts | Recent runs | Open in workflows |: daily counts
  for the last TREND_DAYS days (`2024-05-01:3`), the last MAX_RECENT runs it failed in
  (`commit12/workflow/run/attempt`, used to spot redeliveries and flaky passes) and the
  workflow ids failing on the default branch;
- `## Unreadable rows`: lines the bot could not read back, kept verbatim rather than lost.

The file is bounded: past MAX_ROWS rows, the least recently seen rows (open ones last) move to
`catalog/archive/YYYY-MM.md`, one file per month of archiving. A fingerprint that returns after
being archived starts a new row; its archived history stays in the month file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from ghbot.engine import markers
from ghbot.engine.render import escape_inline, fence

FORMAT_VERSION = 1
CATALOG_PATH = "catalog/failures.md"
ARCHIVE_DIR = "catalog/archive"
MAX_ROWS = 500
MAX_ARCHIVE_ROWS = 5000
MAX_REJECTED = 200  # unreadable lines carried along; more are dropped with a note
MAX_LINE = 4000  # longer table lines are not ours: kept truncated in Unreadable rows
TREND_DAYS = 30
MAX_RECENT = 10
MAX_BRANCHES = 8
MAX_TITLE = 160
MAX_OPEN = 16

_KIND = "catalog"
_TIME = "%Y-%m-%dT%H:%M:%SZ"
_FINGERPRINT = re.compile(r"[A-Za-z0-9._:-]{1,100}")
_URL = re.compile(r"https?://[^\s|<>()\\`\[\]]{1,500}")
_DAILY = re.compile(r"(\d{4}-\d{2}-\d{2}):(\d{1,9})")
_RUN = re.compile(r"([0-9a-f]{4,40})/(\d{1,19})/(\d{1,19})/(\d{1,9})")
_UNESCAPE = re.compile(r"\\(.)")
SHA_CHARS = 12  # a commit prefix this long is unique in any repository the bot will meet

FAILURE_COLUMNS = (
    "Fingerprint", "Title", "Category", "First seen", "Last seen", "Count", "Branches", "Flaky",
    "Status", "Runbook", "Example run",
)
HISTORY_COLUMNS = ("Fingerprint", "Daily counts", "Recent runs", "Open in workflows")


class CatalogError(ValueError):
    """The file is not a catalog this version can rewrite without losing anything."""


@dataclass(frozen=True, slots=True)
class RunRef:
    """One failing run: commit prefix, workflow id, run id, attempt (0 = unknown)."""

    sha: str
    workflow: int = 0
    run_id: int = 0
    attempt: int = 0

    def same_run(self, other: RunRef) -> bool:
        """The same delivery of the same failure (a redelivery or replay must not count twice)."""
        if self.run_id and other.run_id:
            return (self.run_id, self.attempt) == (other.run_id, other.attempt)
        return self.sha == other.sha and self.workflow == other.workflow

    def render(self) -> str:
        return f"{self.sha}/{self.workflow}/{self.run_id}/{self.attempt}"


# A History row: daily counts, recent runs, open workflows.
_History = tuple[tuple[tuple[date, int], ...], tuple[RunRef, ...], tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class Entry:
    fingerprint: str
    title: str
    category: str
    first_seen: datetime
    last_seen: datetime
    count: int
    branches: tuple[str, ...] = ()  # most recent first
    flaky: bool = False
    runbook: str = ""  # repository path or URL of the matching runbook
    example_run: str = ""  # URL of the latest run that failed this way
    open_in: tuple[int, ...] = ()  # workflow ids failing this way on the default branch
    daily: tuple[tuple[date, int], ...] = ()  # oldest first
    recent: tuple[RunRef, ...] = ()  # newest first

    @property
    def open(self) -> bool:
        return bool(self.open_in)

    def history_line(self) -> str:
        """What a failure report says about this failure: `seen 4 times since 2024-05-01, flaky`."""
        if self.count <= 1:
            text = "first time seen"
        else:
            text = f"seen {self.count} times since {self.first_seen.date().isoformat()}"
        return text + (", flaky (it also passed on the same commit)" if self.flaky else "")


@dataclass(frozen=True, slots=True)
class Catalog:
    entries: tuple[Entry, ...] = ()  # most recently seen first
    rejected: tuple[str, ...] = ()  # lines that could not be read, kept verbatim

    def get(self, fingerprint: str) -> Entry | None:
        return next((e for e in self.entries if e.fingerprint == fingerprint), None)


@dataclass(frozen=True, slots=True)
class Sighting:
    """One failure seen in one run, as the failure report found it."""

    fingerprint: str
    title: str
    category: str
    at: datetime
    branch: str
    run: RunRef
    run_url: str = ""
    on_default: bool = False  # the run was on the repository's default branch
    runbook: str = ""


@dataclass(frozen=True, slots=True)
class Pass:
    """A successful run: the failures seen in the same workflow on the same commit were flaky."""

    sha: str
    workflow: int
    on_default: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class Update:
    """The result of an update: the new catalog and the rows moved out to the archives."""

    catalog: Catalog
    archived: tuple[Entry, ...] = ()
    changed: bool = True
    flaky: tuple[str, ...] = field(default=())  # fingerprints that became flaky


# -- updates ---------------------------------------------------------------------------------


def record(catalog: Catalog, sightings: Iterable[Sighting], *, max_rows: int = MAX_ROWS) -> Update:
    """Count each sighting once (a redelivered run is recognised and not counted again)."""
    entries = {e.fingerprint: e for e in catalog.entries}
    changed = False
    for s in sightings:
        if not _FINGERPRINT.fullmatch(s.fingerprint):
            continue
        run = replace(s.run, sha=s.run.sha.lower()[:SHA_CHARS])
        old = entries.get(s.fingerprint)
        if old is not None and any(r.same_run(run) for r in old.recent):
            continue
        entries[s.fingerprint] = _add(old, s, run)
        changed = True
    if not changed:
        return Update(catalog, changed=False)
    ordered = sorted(entries.values(), key=_recency, reverse=True)
    return _bounded(Catalog(tuple(ordered), catalog.rejected), max_rows)


def _add(old: Entry | None, s: Sighting, run: RunRef) -> Entry:
    at = _utc(s.at)
    title = _clip(" ".join(s.title.split()), MAX_TITLE)
    day = at.date()
    branch = s.branch.strip()
    if old is None:
        return Entry(
            fingerprint=s.fingerprint,
            title=title,
            category=_clip(s.category, 40),
            first_seen=at,
            last_seen=at,
            count=1,
            branches=(branch,) if _branch_ok(branch) else (),
            runbook=_link(s.runbook),
            example_run=_url(s.run_url),
            open_in=(run.workflow,) if s.on_default else (),
            daily=((day, 1),),
            recent=(run,),
        )
    newer = at >= old.last_seen
    branches = old.branches
    if _branch_ok(branch):
        branches = (branch, *(b for b in old.branches if b != branch))[:MAX_BRANCHES]
    daily = dict(old.daily)
    daily[day] = daily.get(day, 0) + 1
    open_in = old.open_in
    if s.on_default and run.workflow not in open_in:
        open_in = (*open_in, run.workflow)[-MAX_OPEN:]
    return replace(
        old,
        title=title if newer and title else old.title,
        category=_clip(s.category, 40) if newer and s.category else old.category,
        first_seen=min(old.first_seen, at),
        last_seen=max(old.last_seen, at),
        count=old.count + 1,
        branches=branches,
        runbook=_link(s.runbook) or old.runbook,
        example_run=(_url(s.run_url) or old.example_run) if newer else old.example_run,
        open_in=open_in,
        daily=_trim_daily(daily, max(old.last_seen, at).date()),
        recent=(run, *old.recent)[:MAX_RECENT],
    )


def mark_passed(catalog: Catalog, passed: Pass) -> Update:
    """A run passed: failures of the same workflow on the same commit become flaky; on the
    default branch, failures of that workflow are no longer open there."""
    sha = passed.sha.lower()[:SHA_CHARS]
    flaky: list[str] = []
    entries = []
    for e in catalog.entries:
        same_commit = any(
            r.sha == sha and (r.workflow == passed.workflow or 0 in (r.workflow, passed.workflow))
            for r in e.recent
        )
        new = e
        if same_commit and not e.flaky:
            new = replace(new, flaky=True)
            flaky.append(e.fingerprint)
        if passed.on_default and e.open_in:
            still = tuple(w for w in e.open_in if w not in (passed.workflow, 0))
            if passed.workflow == 0:
                still = ()
            if still != e.open_in:
                new = replace(new, open_in=still)
        entries.append(new)
    changed = any(a is not b for a, b in zip(entries, catalog.entries, strict=True))
    return Update(Catalog(tuple(entries), catalog.rejected), changed=changed, flaky=tuple(flaky))


def set_runbook(catalog: Catalog, fingerprint: str, runbook: str) -> Update:
    entry = catalog.get(fingerprint)
    link = _link(runbook)
    if entry is None or not link or entry.runbook == link:
        return Update(catalog, changed=False)
    entries = tuple(replace(e, runbook=link) if e is entry else e for e in catalog.entries)
    return Update(Catalog(entries, catalog.rejected))


def link_runbooks(catalog: Catalog, links: Mapping[str, str]) -> Update:
    """Fill the Runbook column from `links` (fingerprint -> runbook path), e.g. the signatures of
    the runbooks on the default branch; a link already there is replaced only by another one."""
    changed = False
    for fingerprint, runbook in links.items():
        update = set_runbook(catalog, fingerprint, runbook)
        catalog, changed = update.catalog, changed or update.changed
    return Update(catalog, changed=changed)


def _recency(e: Entry) -> tuple[datetime, int, str]:
    return (e.last_seen, e.count, e.fingerprint)


def _bounded(catalog: Catalog, max_rows: int) -> Update:
    """Keep the open failures and then the most recently seen ones; archive the rest."""
    if len(catalog.entries) <= max_rows:
        return Update(catalog)
    keep = sorted(catalog.entries, key=lambda e: (e.open, *_recency(e)), reverse=True)[:max_rows]
    kept = {e.fingerprint for e in keep}
    archived = tuple(e for e in catalog.entries if e.fingerprint not in kept)
    entries = tuple(e for e in catalog.entries if e.fingerprint in kept)
    return Update(Catalog(entries, catalog.rejected), archived=archived)


def archive_path(when: date) -> str:
    """The archive file for rows moved out of the catalog in `when`'s month: known before the
    write, so the records writer can batch it with the catalog itself."""
    return f"{ARCHIVE_DIR}/{when:%Y-%m}.md"


def merge_archive(text: str | None, entries: Sequence[Entry], when: date) -> str:
    """The archive file with `entries` added (replacing older rows of the same fingerprint);
    history columns are dropped, as nobody charts archived failures."""
    archive = parse(text) if text else Catalog()
    rows = {e.fingerprint: e for e in archive.entries}
    for e in entries:
        rows[e.fingerprint] = replace(e, daily=(), recent=(), open_in=())
    ordered = sorted(rows.values(), key=_recency, reverse=True)
    if len(ordered) > MAX_ARCHIVE_ROWS:  # keep the most recurring ones
        ordered = sorted(ordered, key=lambda e: (e.count, e.last_seen), reverse=True)
        ordered = sorted(ordered[:MAX_ARCHIVE_ROWS], key=_recency, reverse=True)
    title = f"Failure catalog archive: rows archived in {when:%Y-%m}"
    return render(Catalog(tuple(ordered), archive.rejected), title=title, history=False)


# -- trends ----------------------------------------------------------------------------------


def daily_totals(catalog: Catalog, today: date, days: int = 14) -> list[tuple[date, int]]:
    """Failures per day over the `days` days ending `today`, all fingerprints together."""
    start = today - timedelta(days=days - 1)
    totals = {start + timedelta(days=i): 0 for i in range(days)}
    for e in catalog.entries:
        for day, n in e.daily:
            if day in totals:
                totals[day] += n
    return sorted(totals.items())


def daily_series(entry: Entry, today: date, days: int = 14) -> list[int]:
    counts = dict(entry.daily)
    start = today - timedelta(days=days - 1)
    return [counts.get(start + timedelta(days=i), 0) for i in range(days)]


def _trim_daily(daily: dict[date, int], newest: date) -> tuple[tuple[date, int], ...]:
    start = newest - timedelta(days=TREND_DAYS - 1)
    return tuple(sorted((d, n) for d, n in daily.items() if d >= start))


# -- rendering -------------------------------------------------------------------------------


def render(catalog: Catalog, *, title: str = "Failure catalog", history: bool = True) -> str:
    lines = [
        markers.render(_KIND, sealed=False, version=FORMAT_VERSION),
        f"# {title}",
        "",
        "Kept by Hephaestus: one row per failure fingerprint, most recently seen first. The bot "
        f"rewrites this file when it records a failure (format version {FORMAT_VERSION}).",
        "",
        "## Failures",
        "",
        _row(FAILURE_COLUMNS),
        _row(["---"] * len(FAILURE_COLUMNS)),
    ]
    lines += [_failure_row(e) for e in catalog.entries]
    if history:
        lines += ["", "## History", "", _row(HISTORY_COLUMNS), _row(["---"] * 4)]
        lines += [_history_row(e) for e in catalog.entries]
    if catalog.rejected:
        lines += ["", "## Unreadable rows", "", fence("\n".join(catalog.rejected), "text")]
    return "\n".join(lines) + "\n"


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _failure_row(e: Entry) -> str:
    return _row([
        f"`{e.fingerprint}`",
        _cell(e.title),
        _cell(e.category),
        e.first_seen.strftime(_TIME),
        e.last_seen.strftime(_TIME),
        str(e.count),
        " ".join(_cell(b) for b in e.branches),
        "yes" if e.flaky else "",
        "open" if e.open else "",
        _cell(e.runbook),
        e.example_run,
    ])


def _history_row(e: Entry) -> str:
    return _row([
        f"`{e.fingerprint}`",
        " ".join(f"{d.isoformat()}:{n}" for d, n in e.daily),
        " ".join(r.render() for r in e.recent),
        " ".join(str(w) for w in e.open_in),
    ])


def _cell(text: str) -> str:
    return escape_inline(text)


# -- parsing ---------------------------------------------------------------------------------


def parse(text: str) -> Catalog:
    """Read a catalog back. Rows that cannot be read are kept in `rejected` (so the next write
    loses nothing); a file that is not a catalog, or a newer format, raises CatalogError."""
    if not text.strip():
        return Catalog()
    marker = markers.parse(text, _KIND, sealed=False)
    if marker is None:
        raise CatalogError("not a failure catalog: the first line lacks the catalog marker")
    version = marker.get("version")
    if not version.isdigit():
        raise CatalogError(f"catalog marker has no readable version: {version!r}")
    if int(version) > FORMAT_VERSION:
        raise CatalogError(
            f"catalog format version {version} is newer than this Hephaestus reads "
            f"({FORMAT_VERSION}); upgrade Hephaestus rather than let it rewrite the file"
        )
    failures: dict[str, Entry] = {}
    history: dict[str, _History] = {}
    rejected: list[str] = []
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("## "):
            section = line[3:].strip().lower()
            continue
        if section == "unreadable rows":
            if line and not line.startswith("```"):
                rejected.append(raw[:MAX_LINE])
            continue
        if not line.startswith("|"):
            continue
        cells = _split_row(line[:MAX_LINE])
        if cells is None or _is_header(cells):
            if cells is None:
                rejected.append(raw[:MAX_LINE])
            continue
        try:
            if section == "failures":
                entry = _parse_failure(cells)
                failures.setdefault(entry.fingerprint, entry)
            elif section == "history":
                fp, row = _parse_history(cells)
                history.setdefault(fp, row)
            else:
                rejected.append(raw[:MAX_LINE])
        except (ValueError, IndexError):
            rejected.append(raw[:MAX_LINE])
    entries = []
    for fp, e in failures.items():
        if fp in history:
            daily, recent, open_in = history[fp]
            e = replace(e, daily=daily, recent=recent, open_in=open_in)
        entries.append(e)
    if len(rejected) > MAX_REJECTED:
        dropped = len(rejected) - MAX_REJECTED
        rejected = [*rejected[:MAX_REJECTED], f"({dropped} more unreadable lines dropped)"]
    return Catalog(tuple(entries), tuple(rejected))


def _is_header(cells: list[str]) -> bool:
    return cells[0] == "Fingerprint" or all(set(c) <= set("-: ") for c in cells)


def _split_row(line: str) -> list[str] | None:
    """Cells of `| a | b\\|c |`, escapes kept; linear in the line length."""
    if not (line.startswith("|") and line.endswith("|")) or len(line) < 2:
        return None
    cells, current, i, body = [], [], 0, line[1:-1]
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            current.append(body[i : i + 2])
            i += 2
            continue
        if char == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        i += 1
    cells.append("".join(current).strip())
    return cells


def _unescape(cell: str) -> str:
    return html.unescape(_UNESCAPE.sub(r"\1", cell))


def _code(cell: str) -> str:
    fp = cell.strip("`")
    if not _FINGERPRINT.fullmatch(fp):
        raise ValueError(f"bad fingerprint {cell!r}")
    return fp


def _time(cell: str) -> datetime:
    return datetime.strptime(cell, _TIME).replace(tzinfo=UTC)


def _parse_failure(cells: list[str]) -> Entry:
    if len(cells) != len(FAILURE_COLUMNS):
        raise ValueError("wrong number of cells")
    fp, title, category, first, last, count, branches, flaky, status, runbook, run = cells
    if not count.isdigit() or int(count) < 1:
        raise ValueError("bad count")
    return Entry(
        fingerprint=_code(fp),
        title=_unescape(title),
        category=_unescape(category),
        first_seen=_time(first),
        last_seen=_time(last),
        count=int(count),
        branches=tuple(_unescape(b) for b in branches.split()[:MAX_BRANCHES]),
        flaky=flaky.lower() == "yes",
        runbook=_link(_unescape(runbook)),
        example_run=_url(run),
        # Status is derived from History's open workflows; without History, 0 = "some workflow".
        open_in=(0,) if status == "open" else (),
    )


def _parse_history(cells: list[str]) -> tuple[str, _History]:
    if len(cells) != len(HISTORY_COLUMNS):
        raise ValueError("wrong number of cells")
    fp, daily_cell, recent_cell, open_cell = cells
    daily = []
    for item in daily_cell.split()[:TREND_DAYS]:
        m = _DAILY.fullmatch(item)
        if m is None:
            raise ValueError(f"bad daily count {item!r}")
        daily.append((date.fromisoformat(m.group(1)), int(m.group(2))))
    recent = []
    for item in recent_cell.split()[:MAX_RECENT]:
        m = _RUN.fullmatch(item)
        if m is None:
            raise ValueError(f"bad run {item!r}")
        recent.append(RunRef(m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))))
    open_in = tuple(int(w) for w in open_cell.split()[:MAX_OPEN] if w.isdigit())
    return _code(fp), (tuple(sorted(daily)), tuple(recent), open_in)


# -- values ----------------------------------------------------------------------------------


def _utc(at: datetime) -> datetime:
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return at.replace(microsecond=0)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _branch_ok(branch: str) -> bool:
    return 0 < len(branch) <= 255 and not any(c.isspace() for c in branch)


def _url(text: str) -> str:
    return text if _URL.fullmatch(text) else ""


def _link(text: str) -> str:
    """A runbook reference: a URL or a repository path, one line, bounded."""
    text = " ".join(text.split())
    return text if 0 < len(text) <= 300 else ""
