"""HEP104 bare-except."""

from __future__ import annotations

import libcst as cst

from ghbot.engine.fixes.codemod_catalog import CATALOG
from ghbot.engine.fixes.codemods.base import Change, Codemod, Site


class _ReRaises(cst.CSTVisitor):
    """Finds a bare `raise` in a handler's own body (not in nested functions or classes)."""

    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def visit_Raise(self, node: cst.Raise) -> None:
        if node.exc is None:
            self.found = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


class BareExcept(Codemod):
    METADATA_DEPENDENCIES = ()
    info = CATALOG["HEP104"]
    patterns = ("except:", "except :")

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.type is not None:
            return
        reraises = _ReRaises()
        node.body.visit(reraises)
        caught = "BaseException" if reraises.found else "Exception"

        def rebuild(handler: cst.CSTNode) -> cst.CSTNode:
            assert isinstance(handler, cst.ExceptHandler)
            return handler.with_changes(
                type=cst.Name(caught), whitespace_after_except=cst.SimpleWhitespace(" ")
            )

        self.sites.append(
            Site(
                node=node,
                message="Bare `except:` also catches KeyboardInterrupt and SystemExit",
                description=f"Catch `{caught}`",
                changes=(Change(node, rebuild),),
                applicability="safe" if reraises.found else "unsafe",
                head=len("except"),
            )
        )
