"""The repository config as a checkout holds it, for the front doors that run on one (`check`,
`fix`, the Action): the same `RepoConfig` the App reads from the default branch.

Which file, first found wins:
  1. the path given (`--config PATH`, the Action's `config` input): YAML, or a `pyproject.toml`
     whose `[tool.hephaestus]` table is read;
  2. `.github/hephaestus.yml`, the file the App reads;
  3. `[tool.hephaestus]` in `pyproject.toml` at the root;
  4. the defaults.
A file that exists but is broken gives the defaults plus errors, as `parse_config` does; the
caller decides whether that stops it (the CLI) or is reported (the Action).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ghbot.github.repo_config import ConfigResult

PYPROJECT = "pyproject.toml"
TABLE = "tool.hephaestus"
# The App's config file. Defined here, not in github.repo_config (which re-exports it): importing
# that module costs pydantic.
CONFIG_PATH = ".github/hephaestus.yml"
MAX_PYPROJECT_BYTES = 1 << 20  # a pyproject holds other tools' tables too


class MissingConfig(ValueError):
    """The config file named explicitly does not exist."""


def config_file(root: Path, explicit: Path | None = None) -> tuple[Path, str] | None:
    """The file that configures this checkout and the name to show for it, or None: found
    without pydantic, which costs a run of `check` as much as the analysis imports, so that a
    checkout without a config never pays for it."""
    if explicit is not None:
        if not explicit.is_file():
            raise MissingConfig(f"{explicit}: no such config file")
        return explicit, str(explicit)
    if (root / CONFIG_PATH).is_file():
        return root / CONFIG_PATH, CONFIG_PATH
    pyproject = root / PYPROJECT
    if pyproject.is_file() and b"hephaestus" in _head(pyproject):
        return pyproject, PYPROJECT
    return None


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_PYPROJECT_BYTES + 1)
    except OSError:
        return b"hephaestus"  # let the reader say what is wrong with it


def load_checkout_config(root: Path, explicit: Path | None = None) -> ConfigResult:
    from ghbot.github.repo_config import ConfigResult, RepoConfig

    found = config_file(root, explicit)
    if found is None:
        return ConfigResult(RepoConfig(), (), f"defaults (no {CONFIG_PATH}, no [{TABLE}])")
    return _read(*found)


def _read(path: Path, shown: str) -> ConfigResult:
    from ghbot.github.repo_config import ConfigError, ConfigResult, RepoConfig, parse_config

    try:
        data = path.read_bytes()
    except OSError as exc:
        error = ConfigError(shown, None, f"cannot read: {(exc.strerror or str(exc)).lower()}")
        return ConfigResult(RepoConfig(), (error,), shown)
    if path.suffix != ".toml":
        return parse_config(data, shown)
    return _from_pyproject(data, shown)


def _from_pyproject(data: bytes, shown: str) -> ConfigResult:
    """`[tool.hephaestus]` of a pyproject.toml; a file without the table is the defaults."""
    import tomllib  # here, for a pyproject that names us: `check` starts sooner without it

    from ghbot.github.repo_config import ConfigError, ConfigResult, RepoConfig, validate_config

    if len(data) > MAX_PYPROJECT_BYTES:
        error = ConfigError(shown, None, f"file is over {MAX_PYPROJECT_BYTES} bytes")
        return ConfigResult(RepoConfig(), (error,), shown)
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        error = ConfigError(shown, None, f"invalid TOML: {exc}")
        return ConfigResult(RepoConfig(), (error,), shown)
    tool = document.get("tool")
    table = tool.get("hephaestus") if isinstance(tool, dict) else None
    if table is None:
        return ConfigResult(RepoConfig(), (), f"defaults (no [{TABLE}] in {shown})")
    return validate_config(table, f"{shown} [{TABLE}]")
