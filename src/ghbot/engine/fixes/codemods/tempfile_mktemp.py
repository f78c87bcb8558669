"""HEP108 tempfile-mktemp."""

from __future__ import annotations

import re

import libcst as cst

from ghbot.engine.fixes.codemod_catalog import CATALOG
from ghbot.engine.fixes.codemods.base import Change, Codemod, Import, Site, imports_any, renamed

_MKTEMP = "tempfile.mktemp"


class TempfileMktemp(Codemod):
    info = CATALOG["HEP108"]
    patterns = ("mktemp",)

    @classmethod
    def prefilter(cls, text: str) -> bool:
        return super().prefilter(text) and imports_any(text, "tempfile")

    def __init__(self) -> None:
        super().__init__()
        self._taken: set[str] = set()

    def visit_Module(self, node: cst.Module) -> None:
        self._taken = set(re.findall(r"\b_fd\d*\b", node.code))

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        if len(node.body) != 1 or not isinstance(node.body[0], cst.Assign):
            return
        assign = node.body[0]
        call = assign.value
        if (
            len(assign.targets) != 1
            or not isinstance(assign.targets[0].target, cst.Name)
            or not isinstance(call, cst.Call)
            or _MKTEMP not in self.qualified(call.func)
        ):
            return
        candidates = (f"_fd{n or ''}" for n in range(len(self._taken) + 1))
        fd = next(name for name in candidates if name not in self._taken)
        target = assign.targets[0].target.value
        imports = [Import("os")]
        if not isinstance(call.func, cst.Attribute):
            imports.append(Import("tempfile", "mkstemp"))

        def rebuild(line: cst.CSTNode) -> cst.FlattenSentinel[cst.CSTNode]:
            assert isinstance(line, cst.SimpleStatementLine)
            old = line.body[0]
            assert isinstance(old, cst.Assign) and isinstance(old.value, cst.Call)
            pair = cst.parse_expression(f"{fd}, {target}")
            assert isinstance(pair, cst.Tuple)
            creates = old.with_changes(
                targets=[cst.AssignTarget(pair)],
                value=old.value.with_changes(func=renamed(old.value.func, "mkstemp")),
            )
            closes = cst.parse_statement(f"os.close({fd})\n")
            return cst.FlattenSentinel([line.with_changes(body=[creates]), closes])

        self.sites.append(
            Site(
                node=call,
                message="`tempfile.mktemp` returns a name another process can take first",
                description="Create the file with `tempfile.mkstemp`",
                changes=(Change(node, rebuild),),
                imports=tuple(imports),
                unused=(Import("tempfile", "mktemp"),),
            )
        )
