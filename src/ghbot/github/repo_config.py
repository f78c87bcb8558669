"""`.github/hephaestus.yml`: read from the default branch only, parsed safely, validated strictly.

The file is data from the repository, so it is treated as hostile: a size cap, `safe_load` only,
an alias-expansion cap (a "billion laughs" file is a few hundred bytes), a depth cap, and
`extra="forbid"` so a typo is reported rather than silently ignored. Whatever goes wrong, the
caller gets the defaults plus errors naming the file, the line when known, and the problem; the
check run shows them. Only GitHub failures that a retry can cure (5xx, rate limits) propagate.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from ghbot.checkout_config import CONFIG_PATH as CONFIG_PATH
from ghbot.engine.fail_level import FailLevel
from ghbot.engine.files import DEFAULT_EXCLUDE
from ghbot.github.errors import GitHubError, NotFound, RateLimited, ServerError, TooLarge

if TYPE_CHECKING:  # the client pulls in aiohttp: the CLI reads configs without it
    from ghbot.github.api import GitHub

MAX_CONFIG_BYTES = 64 * 1024
MAX_NODES = 20_000  # after alias expansion
MAX_DEPTH = 32


def _relative_path(value: str) -> str:
    parts = value.replace("\\", "/").split("/")
    if value.startswith(("/", "\\")) or ".." in parts or not value.strip() or len(value) > 255:
        raise ValueError("must be a relative path inside the repository, without '..'")
    return value.strip("/")


RepoPath = Annotated[str, AfterValidator(_relative_path)]
Pattern = Annotated[str, Field(min_length=1, max_length=255)]
Level = Literal["read", "triage", "write", "maintain", "admin", "author"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReviewConfig(_Section):
    filter_mode: Literal["added", "diff_context", "file", "nofilter"] = Field(
        "added",
        description="which findings become inline comments: on added lines, near them, "
        "anywhere in changed files, or everywhere",
    )
    fail_level: FailLevel = Field(
        FailLevel.ERROR, description="the check fails on findings at or above this severity"
    )
    max_comments: int = Field(30, ge=0, le=200, description="inline comments per review")
    draft_prs: bool = Field(False, description="also review draft pull requests")


class SecretsConfig(_Section):
    allowlist: list[Pattern] = Field(
        default_factory=list, description="regexes of values that are not secrets"
    )


class AnalysisConfig(_Section):
    select: list[Pattern] = Field(default_factory=list, description="rule codes to enable")
    ignore: list[Pattern] = Field(default_factory=list, description="rule codes to disable")
    exclude: list[Pattern] = Field(
        default_factory=lambda: list(DEFAULT_EXCLUDE), description="path globs never analysed"
    )
    secrets: SecretsConfig = Field(default_factory=SecretsConfig)


class FixesConfig(_Section):
    mode: Literal["off", "suggest", "push"] = Field(
        "suggest", description="off, suggestion blocks in reviews, or fix commits"
    )
    fix_pr_on_default_branch: bool = Field(
        True, description="open one fix PR for findings on pushes to the default branch"
    )

    @field_validator("mode", mode="before")
    @classmethod
    def _yaml_off(cls, value: Any) -> Any:
        # YAML 1.1 reads a bare `off` as false; that is what the user wrote.
        return "off" if value is False else value


class TriageLabels(_Section):
    """Label per triage category, added to issues whose pasted log or traceback is triaged;
    a category without a label (null, the default but for flaky) adds none."""

    flaky: str | None = Field("ci: flaky", max_length=50, description="label for flaky failures")
    compile: str | None = Field(None, max_length=50, description="label for build errors")
    lint: str | None = Field(None, max_length=50, description="label for lint failures")
    test: str | None = Field(None, max_length=50, description="label for test failures")
    dependency: str | None = Field(None, max_length=50, description="label for dependency errors")
    infra: str | None = Field(None, max_length=50, description="label for runner/infra failures")
    network: str | None = Field(None, max_length=50, description="label for network failures")
    resource: str | None = Field(None, max_length=50, description="label for memory/disk limits")
    config: str | None = Field(None, max_length=50, description="label for configuration errors")
    security: str | None = Field(None, max_length=50, description="label for security failures")

    def for_category(self, category: str) -> str | None:
        """The label for a triage category (None when unset or the category is unknown)."""
        value = getattr(self, category, None) if category in type(self).model_fields else None
        return value if isinstance(value, str) and value.strip() else None


class TriageConfig(_Section):
    enabled: bool = True
    rules_dir: RepoPath = Field(
        ".github/hephaestus/rules", description="the repository's own known-failure rules"
    )
    labels: TriageLabels = Field(default_factory=TriageLabels)


DEFAULT_PERMISSIONS: dict[str, Level] = {"fix": "write", "retest": "write", "rollback": "maintain"}


class CommandsConfig(_Section):
    permissions: dict[Annotated[str, Field(pattern=r"^[a-z][a-z-]{0,29}$")], Level] = Field(
        default_factory=lambda: dict(DEFAULT_PERMISSIONS),
        description="least permission per /hephaestus verb; merged over the defaults",
    )

    @field_validator("permissions")
    @classmethod
    def _merge(cls, value: dict[str, Level]) -> dict[str, Level]:
        return {**DEFAULT_PERMISSIONS, **value}


class KnowledgeConfig(_Section):
    runbooks_dir: RepoPath = "docs/runbooks"
    records_branch: str = Field(
        "hephaestus/records",
        pattern=r"^[A-Za-z0-9._/-]{1,100}$",
        description="branch holding deployment history and the failure catalog",
    )
    records_target: Literal["records_branch", "default_branch"] = Field(
        "records_branch",
        description="where records are committed: the records branch (only records on it, "
        "so no CI or deploy runs), or the default branch under .github/hephaestus/records/ "
        "with [skip ci] in every commit message",
    )
    dashboard: bool = Field(True, description="keep one pinned dashboard issue")
    push_environment: str | None = Field(
        None,
        pattern=r"^[A-Za-z0-9._-]{1,64}$",
        description="also record pushes to the default branch as deployments to this "
        "environment (for repositories that deploy on push without GitHub deployments)",
    )
    release_environment: str | None = Field(
        None,
        pattern=r"^[A-Za-z0-9._-]{1,64}$",
        description="also record published releases as deployments to this environment",
    )


class RepoConfig(_Section):
    """Every key is optional; an empty or missing file means all defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Hephaestus repository config")

    review: ReviewConfig = Field(default_factory=ReviewConfig)
    analysis: AnalysisConfig = Field(default_factory=AnalysisConfig)
    fixes: FixesConfig = Field(default_factory=FixesConfig)
    triage: TriageConfig = Field(default_factory=TriageConfig)
    commands: CommandsConfig = Field(default_factory=CommandsConfig)
    knowledge: KnowledgeConfig = Field(default_factory=KnowledgeConfig)


@dataclass(frozen=True, slots=True)
class ConfigError:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class ConfigResult:
    config: RepoConfig
    errors: tuple[ConfigError, ...]
    source: str  # e.g. ".github/hephaestus.yml on main", or "defaults (no config file)"

    @property
    def ok(self) -> bool:
        return not self.errors

    def markdown(self) -> str:
        """For a check-run summary: what is wrong and that defaults are in use."""
        if self.ok:
            return ""
        lines = [f"- `{e}`" for e in self.errors[:20]]
        return (
            f"**Configuration problem** in `{CONFIG_PATH}`; running with the defaults until it "
            "is fixed on the default branch:\n" + "\n".join(lines)
        )


def _defaults(source: str, *errors: ConfigError) -> ConfigResult:
    return ConfigResult(RepoConfig(), tuple(errors), source)


def _measure(node: yaml.Node) -> str | None:
    """Why the composed document is too big once aliases are expanded, or None."""
    sizes: dict[int, int] = {}

    def size(n: yaml.Node, depth: int, path: frozenset[int]) -> int:
        if id(n) in sizes:
            return sizes[id(n)]
        if depth > MAX_DEPTH:
            raise _TooBig(f"nested deeper than {MAX_DEPTH} levels")
        if id(n) in path:
            raise _TooBig("an alias refers to itself")
        total = 1
        if isinstance(n, yaml.SequenceNode):
            children: Sequence[yaml.Node] = n.value
        elif isinstance(n, yaml.MappingNode):
            children = [part for pair in n.value for part in pair]
        else:
            children = ()
        for child in children:
            total += size(child, depth + 1, path | {id(n)})
            if total > MAX_NODES:
                raise _TooBig(f"expands to more than {MAX_NODES} values (alias bomb?)")
        sizes[id(n)] = total
        return total

    try:
        size(node, 0, frozenset())
    except _TooBig as exc:
        return str(exc)
    return None


class _TooBig(Exception):
    pass


def _line_of(node: yaml.Node | None, loc: Sequence[int | str]) -> int | None:
    """The 1-based line of the value at `loc`, or of the deepest part of it found."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
            key = next((k for k, _ in node.value if k.value == part), None)
            if match is None:
                return line
            node, line = match, (key.start_mark.line + 1 if key is not None else line)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _fields_at(loc: Sequence[int | str]) -> list[str]:
    model: type[BaseModel] = RepoConfig
    for part in loc:
        field = model.model_fields.get(str(part))
        annotation = field.annotation if field is not None else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return list(model.model_fields)


def _describe(error: ErrorDetails) -> str:
    loc = [str(p) for p in error["loc"]]
    dotted = ".".join(loc) or "(top level)"
    if error["type"] == "extra_forbidden":
        allowed = _fields_at(error["loc"][:-1])
        close = difflib.get_close_matches(loc[-1], allowed, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"unknown key '{dotted}'{hint} (allowed: {', '.join(allowed)})"
    return f"'{dotted}': {error['msg']}"


def parse_config(raw: bytes | str, path: str = CONFIG_PATH) -> ConfigResult:
    """Validate a config file's content. Never raises."""
    source = path
    data = raw.encode() if isinstance(raw, str) else raw
    if len(data) > MAX_CONFIG_BYTES:
        return _defaults(
            source,
            ConfigError(path, None, f"file is {len(data)} bytes; the cap is {MAX_CONFIG_BYTES}"),
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _defaults(source, ConfigError(path, None, f"not UTF-8 text ({exc.reason})"))
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        context = exc.context or ""
        if exc.context_mark is not None and exc.problem_mark is not None:
            context += f" started on line {exc.context_mark.line + 1}"
        problem = ": ".join(filter(None, [context.strip(), exc.problem])) or "unparsable"
        return _defaults(source, ConfigError(path, line, f"invalid YAML: {problem}"))
    except (yaml.YAMLError, RecursionError) as exc:
        return _defaults(source, ConfigError(path, None, f"invalid YAML: {type(exc).__name__}"))
    if node is None:
        return _defaults(source)
    too_big = _measure(node)
    if too_big is not None:
        return _defaults(source, ConfigError(path, None, too_big))
    try:
        value = yaml.SafeLoader(text).construct_document(node)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        return _defaults(
            source, ConfigError(path, node.start_mark.line + 1, f"invalid YAML: {exc}")
        )
    if value is None:
        return _defaults(source)
    return validate_config(value, path, node)


def validate_config(value: object, path: str, node: yaml.Node | None = None) -> ConfigResult:
    """The config from already-parsed data (YAML, or a TOML table); `node`, the YAML it came
    from, gives errors their line. Never raises."""
    if not isinstance(value, dict):
        return _defaults(
            path,
            ConfigError(path, 1, f"the top level must be a mapping, not {type(value).__name__}"),
        )
    try:
        config = RepoConfig.model_validate(value)
    except ValidationError as exc:
        errors = [
            ConfigError(path, _line_of(node, err["loc"]), _describe(err))
            for err in exc.errors(include_url=False)[:50]
        ]
        return _defaults(path, *errors)
    return ConfigResult(config, (), path)


async def load_repo_config(
    gh: GitHub, owner: str, repo: str, *, default_branch: str | None = None
) -> ConfigResult:
    """The config on the repository's default branch. There is deliberately no `ref`
    parameter: a pull request must not be able to change how the bot treats it."""
    if default_branch is None:
        default_branch = (await gh.get_repo(owner, repo)).default_branch
    source = f"{CONFIG_PATH} on {default_branch}"
    try:
        file = await gh.get_file(
            owner, repo, CONFIG_PATH, default_branch, max_bytes=MAX_CONFIG_BYTES
        )
    except NotFound:
        return _defaults(f"defaults (no {CONFIG_PATH} on {default_branch})")
    except TooLarge:
        return _defaults(
            source, ConfigError(CONFIG_PATH, None, f"file is over the {MAX_CONFIG_BYTES}-byte cap")
        )
    except (ServerError, RateLimited):
        raise  # transient: the job retries rather than acting on defaults
    except GitHubError as exc:  # no access, or the path is a directory
        return _defaults(source, ConfigError(CONFIG_PATH, None, f"cannot read the file: {exc}"))
    result = parse_config(file.content, CONFIG_PATH)
    return ConfigResult(result.config, result.errors, source)
