"""The codemods, in id order, and the `--select` matching shared with `hephaestus fix`."""

from __future__ import annotations

from collections.abc import Iterable

from ghbot.engine.fixes.codemod_catalog import SOURCE
from ghbot.engine.fixes.codemods.bare_except import BareExcept
from ghbot.engine.fixes.codemods.base import Codemod
from ghbot.engine.fixes.codemods.datetime_utc import DatetimeUtcNow
from ghbot.engine.fixes.codemods.mutable_default import MutableDefaultArgument
from ghbot.engine.fixes.codemods.none_comparison import NoneComparison
from ghbot.engine.fixes.codemods.open_encoding import OpenWithoutEncoding
from ghbot.engine.fixes.codemods.request_timeout import RequestWithoutTimeout
from ghbot.engine.fixes.codemods.subprocess_shell import SubprocessShellConstant
from ghbot.engine.fixes.codemods.tempfile_mktemp import TempfileMktemp
from ghbot.engine.fixes.codemods.yaml_load import YamlUnsafeLoad

CODEMODS: tuple[type[Codemod], ...] = (
    YamlUnsafeLoad,
    NoneComparison,
    MutableDefaultArgument,
    BareExcept,
    OpenWithoutEncoding,
    RequestWithoutTimeout,
    SubprocessShellConstant,
    TempfileMktemp,
    DatetimeUtcNow,
)


def matches(selectors: Iterable[str] | None, rule: str, source: str, name: str = "") -> bool:
    """True when no selector is given, or one is a prefix of the rule id, its source or name.

    So `HEP1` selects every codemod, `codemod` all of them too, `syntax` the syntax repairs, and
    `yaml-unsafe-load` one codemod by name.
    """
    if selectors is None:
        return True
    return any(rule.startswith(s) or s == source or (name and s == name) for s in selectors if s)


def selected(selectors: Iterable[str] | None = None) -> list[type[Codemod]]:
    chosen = list(selectors) if selectors is not None else None
    return [c for c in CODEMODS if matches(chosen, c.id, SOURCE, c.name)]
