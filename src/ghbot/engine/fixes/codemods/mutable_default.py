"""HEP103 mutable-default-argument."""

from __future__ import annotations

import re

import libcst as cst

from ghbot.engine.fixes.codemod_catalog import CATALOG
from ghbot.engine.fixes.codemods.base import Change, Codemod, Site, change

_EMPTY_CALLS = {"builtins.list", "builtins.dict", "builtins.set"}


def _is_docstring(statement: cst.BaseStatement) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    expr = statement.body[0]
    return isinstance(expr, cst.Expr) and isinstance(
        expr.value, cst.SimpleString | cst.ConcatenatedString
    )


def _guarded_name(statement: cst.BaseStatement) -> str | None:
    """NAME for a statement `if NAME is None: ...`."""
    if not isinstance(statement, cst.If):
        return None
    test = statement.test
    if (
        isinstance(test, cst.Comparison)
        and isinstance(test.left, cst.Name)
        and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].operator, cst.Is)
    ):
        return test.left.value
    return None


def _insert_guard(
    function: cst.FunctionDef,
    name: str,
    default: cst.BaseExpression,
    module: cst.Module,
    earlier: frozenset[str],
) -> cst.CSTNode:
    """`function` whose body starts (after its docstring) with `if name is None: name = default`."""
    guard = cst.parse_statement(
        f"if {name} is None:\n    {name} = {module.code_for_node(default)}\n",
        config=module.config_for_parsing,
    )
    body = function.body
    if isinstance(body, cst.SimpleStatementSuite):  # `def f(x=[]): return x` -> a block
        line = cst.SimpleStatementLine(body=body.body)
        return function.with_changes(
            body=cst.IndentedBlock(header=body.trailing_whitespace, body=[guard, line])
        )
    assert isinstance(body, cst.IndentedBlock)  # the other kind of suite
    statements = list(body.body)
    at = 1 if statements and _is_docstring(statements[0]) else 0
    while at < len(statements) and _guarded_name(statements[at]) in earlier:
        at += 1  # after the guards of earlier parameters, so they stay in parameter order
    statements.insert(at, guard)
    return function.with_changes(body=body.with_changes(body=statements))


class MutableDefaultArgument(Codemod):
    info = CATALOG["HEP103"]
    # A default that is a fresh mutable value: `=[`, `= {`, `=list()` ... (found by their `=`,
    # which the regex engine scans for quickly), preceded by `(` or `,` and a parameter name,
    # maybe annotated. Plain assignments (`x = []`, most of them) do not match. Both bounded.
    _VALUE = re.compile(r"=[ \t]*(?:\[|\{|(?:list|dict|set)\(\))")
    _PARAMETER = re.compile(r"[(,]\s*\w+\s*(?::[^=\n]{0,200})?$")
    _LOOK_BACK = 300
    _MAX_MATCHES = 5000

    @classmethod
    def prefilter(cls, text: str) -> bool:
        for count, match in enumerate(cls._VALUE.finditer(text)):
            start = match.start()
            if count >= cls._MAX_MATCHES or cls._PARAMETER.search(
                text, max(0, start - cls._LOOK_BACK), start
            ):
                return True  # past the cap: let the parser decide
        return False

    def __init__(self) -> None:
        super().__init__()
        self._module: cst.Module | None = None

    def visit_Module(self, node: cst.Module) -> None:
        self._module = node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        params = node.params
        earlier: set[str] = set()
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if param.default is not None and self._mutable(param.default):
                self._report(node, param, frozenset(earlier))
                earlier.add(param.name.value)

    def _mutable(self, value: cst.BaseExpression) -> bool:
        if isinstance(value, cst.List | cst.Dict | cst.Set):
            return True
        return (
            isinstance(value, cst.Call)
            and not value.args
            and bool(self.qualified(value.func) & _EMPTY_CALLS)
        )

    def _report(self, function: cst.FunctionDef, param: cst.Param, earlier: frozenset[str]) -> None:
        assert self._module is not None and param.default is not None
        module, name, default = self._module, param.name.value, param.default
        self.sites.append(
            Site(
                node=default,
                message=f"Mutable default for `{name}` is shared between calls",
                description=f"Default `{name}` to None and create the value in the body",
                changes=(
                    Change(default, lambda _: cst.Name("None")),
                    change(function, lambda f: _insert_guard(f, name, default, module, earlier)),
                ),
            )
        )
