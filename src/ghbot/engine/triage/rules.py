"""Known-failure rules: load `rules/*.yml`, validate them, and match them on normalised lines.

Schema: rules/README.md. Patterns are RE2 (linear time), so a hostile rule or line cannot stall
a worker. All first patterns go into one `re2.Set`, so a line costs one pass however many rules
there are. Each pattern's longest plain literal feeds the scan prefilter.
"""

from __future__ import annotations

import functools
import re
import re._constants as sre_constants
import re._parser as sre_parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import re2
import yaml

# libyaml's safe loader where PyYAML was built with it: the pure-Python one was a fifth of the
# engine's import (12 files of rules)
try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - PyPI's wheels carry libyaml
    from yaml import SafeLoader  # type: ignore[assignment]

from ghbot.engine.builtin_rules import BUILTIN_RULES_DIR
from ghbot.engine.triage.model import CATEGORIES
from ghbot.engine.triage.normalise import Line
from ghbot.engine.triage.steps import inside_step

SKIP_FILES = {"secrets.yml"}  # the redaction catalog shares the directory
MAX_CONTEXT = 50
MAX_WITHIN = 40  # a region carries 40 lines after a hit
MIN_LITERAL = 7  # shorter literals (HTTP, token) would flood the prefilter
MAX_FILE_PATTERNS = 500  # per file, YAML aliases included: each one is compiled to validate it
SET_MEMORY = 8 << 20
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_KEYS = {
    "id", "title", "category", "patterns", "multiline", "within", "context", "explanation",
    "fix", "docs", "retry", "priority",
}


class RuleError(ValueError):
    """A rule file is invalid; the message names the file, the rule and the field."""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    category: str
    patterns: tuple[str, ...]
    multiline: tuple[tuple[str, ...], ...]
    within: int
    before: int
    after: int
    explanation: str
    fix: str
    docs: str | None
    retry: bool
    priority: int
    source: str  # the file it came from


@dataclass(frozen=True, slots=True)
class RuleHit:
    rule: Rule
    first: int  # index range in the region's lines that the excerpt covers
    last: int


def _options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False
    options.max_mem = SET_MEMORY  # a huge pattern fails to compile instead of eating memory
    return options


def compile_pattern(pattern: str) -> re2._Regexp:
    return re2.compile(pattern, _options())


class Catalog:
    """Validated rules plus the compiled matchers."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self._set = re2.Set.SearchSet(_options())
        self._index: dict[str, int] = {}  # a pattern repeated (YAML aliases) is compiled once
        self._owners: list[list[tuple[Rule, tuple[re2._Regexp, ...]]]] = []
        try:
            for rule in self.rules:
                for pattern in rule.patterns:
                    self._add(pattern, rule, ())
                for sequence in rule.multiline:
                    following = tuple(compile_pattern(p) for p in sequence[1:])
                    self._add(sequence[0], rule, following)
            if self._owners:
                self._set.Compile()
        except re2.error:
            # Each pattern compiled alone when it was validated; together they outgrow max_mem.
            sources = sorted(
                {r.source for r in self.rules if Path(r.source).parent != BUILTIN_RULES_DIR}
            )
            raise RuleError(
                f"{', '.join(sources) or 'built-in rules'}: the patterns cannot be compiled "
                f"together within RE2's {SET_MEMORY >> 20} MiB: remove or simplify patterns"
            ) from None

        # The same text (a message repeated) is searched once.
        self._search = functools.lru_cache(maxsize=1024)(self._set.Match)

    def _add(self, pattern: str, rule: Rule, following: tuple[re2._Regexp, ...]) -> None:
        index = self._index.get(pattern)
        if index is None:
            index = self._index[pattern] = self._set.Add(pattern)
            self._owners.append([])
        self._owners[index].append((rule, following))

    def literals(self) -> list[str]:
        """Plain substrings that every line a rule can match contains (for the prefilter)."""
        found: set[str] = set()
        for rule in self.rules:
            for pattern in (*rule.patterns, *(sequence[0] for sequence in rule.multiline)):
                found.update(required_literals(pattern))
        return sorted(found)

    def match(self, lines: Sequence[Line], index: int) -> list[RuleHit]:
        if not self._owners:
            return []
        hits: dict[str, RuleHit] = {}
        for owner in sorted(self._search(lines[index].text) or ()):
            for rule, following in self._owners[owner]:
                if rule.id in hits:
                    continue
                last = _follow(lines, index, following, rule.within)
                if last is None:
                    continue
                first = max(0, index - rule.before)
                last = min(len(lines) - 1, max(last, index + rule.after))
                hits[rule.id] = RuleHit(rule, *inside_step(lines, index, first, last))
        return list(hits.values())


def _follow(
    lines: Sequence[Line], index: int, following: tuple[re2._Regexp, ...], within: int
) -> int | None:
    """Index of the line matching the last pattern of a sequence, or None if it breaks off."""
    position = index
    for pattern in following:
        for probe in range(position + 1, min(len(lines), position + within + 1)):
            if pattern.search(lines[probe].text):
                position = probe
                break
        else:
            return None
    return position


def required_literals(pattern: str) -> list[str]:
    """The longest literal run in the pattern, or one per top-level alternative; [] if none.

    RE2 syntax is close enough to Python's to reuse its parser for this; a pattern Python cannot
    parse simply contributes no literal.
    """
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return []
    return _literals_of(list(parsed))


def _literals_of(items: list[tuple[object, object]]) -> list[str]:
    best, run = "", []
    branches: list[str] | None = None
    for op, arg in items:
        if op is sre_constants.LITERAL and isinstance(arg, int):  # arg: the code point
            run.append(chr(arg))
            continue
        best = max(best, "".join(run), key=len)
        run = []
        if op is sre_constants.SUBPATTERN and branches is None and isinstance(arg, tuple):
            branches = _literals_of(list(arg[-1]))  # arg: (group, flags on, flags off, pattern)
        elif op is sre_constants.BRANCH and branches is None and isinstance(arg, tuple):
            per_branch = [_literals_of(list(branch)) for branch in arg[1]]  # arg: (None, items)
            if all(per_branch):
                branches = [literal for options in per_branch for literal in options]
    best = max(best, "".join(run), key=len)
    if len(best.strip()) >= MIN_LITERAL:
        return [best]
    return branches or []


def load_catalog(extra_dirs: Iterable[Path] = (), builtin: bool = True) -> Catalog:
    """Built-in rules, then each extra directory; a later rule with the same id replaces one."""
    by_id: dict[str, Rule] = {}
    dirs = ([BUILTIN_RULES_DIR] if builtin else []) + list(extra_dirs)
    for directory in dirs:
        if not directory.is_dir():
            raise RuleError(f"{directory}: not a directory of rule files")
        files = sorted([*directory.glob("*.yml"), *directory.glob("*.yaml")])
        for path in files:
            if path.name in SKIP_FILES:
                continue
            for rule in load_file(path):
                by_id[rule.id] = rule
    return Catalog(list(by_id.values()))


def load_file(path: Path) -> list[Rule]:
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise RuleError(f"{path}: cannot read rules: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("rules"), list):
        raise RuleError(f"{path}: expected a mapping with a `rules:` list")
    if document.get("version", 1) != 1:
        raise RuleError(f"{path}: unsupported version {document.get('version')!r} (only 1)")
    extra = set(document) - {"version", "rules"}
    if extra:
        raise RuleError(f"{path}: unknown top-level keys {sorted(extra)}")
    count = sum(_pattern_count(raw) for raw in document["rules"])
    if count > MAX_FILE_PATTERNS:
        raise RuleError(
            f"{path}: {count} patterns, counting YAML aliases (at most {MAX_FILE_PATTERNS})"
        )
    seen: set[str] = set()
    rules = []
    for position, raw in enumerate(document["rules"]):
        rule = parse_rule(raw, f"{path}: rules[{position}]", str(path))
        if rule.id in seen:
            raise RuleError(f"{path}: rule id {rule.id!r} appears twice")
        seen.add(rule.id)
        rules.append(rule)
    return rules


def _pattern_count(raw: object) -> int:
    """Patterns a raw rule asks to compile; shapes parse_rule rejects count as none."""
    if not isinstance(raw, dict):
        return 0
    multiline = raw.get("multiline")
    groups = [raw.get("patterns"), *(multiline if isinstance(multiline, list) else ())]
    return sum(len(group) for group in groups if isinstance(group, list))


def parse_rule(raw: object, where: str, source: str) -> Rule:
    if not isinstance(raw, dict):
        raise RuleError(f"{where}: a rule must be a mapping")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise RuleError(f"{where}: id must match {_ID.pattern} (got {rule_id!r})")
    where = f"{where.split(': rules[')[0]}: rule {rule_id!r}"
    unknown = set(raw) - _KEYS
    if unknown:
        raise RuleError(f"{where}: unknown keys {sorted(unknown)}")

    def text(key: str, required: bool = True) -> str:
        value = raw.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise RuleError(f"{where}: {key} must be a non-empty string")
        return value.strip()

    title = text("title")
    if "\n" in title or len(title) > 200:
        raise RuleError(f"{where}: title must be one line of at most 200 characters")
    category = text("category")
    if category not in CATEGORIES:
        raise RuleError(f"{where}: category {category!r} is not one of {', '.join(CATEGORIES)}")
    patterns = _patterns(raw.get("patterns", []), f"{where}: patterns")
    multiline = []
    if not isinstance(raw.get("multiline") or [], list):
        raise RuleError(f"{where}: multiline must be a list of pattern lists")
    for position, sequence in enumerate(raw.get("multiline") or []):
        if not isinstance(sequence, list) or len(sequence) < 2:
            raise RuleError(f"{where}: multiline[{position}] must be a list of 2 or more patterns")
        multiline.append(_patterns(sequence, f"{where}: multiline[{position}]"))
    if not patterns and not multiline:
        raise RuleError(f"{where}: needs at least one of patterns or multiline")
    within = _int(raw.get("within", 20), 1, MAX_WITHIN, f"{where}: within")
    context = raw.get("context") or {}
    if not isinstance(context, dict) or set(context) - {"before", "after"}:
        raise RuleError(f"{where}: context must be a mapping with before and/or after")
    docs = raw.get("docs")
    if docs is not None and (not isinstance(docs, str) or not docs.startswith("https://")):
        raise RuleError(f"{where}: docs must be an https:// URL")
    retry = raw.get("retry", False)
    if not isinstance(retry, bool):
        raise RuleError(f"{where}: retry must be true or false")
    return Rule(
        id=rule_id,
        title=title,
        category=category,
        patterns=tuple(patterns),
        multiline=tuple(tuple(sequence) for sequence in multiline),
        within=within,
        before=_int(context.get("before", 0), 0, MAX_CONTEXT, f"{where}: context.before"),
        after=_int(context.get("after", 0), 0, MAX_CONTEXT, f"{where}: context.after"),
        explanation=text("explanation"),
        fix=text("fix"),
        docs=docs,
        retry=retry,
        priority=_int(raw.get("priority", 0), -100, 100, f"{where}: priority"),
        source=source,
    )


def _patterns(raw: object, where: str) -> list[str]:
    if not isinstance(raw, list):
        raise RuleError(f"{where}: must be a list of patterns")
    patterns = []
    for position, pattern in enumerate(raw):
        if not isinstance(pattern, str) or not pattern:
            raise RuleError(f"{where}[{position}]: must be a non-empty string")
        if len(pattern) > 1000:
            raise RuleError(f"{where}[{position}]: longer than 1000 characters")
        problem = _pattern_problem(pattern)
        if problem is not None:
            raise RuleError(f"{where}[{position}]: invalid RE2 pattern: {problem}")
        patterns.append(pattern)
    return patterns


@functools.lru_cache(maxsize=1024)
def _pattern_problem(pattern: str) -> str | None:
    """Why RE2 refuses the pattern, or None; cached, as aliases repeat one pattern many times."""
    try:
        compile_pattern(pattern)
    except re2.error as error:
        detail = error.args[0] if error.args else error
        return detail.decode(errors="replace") if isinstance(detail, bytes) else str(detail)
    return None


def _int(value: object, low: int, high: int, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RuleError(f"{where}: must be an integer from {low} to {high} (got {value!r})")
    return value
