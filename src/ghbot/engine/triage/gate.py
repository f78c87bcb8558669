"""Which of many stdlib patterns can match a line, found in one RE2 pass.

Trying ~70 extractor patterns one by one cost most of the engine's time on real logs (a trigger
line took ~70 `re.search` calls). An RE2 set of the same patterns answers "which of these can
match" in one linear call; only those are then run with `re` for their groups. The set must never
miss a pattern that `re` would match, so:

- lookarounds (which RE2 lacks) are dropped: the set's pattern is a superset, `re` decides;
- a pattern RE2 still cannot compile is always tried;
- only lines of plain ASCII are gated: there `\\w`, `\\d`, `\\s` and `\\b` mean the same in both
  engines, but for `\\v` and the separators `\\x1c`-`\\x1f` (whitespace to `re`, not to RE2).
  Any other line tries every pattern, as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import re2

_LOOKAROUND = re.compile(r"\(\?<?[=!][^()]{0,200}\)")
_RE2_ONLY_SPACE = re.compile(r"[\x0b\x1c-\x1f]")
# RE2 runs a set as a many-match DFA, which never gives up for slowness (RE2 gives up only on
# single-match searches): when the cache fills it is reset and the search goes on. 16 MiB kept
# every extractor on all 403,616 lines of the shared real logs, at ~30 MB less than 64 MiB.
SET_MEMORY = 16 << 20


class Gate:
    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.size = len(patterns)
        self._everything = tuple(range(self.size))
        options = re2.Options()
        options.log_errors = False
        options.max_mem = SET_MEMORY
        self._set = re2.Set.SearchSet(options)
        always: list[int] = []
        positions: list[int] = []  # set index -> pattern index
        for position, pattern in enumerate(patterns):
            source = _LOOKAROUND.sub("", pattern.pattern)
            try:
                re2.compile(source, options)
                self._set.Add(source)
            except re2.error:
                always.append(position)
                continue
            positions.append(position)
        self._positions = tuple(positions)
        self._always = tuple(always)
        if positions:
            self._set.Compile()

    def candidates(self, text: str) -> Sequence[int]:
        """Indexes of the patterns that may match `text`, in order; the others cannot."""
        if not text.isascii() or _RE2_ONLY_SPACE.search(text):
            return self._everything
        found = self._set.Match(text) if self._positions else None
        if not found:
            return self._always
        hits = [self._positions[index] for index in found]
        if self._always:
            hits += self._always
        hits.sort()
        return hits
