"""HEP105 open-without-encoding."""

from __future__ import annotations

import libcst as cst

from ghbot.engine.fixes.codemod_catalog import CATALOG
from ghbot.engine.fixes.codemods.base import (
    Codemod,
    Site,
    add_keyword,
    change,
    has_star_args,
    keyword_arg,
    positional,
)

_OPENERS = {"builtins.open", "io.open"}


class OpenWithoutEncoding(Codemod):
    info = CATALOG["HEP105"]
    patterns = ("open(",)

    @classmethod
    def prefilter(cls, text: str) -> bool:
        """An `open(` that is not a method call (`path.open(`), unless it is `io.open(`."""
        at = text.find("open(")
        for _ in range(10_000):  # bounded; past it, let the parser decide
            if at == -1:
                return False
            before = text[at - 1] if at else " "
            if not (before.isalnum() or before in "._") or text[max(0, at - 3) : at] == "io.":
                return True
            at = text.find("open(", at + 5)
        return True

    def visit_Call(self, node: cst.Call) -> None:
        # The syntactic checks first: names are resolved (scope analysis) only if one passes.
        args = positional(node)
        if not args or len(args) >= 4 or has_star_args(node) or keyword_arg(node, "encoding"):
            return
        mode_arg = keyword_arg(node, "mode") or (args[1] if len(args) >= 2 else None)
        if mode_arg is not None:
            mode = mode_arg.value
            if not isinstance(mode, cst.SimpleString):
                return  # a computed mode may be binary
            value = mode.evaluated_value  # bytes for b"..." (another function's argument)
            if not isinstance(value, str) or "b" in value:
                return
        if not self.qualified(node.func) & _OPENERS:
            return
        self.sites.append(
            Site(
                node=node,
                message="`open()` in text mode without an encoding uses the locale's encoding",
                description='Add `encoding="utf-8"`',
                changes=(
                    change(
                        node,
                        lambda call: add_keyword(call, "encoding", cst.SimpleString('"utf-8"')),
                    ),
                ),
            )
        )
