"""The import graph of src/ghbot points one way (README, architecture): the engine is pure and
knows nothing of GitHub, HTTP or the app around it, and the GitHub and queue layers never reach
up into what runs on top of them.

Every import counts: at module level, inside functions, under TYPE_CHECKING, relative ones, and
a string literal that names a ghbot module (the tables `importlib.import_module` loads from).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "ghbot"


@dataclass(frozen=True)
class Rule:
    """Modules under `importer` (`pkg.*`: its modules, not the package itself) may import from
    ghbot only what `allowed` names (prefixes), or nothing that `forbidden` names."""

    importer: str
    allowed: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()

    def covers(self, module: str) -> bool:
        if self.importer.endswith(".*"):
            return module.startswith(self.importer[:-1])
        return _under(module, self.importer)

    def breaks(self, imported: str) -> bool:
        if self.allowed:
            return not any(_under(imported, prefix) for prefix in self.allowed)
        return any(_under(imported, prefix) for prefix in self.forbidden)


_ABOVE_LIBRARIES = (
    "ghbot.handlers", "ghbot.services", "ghbot.commands", "ghbot.cli", "ghbot.action",
    "ghbot.server", "ghbot.dispatch", "ghbot.registry", "ghbot.context", "ghbot.setup",
)
RULES = (
    # The root package holds the version and imports nothing, so the engine may read it.
    Rule("ghbot.engine", allowed=("ghbot.engine", "ghbot")),
    Rule("ghbot.github", forbidden=_ABOVE_LIBRARIES),
    Rule("ghbot.jobs", forbidden=_ABOVE_LIBRARIES),
    # The Action is a front door of its own over the engine and the handlers, not over the CLI.
    Rule("ghbot.action", forbidden=("ghbot.cli",)),
    # Commands call services, as handlers do; the comments handler runs them, never the reverse.
    Rule("ghbot.commands", forbidden=("ghbot.handlers", "ghbot.cli", "ghbot.action",
                                      "ghbot.server", "ghbot.dispatch", "ghbot.setup")),
    # Services are the use-cases handlers and commands call: they call no handler.
    Rule("ghbot.services", forbidden=("ghbot.handlers", "ghbot.cli", "ghbot.action",
                                      "ghbot.server", "ghbot.dispatch", "ghbot.setup")),
    # Handlers are thin adapters side by side; only the package's ordered list imports them.
    Rule("ghbot.handlers.*", forbidden=("ghbot.handlers",)),
)


def _under(module: str, prefix: str) -> bool:
    return module == prefix or (prefix != "ghbot" and module.startswith(prefix + "."))


def _modules(package: Path) -> dict[str, Path]:
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> Iterator[tuple[int, str]]:
    """(line, ghbot module) for every import in one module, resolved to the module imported
    (`from ghbot.engine import markers` is ghbot.engine.markers, not ghbot.engine)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                yield node.lineno, submodule if submodule in modules else base
        elif isinstance(node, ast.Constant) and node.value in modules:
            yield node.lineno, node.value


def violations(package: Path, rules: tuple[Rule, ...]) -> list[str]:
    modules = _modules(package)
    found = set()  # one per line and module, however many names the line imports
    for name, path in modules.items():
        for rule in rules:
            if not rule.covers(name):
                continue
            for line, imported in _imports(name, path, modules):
                if imported.partition(".")[0] == "ghbot" and rule.breaks(imported):
                    where = path.relative_to(package.parent)
                    found.add(f"{where}:{line} imports {imported} ({rule.importer})")
    return sorted(found)


def test_the_import_graph_points_one_way():
    assert violations(PACKAGE, RULES) == []


def test_the_root_package_imports_nothing_so_the_engine_may_read_its_version():
    assert [m for _, m in _imports("ghbot", PACKAGE / "__init__.py", _modules(PACKAGE))] == []


def test_every_kind_of_import_is_seen(tmp_path):
    package = tmp_path / "ghbot"
    (package / "engine").mkdir(parents=True)
    (package / "github").mkdir()
    for init in ("__init__.py", "engine/__init__.py", "github/__init__.py"):
        (package / init).write_text("")
    (package / "github" / "client.py").write_text("")
    (package / "engine" / "ok.py").write_text("from ghbot import engine\nimport ghbot\n")
    (package / "github" / "__init__.py").write_text("from ghbot.github import client\n")
    (package / "github" / "app.py").write_text("from . import client\n")
    (package / "engine" / "bad.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    import ghbot.github.client\n"
        "def late():\n"
        "    from ..github import client\n"
        "TABLE = ['ghbot.github.client']\n"
    )
    side_by_side = Rule("ghbot.github.*", forbidden=("ghbot.github",))
    assert violations(package, (*RULES, side_by_side)) == [
        "ghbot/engine/bad.py:3 imports ghbot.github.client (ghbot.engine)",
        "ghbot/engine/bad.py:5 imports ghbot.github.client (ghbot.engine)",
        "ghbot/engine/bad.py:6 imports ghbot.github.client (ghbot.engine)",
        "ghbot/github/app.py:1 imports ghbot.github.client (ghbot.github.*)",
    ]
