"""Templates and fingerprints: mask what varies between runs so the same failure compares equal.

The normaliser is versioned: changing any mask changes NORMALISER_VERSION, which is part of every
fingerprint, so catalogs can tell "a different failure" from "a different normaliser".
"""

from __future__ import annotations

import functools
import hashlib
import re

NORMALISER_VERSION = "t1"

# Order matters: specific shapes before the generic number mask eats their digits.
_MASKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?"), "<time>"),
    (re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"),
     "<uuid>"),
    (re.compile(r"\b0x[0-9a-fA-F]{1,16}\b"), "<addr>"),
    (re.compile(r"\b(?=[0-9a-f]{0,63}[a-f])(?=[0-9a-f]{0,63}\d)[0-9a-f]{7,64}\b"), "<hash>"),
    (re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b"), "<ip>"),
    (re.compile(r"(?:[A-Za-z]:\\|/)(?:[\w.@+-]{1,100}[/\\]){1,40}(?=[\w.@+-]{1,100})"), "<dir>/"),
    (re.compile(r"\b\d+(?:\.\d+)?\s?(?:ms|s|sec|secs|seconds|m|min|minutes|h)\b"), "<dur>"),
    (re.compile(r"\d+"), "<n>"),
)
_SPACE = re.compile(r"\s+")
TEMPLATE_CHARS = 1000  # of a line, looked at


def template(text: str) -> str:
    """`text` with times, ids, hashes, addresses, directories, durations and numbers masked."""
    return _masked(text[:TEMPLATE_CHARS])


@functools.lru_cache(maxsize=1024)
def _masked(text: str) -> str:
    """Once per text: a message repeated (and each reported failure's fingerprint) masks alike."""
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return _SPACE.sub(" ", text).strip()


def fingerprint(kind: str, category: str, key_text: str) -> str:
    """Stable id of a failure: detector or rule, category and the masked key line."""
    material = "\0".join((NORMALISER_VERSION, kind, category, template(key_text)))
    return f"{NORMALISER_VERSION}-{hashlib.sha256(material.encode()).hexdigest()[:16]}"
