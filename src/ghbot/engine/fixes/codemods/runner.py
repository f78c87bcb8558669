"""`run_codemods`: one finding per site, each with the minimal edit that fixes it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider

from ghbot.engine.fixes.codemods.base import Codemod, Site, apply_sites
from ghbot.engine.fixes.codemods.registry import SOURCE, selected
from ghbot.engine.fixes.patch import edits_between
from ghbot.engine.models import Finding, Fix, SourceFile


def parse(text: str) -> cst.Module | None:
    """The LibCST module, or None for text LibCST cannot parse (syntax errors are another
    analyser's business)."""
    try:
        return cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return None


def run_codemods(file: SourceFile, select: Iterable[str] | None = None) -> list[Finding]:
    """Findings of the selected codemods on `file`; none for a file that does not parse."""
    codemods = [c for c in selected(select) if c.prefilter(file.text)]
    if not codemods:
        return []
    module = parse(file.text)
    if module is None:
        return []
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    findings: list[Finding] = []
    for codemod in codemods:
        for site in codemod.find(wrapper):
            findings.append(_finding(file, wrapper, codemod, site))
    findings.sort(key=lambda f: (f.line, f.column, f.rule))
    return findings


def codemod_sites(text: str, codemod: type[Codemod]) -> list[tuple[Site, int]]:
    """One codemod's sites in `text` with their line, in a deterministic order (none if the text
    does not parse)."""
    if not codemod.prefilter(text):
        return []
    module = parse(text)
    if module is None:
        return []
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    sites = codemod.find(wrapper)
    if not sites:
        return []
    positions = wrapper.resolve(PositionProvider)
    return [(site, positions[site.node].start.line) for site in sites]


def apply_codemod(
    text: str, codemod: type[Codemod], keep: Callable[[int, Site], bool] | None = None
) -> tuple[str, list[Site]]:
    """`text` with the codemod's sites applied (those `keep(index, site)` accepts), and the sites
    applied. Site order is deterministic, so indices found once address the same sites again."""
    if not codemod.prefilter(text):
        return text, []
    module = parse(text)
    if module is None:
        return text, []
    sites = codemod.find(MetadataWrapper(module, unsafe_skip_copy=True))
    chosen = [site for index, site in enumerate(sites) if keep is None or keep(index, site)]
    if not chosen:
        return text, []
    return apply_sites(module, chosen), chosen


def _finding(
    file: SourceFile, wrapper: MetadataWrapper, codemod: type[Codemod], site: Site
) -> Finding:
    span: CodeRange = wrapper.resolve(PositionProvider)[site.node]
    if site.head is not None:
        span = CodeRange(span.start, CodePosition(span.start.line, span.start.column + site.head))
    fixed = apply_sites(wrapper.module, [site])
    fix = Fix(
        description=site.description,
        edits=edits_between(file.text, fixed),
        applicability=site.applicability or codemod.applicability,
    )
    snippet = wrapper.module.code_for_node(site.node)[: site.head]
    return Finding(
        rule=codemod.id,
        severity=codemod.severity,
        message=f"{site.message} ({codemod.name})",
        path=file.path,
        line=span.start.line,
        column=span.start.column + 1,
        end_line=span.end.line,
        end_column=span.end.column + 1,
        source=SOURCE,
        fix=fix,
        snippet=snippet,
    )
