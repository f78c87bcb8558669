"""Templates and fingerprints: mask what varies between runs so the same failure compares equal.

The normaliser is versioned: changing any mask changes NORMALISER_VERSION, which is part of every
fingerprint, so catalogs can tell "a different failure" from "a different normaliser".
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable

NORMALISER_VERSION = "t1"

# Order matters: specific shapes before the generic number mask eats their digits. Each mask
# runs only on a text that holds what all its matches hold (a digit; `-` and `:` in a time; ...):
# a mask tried over a line costs ~5 us, most lines need few of them, and masking inserts none of
# those characters, so a text without them stays without.
_MASKS: tuple[tuple[re.Pattern[str], str, bool, Callable[[str], bool]], ...] = (
    (re.compile(r"\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?"), "<time>",
     True, lambda text: "-" in text and ":" in text),
    (re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"),
     "<uuid>", False, lambda text: "-" in text),
    (re.compile(r"\b0x[0-9a-fA-F]{1,16}\b"), "<addr>", True, lambda text: "0x" in text),
    (re.compile(r"\b(?=[0-9a-f]{0,63}[a-f])(?=[0-9a-f]{0,63}\d)[0-9a-f]{7,64}\b"), "<hash>", True,
     bool),
    (re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b"), "<ip>", True,
     lambda text: "." in text),
    (re.compile(r"(?:[A-Za-z]:\\|/)(?:[\w.@+-]{1,100}[/\\]){1,40}(?=[\w.@+-]{1,100})"), "<dir>/",
     False, lambda text: "/" in text or "\\" in text),
    (re.compile(r"\b\d+(?:\.\d+)?\s?(?:ms|s|sec|secs|seconds|m|min|minutes|h)\b"), "<dur>", True,
     bool),
    (re.compile(r"\d+"), "<n>", True, bool),
)
_DIGIT = re.compile(r"\d")
TEMPLATE_CHARS = 1000  # of a line, looked at


def template(text: str) -> str:
    """`text` with times, ids, hashes, addresses, directories, durations and numbers masked."""
    return _masked(text[:TEMPLATE_CHARS])


@functools.lru_cache(maxsize=1024)
def _masked(text: str) -> str:
    """Once per text: a message repeated (and each reported failure's fingerprint) masks alike."""
    digits = _DIGIT.search(text) is not None
    for pattern, replacement, needs_digit, holds in _MASKS:
        if (digits or not needs_digit) and holds(text):
            text = pattern.sub(replacement, text)
    return " ".join(text.split())  # `\s+` runs as one space, none at the ends


def fingerprint(kind: str, category: str, key_text: str) -> str:
    """Stable id of a failure: detector or rule, category and the masked key line."""
    material = "\0".join((NORMALISER_VERSION, kind, category, template(key_text)))
    return f"{NORMALISER_VERSION}-{hashlib.sha256(material.encode()).hexdigest()[:16]}"
