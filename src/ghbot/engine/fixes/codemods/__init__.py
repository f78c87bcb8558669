"""LibCST codemods: small, idempotent, formatting-preserving rewrites with a stable id each.

`run_codemods(file)` returns one Finding per site with the minimal edit that fixes it; `CODEMODS`
is the registry (README's rule table is generated from it).
"""

from ghbot.engine.fixes.codemods.base import Codemod
from ghbot.engine.fixes.codemods.registry import CODEMODS, matches, selected
from ghbot.engine.fixes.codemods.runner import run_codemods

__all__ = ["CODEMODS", "Codemod", "matches", "run_codemods", "selected"]
