"""Secret rules: the schema of `rules/secrets.yml`, its validation, and the compiled form.

The schema is documented at the top of `rules/secrets.yml`. Loading validates everything up
front (unknown keys, bad regexes, a pattern without the `secret` group, duplicate ids) so a broken
rules file is reported once, clearly, and never half-applied.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import msgspec
import re2
import yaml

from ghbot.engine.builtin_rules import BUILTIN_RULES_DIR
from ghbot.engine.models import Severity

Scope = Literal["scan", "redact"]
# libyaml's loader when PyYAML was built with it: ten times the pure-Python one.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
RULES_FILENAME = "secrets.yml"


class SecretRulesError(ValueError):
    """The rules file is missing, is not YAML, or does not follow the schema."""


_ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


# msgspec rather than pydantic here: the schema is flat, and `check` pays for this module's import
# on every run (pydantic's import and model building were a twelfth of a run on Django).
class _RuleSpec(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: Annotated[str, msgspec.Meta(pattern=_ID)]
    description: Annotated[str, msgspec.Meta(min_length=1)]
    pattern: str
    keywords: Annotated[list[str], msgspec.Meta(min_length=1)]
    severity: Literal["error", "warning"] = "error"
    min_entropy: Annotated[float, msgspec.Meta(ge=0.0, le=8.0)] = 0.0
    keep_prefix: Annotated[int, msgspec.Meta(ge=0, le=64)] = 0
    placeholder_filter: bool = False
    scopes: Annotated[list[Scope], msgspec.Meta(min_length=1)] = msgspec.field(
        default_factory=lambda: ["scan", "redact"]
    )
    block_end: str | None = None
    block_max: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)] = 16384
    extra_lines: Annotated[int, msgspec.Meta(ge=0, le=20)] = 0
    lines_before: Annotated[int, msgspec.Meta(ge=0, le=20)] = 0
    prefilter: Annotated[str, msgspec.Meta(max_length=1000)] | None = None

    def problems(self) -> Iterator[str]:
        """What the types cannot say: each regex compiles, and the pattern's own rules."""
        try:
            compiled = _compile(self.pattern)
        except ValueError as error:
            yield f"pattern: {error}"
        else:
            if "secret" not in compiled.groupindex:
                yield "pattern: pattern must define the group (?P<secret>...)"
        # `(?i)` patterns run without the flag over lower-cased lines: re's fast skip-ahead
        # works only for case-sensitive literals (5x faster on keyword-dense logs).
        if self.pattern.startswith("(?i)"):
            bare = re.sub(r"\\.|\[(?:\\.|[^\]])*\]|\(\?P[<=]\w+>?", "", self.pattern[4:])
            if bare != bare.lower():
                yield "pattern: a (?i) pattern must be written in lower case"
        for keyword in self.keywords:
            if not keyword or keyword != keyword.lower():
                yield f"keywords: keyword {keyword!r} must be non-empty and lower-case"
        if self.block_end is not None:
            try:
                _compile(self.block_end)
            except ValueError as error:
                yield f"block_end: {error}"
        if self.prefilter is not None:
            try:
                re2.compile(self.prefilter)
            except re2.error as error:
                yield f"prefilter: prefilter is not valid RE2: {error}"


class _AllowlistSpec(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    paths: list[str] = []
    regexes: list[str] = []
    examples: list[str] = []
    placeholder_words: list[str] = []


class _RulesFileSpec(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    version: Literal[1]
    rules: Annotated[list[_RuleSpec], msgspec.Meta(min_length=1)]
    allowlist: _AllowlistSpec = msgspec.field(default_factory=_AllowlistSpec)


def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise ValueError(f"invalid regex {pattern!r}: {error}") from None


# eq=False: a rule is itself (compiled once); identity hashing keeps the per-file prefilter
# cache lookup from hashing every field of every rule.
@dataclass(frozen=True, slots=True, eq=False)
class SecretRule:
    id: str
    description: str
    regex: re.Pattern[str]
    keywords: tuple[str, ...]
    severity: Severity
    min_entropy: float
    keep_prefix: int
    placeholder_filter: bool
    scopes: frozenset[str]
    block_end: re.Pattern[str] | None
    block_max: int
    extra_lines: int
    lines_before: int
    lower_regex: re.Pattern[str] | None  # the pattern without (?i), for lower-cased text
    prefilter: str | None = None  # RE2 that every line the pattern matches on also matches

    @property
    def rule_id(self) -> str:
        return f"secrets/{self.id}"


@dataclass(frozen=True, slots=True)
class Allowlist:
    """Findings to drop: files by path glob, secrets by regex, or exact known example values."""

    paths: tuple[str, ...] = ()
    regexes: tuple[re.Pattern[str], ...] = ()
    examples: frozenset[str] = frozenset()

    @classmethod
    def from_entries(cls, entries: Sequence[str]) -> Allowlist:
        """Entries as written in repo config: `path:GLOB`, `value:TEXT`, or a regex (optionally
        written `regex:RE`) searched in the secret."""
        paths: list[str] = []
        regexes: list[re.Pattern[str]] = []
        examples: set[str] = set()
        for entry in entries:
            kind, _, rest = entry.partition(":")
            if kind == "path" and rest:
                paths.append(rest)
            elif kind == "value" and rest:
                examples.add(rest)
            else:
                pattern = rest if kind == "regex" and rest else entry
                try:
                    regexes.append(_compile(pattern))
                except ValueError as error:
                    raise SecretRulesError(f"secrets allowlist: {error}") from None
        return cls(tuple(paths), tuple(regexes), frozenset(examples))

    def merged(self, other: Allowlist) -> Allowlist:
        return Allowlist(
            self.paths + other.paths, self.regexes + other.regexes, self.examples | other.examples
        )

    def allows_path(self, path: str) -> bool:
        return any(_glob_match(path, glob) for glob in self.paths)

    def allows_secret(self, secret: str) -> bool:
        return secret in self.examples or any(regex.search(secret) for regex in self.regexes)


def _glob_match(path: str, glob: str) -> bool:
    # fnmatch's `*` already crosses `/`; `dir/**` should also match `dir` itself.
    return fnmatchcase(path, glob) or (glob.endswith("/**") and path == glob[:-3])


@dataclass(frozen=True, slots=True)
class SecretRules:
    rules: tuple[SecretRule, ...]
    allowlist: Allowlist
    placeholder_words: tuple[str, ...]
    # Each scope's rules, chosen once: every redaction asks (a triage report asks twice per
    # failure), and a new tuple each time was also a new key for the prefilter's cache.
    _scoped: dict[str, tuple[SecretRule, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def for_scope(self, scope: Scope) -> tuple[SecretRule, ...]:
        rules = self._scoped.get(scope)
        if rules is None:
            rules = self._scoped[scope] = tuple(r for r in self.rules if scope in r.scopes)
        return rules


def parse_secret_rules(text: str, origin: str = "<string>") -> SecretRules:
    """Validate and compile a rules document; raise SecretRulesError naming what is wrong."""
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader (libyaml's when built)
    except yaml.YAMLError as error:
        raise SecretRulesError(f"{origin}: not valid YAML: {error}") from None
    try:
        model = msgspec.convert(data, _RulesFileSpec)
    except msgspec.ValidationError as error:
        raise SecretRulesError(f"{origin}: {_describe(str(error), data)}") from None
    problems = [
        f"rule {rule.id!r}: {problem}" for rule in model.rules for problem in rule.problems()
    ]
    for pattern in model.allowlist.regexes:
        try:
            _compile(pattern)
        except ValueError as error:
            problems.append(f"allowlist.regexes: {error}")
    if problems:
        raise SecretRulesError(f"{origin}: {'; '.join(problems)}")
    ids = [rule.id for rule in model.rules]
    duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
    if duplicates:
        raise SecretRulesError(f"{origin}: duplicate rule ids: {', '.join(duplicates)}")
    rules = tuple(
        SecretRule(
            id=rule.id,
            description=rule.description,
            regex=re.compile(rule.pattern),
            keywords=tuple(rule.keywords),
            severity=Severity(rule.severity),
            min_entropy=rule.min_entropy,
            keep_prefix=rule.keep_prefix,
            placeholder_filter=rule.placeholder_filter,
            scopes=frozenset(rule.scopes),
            block_end=re.compile(rule.block_end) if rule.block_end else None,
            block_max=rule.block_max,
            extra_lines=rule.extra_lines,
            lines_before=rule.lines_before,
            lower_regex=re.compile(rule.pattern[4:]) if rule.pattern.startswith("(?i)") else None,
            prefilter=rule.prefilter,
        )
        for rule in model.rules
    )
    allow = model.allowlist
    allowlist = Allowlist(
        paths=tuple(allow.paths),
        regexes=tuple(re.compile(pattern) for pattern in allow.regexes),
        examples=frozenset(allow.examples),
    )
    words = tuple(word.lower() for word in allow.placeholder_words)
    return SecretRules(rules, allowlist, words)


def _describe(message: str, data: object) -> str:
    """msgspec's message, with `$.rules[N]` named by the rule's id when it has one."""
    rules = data.get("rules") if isinstance(data, dict) else None

    def name(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if isinstance(rules, list) and index < len(rules) and isinstance(rules[index], dict):
            rule_id = rules[index].get("id")
            if isinstance(rule_id, str):
                return f"rule {rule_id!r}" + (f": {match.group(2)}" if match.group(2) else "")
        return match.group(0)

    return re.sub(r"\$\.rules\[(\d+)\](?:\.(\w+))?", name, message)


def builtin_rules_path() -> Path:
    """The built-in `rules/secrets.yml`."""
    path = BUILTIN_RULES_DIR / RULES_FILENAME
    if not path.is_file():
        raise SecretRulesError(f"built-in {RULES_FILENAME} not found at {path}")
    return path


def load_secret_rules(path: str | Path | None = None) -> SecretRules:
    """Load rules from `path`, or the built-in rules (parsed once per process) when None."""
    if path is None:
        return _load_builtin()
    return _load_file(Path(path))


@lru_cache(maxsize=1)
def _load_builtin() -> SecretRules:
    return _load_file(builtin_rules_path())


def _load_file(path: Path) -> SecretRules:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SecretRulesError(f"{path}: cannot read secret rules: {error}") from None
    return parse_secret_rules(text, str(path))
