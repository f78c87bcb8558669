"""`analyse(root, paths, options) -> AnalysisResult`: every analyser over a set of files.

Order, chosen for speed on large trees: ruff starts first as a background process on all Python
files, with the rules that detect the codemods' problems added (a preview-only one gets a second
ruff over just the files holding its trigger text); meanwhile Python scans every text file for
secrets and every workflow file; then ruff's report arrives and says which files do not parse.
Only those get the (slower, more precise) syntax analyser. Only files where ruff saw a codemod's
problem get LibCST, and only when the caller wants the codemods' fixes: without them a codemod
finding is ruff's detection under the codemod's id, and LibCST parses nothing. ruff's own
syntax-error diagnostics are reported only for a file where the syntax analyser finds nothing
(ruff also flags syntax too new for the configured target version, which Python itself accepts).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from operator import attrgetter
from pathlib import Path, PurePosixPath

from ghbot.engine.analysis.lint import CONFIG_NAMES, PYTHON_SUFFIXES, SYNTAX_RULE, RuffRun
from ghbot.engine.analysis.rules import Selection
from ghbot.engine.analysis.secrets_ignore import ignored_on_line
from ghbot.engine.diff import DiffIndex, FilterMode
from ghbot.engine.files import (
    DEFAULT_MAX_BYTES,
    Listing,
    Skipped,
    excluded,
    load_diff,
    read_files,
    readable_in_tree,
    start_listing,
)
from ghbot.engine.fixes.codemod_catalog import (
    BY_RUFF_RULE,
    CATALOG,
    PREVIEW_PROBES,
    STABLE_PROBES,
)
from ghbot.engine.fixes.codemod_catalog import SOURCE as CODEMOD_SOURCE
from ghbot.engine.isolation import (
    NOT_ANALYSED,
    Failed,
    Limits,
    not_analysed,
    prestart,
    run_isolated,
)
from ghbot.engine.models import Finding, SourceFile

# stage name, files done, files in the stage
ProgressCallback = Callable[[str, int, int], None]
_PROGRESS_EVERY = 200
RUFF_SYNTAX_RULE = "syntax/invalid-syntax"  # ruff's syntax errors, when reported as ours
# The search stops itself after 2 s; the kill is for a search that does not.
_SYNTAX_LIMITS = Limits(seconds=30)
# What a syntax worker imports as it starts: the analyser, a tenth of a second.
_SYNTAX_MODULES = ("ghbot.engine.analysis.syntax",)
_PARALLEL_SYNTAX = 8  # broken files from which a worker per core pays for its start-up


@dataclass(frozen=True, slots=True)
class AnalysisOptions:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    diff_base: str | None = None  # a git ref: only changed files, findings per filter_mode
    filter_mode: FilterMode = FilterMode.ADDED
    max_file_bytes: int = DEFAULT_MAX_BYTES
    secrets_allowlist: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()  # path globs never analysed (the config's analysis.exclude)
    progress: ProgressCallback | None = None
    # Compute codemod fixes (LibCST, seconds on a large tree). Off: codemod findings come from
    # ruff's detection alone, without an edit: what `check` needs to be as fast as ruff.
    codemod_fixes: bool = True
    # Off: ruff's findings carry no snippet, so no stable fingerprint: for a report that shows
    # no fingerprints (check's text), which then skips splitting every file with one into lines.
    fingerprints: bool = True

    @property
    def selection(self) -> Selection:
        return Selection(self.select, self.ignore)


@dataclass(slots=True)
class AnalysisResult:
    root: Path
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    files_checked: int = 0
    diff: DiffIndex | None = None


def _report(options: AnalysisOptions, stage: str, done: int, total: int) -> None:
    if options.progress is not None:
        options.progress(stage, done, total)


def analyse(
    root: Path,
    paths: Sequence[Path] = (),
    options: AnalysisOptions | None = None,
    listing: Listing | None = None,
) -> AnalysisResult:
    """Analyse the files under `paths` (default: all of `root`); paths in findings are relative
    to `root`. `listing`: those paths' listing, started by the caller (`start_listing`). Raises
    files.InputError for a bad argument, lint.RuffError if ruff cannot run."""
    options = options or AnalysisOptions()
    selection = options.selection
    root = root.resolve()
    diff = load_diff(root, options.diff_base) if options.diff_base else None
    only = set(diff.changed_paths()) if diff is not None else None
    listing = listing or start_listing(root, paths)
    names = [n for n in listing.names(only) if not excluded(n, options.exclude)]
    # ruff starts on the names while Python reads the files; what it says about a file the read
    # then skips (binary, too large, not UTF-8) is dropped. It never gets a name it could block
    # on or read outside the tree through (a named pipe, a device, a symlink leaving the tree).
    python_names = [
        name for name in names
        if name.endswith(PYTHON_SUFFIXES) and readable_in_tree(root, name)
    ]  # fmt: skip
    # Always detected, whatever the selection: a codemod's problem is reported under its HEP id
    # (ruff's finding of it is superseded), and the selection then keeps it or not.
    want_codemods = bool(python_names)
    codes = (*selection.ruff_codes(), *(STABLE_PROBES if want_codemods else ()))
    ruff = RuffRun(root, python_names, codes) if python_names else None
    if ruff is not None:
        # A large tree mostly holds a file that does not parse (a test fixture): the worker
        # that analyses it starts now, beside ruff, not after it.
        prestart(_SYNTAX_LIMITS, _SYNTAX_MODULES)
    found = read_files(root, names, max_bytes=options.max_file_bytes)
    result = AnalysisResult(root=root, skipped=found.skipped, diff=diff)
    result.files_checked = len(found.files)
    python = [f for f in found.files if f.path.endswith(PYTHON_SUFFIXES)]
    preview = _start_preview_probes(root, python) if want_codemods else None

    findings: list[Finding] = []
    findings.extend(_scan_text_files(found.files, options))
    texts = {f.path: f.text for f in python}
    commented = _commented_lines(texts)  # while ruff still runs, as is the next
    if ruff is not None:
        suspects = _ruff_may_miss(python)
        _report(options, "ruff", 0, len(python))
        report = ruff.collect(texts, snippets=options.fingerprints)
        _report(options, "ruff", len(python), len(python))
        result.notices.extend(report.notices)
        report.findings = [f for f in report.findings if f.path in texts]
        findings.extend(report.findings)
        # A file ruff crashed on has its finding already; no other parser is given it.
        lost = {f.path for f in report.findings if f.rule == NOT_ANALYSED}
        python = [f for f in python if f.path not in lost]
        findings.extend(_syntax(python, report.syntax_errors, suspects, options))
        if want_codemods:
            parseable = [f for f in python if f.path not in report.syntax_errors]
            hits = [f for f in report.findings if f.rule in BY_RUFF_RULE]
            if preview is not None:
                probed = preview.collect(texts, snippets=options.fingerprints).findings
                hits += probed
                findings.extend(f for f in probed if f.rule == NOT_ANALYSED)
            if options.codemod_fixes:
                findings.extend(_codemods(parseable, _probed_codemods(hits), options))
            else:
                findings.extend(_detected_codemods(hits))
    # Deduplicated before the selection: a ruff finding a codemod's supersedes stays gone when
    # the codemod's is not selected (one problem, one id). A file that could not be analysed is
    # reported whatever the selection and the diff: the rules it was not checked against
    # include the selected ones, on every line.
    findings = _not_ignored_inline(sort_and_dedupe(findings), commented)
    findings = [f for f in findings if f.rule == NOT_ANALYSED or selection.wants(f.rule, f.source)]
    if diff is not None:
        findings = [
            f for f in findings
            if f.rule == NOT_ANALYSED
            or diff.should_report(f.path, f.line, f.end_line, options.filter_mode)
        ]  # fmt: skip
    result.findings = findings
    return result


def _commented_lines(texts: dict[str, str]) -> dict[str, list[str]]:
    """The lines of each Python file that may hold a `# hephaestus: ignore` comment."""
    return {path: text.splitlines() for path, text in texts.items() if "hephaestus" in text}


def _not_ignored_inline(findings: list[Finding], lines: dict[str, list[str]]) -> list[Finding]:
    """Drop the Python findings whose first line says `# hephaestus: ignore[ID]` (or a bare
    `# hephaestus: ignore`), ruff's and the codemods' as the secrets' and workflows' are (those
    analysers check their own); `lines`: from `_commented_lines`. A codemod's finding is also
    silenced by its ruff ids. A file that could not be analysed cannot be silenced this way."""
    if not lines:
        return findings

    def ignored(finding: Finding) -> bool:
        if finding.path not in lines or finding.rule == NOT_ANALYSED:
            return False
        text = lines[finding.path]
        line = text[finding.line - 1] if 0 < finding.line <= len(text) else ""
        info = CATALOG.get(finding.rule)
        aliases = info.ruff_rules if info is not None else ()
        return any(ignored_on_line(line, rule) for rule in (finding.rule, *aliases))

    return [f for f in findings if not ignored(f)]


def analyse_files(
    files: Sequence[SourceFile],
    options: AnalysisOptions | None = None,
    *,
    ruff_configs: Sequence[SourceFile] = (),
) -> AnalysisResult:
    """Analyse files held in memory (e.g. a pull request's, read through the API) by writing
    them to a private temporary tree. Files named like a ruff configuration are scanned as text
    only and never written where ruff would obey them, so the files under judgement cannot
    switch off the rules that judge them; `ruff_configs` (trusted root configuration files, e.g.
    the base branch's) are the only ones ruff sees. Paths in findings are the files' own."""
    options = replace(options or AnalysisOptions(), diff_base=None)
    configs = [f for f in files if PurePosixPath(f.path).name in CONFIG_NAMES]
    import tempfile  # only for files handed over in memory: not on every start

    with tempfile.TemporaryDirectory(prefix="hephaestus-") as tmp:
        root = Path(tmp).resolve()
        written: list[Path] = []
        skipped: list[Skipped] = []
        for file in files:
            if file in configs:
                continue
            parts = PurePosixPath(file.path).parts
            if not parts or file.path.startswith("/") or ".." in parts or "\0" in file.path:
                skipped.append(Skipped(ascii(file.path), "not a relative path in the repository"))
                continue
            target = root.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(file.text, encoding="utf-8", newline="")
            written.append(target)
        for config in ruff_configs:
            name = PurePosixPath(config.path).name
            if name in CONFIG_NAMES:
                (root / name).write_text(config.text, encoding="utf-8", newline="")
        result = analyse(root, written, options) if written else AnalysisResult(root=root)
    result.skipped.extend(skipped)
    extra = _scan_text_files(configs, options)
    result.findings = sort_and_dedupe(
        [*result.findings, *(f for f in extra if options.selection.wants(f.rule, f.source))]
    )
    result.files_checked += len(configs)
    return result


def _scan_text_files(files: Sequence[SourceFile], options: AnalysisOptions) -> list[Finding]:
    from ghbot.engine.analysis.secrets import load_secret_rules, scan_secrets_many
    from ghbot.engine.analysis.workflow_paths import is_workflow_path

    selection = options.selection
    want_secrets = selection.may_want("secrets", "secrets")
    want_workflows = selection.may_want("workflow", "workflows")
    rules = load_secret_rules() if want_secrets else None
    findings: list[Finding] = []
    for start in range(0, len(files), _PROGRESS_EVERY):
        part = files[start : start + _PROGRESS_EVERY]
        if rules is not None:
            findings.extend(scan_secrets_many(part, rules, options.secrets_allowlist))
        workflows = [f for f in part if is_workflow_path(f.path)] if want_workflows else []
        if workflows:
            from ghbot.engine.analysis.workflows import check_workflow

            findings.extend(f for file in workflows for f in check_workflow(file))
        _report(options, "secrets and workflows", start + len(part), len(files))
    return findings


def _ruff_may_miss(python: Sequence[SourceFile]) -> set[str]:
    """The files ruff may call valid although the Python running this does not compile them."""
    from ghbot.engine.analysis.syntax_gate import ruff_misses

    return {f.path for f in python if ruff_misses(f.text)}


def _syntax(
    python: Sequence[SourceFile],
    ruff_errors: dict[str, list[Finding]],
    suspects: set[str],
    options: AnalysisOptions,
) -> list[Finding]:
    """The syntax analyser's findings on the files ruff could not parse or may wrongly accept
    (`suspects`), each file searched in an isolated worker: a search that crashes or runs
    away costs that file (it keeps ruff's own syntax errors, and a `not_analysed` finding says
    what happened)."""
    from ghbot.engine.analysis.syntax_gate import syntax_findings

    broken = [f for f in python if f.path in ruff_errors or f.path in suspects]
    if not broken:
        return []

    def progress(done: int) -> None:
        _report(options, "syntax", done, len(broken))

    workers = (os.cpu_count() or 1) if len(broken) >= _PARALLEL_SYNTAX else 1
    found = run_isolated(
        syntax_findings, broken, workers=workers, limits=_SYNTAX_LIMITS, on_done=progress
    )
    findings: list[Finding] = []
    for file, precise in zip(broken, found, strict=True):
        if isinstance(precise, Failed):
            findings.append(not_analysed(file.path, f"syntax analysis: {precise.reason}"))
            precise = []
        findings.extend(precise or (_as_ours(f) for f in ruff_errors.get(file.path, ())))
    return findings


def _as_ours(finding: Finding) -> Finding:
    rule = RUFF_SYNTAX_RULE if finding.rule == SYNTAX_RULE else finding.rule
    return replace(finding, rule=rule, source="syntax")


def _start_preview_probes(root: Path, python: Sequence[SourceFile]) -> RuffRun | None:
    """A second ruff, isolated and with preview on, for the codemods whose rule is preview-only,
    over only the files that hold their trigger text (None when no file does)."""
    paths = [f.path for f in python if any(i.preview_trigger in f.text for i in PREVIEW_PROBES)]
    if not paths:
        return None
    codes = sorted(rule for info in PREVIEW_PROBES for rule in info.ruff_rules)
    return RuffRun(root, paths, probe=codes)


def _probed_codemods(hits: Sequence[Finding]) -> dict[str, set[str]]:
    """path -> the codemods whose problem ruff saw in that file."""
    found: dict[str, set[str]] = {}
    for hit in hits:
        info = BY_RUFF_RULE.get(hit.rule)
        if info is not None and info.detects(hit):
            found.setdefault(hit.path, set()).add(info.id)
    return found


def _detected_codemods(hits: Sequence[Finding]) -> list[Finding]:
    """Codemod findings straight from ruff's probe hits: same problem, same place, no fix."""
    return [
        replace(
            hit,
            rule=info.id,
            severity=info.severity,
            message=f"{hit.message} ({info.name})",
            source=CODEMOD_SOURCE,
            fix=None,
        )
        for hit in hits
        if (info := BY_RUFF_RULE.get(hit.rule)) is not None and info.detects(hit)
    ]


def _codemods(
    python: Sequence[SourceFile], probed: dict[str, set[str]], options: AnalysisOptions
) -> list[Finding]:
    from ghbot.engine.fixes.codemods.parallel import run_codemods_many

    selection = options.selection
    work = []
    for file in python:
        wanted = {hep for hep in probed.get(file.path, ()) if selection.wants(hep, CODEMOD_SOURCE)}
        if wanted:
            work.append((file, sorted(wanted)))

    def progress(done: int) -> None:
        if done % _PROGRESS_EVERY == 0 or done == len(work):
            _report(options, "codemods", done, len(work))

    return [f for found in run_codemods_many(work, progress) for f in found]


def attach_codemod_fixes(files: Sequence[SourceFile], findings: Sequence[Finding]) -> list[Finding]:
    """`findings`, each codemod finding found without its fix (`codemod_fixes=False`) now with
    it: LibCST runs only on the files those findings are in, for their codemods only, so a
    caller that shows a few findings pays only for those. A finding keeps its identity (place,
    snippet, so its fingerprint) and takes the fix of the innermost site of its codemod that
    holds its start; it stays without one when the codemod declines (e.g. a command built at
    run time for `shell=True`)."""
    wanted: dict[str, set[str]] = {}
    for finding in findings:
        if _needs_fix(finding):
            wanted.setdefault(finding.path, set()).add(finding.rule)
    if not wanted:
        return list(findings)
    from ghbot.engine.fixes.codemods.parallel import run_codemods_many

    work: dict[str, tuple[SourceFile, list[str]]] = {}
    for file in files:
        if file.path in wanted:
            work.setdefault(file.path, (file, sorted(wanted[file.path])))
    sites = {
        file.path: [site for site in found if site.fix is not None]
        for (file, _), found in zip(
            work.values(), run_codemods_many(list(work.values())), strict=True
        )
    }
    fixes: dict[int, Finding] = {}  # id(finding) -> its site
    for path, candidates in sites.items():
        open_sites = list(candidates)
        mine = sorted((f for f in findings if f.path == path and _needs_fix(f)), key=_order)
        for finding in mine:
            start = (finding.line, finding.column)
            holding = [
                s for s in open_sites
                if s.rule == finding.rule
                and (s.line, s.column) <= start < (s.end_line, s.end_column)
            ]  # fmt: skip
            if holding:
                site = max(holding, key=lambda s: (s.line, s.column, -s.end_line, -s.end_column))
                open_sites.remove(site)  # one finding per site
                fixes[id(finding)] = site
    return [replace(f, fix=fixes[id(f)].fix) if id(f) in fixes else f for f in findings]


def _needs_fix(finding: Finding) -> bool:
    return finding.source == CODEMOD_SOURCE and finding.fix is None and finding.rule in CATALOG


# The findings' order: path, position, rule (attrgetter: sorting runs after ruff, over thousands).
_order = attrgetter("path", "line", "column", "rule", "end_line", "end_column", "message")


def sort_and_dedupe(findings: Sequence[Finding]) -> list[Finding]:
    """Stable order (path, position, rule); one finding per rule and range; codemod findings
    replace ruff's findings of the same problem on overlapping lines."""
    superseding: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for finding in findings:
        info = CATALOG.get(finding.rule)
        for code in info.ruff_rules if info is not None else ():
            key = (finding.path, code)
            superseding.setdefault(key, []).append((finding.line, finding.end_line))
    seen: set[tuple[str, str, int, int, int, int]] = set()
    kept: list[Finding] = []
    for finding in sorted(findings, key=_order):
        spans = superseding.get((finding.path, finding.rule), ())
        if finding.source == "ruff" and any(
            start <= finding.end_line and finding.line <= end for start, end in spans
        ):
            continue
        identity = (finding.rule, finding.path, finding.line, finding.column,
                    finding.end_line, finding.end_column)  # fmt: skip
        if identity not in seen:
            seen.add(identity)
            kept.append(finding)
    return kept
