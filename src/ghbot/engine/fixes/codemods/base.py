"""What every codemod shares: the Site it reports, the way sites are applied, and name lookup.

A codemod is a LibCST visitor that only *finds* sites; each site carries the node rewrites that
fix it. The same sites serve two callers: the review (one finding per site, with the minimal edit
for a suggestion block) and `hephaestus fix` (several sites applied to one module). Rewrites are
functions of the node as rebuilt so far, so a fix inside another fix's node composes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import ClassVar, TypeVar

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.metadata import MetadataWrapper, ProviderT, QualifiedNameProvider, ScopeProvider

from ghbot.engine.fixes.codemod_catalog import CodemodInfo
from ghbot.engine.models import Applicability, Severity

Rebuilt = cst.CSTNode | cst.FlattenSentinel[cst.CSTNode]
Rebuild = Callable[[cst.CSTNode], Rebuilt]
N = TypeVar("N", bound=cst.CSTNode)


@dataclass(frozen=True, slots=True)
class Change:
    """Replace `node` (a node of the parsed module) with `rebuild(node as rebuilt so far)`."""

    node: cst.CSTNode
    rebuild: Rebuild


def change(node: N, rebuild: Callable[[N], Rebuilt]) -> Change:
    """A Change whose `rebuild` gets the rebuilt node as the type of `node`: rebuilding a node
    replaces its children, never its type."""
    kind = type(node)

    def typed(rebuilt: cst.CSTNode) -> Rebuilt:
        if not isinstance(rebuilt, kind):
            raise TypeError(f"a {kind.__name__} was rebuilt as a {type(rebuilt).__name__}")
        return rebuild(rebuilt)

    return Change(node, typed)


@dataclass(frozen=True, slots=True)
class Import:
    """An import the fix needs: `import module`, or `from module import name` when named."""

    module: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Site:
    """One place a codemod fixes; `node` is what the finding points at."""

    node: cst.CSTNode
    message: str
    description: str  # what the fix does, imperative: "Use `yaml.safe_load`"
    changes: tuple[Change, ...]
    imports: tuple[Import, ...] = ()
    unused: tuple[Import, ...] = ()  # imports to remove if the fix leaves them unused
    applicability: Applicability | None = None  # None: the codemod's own
    head: int | None = None  # the finding covers only the node's first `head` characters


class Codemod(cst.CSTVisitor):
    """Base class: subclasses set the class attributes and append to `self.sites` while visiting.

    `patterns` are plain substrings: a file that holds none of them cannot have a site, so it is
    never parsed by LibCST (which costs about 14 times `ast.parse`).
    """

    # Metadata costs more than parsing (scope analysis about 20x): each codemod declares only what
    # it uses, and `find` resolves it on first use, so a file where no node passes a codemod's
    # cheap syntactic checks never pays for scopes. Positions are resolved by the runner, and
    # only for a file with sites.
    METADATA_DEPENDENCIES: ClassVar[tuple[type, ...]] = (QualifiedNameProvider, ScopeProvider)

    info: ClassVar[CodemodInfo]  # identity, from the LibCST-free catalog
    id: ClassVar[str]
    name: ClassVar[str]
    applicability: ClassVar[Applicability]
    severity: ClassVar[Severity]
    patterns: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.id, cls.name = cls.info.id, cls.info.name
        cls.__doc__ = cls.info.doc
        cls.applicability, cls.severity = cls.info.applicability, cls.info.severity

    def __init__(self) -> None:
        super().__init__()
        self.sites: list[Site] = []

    @classmethod
    def prefilter(cls, text: str) -> bool:
        return any(pattern in text for pattern in cls.patterns)

    @classmethod
    def find(cls, wrapper: MetadataWrapper) -> list[Site]:
        visitor = cls()
        visitor.metadata = _OnDemand(wrapper, visitor.get_inherited_dependencies())
        try:
            wrapper.module.visit(visitor)
        finally:
            visitor.metadata = {}
        return visitor.sites

    def qualified(self, node: cst.CSTNode) -> set[str]:
        """Fully qualified names `node` may refer to, through imports and aliases."""
        names = self.get_metadata(QualifiedNameProvider, node, set())
        return {name.name for name in names}

    def binds_elsewhere(self, node: cst.CSTNode, name: str, meaning: str) -> bool:
        """True when `name`, seen from `node`'s scope, is bound to something but `meaning`."""
        scope = self.get_metadata(ScopeProvider, node, None)
        if scope is None or name not in scope:
            return False
        return {q.name for q in scope.get_qualified_names_for(name)} != {meaning}


class _OnDemand(Mapping[ProviderT, Mapping[cst.CSTNode, object]]):
    """A visitor's metadata, each provider resolved (and cached by the wrapper) when first read:
    what `MetadataWrapper.visit` resolves up front."""

    def __init__(self, wrapper: MetadataWrapper, providers: Collection[ProviderT]) -> None:
        self._wrapper, self._providers = wrapper, providers

    def __getitem__(self, provider: ProviderT) -> Mapping[cst.CSTNode, object]:
        if provider not in self._providers:
            raise KeyError(provider)
        return self._wrapper.resolve(provider)

    def __iter__(self) -> Iterator[ProviderT]:
        return iter(self._providers)

    def __len__(self) -> int:
        return len(self._providers)

    def __contains__(self, provider: object) -> bool:
        return provider in self._providers


@cache
def _import_line(modules: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(re.escape(m) for m in modules)
    # one line, so backtracking is bounded by the line's length
    return re.compile(rf"^[ \t]*(?:import|from)[ \t][^\n]*\b(?:{names})\b", re.MULTILINE)


def imports_any(text: str, *modules: str) -> bool:
    """True when an `import`/`from` line names one of the modules: a codemod keyed on qualified
    names (`yaml.load`) cannot have a site in a file that never imports the module."""
    return any(m in text for m in modules) and _import_line(modules).search(text) is not None


class _Replacer(cst.CSTTransformer):
    def __init__(self, changes: list[Change]) -> None:
        super().__init__()
        self._rebuilds: dict[int, list[Rebuild]] = {}
        for change in changes:
            self._rebuilds.setdefault(id(change.node), []).append(change.rebuild)

    # libcst types on_leave as giving back a node of the type it got; a rewrite may answer with
    # another kind of node (`x == None` -> `x is None`), which libcst accepts at run time.
    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> Rebuilt:
        result: Rebuilt = updated_node
        for rebuild in self._rebuilds.get(id(original_node), ()):
            if not isinstance(result, cst.CSTNode):
                break  # split into several statements: the node the next rewrite wants is gone
            result = rebuild(result)
        return result


def apply_within(node: cst.CSTNode, changes: list[Change]) -> cst.CSTNode | None:
    """`node` rebuilt with the changes inside it applied; None if it would be removed or split."""
    rebuilt = node.visit(_Replacer(changes))
    return rebuilt if isinstance(rebuilt, cst.CSTNode) else None


def apply_sites(module: cst.Module, sites: list[Site]) -> str:
    """The module's code with every site's changes and imports applied."""
    changed = module.visit(_Replacer([change for site in sites for change in site.changes]))
    imports = {imp for site in sites for imp in site.imports}
    if imports:
        context = CodemodContext()
        for imp in sorted(imports, key=lambda i: (i.module, i.name or "")):
            AddImportsVisitor.add_needed_import(context, imp.module, imp.name)
        changed = AddImportsVisitor(context).transform_module(changed)
    unused = {imp for site in sites for imp in site.unused}
    if unused:
        context = CodemodContext()
        for imp in sorted(unused, key=lambda i: (i.module, i.name or "")):
            RemoveImportsVisitor.remove_unused_import(context, imp.module, imp.name)
        changed = RemoveImportsVisitor(context).transform_module(changed)
    return changed.code


def add_keyword(call: cst.Call, keyword: str, value: cst.BaseExpression) -> cst.Call:
    """`call` with `keyword=value` appended, keeping a trailing comma and multi-line layout."""
    new_arg = cst.Arg(
        value=value,
        keyword=cst.Name(keyword),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )
    args = list(call.args)
    if not args:
        return call.with_changes(args=[new_arg])
    last = args[-1]
    if isinstance(last.comma, cst.Comma):  # trailing comma: the new argument inherits it
        before_args = call.whitespace_before_args
        spacing = (
            before_args
            if isinstance(before_args, cst.ParenthesizedWhitespace)
            else cst.SimpleWhitespace(" ")
        )
        args[-1] = last.with_changes(comma=last.comma.with_changes(whitespace_after=spacing))
        new_arg = new_arg.with_changes(comma=last.comma)
    else:
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    return call.with_changes(args=[*args, new_arg])


def remove_arg(call: cst.Call, index: int) -> cst.Call:
    """`call` without its argument at `index`; the argument before it takes over its comma."""
    args = list(call.args)
    removed = args.pop(index)
    if index == len(args) and args:  # removed the last one: keep the call's trailing style
        args[-1] = args[-1].with_changes(comma=removed.comma)
    return call.with_changes(args=args)


def keyword_arg(call: cst.Call, keyword: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg
    return None


def has_star_args(call: cst.Call) -> bool:
    return any(arg.star for arg in call.args)


def positional(call: cst.Call) -> list[cst.Arg]:
    return [arg for arg in call.args if arg.keyword is None and not arg.star]


def renamed(func: cst.BaseExpression, name: str) -> cst.BaseExpression:
    """`mod.old` -> `mod.name`; a bare `old` -> `name` (the caller adds the import)."""
    if isinstance(func, cst.Attribute):
        return func.with_changes(attr=cst.Name(name))
    return cst.Name(name)
