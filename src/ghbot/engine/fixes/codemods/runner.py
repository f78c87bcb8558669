"""`run_codemods`: one finding per site, each with the minimal edit that fixes it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

import libcst as cst
from libcst.metadata import (
    BaseMetadataProvider,
    CodePosition,
    CodeRange,
    MetadataWrapper,
    PositionProvider,
    WhitespaceInclusivePositionProvider,
)

from ghbot.engine.fixes.codemod_catalog import SOURCE
from ghbot.engine.fixes.codemods.base import Codemod, Site, apply_sites, apply_within
from ghbot.engine.fixes.codemods.registry import selected
from ghbot.engine.fixes.patch import edits_between
from ghbot.engine.models import Finding, Fix, SourceFile, TextEdit, line_offsets

# A site whose fix touches more than its own node (imports, several nodes) is fixed by
# re-rendering the whole module: bounded per file, so a file with thousands of such sites cannot
# stall the analysis (the rest are reported without a fix; `hephaestus fix` applies them all).
MAX_MODULE_FIXES = 20

# Where a site's edit may be read off: positions from this provider, of the node keyed on, the
# node whose text is compared, and that node rendered with the fix (None: it cannot be).
_Placement = tuple[
    type[BaseMetadataProvider[CodeRange]],
    cst.CSTNode,
    cst.CSTNode,
    Callable[[], cst.CSTNode | None],
]


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
    budget = [MAX_MODULE_FIXES]
    offsets: list[int] = []
    for codemod in codemods:
        for site in codemod.find(wrapper):
            offsets = offsets or line_offsets(file.text)
            findings.append(_finding(file, wrapper, codemod, site, budget, offsets))
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
    file: SourceFile,
    wrapper: MetadataWrapper,
    codemod: type[Codemod],
    site: Site,
    budget: list[int],  # whole-module fixes left for this file
    offsets: list[int],  # line starts of file.text
) -> Finding:
    span: CodeRange = wrapper.resolve(PositionProvider)[site.node]
    if site.head is not None:
        span = CodeRange(span.start, CodePosition(span.start.line, span.start.column + site.head))
    edits = _local_edits(wrapper, site, file.text, offsets)
    if edits is None and budget[0] > 0:
        budget[0] -= 1
        edits = edits_between(file.text, apply_sites(wrapper.module, [site]))
    fix = None
    if edits is not None:
        fix = Fix(
            description=site.description,
            edits=edits,
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


def _local_edits(
    wrapper: MetadataWrapper, site: Site, text: str, offsets: list[int]
) -> tuple[TextEdit, ...] | None:
    """The site's edits from re-rendering only the node it changes (a whole-module transform per
    site made a file with hundreds of sites take minutes); None when the fix reaches further, or
    when no rendering is exactly the text at its position (whitespace a parent owns), so the
    edit could be misplaced."""
    if site.imports or site.unused or len(site.changes) != 1:
        return None
    (change,) = site.changes
    rebuilt = change.rebuild(change.node)
    if not isinstance(rebuilt, cst.CSTNode):
        return None  # removed or flattened into several nodes: the parent's layout changes
    module = wrapper.module
    # The changed node, else the site's node around it (an operator owns the spaces beside it,
    # outside its syntactic span), both by syntactic position, which the finding resolved
    # already; whitespace-inclusive positions, a second pass over the module, come last.
    around = _bare(site.node)
    tries: list[_Placement] = [(PositionProvider, change.node, change.node, lambda: rebuilt)]
    if site.node is not change.node:
        tries.append((PositionProvider, site.node, around, lambda: apply_within(around, [change])))
    tries.append((WhitespaceInclusivePositionProvider, change.node, change.node, lambda: rebuilt))
    for provider, key, node, render in tries:
        span = wrapper.resolve(provider)[key]
        start = offsets[span.start.line - 1] + span.start.column
        end = offsets[span.end.line - 1] + span.end.column
        before = module.code_for_node(node)
        if text[start:end] == before and (after := render()) is not None:
            return tuple(
                _shifted(edit, span.start)
                for edit in edits_between(before, module.code_for_node(after))
            )
    return None


def _bare(node: cst.CSTNode) -> cst.CSTNode:
    """`node` without its own parentheses, which its syntactic position leaves out (a shallow
    copy: the nodes inside are the same objects, so changes keyed on them still apply)."""
    if getattr(node, "lpar", None) or getattr(node, "rpar", None):
        return node.with_changes(lpar=(), rpar=())
    return node


def _shifted(edit: TextEdit, start: CodePosition) -> TextEdit:
    """`edit`, made relative to a snippet beginning at `start`, placed in the whole file."""

    def at(line: int, column: int) -> tuple[int, int]:
        return start.line + line - 1, column + start.column if line == 1 else column

    line, column = at(edit.line, edit.column)
    end_line, end_column = at(edit.end_line, edit.end_column)
    return replace(edit, line=line, column=column, end_line=end_line, end_column=end_column)
