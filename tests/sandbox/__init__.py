"""A stateful GitHub double for the test suite (see README.md)."""

from .server import Sandbox

__all__ = ["Sandbox"]
