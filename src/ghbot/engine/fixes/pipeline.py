"""`fix_file`: syntax repair, then ruff's fixes, then codemods, each re-checked before it stays.

Order: a file that does not parse can be neither linted nor parsed by LibCST, so syntax repair
comes first; ruff's fixes next, then the codemods (one codemod at a time, each on the text the
previous step left).

Ruff's fixes are applied from the edits in its JSON report (the same findings `check` shows)
rather than by `ruff check --fix`: every fix is then accounted for by rule and line, can be
dropped on its own, and the same verification covers ruff and codemods alike. Fixes whose edits
overlap are not applied together; the next round (ruff is asked again) picks them up. A ruff
rule that a selected codemod supersedes (B006, E711, ...) is left to the codemod.

`fix_file_isolated` runs it in an isolated worker: the parsers see the text of a pull request.

Verification: the new text must compile, and no rule may fire more often than before (counted
per rule, so line shifts and changed messages do not look like new findings). A group that fails
is bisected down to single fixes; a single fix that fails is dropped, with the reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from ghbot.engine.fixes.codemod_catalog import CATALOG
from ghbot.engine.fixes.codemod_catalog import SOURCE as CODEMOD_SOURCE
from ghbot.engine.fixes.codemods import CODEMODS, matches, run_codemods
from ghbot.engine.fixes.codemods.base import Codemod
from ghbot.engine.fixes.codemods.runner import apply_codemod, codemod_sites
from ghbot.engine.fixes.syntax_repair import Repair, repair
from ghbot.engine.isolation import Failed, Limits, run_isolated
from ghbot.engine.models import EditConflict, Finding, SourceFile, TextEdit, apply_edits

Linter = Callable[[SourceFile], list[Finding]]
SyntaxRepairer = Callable[[str], list[Repair]]  # ranked, each verified to compile
RUFF_ROUNDS = 4  # ruff is asked again after each round, for fixes that overlapped


@dataclass(frozen=True, slots=True)
class FixOptions:
    select: tuple[str, ...] | None = None  # rule ids, prefixes, sources (syntax/ruff/codemod)
    ignore: tuple[str, ...] = ()  # the same kinds of selector; ignore wins over select
    unsafe: bool = False  # also apply fixes that are otherwise only suggestions
    # Apply a syntax repair that is only a guess (low confidence). The CLI does, for a person
    # who reads the diff; fix commits do not: a guess goes to the review as a suggestion.
    syntax_guesses: bool = True

    def wants(self, rule: str, source: str, name: str = "") -> bool:
        ignored = bool(self.ignore) and matches(self.ignore, rule, source, name)
        return not ignored and matches(self.select, rule, source, name)


@dataclass(frozen=True, slots=True)
class Applied:
    rule: str
    source: str  # syntax, ruff or codemod
    line: int  # in the text the fix applied to
    description: str


@dataclass(frozen=True, slots=True)
class Dropped:
    rule: str
    source: str
    line: int
    reason: str


@dataclass(slots=True)
class FileResult:
    path: str
    before: str
    after: str
    applied: list[Applied] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    problem: str | None = None  # why the file could not be fixed at all

    @property
    def changed(self) -> bool:
        return self.before != self.after


def compiles(text: str) -> bool:
    try:
        compile(text, "<fix>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


P = TypeVar("P")


@dataclass(frozen=True, slots=True)
class _Candidate(Generic[P]):
    rule: str
    source: str
    line: int
    description: str
    payload: P  # edits (ruff) or a site index (codemod)


class _Pipeline:
    def __init__(self, file: SourceFile, options: FixOptions, lint: Linter) -> None:
        self.path = file.path
        self.options = options
        self.lint = lint
        self.result = FileResult(path=file.path, before=file.text, after=file.text)
        # ruff rules whose problem a selected codemod fixes better: leave those to the codemod
        self.superseded = {
            rule
            for info in CATALOG.values()
            if self.wants(info.id, CODEMOD_SOURCE)
            for rule in info.ruff_rules
        }

    def wants(self, rule: str, source: str, name: str = "") -> bool:
        return self.options.wants(rule, source, name)

    def allowed(self, applicability: str) -> bool:
        return applicability == "safe" or self.options.unsafe

    def counts(self, text: str) -> Counter[str]:
        file = SourceFile(self.path, text)
        return Counter(f.rule for f in (*self.lint(file), *run_codemods(file)))

    def choose(
        self,
        base: str,
        candidates: Sequence[_Candidate[P]],
        build: Callable[[list[int]], str | None],
    ) -> str:
        """Apply as many candidates as pass verification; bisect groups that fail."""
        if not candidates:
            return base
        before = self.counts(base)
        accepted: list[int] = []
        text = base

        def attempt(group: list[int]) -> None:
            nonlocal text
            trial = build(accepted + group)
            reason = None if trial is None else self.verify(before, trial)
            if trial is not None and reason is None:
                accepted.extend(group)
                text = trial
            elif len(group) > 1:
                attempt(group[: len(group) // 2])
                attempt(group[len(group) // 2 :])
            elif reason is not None:  # an overlap is no verdict: ruff's next round retries it
                c = candidates[group[0]]
                self.result.dropped.append(Dropped(c.rule, c.source, c.line, reason))

        attempt(list(range(len(candidates))))
        for index in sorted(accepted):
            c = candidates[index]
            self.result.applied.append(Applied(c.rule, c.source, c.line, c.description))
        return text

    def verify(self, before: Counter[str], text: str) -> str | None:
        if not compiles(text):
            return "the result does not parse"
        new = sorted(rule for rule, count in self.counts(text).items() if count > before[rule])
        return f"it introduces {', '.join(new)}" if new else None

    def ruff(self, text: str) -> str:
        for _ in range(RUFF_ROUNDS):
            findings = [
                f for f in self.lint(SourceFile(self.path, text))
                if f.fix is not None and f.fix.edits and self.allowed(f.fix.applicability)
                and self.wants(f.rule, f.source) and f.rule not in self.superseded
            ]  # fmt: skip
            candidates = [
                _Candidate(f.rule, "ruff", f.line, f.fix.description, f.fix.edits)
                for f in findings
                if f.fix is not None
            ]
            base = text

            def build(
                indices: list[int],
                base: str = base,
                candidates: list[_Candidate[tuple[TextEdit, ...]]] = candidates,
            ) -> str | None:
                edits: set[TextEdit] = set()
                for index in indices:
                    edits.update(candidates[index].payload)
                try:
                    return apply_edits(base, sorted(edits, key=lambda e: (e.line, e.column)))
                except EditConflict:
                    return None

            text = self.choose(base, candidates, build)
            if text == base:
                break  # nothing moved: what is left failed verification or keeps overlapping
        return text

    def codemod(self, text: str, codemod: type[Codemod]) -> str:
        sites = codemod_sites(text, codemod)
        candidates = [
            _Candidate(codemod.id, CODEMOD_SOURCE, line, site.description, index)
            for index, (site, line) in enumerate(sites)
            if self.allowed(site.applicability or codemod.applicability)
        ]

        def build(indices: list[int]) -> str | None:
            chosen = {candidates[i].payload for i in indices}
            fixed, _ = apply_codemod(text, codemod, keep=lambda index, _site: index in chosen)
            return fixed

        return self.choose(text, candidates, build)


def fix_file(
    file: SourceFile,
    options: FixOptions,
    lint: Linter,
    repair_syntax: SyntaxRepairer = repair,
) -> FileResult:
    """Fix one file's text; nothing is written (the caller writes `result.after`)."""
    pipeline = _Pipeline(file, options, lint)
    result = pipeline.result
    text = file.text
    if not compiles(text):
        if not pipeline.wants("syntax", "syntax"):
            result.problem = "does not parse, and syntax repair is not selected"
            return result
        repairs = repair_syntax(text)
        if not repairs or not compiles(repairs[0].text):
            result.problem = "does not parse, and no verified syntax repair was found"
            return result
        top = repairs[0]
        if not top.confident and not (options.syntax_guesses or options.unsafe):
            result.problem = (
                f"does not parse; the likeliest repair ({top.description}) is a guess, "
                f"{top.confidence:.0%} sure: offered as a suggestion, not applied"
            )
            return result
        line = min((edit.line for edit in top.edits), default=1)
        guess = "" if top.confident else f" (a guess, {top.confidence:.0%} sure: review it)"
        result.applied.append(Applied("syntax", "syntax", line, top.description + guess))
        text = result.after = top.text
    if _only_syntax(options.select):
        return result
    text = pipeline.ruff(text)
    for codemod in _selected_codemods(pipeline):
        text = pipeline.codemod(text, codemod)
    result.after = text
    return result


# Per file: a few ruff rounds and each codemod with bisected verification.
ISOLATED_LIMITS = Limits(seconds=300)


def fix_file_isolated(file: SourceFile, options: FixOptions, lint: Linter) -> FileResult:
    """`fix_file` in an isolated worker process (`lint` must pickle): a file that crashes a parser
    or runs away comes back unchanged, with the reason as its problem."""
    (result,) = run_isolated(_fix_one, [(file, options, lint)], limits=ISOLATED_LIMITS)
    if isinstance(result, Failed):
        return FileResult(file.path, file.text, file.text, problem=f"could not be analysed: "
                          f"{result.reason}")  # fmt: skip
    return result


def _fix_one(item: tuple[SourceFile, FixOptions, Linter]) -> FileResult:
    return fix_file(*item)


def _only_syntax(select: Iterable[str] | None) -> bool:
    return select is not None and all(s == "syntax" for s in select)


def _selected_codemods(pipeline: _Pipeline) -> list[type[Codemod]]:
    return [c for c in CODEMODS if pipeline.wants(c.id, CODEMOD_SOURCE, c.name)]
