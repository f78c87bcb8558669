"""Which Python files need the syntax analyser besides those ruff reports: the ones ruff
accepts although the Python running this does not compile them. Kept apart from the analyser,
whose repair search is imported only when some file needs it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ghbot.engine.models import Finding, SourceFile

# Syntax ruff's parser accepts (Python 3.14's unparenthesized 'except A, B:') but the Python
# this runs on rejects: ruff reports no syntax error there, so such files are compiled as well.
# Unanchored, with the line start checked per hit: `re` tries a MULTILINE `^` at every offset,
# which made this test of every Python file cost as much as reading them (Django: 0.1 s).
_EXCEPT_TUPLE = re.compile(r"except[ \t]+[^:\n(]{1,200},")


def _ruff_accepts(text: str) -> bool:
    if "except" not in text:
        return False
    for hit in _EXCEPT_TUPLE.finditer(text):
        line_start = text.rfind("\n", 0, hit.start()) + 1
        if not text[line_start : hit.start()].strip(" \t"):
            return True
    return False


def ruff_misses(text: str) -> bool:
    """True when ruff may call `text` valid although CPython does not compile it."""
    if not _ruff_accepts(text):
        return False
    from ghbot.engine.analysis.syntax_diagnose import first_error

    return first_error(text) is not None


def syntax_findings(file: SourceFile) -> list[Finding]:
    """The syntax analyser on one file (what an isolated worker runs): the caller that hands it
    over never imports the analyser itself."""
    from ghbot.engine.analysis.syntax import check_syntax

    return check_syntax(file)
