"""HEP109 datetime-utcnow."""

from __future__ import annotations

import libcst as cst

from ghbot.engine.fixes.codemod_catalog import CATALOG
from ghbot.engine.fixes.codemods.base import Change, Codemod, Import, Site, imports_any

_NAIVE_UTC = {
    "datetime.datetime.utcnow": "now",
    "datetime.datetime.utcfromtimestamp": "fromtimestamp",
}


class DatetimeUtcNow(Codemod):
    info = CATALOG["HEP109"]
    patterns = ("utcnow", "utcfromtimestamp")

    @classmethod
    def prefilter(cls, text: str) -> bool:
        return super().prefilter(text) and imports_any(text, "datetime")

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        names = self.qualified(func) & set(_NAIVE_UTC)
        if not names or not isinstance(func, cst.Attribute) or any(arg.star for arg in node.args):
            return
        name = names.pop()
        expected = 0 if name.endswith("utcnow") else 1
        if len(node.args) != expected or any(arg.keyword for arg in node.args):
            return
        klass = func.value
        imports: tuple[Import, ...] = ()
        if isinstance(klass, cst.Attribute) and "datetime" in self.qualified(klass.value):
            # `datetime.datetime.utcnow()` (any alias of the module): reuse the module's name.
            utc: cst.BaseExpression = cst.Attribute(
                cst.Attribute(klass.value, cst.Name("timezone")), cst.Name("utc")
            )
        elif self.binds_elsewhere(node, "timezone", "datetime.timezone"):
            return  # `timezone` means something else here (django.utils.timezone, say)
        else:
            utc = cst.parse_expression("timezone.utc")
            imports = (Import("datetime", "timezone"),)
        method = _NAIVE_UTC[name]

        def rebuild(call: cst.CSTNode) -> cst.CSTNode:
            assert isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
            args = list(call.args)
            if args:
                args[-1] = args[-1].with_changes(
                    comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                )
            return call.with_changes(
                func=call.func.with_changes(attr=cst.Name(method)), args=[*args, cst.Arg(utc)]
            )

        self.sites.append(
            Site(
                node=node,
                message=f"`{name.rsplit('.', 1)[1]}()` returns a naive datetime",
                description=f"Use `{method}(timezone.utc)`, an aware datetime",
                changes=(Change(node, rebuild),),
                imports=imports,
            )
        )
