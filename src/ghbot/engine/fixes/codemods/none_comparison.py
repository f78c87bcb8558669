"""HEP102 none-comparison."""

from __future__ import annotations

import libcst as cst

from ghbot.engine.fixes.codemod_catalog import CATALOG
from ghbot.engine.fixes.codemods.base import Change, Codemod, Site

# Where a comparison's result is only tested for truth: `__eq__` returning something that is not
# a bool (a SQL expression, an array) would make no sense here, so `is` means the same thing.
_TRUTH_CONTEXTS = (cst.If, cst.While, cst.Assert, cst.IfExp, cst.CompIf)


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


class NoneComparison(Codemod):
    # The way up comes from the visit's own path to the node: ParentNodeProvider would cost a
    # whole extra traversal of the module, three times what keeping this stack does.
    METADATA_DEPENDENCIES = ()
    info = CATALOG["HEP102"]
    _MAX_NONES = 10_000

    def __init__(self) -> None:
        super().__init__()
        self._path: list[cst.CSTNode] = []  # the module down to the node being visited

    def on_visit(self, node: cst.CSTNode) -> bool:
        self._path.append(node)
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        super().on_leave(original_node)
        self._path.pop()

    @classmethod
    def prefilter(cls, text: str) -> bool:
        """Some `None` has `==`/`!=` beside it (str.find runs at C speed; a regex with a
        character class in front of `None` scans every position in Python's engine)."""
        at = text.find("None")
        for _ in range(cls._MAX_NONES):
            if at == -1:
                return False
            before = text[max(0, at - 40) : at].rstrip()
            after = text[at + 4 : at + 44].lstrip()
            if before.endswith(("==", "!=")) or after.startswith(("==", "!=")):
                return True
            at = text.find("None", at + 4)
        return True  # past the cap: let the parser decide

    def visit_Comparison(self, node: cst.Comparison) -> None:
        left = node.left
        for target in node.comparisons:
            operator = target.operator
            if isinstance(operator, cst.Equal | cst.NotEqual) and (
                _is_none(left) or _is_none(target.comparator)
            ):
                self._report(node, operator)
            left = target.comparator

    def _report(self, node: cst.Comparison, operator: cst.Equal | cst.NotEqual) -> None:
        negated = isinstance(operator, cst.NotEqual)
        word = "is not" if negated else "is"

        def rebuild(op: cst.CSTNode) -> cst.CSTNode:
            assert isinstance(op, cst.Equal | cst.NotEqual)
            if negated:
                return cst.IsNot(
                    whitespace_before=op.whitespace_before, whitespace_after=op.whitespace_after
                )
            return cst.Is(
                whitespace_before=op.whitespace_before, whitespace_after=op.whitespace_after
            )

        self.sites.append(
            Site(
                node=node,
                message=f"Comparison to None with `{'!=' if negated else '=='}`",
                description=f"Use `{word}`",
                changes=(Change(operator, rebuild),),
                applicability="safe" if self._truth_tested(node) else "unsafe",
            )
        )

    def _truth_tested(self, node: cst.CSTNode) -> bool:
        """True when `node` (the node being visited) is only tested for truth."""
        path = self._path
        child = node
        for depth in range(len(path) - 2, max(-1, len(path) - 66), -1):  # bounded: and/or/not
            parent = path[depth]
            if isinstance(parent, cst.BooleanOperation) or (
                isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not)
            ):
                child = parent
                continue
            if isinstance(parent, cst.IfExp):
                return parent.test is child
            return isinstance(parent, _TRUTH_CONTEXTS) and getattr(parent, "test", None) is child
        return False
