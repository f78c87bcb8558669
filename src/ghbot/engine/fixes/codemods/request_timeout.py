"""HEP106 request-without-timeout."""

from __future__ import annotations

import libcst as cst

from ghbot.engine.fixes.codemod_catalog import CATALOG
from ghbot.engine.fixes.codemods.base import (
    Change,
    Codemod,
    Site,
    add_keyword,
    change,
    has_star_args,
    imports_any,
    keyword_arg,
)

DEFAULT_TIMEOUT_SECONDS = 30
_VERBS = ("get", "options", "head", "post", "put", "patch", "delete", "request")
_REQUESTS = {f"requests.{verb}" for verb in _VERBS} | {f"requests.api.{verb}" for verb in _VERBS}
_HTTPX = {f"httpx.{verb}" for verb in (*_VERBS, "stream")} | {"httpx.Client", "httpx.AsyncClient"}


class RequestWithoutTimeout(Codemod):
    info = CATALOG["HEP106"]
    patterns = ("requests", "httpx")  # the import line is checked too

    @classmethod
    def prefilter(cls, text: str) -> bool:
        return super().prefilter(text) and imports_any(text, "requests", "httpx")

    def visit_Call(self, node: cst.Call) -> None:
        names = self.qualified(node.func)
        timeout = keyword_arg(node, "timeout")
        value = cst.Integer(str(DEFAULT_TIMEOUT_SECONDS))
        if names & _REQUESTS and timeout is None and not has_star_args(node):
            self.sites.append(
                Site(
                    node=node,
                    message="`requests` call without a timeout can hang forever",
                    description=f"Add `timeout={DEFAULT_TIMEOUT_SECONDS}`",
                    changes=(change(node, lambda call: add_keyword(call, "timeout", value)),),
                )
            )
        elif (
            names & _HTTPX
            and timeout is not None
            and isinstance(timeout.value, cst.Name)
            and timeout.value.value == "None"
        ):
            self.sites.append(
                Site(
                    node=node,
                    message="`httpx` call with `timeout=None` can hang forever",
                    description=f"Use `timeout={DEFAULT_TIMEOUT_SECONDS}`",
                    changes=(Change(timeout.value, lambda _: value),),
                )
            )
