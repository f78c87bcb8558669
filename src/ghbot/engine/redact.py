"""Mask secrets in any text that leaves the process: log excerpts, comments, check-run output.

Uses the secret rules in their `redact` scope: every token format that `hephaestus check`
knows, plus what shows up in CI logs (Authorization headers, bearer tokens, `password=...`,
whole private key blocks). Fast because of the keyword prefilter in `secrets_match`.
"""

from __future__ import annotations

from ghbot.engine.analysis.secrets_match import find_secrets, mask
from ghbot.engine.analysis.secrets_rules import SecretRules, load_secret_rules

REDACTED = "***"


def holds_secret(text: str, rules: SecretRules | None = None) -> bool:
    """Whether `redact` would mask something in `text`: a fix or suggestion showing such text
    is withheld rather than posted masked (a masked suggestion would corrupt the code)."""
    return redact(text, rules) != text


def redact(text: str, rules: SecretRules | None = None) -> str:
    """`text` with every secret replaced: a public format prefix may stay (`ghp_***`)."""
    rules = rules if rules is not None else load_secret_rules()
    matches = find_secrets(
        text, rules.for_scope("redact"), rules.placeholder_words, rules.allowlist
    )
    if not matches:
        return text
    pieces: list[str] = []
    cursor = 0
    for match in matches:  # in text order and never overlapping
        pieces.append(text[cursor : match.start])
        head = mask(match.secret, match.rule.keep_prefix, show_tail=False).removesuffix("…")
        pieces.append(head + REDACTED)
        cursor = match.end
    pieces.append(text[cursor:])
    return "".join(pieces)
