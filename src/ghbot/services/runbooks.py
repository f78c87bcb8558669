"""Runbooks on GitHub: suggested in failure reports, offered when a case is resolved, created
and searched with `/hephaestus runbook ...`, and their effectiveness counted.

- **Suggestions** (`suggest_runbooks`, a section of failure reports): the runbooks on the default
  branch (cached by the runbooks directory's tree sha) are matched against each failure by
  fingerprint, then by search similarity. The section carries a hidden marker with what was
  suggested and the failures' fingerprints, so the thread itself remembers both.
- **Offer** (`offer_runbook`): an issue closed as completed or a merged PR that holds a bot
  failure report gets ONE comment offering `/hephaestus runbook create [TITLE]`.
- **Create**: a draft built from the thread (symptoms, discussion, merged diff) is committed on a
  new branch `hephaestus/runbook-<id>` and proposed in a PR: never written to the default branch.
  The dashboard's "create a runbook for FINGERPRINT" box does the same from the failure catalog
  (`create_for_fingerprint`: title, category, example run, and the report's excerpt).
- **Effectiveness**: when a thread in which runbooks were suggested is closed, each of them gets
  `used + 1`, and `resolved + 1` if the case was resolved. The counters change only the
  front-matter lines, in commits on ONE bot branch `hephaestus/runbook-stats` whose single PR is
  updated in place; merging it publishes the counts. The offer comment's marker records that the
  thread was counted, so a redelivered close event does not count it twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from ghbot.context import Context
from ghbot.engine import markers
from ghbot.engine.knowledge import catalog as cat
from ghbot.engine.knowledge.dashboard import run_id_of
from ghbot.engine.knowledge.runbooks import (
    MAX_FILE_BYTES,
    MAX_FILES,
    Loaded,
    Runbook,
    RunbookError,
    is_runbook_path,
    parse_many,
    render_runbook,
    set_counters,
)
from ghbot.engine.knowledge.runbooks_builder import (
    CaseComment,
    ChangedFile,
    Fix,
    ResolvedCase,
    Symptom,
    build_runbook,
    symptom_from_report,
    symptom_in_report,
)
from ghbot.engine.knowledge.search import Hit, Index
from ghbot.engine.render import escape_inline
from ghbot.engine.triage.model import TriageReport
from ghbot.github import records
from ghbot.github.api import GitHub
from ghbot.github.comments import Sticky, upsert_sticky
from ghbot.github.commits import FileChange, commit_with_retry
from ghbot.github.errors import GitHubError, NotFound, ValidationFailed
from ghbot.github.models import CommitComment, GitCommit, IssueComment, PullRequest
from ghbot.github.repo_config import RepoConfig

SUGGEST_KIND = "runbooks"  # marker inside the runbooks section of a failure report
OFFER_KIND = "runbook-offer"
STATS_KIND = "runbook-stats"
REPORT_KINDS = ("ci-failure", "issue-triage")  # the failure reports' sticky comments
STATS_BRANCH = "hephaestus/runbook-stats"
SIMILARITY = 0.5  # below this a text match is not worth a reader's time
MAX_SUGGESTIONS = 3
MAX_FINGERPRINTS = 8
CACHE_SIZE = 64  # runbook sets kept per process, keyed by tree sha
FETCH_CONCURRENCY = 4
_CLOSING = re.compile(r"(?:#|/pull/)(\d{1,7})\b")
_cache: OrderedDict[str, Loaded] = OrderedDict()
_dir_at: OrderedDict[tuple[str, str, str, str, str], str | None] = OrderedDict()


# -- reading runbooks from a commit ----------------------------------------------------------


async def load_runbooks(
    gh: GitHub, owner: str, repo: str, commit_sha: str, runbooks_dir: str
) -> tuple[Loaded, str | None]:
    """The runbooks in `runbooks_dir` at a commit, and the directory's tree sha (None when the
    directory does not exist). Cached by tree sha: an unchanged directory costs one tree walk,
    a commit already seen costs nothing."""
    at = (gh.api_url, owner, repo, commit_sha, runbooks_dir)
    tree_sha: str | None
    if at in _dir_at:  # a commit never changes: its directory's tree sha is known for good
        tree_sha = _dir_at[at]
    else:
        tree_sha = (await gh.get_commit(owner, repo, commit_sha)).tree_sha
        for part in [p for p in runbooks_dir.split("/") if p]:
            tree = await gh.get_tree(owner, repo, tree_sha)
            entry = next((e for e in tree.entries if e.path == part and e.type == "tree"), None)
            if entry is None or entry.sha is None:
                tree_sha = None
                break
            tree_sha = entry.sha
        _dir_at[at] = tree_sha
        while len(_dir_at) > CACHE_SIZE * 4:
            _dir_at.popitem(last=False)
    if tree_sha is None:
        return Loaded((), ()), None
    key = f"{owner}/{repo}:{runbooks_dir}:{tree_sha}"
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key], tree_sha
    tree = await gh.get_tree(owner, repo, tree_sha, recursive=True)
    blobs = [
        e for e in tree.entries
        if e.type == "blob" and e.sha and is_runbook_path(e.path)
        and (e.size is None or e.size <= MAX_FILE_BYTES)
    ][:MAX_FILES]  # fmt: skip
    limit = asyncio.Semaphore(FETCH_CONCURRENCY)

    async def read(sha: str) -> str | None:
        async with limit:
            try:
                return (await gh.get_blob(owner, repo, sha)).decode("utf-8")
            except (ValueError, UnicodeDecodeError):
                return None

    texts = await asyncio.gather(*(read(e.sha or "") for e in blobs))
    files = {f"{runbooks_dir}/{e.path}": t for e, t in zip(blobs, texts, strict=True) if t}
    loaded = parse_many(files)
    _cache[key] = loaded
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return loaded, tree_sha


def signature_links(loaded: Loaded) -> dict[str, str]:
    """fingerprint -> the path of the runbook listing it (the first by path when several do)."""
    links: dict[str, str] = {}
    for rb in sorted(loaded.runbooks, key=lambda r: r.path):
        for signature in rb.signatures:
            links.setdefault(signature, rb.path)
    return links


async def runbook_links(ctx: Context, config: RepoConfig) -> dict[str, str]:
    """The signature links of the runbooks on the default branch's head."""
    owner, repo = ctx.owner_repo
    _, head = await _default_head(ctx, owner, repo)
    loaded, _ = await load_runbooks(ctx.gh, owner, repo, head, config.knowledge.runbooks_dir)
    return signature_links(loaded)


async def _default_head(ctx: Context, owner: str, repo: str) -> tuple[str, str]:
    branch = await ctx.default_branch()
    return branch, (await ctx.gh.get_ref(owner, repo, f"heads/{branch}")).sha


# -- suggestions in failure reports -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggestion:
    failure_title: str
    hit: Hit


def match_failures(index: Index, report: TriageReport) -> list[Suggestion]:
    """For each failure, its best runbook: a fingerprint match, else text similar enough."""
    chosen: list[Suggestion] = []
    seen: set[str] = set()
    for failure in report.failures:
        query = " ".join(filter(None, [failure.title, failure.rule or "", failure.category,
                                       failure.excerpt.text[-600:]]))  # fmt: skip
        for hit in index.search(query, signatures=[failure.fingerprint], limit=2):
            if hit.runbook.id in seen:
                continue
            if hit.signature_match or hit.similarity >= SIMILARITY:
                chosen.append(Suggestion(failure.title, hit))
                seen.add(hit.runbook.id)
            break
        if len(chosen) >= MAX_SUGGESTIONS:
            break
    return chosen


def render_suggestions(
    suggestions: list[Suggestion], report: TriageReport, runbooks_dir: str, blob_base: str
) -> str:
    fingerprints = list(dict.fromkeys(f.fingerprint for f in report.failures))
    marker = markers.render(
        SUGGEST_KIND,
        suggested=",".join(s.hit.runbook.id for s in suggestions),
        fingerprints=",".join(fingerprints[:MAX_FINGERPRINTS]),
    )
    if not suggestions:
        return (
            f"{marker}\n**Runbooks:** none matches this failure yet. Once it is fixed, "
            "`/hephaestus runbook create` drafts one from this thread."
        )
    lines = [marker, "#### 📘 Runbooks that may help", ""]
    for s in suggestions:
        rb = s.hit.runbook
        why = "same failure fingerprint" if s.hit.signature_match else (
            f"similar failure ({s.hit.similarity:.0%} match)"
        )
        record = f", resolved {rb.resolved} of {rb.used} times" if rb.used else ""
        lines.append(
            f"- [{escape_inline(rb.title)}]({blob_base}/{rb.path}) · {why}{record}"
        )
    return "\n".join(lines)


async def suggest_runbooks(ctx: Context, report: TriageReport, config: RepoConfig) -> str | None:
    """The failure report's runbooks section: runbooks that match the report's failures."""
    if not report.failures:
        return None
    owner, repo = ctx.owner_repo
    branch, head = await _default_head(ctx, owner, repo)
    runbooks_dir = config.knowledge.runbooks_dir
    loaded, _ = await load_runbooks(ctx.gh, owner, repo, head, runbooks_dir)
    suggestions = match_failures(Index(loaded.runbooks), report)
    blob_base = f"https://github.com/{owner}/{repo}/blob/{branch}"
    return render_suggestions(suggestions, report, runbooks_dir, blob_base)


MAX_SECTIONS = 20  # runbook markers looked at per report


def _suggested_in(body: str) -> tuple[list[str], list[str]]:
    """(runbook ids suggested, failure fingerprints) from a report's runbooks marker."""
    opener = f"<!-- {markers.PREFIX}:{SUGGEST_KIND} "
    marker, start = None, body.find(opener)
    for _ in range(MAX_SECTIONS):  # the first authentic one: an unsealed look-alike is skipped
        if start < 0:
            return [], []
        marker = markers.parse(body[start : start + markers.SCAN_CHARS], SUGGEST_KIND)
        if marker is not None:
            break
        start = body.find(opener, start + 1)
    if marker is None:
        return [], []
    split = lambda value: [v for v in value.split(",") if v]  # noqa: E731
    return split(marker.get("suggested")), split(marker.get("fingerprints"))


def _reports(comments: list[IssueComment], bot_login: str) -> list[IssueComment]:
    return [
        c for c in comments
        if c.author.lower() == bot_login.lower()
        and any(markers.parse(c.body, kind) for kind in REPORT_KINDS)
    ]  # fmt: skip


# -- offering a runbook when a case is resolved ---------------------------------------------------


async def offer_runbook(ctx: Context, number: int, *, resolved: bool) -> None:
    """A closed thread (`resolved`: a merged PR or an issue closed as completed) that holds a
    bot failure report: count the runbooks suggested there, and offer a runbook once."""
    owner, repo = ctx.owner_repo
    comments = await ctx.gh.list_issue_comments(owner, repo, number)
    reports = _reports(comments, ctx.bot_login)
    if not reports:
        return  # no failure report here: nothing learned to record
    existing = markers.find(comments, ctx.bot_login, OFFER_KIND)
    marker = markers.parse(existing.body, OFFER_KIND) if existing is not None else None
    counted = marker is not None and marker.get("counted") == "yes"
    suggested = list(dict.fromkeys(i for c in reports for i in _suggested_in(c.body)[0]))
    if suggested and not counted:
        config = (await ctx.config()).config
        await count_effectiveness(ctx, suggested, resolved, config, number)
    if existing is not None and (counted or not suggested):
        return  # offered (and counted) already: a redelivery or a close after a reopen
    if resolved:
        body = _offer_text(suggested)
    elif suggested:
        ids = ", ".join(f"`{i}`" for i in suggested)
        body = f"Closed without a fix: the runbooks suggested here ({ids}) are counted as used."
    else:
        return
    fields = (("counted", "yes"),) if suggested else ()
    await upsert_sticky(
        ctx.gh, Sticky(owner, repo, number, OFFER_KIND, fields), body, ctx.bot_login,
        existing=existing,
    )
    ctx.outcome.summary.append(f"offered a runbook on #{number}" if resolved else body)


def _offer_text(suggested: list[str]) -> str:
    lines = [
        "### 📘 Record what fixed this as a runbook?",
        "",
        "This case is resolved. Comment `/hephaestus runbook create [TITLE]` and the bot opens "
        "a pull request adding a runbook drafted from this thread: the failure from the bot's "
        "report, the diagnosis from the discussion and the fix from the merged diff.",
    ]
    if suggested:
        ids = ", ".join(f"`{i}`" for i in suggested)
        lines += ["", f"Runbooks suggested here: {ids}. If they covered it, nothing to do."]
    return "\n".join(lines)


# -- effectiveness counters -----------------------------------------------------------------------


async def count_effectiveness(
    ctx: Context, ids: list[str], resolved: bool, config: RepoConfig, number: int
) -> None:
    """`used + 1` (and `resolved + 1`) for each runbook, on the stats branch and its one PR."""
    owner, repo = ctx.owner_repo
    gh: GitHub = ctx.gh
    branch, head = await _default_head(ctx, owner, repo)
    runbooks_dir = config.knowledge.runbooks_dir
    open_pull = await _stats_pull(gh, owner, repo)
    if open_pull is None:  # a merged or closed stats PR: start again from the default branch
        try:
            await gh.update_ref(owner, repo, f"heads/{STATS_BRANCH}", head, force=True)
        except (NotFound, ValidationFailed):
            pass  # no branch yet: commit_with_retry creates it

    async def edit(parent: GitCommit) -> list[FileChange]:
        loaded, _ = await load_runbooks(gh, owner, repo, parent.sha, runbooks_dir)
        by_id = {rb.id: rb for rb in loaded.runbooks}
        changes = []
        for ident in ids:
            rb = by_id.get(ident)
            if rb is None:
                continue  # renamed or deleted since it was suggested
            text = (await gh.get_file(owner, repo, rb.path, parent.sha)).content.decode()
            try:
                updated = set_counters(
                    text, rb.used + 1, rb.resolved + (1 if resolved else 0), rb.path
                )
            except RunbookError as exc:
                ctx.log.warning("cannot count %s: %s", rb.path, exc)
                continue
            changes.append(FileChange(rb.path, updated.encode()))
        return changes

    outcome = "resolved" if resolved else "not resolved"
    commit = await commit_with_retry(
        gh, owner, repo, branch=STATS_BRANCH, start_sha=head, edit=edit,
        message=f"runbooks: count {owner}/{repo}#{number} ({outcome})",
    )  # fmt: skip
    if commit is None:
        return
    body = (
        "Counts of how often each runbook was suggested in a failure report (`used`) and how "
        "often the case was then resolved (`resolved`). The bot adds a commit here each time a "
        "thread with suggestions closes; merge whenever convenient."
    )
    if open_pull is None:
        try:
            await gh.create_pull(
                owner, repo, head=STATS_BRANCH, base=branch,
                title="Runbook effectiveness counters", body=body,
            )  # fmt: skip
        except ValidationFailed:  # opened meanwhile by a concurrent close
            pass
    ctx.outcome.summary.append(f"counted runbooks {', '.join(ids)} ({outcome})")


async def _stats_pull(gh: GitHub, owner: str, repo: str) -> PullRequest | None:
    pulls = await gh.list_pulls(owner, repo, head=f"{owner}:{STATS_BRANCH}", state="open")
    return pulls[0] if pulls else None


# -- /hephaestus runbook create | search ---------------------------------------------------------


async def create_from_thread(
    ctx: Context, config: RepoConfig, number: int, *, is_pull: bool, title: str, requested_by: str
) -> str:
    """`/hephaestus runbook create [TITLE]`: a runbook PR drafted from thread `number`; the
    outcome for the reply."""
    owner, repo = ctx.owner_repo
    branch, head = await _default_head(ctx, owner, repo)
    runbooks_dir = config.knowledge.runbooks_dir
    case = await gather_case(ctx, number, is_pull)
    loaded, _ = await load_runbooks(ctx.gh, owner, repo, head, runbooks_dir)
    runbook = build_runbook(case, title=title or None, today=dt.date.today(),
                            taken=_taken(loaded))  # fmt: skip
    proposal = await propose_runbook(
        ctx, runbook, default_branch=branch, head=head, runbooks_dir=runbooks_dir,
        origin=f"#{number}", requested_by=requested_by,
    )  # fmt: skip
    ctx.outcome.summary.append(f"runbook PR #{proposal.pull.number} for #{number}")
    return (
        f"Opened #{proposal.pull.number} adding `{proposal.path}`, drafted from this thread. "
        "Review it there, complete the sections marked _To complete in review_, and merge."
    )


def _taken(loaded: Loaded) -> list[str]:
    """Ids a new runbook must not reuse: the ids and the file names on the default branch."""
    names = {p.rsplit("/", 1)[-1].removesuffix(".md") for p in (rb.path for rb in loaded.runbooks)}
    return sorted({rb.id for rb in loaded.runbooks} | names)


@dataclass(frozen=True, slots=True)
class Proposal:
    pull: PullRequest
    path: str
    opened: bool  # False: the PR for this runbook was open already (a repeated request)


async def propose_runbook(
    ctx: Context,
    runbook: Runbook,
    *,
    default_branch: str,
    head: str,
    runbooks_dir: str,
    origin: str,
    requested_by: str,
) -> Proposal:
    """Commit the runbook on `hephaestus/runbook-<id>` (from the default branch's head) and
    open its PR, or find the one already open: a repeated request adds no commit and no PR."""
    owner, repo = ctx.owner_repo
    gh: GitHub = ctx.gh
    path = f"{runbooks_dir}/{runbook.id}.md"
    work_branch = f"hephaestus/runbook-{runbook.id}"[:100]
    content = render_runbook(runbook).encode()

    async def edit(parent: GitCommit) -> list[FileChange]:
        try:
            current = await gh.get_file(owner, repo, path, parent.sha)
        except NotFound:
            current = None
        return [] if current is not None and current.content == content else [
            FileChange(path, content)
        ]

    await commit_with_retry(
        gh, owner, repo, branch=work_branch, start_sha=head, edit=edit,
        message=f"runbooks: add {runbook.id} (from {origin})",
    )  # fmt: skip
    pulls = await gh.list_pulls(owner, repo, head=f"{owner}:{work_branch}", state="open")
    if pulls:
        return Proposal(pulls[0], path, opened=False)
    try:
        pull = await gh.create_pull(
            owner, repo, head=work_branch, base=default_branch,
            title=f"Runbook: {runbook.title}"[:250],
            body=_pull_body(runbook, path, origin, requested_by),
        )  # fmt: skip
    except ValidationFailed:  # opened meanwhile by a concurrent request
        pulls = await gh.list_pulls(owner, repo, head=f"{owner}:{work_branch}", state="open")
        if not pulls:
            raise
        return Proposal(pulls[0], path, opened=False)
    return Proposal(pull, path, opened=True)


def _pull_body(runbook: Runbook, path: str, origin: str, requested_by: str) -> str:
    return "\n".join([
        f"A runbook drafted from {origin} at @{requested_by}'s request.",
        "",
        f"- File: `{path}`",
        f"- Signatures: {', '.join(f'`{s}`' for s in runbook.signatures) or 'none'}",
        "",
        "Please check the diagnosis and the root cause, complete what is marked "
        "_To complete in review_, then merge. `hephaestus runbook lint` validates it locally.",
    ])


# -- a runbook for a catalogued failure (the dashboard's checkbox) ------------------------------


async def create_for_fingerprint(
    ctx: Context, config: RepoConfig, fingerprint: str, title: str, requested_by: str
) -> str:
    """Open a runbook PR for a failure of the catalog: its title, category and example run,
    and the excerpt, why and fix from the bot's report of that run when it can be found.
    Returns the one-line outcome (the dashboard's Recent actions)."""
    owner, repo = ctx.owner_repo
    gh: GitHub = ctx.gh
    branch, head = await _default_head(ctx, owner, repo)
    runbooks_dir = config.knowledge.runbooks_dir
    loaded, _ = await load_runbooks(gh, owner, repo, head, runbooks_dir)
    covering = next((rb for rb in loaded.runbooks if fingerprint in rb.signatures), None)
    if covering is not None:
        return f"not needed: `{covering.path}` already lists this fingerprint"
    try:
        text = await records.read(gh, owner, repo, config, cat.CATALOG_PATH,
                                  default_branch=branch)  # fmt: skip
        entry = cat.parse(text or "").get(fingerprint)
    except (cat.CatalogError, records.RecordsError) as exc:
        return f"not done: the failure catalog could not be read ({exc})"
    if entry is None:
        return f"not done: `{escape_inline(fingerprint)}` is not in the failure catalog"
    found = await _reported_symptom(ctx, entry)
    symptom = Symptom(
        title=entry.title, category=entry.category, fingerprint=fingerprint,
        rule=found.rule if found else None, excerpt=found.excerpt if found else "",
        explanation=found.explanation if found else "", fix=found.fix if found else "",
    )  # fmt: skip
    case = ResolvedCase(
        repo=f"{owner}/{repo}", number=0, is_pull=False, title=entry.title, body="",
        url=entry.example_run, symptoms=(symptom,),
    )  # fmt: skip
    runbook = build_runbook(case, title=" ".join(title.split())[:200] or None,
                            today=dt.date.today(), taken=_taken(loaded))  # fmt: skip
    origin = f"the failure catalog (`{fingerprint}`)"
    proposal = await propose_runbook(
        ctx, runbook, default_branch=branch, head=head, runbooks_dir=runbooks_dir,
        origin=origin, requested_by=requested_by,
    )  # fmt: skip
    number = proposal.pull.number
    ctx.outcome.summary.append(f"runbook PR #{number} for {fingerprint}")
    if not proposal.opened:
        return f"#{number} already proposes `{proposal.path}`"
    return f"done: #{number} proposes `{proposal.path}`"


async def _reported_symptom(ctx: Context, entry: cat.Entry) -> Symptom | None:
    """The failure as the bot's report of the entry's example run describes it, if found: on
    the run's pull requests, or on its commit for a push."""
    owner, repo = ctx.owner_repo
    gh: GitHub = ctx.gh
    run_id = run_id_of(entry.example_run)
    if run_id is None:
        return None
    try:
        run = await gh.get_workflow_run(owner, repo, int(run_id))
        comments: Sequence[IssueComment | CommitComment]
        if run.pull_numbers:
            comments = [c for n in run.pull_numbers[:3]
                        for c in await gh.list_issue_comments(owner, repo, n)]  # fmt: skip
        else:
            comments = await gh.list_commit_comments(owner, repo, run.head_sha)
    except GitHubError as exc:
        ctx.log.info("no report found for the catalog entry", error=str(exc))
        return None
    for comment in reversed(comments):  # the newest report first
        if comment.author.lower() != ctx.bot_login.lower():
            continue
        if not any(markers.parse(comment.body, kind) for kind in REPORT_KINDS):
            continue
        symptom = symptom_in_report(comment.body, entry.title)
        if symptom is not None:
            return symptom
    return None


async def gather_case(ctx: Context, number: int, is_pull: bool) -> ResolvedCase:
    """The thread as the builder needs it: the bot's reports, the discussion, the fix."""
    owner, repo = ctx.owner_repo
    gh: GitHub = ctx.gh
    issue = await gh.get_issue(owner, repo, number)
    comments = await gh.list_issue_comments(owner, repo, number)
    symptoms = []
    for report in _reports(comments, ctx.bot_login):
        fingerprints = _suggested_in(report.body)[1]
        symptom = symptom_from_report(report.body, fingerprints[0] if fingerprints else None)
        if symptom is not None:
            symptoms.append(symptom)
    discussion = tuple(
        CaseComment(c.author, c.body, c.author.lower() == ctx.bot_login.lower()
                    or c.author_type == "Bot")
        for c in comments
    )  # fmt: skip
    fix = None
    if is_pull:
        fix = await _fix_from(gh, owner, repo, await gh.get_pull(owner, repo, number), True)
    else:  # an issue: the first merged PR the thread names
        texts = [issue.body, *(c.body for c in comments if not c.author.endswith("[bot]"))]
        for ref in list(dict.fromkeys(_CLOSING.findall("\n".join(texts)[:200_000])))[:5]:
            if int(ref) == number:
                continue
            try:
                pull = await gh.get_pull(owner, repo, int(ref))
            except NotFound:
                continue
            fix = await _fix_from(gh, owner, repo, pull, False)
            if fix is not None:
                break
    return ResolvedCase(
        repo=f"{owner}/{repo}", number=number, is_pull=is_pull, title=issue.title,
        body=issue.body, url=issue.html_url, symptoms=tuple(symptoms), comments=discussion,
        fix=fix,
    )  # fmt: skip


async def _fix_from(
    gh: GitHub, owner: str, repo: str, pull: PullRequest, itself: bool
) -> Fix | None:
    """The PR as the fix: a merged PR, or (for `runbook create` on a PR) the PR itself."""
    if not (pull.merged or itself):
        return None
    files = await gh.list_pull_files(owner, repo, pull.number)
    return Fix(
        pull.number, pull.title, pull.html_url,
        tuple(ChangedFile(f.filename, f.status, f.additions, f.deletions, f.patch)
              for f in files),
    )  # fmt: skip


async def search(ctx: Context, config: RepoConfig, query: str) -> str:
    """`/hephaestus runbook search QUERY`: the best matching runbooks, ranked, as markdown."""
    owner, repo = ctx.owner_repo
    branch, head = await _default_head(ctx, owner, repo)
    runbooks_dir = config.knowledge.runbooks_dir
    loaded, _ = await load_runbooks(ctx.gh, owner, repo, head, runbooks_dir)
    hits = Index(loaded.runbooks).search(query, limit=5)
    if not hits:
        return f"No runbook in `{runbooks_dir}` matches `{escape_inline(query)[:200]}`."
    base = f"https://github.com/{owner}/{repo}/blob/{branch}"
    lines = [f"Runbooks matching `{escape_inline(query)[:200]}`:", ""]
    for rank, hit in enumerate(hits, start=1):
        why = "fingerprint match" if hit.signature_match else f"score {hit.score:.1f}"
        lines.append(f"{rank}. [{escape_inline(hit.runbook.title)}]({base}/{hit.runbook.path}) "
                     f"· {why}")  # fmt: skip
    return "\n".join(lines)
