"""HEP101 yaml-unsafe-load."""

from __future__ import annotations

import libcst as cst

from ghbot.engine.fixes.codemod_catalog import CATALOG
from ghbot.engine.fixes.codemods.base import (
    Codemod,
    Import,
    Site,
    change,
    imports_any,
    keyword_arg,
    positional,
    renamed,
)

# Loading functions that build arbitrary Python objects, and their safe counterparts.
_UNSAFE_FUNCTIONS = {
    "yaml.load": "safe_load",
    "yaml.load_all": "safe_load_all",
    "yaml.unsafe_load": "safe_load",
    "yaml.unsafe_load_all": "safe_load_all",
    "yaml.full_load": "safe_load",
    "yaml.full_load_all": "safe_load_all",
}
_UNSAFE_LOADERS = {
    "yaml.Loader": "SafeLoader",
    "yaml.UnsafeLoader": "SafeLoader",
    "yaml.FullLoader": "SafeLoader",
    "yaml.CLoader": "CSafeLoader",
    "yaml.CUnsafeLoader": "CSafeLoader",
    "yaml.CFullLoader": "CSafeLoader",
}


class YamlUnsafeLoad(Codemod):
    info = CATALOG["HEP101"]
    patterns = ("load",)

    @classmethod
    def prefilter(cls, text: str) -> bool:
        return super().prefilter(text) and imports_any(text, "yaml")

    def visit_Call(self, node: cst.Call) -> None:
        names = self.qualified(node.func)
        function = next((n for n in sorted(names) if n in _UNSAFE_FUNCTIONS), None)
        if function is None:
            return
        loader = keyword_arg(node, "Loader")
        args = positional(node)
        if loader is None and len(args) >= 2:
            loader = args[1]
        if loader is None:
            self._replace_function(node, function)
            return
        loader_name = next(
            (n for n in sorted(self.qualified(loader.value)) if n in _UNSAFE_LOADERS), None
        )
        if loader_name is not None:
            self._replace_loader(node, loader, loader_name)

    def _replace_function(self, node: cst.Call, function: str) -> None:
        safe = _UNSAFE_FUNCTIONS[function]
        func = node.func
        imports = () if isinstance(func, cst.Attribute) else (Import("yaml", safe),)
        self.sites.append(
            Site(
                node=node,
                message=f"`{function}` can construct arbitrary Python objects from the document",
                description=f"Use `yaml.{safe}`",
                changes=(change(func, lambda f: renamed(f, safe)),),
                imports=imports,
                unused=() if not imports else (Import("yaml", function.rsplit(".", 1)[1]),),
                # load()/load_all() without a Loader fail on PyYAML 6; the others were chosen.
                applicability="safe" if function in {"yaml.load", "yaml.load_all"} else "unsafe",
            )
        )

    def _replace_loader(self, node: cst.Call, loader: cst.Arg, loader_name: str) -> None:
        safe = _UNSAFE_LOADERS[loader_name]
        value = loader.value
        imports = () if isinstance(value, cst.Attribute) else (Import("yaml", safe),)
        self.sites.append(
            Site(
                node=node,
                message=f"`{loader_name}` can construct arbitrary Python objects from the document",
                description=f"Use `yaml.{safe}`",
                changes=(change(value, lambda v: renamed(v, safe)),),
                imports=imports,
                unused=() if not imports else (Import("yaml", loader_name.rsplit(".", 1)[1]),),
                applicability="unsafe",
            )
        )
