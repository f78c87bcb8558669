"""The bot as deployed (real server, SQLite store, workers) for attacks that need the whole path."""

from handlers.conftest import bot  # noqa: F401
