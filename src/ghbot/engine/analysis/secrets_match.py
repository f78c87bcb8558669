"""Finding secrets in text: keyword prefilter, per-line regexes, entropy and placeholder filters.

Shared by `scan_secrets` (findings in source files) and `redact` (masking text the bot posts).
Speed comes from the prefilter: the text is lower-cased once and each rule keyword is located
with `str.find`, which runs at memory speed; a rule's regex then runs only over the lines that
hold one of its keywords. Every rule pattern is bounded, so the cost per line is bounded too.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

from ghbot.engine.analysis.secrets_rules import Allowlist, SecretRule

_BASE64_LINE = re.compile(r"[A-Za-z0-9+/=]{16,}")
# A value that only names something (`YOUR_API_KEY`, `settings.token`) rather than holding it.
_IDENTIFIER_ONLY = re.compile(r"[A-Za-z]+[0-9]{0,3}(?:[._-][A-Za-z]+[0-9]{0,3})*")
# A file path or URL (`admin/password_form.html`, `https://example.com/token`).
_PATH_OR_URL = re.compile(r"[a-z][a-z0-9+.-]{1,20}://\S*|[\w.-]*/[\w./-]*\.[A-Za-z]{1,5}")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True, slots=True)
class SecretMatch:
    rule: SecretRule
    start: int  # character offsets of the secret itself in the text
    end: int
    secret: str


def shannon_entropy(value: str) -> float:
    """Bits per character of `value` under its own character frequencies."""
    if not value:
        return 0.0
    length = len(value)
    return -sum(n / length * math.log2(n / length) for n in Counter(value).values())


def is_placeholder(secret: str, placeholder_words: tuple[str, ...]) -> bool:
    lower = secret.lower()
    if any(word in lower for word in placeholder_words):
        return True
    if len(set(lower)) <= 3:  # xxxx, ****, 0000, abab
        return True
    if _PATH_OR_URL.fullmatch(secret) or _has_sequence(lower):
        return True
    return _IDENTIFIER_ONLY.fullmatch(secret) is not None and (
        secret.isupper() or secret.islower() or not secret.isalpha()
    )


def _has_sequence(lower: str, length: int = 6) -> bool:
    """A run like `bcdefg` or `123456`: typed by a person, vanishingly rare in a random key."""
    return any(_ALPHABET[i : i + length] in lower for i in range(len(_ALPHABET) - length + 1))


def mask(secret: str, keep_prefix: int = 0, *, show_tail: bool) -> str:
    """A form of `secret` safe to print: the public format prefix, then `…`, then (for
    findings, on long secrets) the last four characters so a person can tell keys apart."""
    head = secret[:keep_prefix] if len(secret) >= keep_prefix + 8 else ""
    tail = secret[-4:] if show_tail and len(secret) - len(head) >= 16 else ""
    return f"{head}…{tail}"


def find_secrets(
    text: str,
    rules: tuple[SecretRule, ...],
    placeholder_words: tuple[str, ...],
    allowlist: Allowlist,
) -> list[SecretMatch]:
    """Every secret in `text`, in text order; where two rules match overlapping text, the rule
    listed first wins (specific formats are listed before generic guesses)."""
    if not text or not rules:
        return []
    windows = _candidate_windows(text, rules)
    found: list[tuple[int, int, SecretMatch]] = []
    for index, rule in enumerate(rules):
        for start, end in windows.get(index, ()):
            for match in rule.regex.finditer(text, start, end):
                secret_start, secret_end = match.span("secret")
                secret = match.group("secret")
                if not secret or not _accepted(rule, secret, placeholder_words, allowlist):
                    continue
                if rule.block_end is not None:
                    secret_end = _block_end(text, rule, secret_end)
                    secret = text[secret_start:secret_end]
                found.append(
                    (index, secret_start, SecretMatch(rule, secret_start, secret_end, secret))
                )
    found.sort(key=lambda item: item[0])  # priority order: the first of overlapping matches wins
    starts: list[int] = []  # the kept matches, sorted and never overlapping
    kept: list[SecretMatch] = []
    for _, _, match in found:
        at = bisect_left(starts, match.start)
        if at > 0 and kept[at - 1].end > match.start:
            continue
        if at < len(kept) and kept[at].start < match.end:
            continue
        starts.insert(at, match.start)
        kept.insert(at, match)
    return kept


def _accepted(
    rule: SecretRule, secret: str, placeholder_words: tuple[str, ...], allowlist: Allowlist
) -> bool:
    if rule.min_entropy and shannon_entropy(secret) < rule.min_entropy:
        return False
    if rule.placeholder_filter and is_placeholder(secret, placeholder_words):
        return False
    return not allowlist.allows_secret(secret)


def _block_end(text: str, rule: SecretRule, start: int) -> int:
    """End of a block secret (a PEM key): its end marker, or when the marker is missing (a
    truncated log) the last of the following lines that carry key material."""
    assert rule.block_end is not None
    limit = min(len(text), start + rule.block_max)
    marker = rule.block_end.search(text, start, limit)
    if marker:
        return marker.end()
    end = start
    cursor = text.find("\n", start, limit)
    while cursor != -1 and cursor < limit:
        line_end = text.find("\n", cursor + 1, limit)
        line_end = limit if line_end == -1 else line_end
        words = text[cursor + 1 : line_end].split()
        if not words or not _BASE64_LINE.fullmatch(words[-1]):
            break
        end = line_end
        cursor = line_end if line_end < limit else -1
    return end


def _candidate_windows(
    text: str, rules: tuple[SecretRule, ...]
) -> dict[int, list[tuple[int, int]]]:
    """For each rule index, the lines (as offset ranges) that contain one of its keywords."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters change length when lower-cased
        lowered = "".join(char.lower()[:1] for char in text)
    by_keyword: dict[str, list[int]] = {}
    extra = {index: rule.extra_lines for index, rule in enumerate(rules) if rule.extra_lines}
    for index, rule in enumerate(rules):
        for keyword in rule.keywords:
            by_keyword.setdefault(keyword, []).append(index)
    windows: dict[int, list[tuple[int, int]]] = {}
    length = len(text)
    for keyword, indices in by_keyword.items():
        position = lowered.find(keyword)
        if position == -1:
            continue
        lines: list[tuple[int, int]] = []
        while position != -1:
            start = text.rfind("\n", 0, position) + 1
            end = text.find("\n", position)
            end = length if end == -1 else end
            lines.append((start, end))
            position = lowered.find(keyword, end)
        for index in indices:
            spans = windows.setdefault(index, [])
            if index in extra:
                spans.extend((start, _after_lines(text, end, extra[index])) for start, end in lines)
            else:
                spans.extend(lines)
    return {index: _merge(spans) for index, spans in windows.items()}


def _after_lines(text: str, end: int, count: int) -> int:
    for _ in range(count):
        if end >= len(text):
            break
        following = text.find("\n", end + 1)
        end = len(text) if following == -1 else following
    return end


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
