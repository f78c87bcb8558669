"""The offset of a RE2 pattern's first match, without the binding's match objects.

Triage's scan asks it once per trigger line of a log, the redaction of every excerpt once per
line holding a secret keyword: the binding's `search` builds a generator and a match object per
call, about half the cost of such a loop.
"""

from __future__ import annotations

from collections.abc import Callable

import re2

First = Callable[[bytes, int, int], int]


def first_match(pattern: re2._Regexp) -> First:
    """`first(buf, pos, end)`: the offset of the pattern's first match in buf[pos:end], or -1.

    RE2's matcher is called directly when the binding exposes it, as google-re2 1.x does, else
    `search` answers.
    """
    matcher = getattr(getattr(pattern, "_regexp", None), "Match", None)
    unanchored = getattr(getattr(re2, "_Anchor", None), "UNANCHORED", None)
    if matcher is not None and unanchored is not None:

        def direct(buf: bytes, pos: int, end: int) -> int:
            start: int = matcher(unanchored, buf, pos, end)[0][0]
            return start

        return direct

    def public(buf: bytes, pos: int, end: int) -> int:
        found = pattern.search(buf, pos, end)
        return -1 if found is None else int(found.start())

    return public
