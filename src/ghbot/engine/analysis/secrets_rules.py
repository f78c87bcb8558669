"""Secret rules: the schema of `rules/secrets.yml`, its validation, and the compiled form.

The schema is documented at the top of `rules/secrets.yml`. Loading validates everything up
front (unknown keys, bad regexes, a pattern without the `secret` group, duplicate ids) so a broken
rules file is reported once, clearly, and never half-applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path
from typing import Literal

import re2
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ghbot.engine.builtin_rules import BUILTIN_RULES_DIR
from ghbot.engine.models import Severity

Scope = Literal["scan", "redact"]
RULES_FILENAME = "secrets.yml"


class SecretRulesError(ValueError):
    """The rules file is missing, is not YAML, or does not follow the schema."""


class _RuleModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    description: str = Field(min_length=1)
    pattern: str
    keywords: list[str] = Field(min_length=1)
    severity: Literal["error", "warning"] = "error"
    min_entropy: float = Field(default=0.0, ge=0.0, le=8.0)
    keep_prefix: int = Field(default=0, ge=0, le=64)
    placeholder_filter: bool = False
    scopes: list[Scope] = Field(default_factory=lambda: ["scan", "redact"], min_length=1)
    block_end: str | None = None
    block_max: int = Field(default=16384, ge=1, le=1_000_000)
    extra_lines: int = Field(default=0, ge=0, le=20)
    prefilter: str | None = Field(default=None, max_length=1000)

    @field_validator("prefilter")
    @classmethod
    def _prefilter_is_re2(cls, prefilter: str | None) -> str | None:
        if prefilter is not None:
            try:
                re2.compile(prefilter)
            except re2.error as error:
                raise ValueError(f"prefilter is not valid RE2: {error}") from None
        return prefilter

    @field_validator("keywords")
    @classmethod
    def _lower_case_keywords(cls, keywords: list[str]) -> list[str]:
        for keyword in keywords:
            if not keyword or keyword != keyword.lower():
                raise ValueError(f"keyword {keyword!r} must be non-empty and lower-case")
        return keywords

    @field_validator("pattern")
    @classmethod
    def _pattern_has_secret_group(cls, pattern: str) -> str:
        compiled = _compile(pattern)
        if "secret" not in compiled.groupindex:
            raise ValueError("pattern must define the group (?P<secret>...)")
        return pattern

    @field_validator("pattern")
    @classmethod
    def _case_insensitive_pattern_is_lower_case(cls, pattern: str) -> str:
        # `(?i)` patterns run without the flag over lower-cased lines: re's fast skip-ahead
        # works only for case-sensitive literals (5x faster on keyword-dense logs).
        if pattern.startswith("(?i)"):
            bare = re.sub(r"\\.|\[(?:\\.|[^\]])*\]|\(\?P[<=]\w+>?", "", pattern[4:])
            if bare != bare.lower():
                raise ValueError("a (?i) pattern must be written in lower case")
        return pattern

    @field_validator("block_end")
    @classmethod
    def _block_end_compiles(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            _compile(pattern)
        return pattern


class _AllowlistModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    paths: list[str] = Field(default_factory=list)
    regexes: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    placeholder_words: list[str] = Field(default_factory=list)

    @field_validator("regexes")
    @classmethod
    def _regexes_compile(cls, regexes: list[str]) -> list[str]:
        for pattern in regexes:
            _compile(pattern)
        return regexes


class _RulesFileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    rules: list[_RuleModel] = Field(min_length=1)
    allowlist: _AllowlistModel = Field(default_factory=_AllowlistModel)


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
    def from_entries(cls, entries: list[str] | tuple[str, ...]) -> Allowlist:
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

    def for_scope(self, scope: Scope) -> tuple[SecretRule, ...]:
        return tuple(rule for rule in self.rules if scope in rule.scopes)


def parse_secret_rules(text: str, origin: str = "<string>") -> SecretRules:
    """Validate and compile a rules document; raise SecretRulesError naming what is wrong."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise SecretRulesError(f"{origin}: not valid YAML: {error}") from None
    try:
        model = _RulesFileModel.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(_describe(problem, data) for problem in error.errors())
        raise SecretRulesError(f"{origin}: {problems}") from None
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


def _describe(problem: dict, data: object) -> str:
    location = problem.get("loc", ())
    where = ".".join(str(part) for part in location) or "document"
    # Name the rule by its id rather than its index when the error is inside one.
    if len(location) >= 2 and location[0] == "rules" and isinstance(data, dict):
        rules = data.get("rules")
        index = location[1]
        if isinstance(rules, list) and isinstance(index, int) and index < len(rules):
            rule = rules[index]
            if isinstance(rule, dict) and isinstance(rule.get("id"), str):
                where = f"rule {rule['id']!r}: " + ".".join(str(part) for part in location[2:])
    return f"{where}: {problem.get('msg', 'invalid')}"


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
