"""Test secrets built at run time, so this repository never holds a realistic token (and GitHub
push protection has nothing to trip on). Deterministic: a seeded generator."""

from __future__ import annotations

import random
import string

_rng = random.Random(20240611)
ALNUM = string.ascii_letters + string.digits


def rand(length: int, alphabet: str = ALNUM) -> str:
    return "".join(_rng.choice(alphabet) for _ in range(length))


def github_token(kind: str = "p") -> str:
    return "gh" + kind + "_" + rand(36)


def fine_grained_pat() -> str:
    return "github" + "_pat_" + rand(22) + "_" + rand(59)


def aws_key_id() -> str:
    return "AK" + "IA" + rand(16, string.ascii_uppercase + "234567")


def aws_secret() -> str:
    return rand(40, ALNUM + "/+")


def gitlab_token() -> str:
    return "gl" + "pat-" + rand(20)


def slack_token() -> str:
    return "xo" + "xb-" + rand(12, string.digits) + "-" + rand(13, string.digits) + "-" + rand(24)


def slack_webhook() -> str:
    return (
        "https://hooks.slack"
        + ".com/services/T"
        + rand(8, string.ascii_uppercase)
        + "/B"
        + rand(10, string.ascii_uppercase)
        + "/"
        + rand(24)
    )


def stripe_key() -> str:
    return "sk" + "_live_" + rand(24)


def google_key() -> str:
    return "AI" + "za" + rand(35, ALNUM + "_-")


def jwt() -> str:
    return "ey" + "J" + rand(30) + ".ey" + "J" + rand(60) + "." + rand(43, ALNUM + "_-")


def private_key_block(kind: str = "RSA ") -> str:
    body = "\n".join(rand(64, ALNUM + "+/") for _ in range(5))
    return f"-----BEGIN {kind}PRIVATE" + f" KEY-----\n{body}\n-----END {kind}PRIVATE" + " KEY-----"
