"""The handler layer's shape: thin adapters over services, reading per delivery once."""

from __future__ import annotations

import ast
from pathlib import Path

from handlers.test_fixes import UNUSED_IMPORT, _push_payload, _repo

SRC = Path(__file__).resolve().parents[2] / "src" / "ghbot"
REPO = "octo/app"


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {f"{node.module}.{alias.name}" for alias in node.names} | {node.module}
    return found


def test_no_handler_module_imports_another_and_no_service_imports_a_handler():
    handlers = sorted((SRC / "handlers").glob("*.py"))
    assert len(handlers) > 5
    for path in handlers:
        if path.name == "__init__.py":  # the ordered list imports them all, by design
            continue
        upward = {m for m in _imports(path) if m.startswith("ghbot.handlers")}
        assert upward == set(), f"{path.name} imports {upward}"
    for path in sorted((SRC / "services").glob("*.py")):
        upward = {m for m in _imports(path) if m.startswith("ghbot.handlers")}
        assert upward == set(), f"services/{path.name} imports {upward}"


async def test_a_push_reads_the_repository_config_once_for_all_its_handlers(sandbox, bot):
    _repo(sandbox)
    before = sandbox.ref(REPO, "main")
    head = sandbox.commit(REPO, "main", {"app/a.py": UNUSED_IMPORT}, author="alice")
    payload = _push_payload(sandbox, REPO, before, head)
    payload["commits"][0]["added"] = ["docs/runbooks/new.md"]  # link_runbooks reads it too
    status, _ = await bot.deliver("push", payload)
    assert status == 202
    await bot.settle()
    reads = sandbox.calls("GET", f"/repos/{REPO}/contents/.github/hephaestus.yml")
    assert len(reads) == 1
