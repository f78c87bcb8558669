"""Hephaestus: explains failed CI, analyses and repairs code, keeps runbooks in the repository."""

__version__ = "0.1.0"
