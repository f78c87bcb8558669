"""Where the built-in rules live: `ghbot/rules/`, package data in a wheel and, in a checkout, a
link to the repository's `rules/` (so the files are edited in one place)."""

from pathlib import Path

BUILTIN_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
