"""Fixtures for attacks that need a whole front door: the bot as deployed (real server, SQLite
store, workers) and the Action on a simulated runner."""

from action.conftest import runner  # noqa: F401
from handlers.conftest import bot  # noqa: F401
