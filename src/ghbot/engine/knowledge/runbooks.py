"""Runbooks: markdown files with YAML front matter, one per known problem (format version 1).

```
---
format: 1
id: "pytest-module-not-found"          # unique; the file is <runbooks_dir>/<id>.md
title: "ModuleNotFoundError when pytest starts"
signatures: ["t1-e0e5bfb0415521d6"]    # triage failure fingerprints this runbook answers
rules: ["python-module-not-found"]     # triage rule ids / analysis codes it is about
tags: ["python", "pytest"]
source: "https://github.com/octo/app/pull/12"   # the case it was written from, or null
created: 2025-01-31
used: 3          # closed cases in which the bot suggested it
resolved: 2      # of those, cases closed as resolved
---
# ModuleNotFoundError when pytest starts

## Problem summary
...
## Diagnosis steps / Root cause / Solution / Rollback / Prevention
```

The file is data from the repository, so parsing is defensive: size caps, safe YAML without
aliases, a depth cap, and every problem reported with its line. `render` writes one canonical
text (stable key order, JSON-style quoted strings, which YAML reads back unchanged) so a parsed
canonical file renders to the same bytes. `set_counters` edits only the two counter lines, so a
bot PR that updates them never reformats what people wrote.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

FORMAT_VERSION = 1
SECTIONS: tuple[str, ...] = (
    "Problem summary",
    "Diagnosis steps",
    "Root cause",
    "Solution",
    "Rollback",
    "Prevention",
)
MAX_FILE_BYTES = 256 * 1024
MAX_FRONT_MATTER_BYTES = 16 * 1024
MAX_DEPTH = 8
MAX_TITLE = 200
MAX_ITEMS = {"signatures": 100, "rules": 100, "tags": 50}
MAX_FILES = 2000  # runbooks read from one directory
KEYS: tuple[str, ...] = (
    "format", "id", "title", "signatures", "rules", "tags", "source", "created", "used",
    "resolved",
)
REQUIRED_KEYS = ("format", "id", "title")

ID_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?")
SIGNATURE_RE = re.compile(r"[a-z][a-z0-9]{0,7}-[0-9a-f]{16}")
RULE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/:-]{0,99}")
TAG_RE = re.compile(r"[a-z0-9][a-z0-9._+#-]{0,49}")
_DELIM = re.compile(r"---[ \t]*\r?\n?")
MAX_HEADING = 300  # characters of a section heading's title
_FENCE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})")


class RunbookError(ValueError):
    """A runbook that cannot be read: each problem names the file and, when known, the line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int | None
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path, "line": self.line, "severity": self.severity,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    body: str  # the text under the heading, without surrounding blank lines
    line: int = field(default=0, compare=False)  # of the heading, 1-based

    @property
    def empty(self) -> bool:
        """True when nothing but whitespace and HTML comments (template hints) is left."""
        return not _strip_comments(self.body).strip()


@dataclass(frozen=True, slots=True)
class Runbook:
    id: str
    title: str
    sections: tuple[Section, ...]
    signatures: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source: str | None = None
    created: dt.date | None = None
    used: int = 0
    resolved: int = 0
    preamble: str = ""  # between the front matter and the first `##` section (the `# title`)
    path: str = field(default="", compare=False)
    key_lines: Mapping[str, int] = field(default_factory=dict, compare=False)

    def section(self, heading: str) -> Section | None:
        wanted = heading.casefold()
        return next((s for s in self.sections if s.heading.casefold() == wanted), None)

    @property
    def body(self) -> str:
        """The markdown after the front matter, for search."""
        return self.preamble + "\n".join(f"## {s.heading}\n{s.body}" for s in self.sections)


def slugify(text: str, max_length: int = 60) -> str:
    """`"ModuleNotFoundError: numpy"` -> `"modulenotfounderror-numpy"`: ASCII, lowercase, words
    joined by `-`, cut at a word boundary; "runbook" when nothing is left."""
    folded = unicodedata.normalize("NFKD", text[:1000]).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", folded.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug and words:
        slug = words[0][:max_length]
    return slug or "runbook"


# -- parsing --------------------------------------------------------------------------------


def parse_runbook(text: str, path: str = "runbook.md") -> Runbook:
    """The runbook in `text`; RunbookError listing every front-matter problem found."""
    if len(text.encode("utf-8", errors="replace")) > MAX_FILE_BYTES:
        raise RunbookError([Problem(path, None, f"file is over the {MAX_FILE_BYTES}-byte cap")])
    text = text.removeprefix("\ufeff")
    head = _DELIM.match(text)
    if head is None:
        raise RunbookError([Problem(path, 1, "no front matter: the file must start with '---'")])
    end = _closing_delimiter(text, head.end())
    if end is None:
        raise RunbookError([Problem(path, 1, "front matter is not closed by a '---' line")])
    yaml_text = text[head.end():end[0]]
    if len(yaml_text.encode()) > MAX_FRONT_MATTER_BYTES:
        raise RunbookError(
            [Problem(path, 1, f"front matter is over the {MAX_FRONT_MATTER_BYTES}-byte cap")]
        )
    data, lines = _load_yaml(yaml_text, path, first_line=2)
    problems: list[Problem] = []
    values = _validate(data, lines, path, problems)
    if problems:
        raise RunbookError(problems)
    body_start_line = text.count("\n", 0, end[1]) + 1
    preamble, sections = _split_sections(text[end[1]:], body_start_line)
    return Runbook(
        **values, sections=sections, preamble=preamble, path=path, key_lines=lines
    )


def _closing_delimiter(text: str, start: int) -> tuple[int, int] | None:
    """(start, end) of the `---` line closing the front matter."""
    pos = start
    while pos <= len(text):
        newline = text.find("\n", pos)
        line_end = len(text) if newline < 0 else newline
        if text[pos:line_end].rstrip() in ("---", "..."):
            return pos, min(len(text), line_end + 1)
        if newline < 0:
            return None
        pos = newline + 1
    return None


def _load_yaml(text: str, path: str, first_line: int) -> tuple[Any, dict[str, int]]:
    """Safe YAML without aliases or deep nesting; the line of each top-level key."""
    offset = first_line - 1
    try:
        depth = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            mark = event.start_mark
            line = mark.line + 1 + offset if mark is not None else None
            if isinstance(event, yaml.AliasEvent):
                raise RunbookError([Problem(path, line, "YAML aliases are not allowed here")])
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise RunbookError(
                        [Problem(path, line, f"nested deeper than {MAX_DEPTH} levels")]
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.SafeLoader(text).construct_document(node) if node is not None else None
    except RunbookError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + offset if mark is not None else None
        problem = ": ".join(filter(None, [exc.context, exc.problem])) or "unparsable"
        raise RunbookError([Problem(path, line, f"invalid YAML: {problem}")]) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise RunbookError([Problem(path, first_line, f"invalid YAML: {exc}")]) from None
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                lines.setdefault(str(key.value), key.start_mark.line + 1 + offset)
    return data, lines


def _validate(
    data: Any, lines: Mapping[str, int], path: str, problems: list[Problem]
) -> dict[str, Any]:
    if not isinstance(data, dict):
        problems.append(Problem(path, 2, "front matter must be a mapping of keys to values"))
        return {}

    def bad(key: str, message: str) -> None:
        problems.append(Problem(path, lines.get(key, 2), f"'{key}': {message}"))

    for key in data:
        if str(key) not in KEYS:
            bad(str(key), f"unknown key (allowed: {', '.join(KEYS)})")
    for key in REQUIRED_KEYS:
        if key not in data:
            problems.append(Problem(path, 2, f"'{key}' is required"))
    values: dict[str, Any] = {}
    version = data.get("format", FORMAT_VERSION)
    if version != FORMAT_VERSION or isinstance(version, bool):
        bad("format", f"unsupported format version {version!r}; this Hephaestus reads "
                      f"{FORMAT_VERSION}")
    ident = data.get("id", "")
    if "id" in data and not (isinstance(ident, str) and ID_RE.fullmatch(ident)):
        bad("id", f"{ident!r} is not a slug (lowercase letters, digits and '-', at most 80)")
    values["id"] = ident if isinstance(ident, str) else str(ident)
    title = data.get("title", "")
    if "title" in data and not (isinstance(title, str) and title.strip()):
        bad("title", "must be a non-empty string")
    elif isinstance(title, str) and (len(title) > MAX_TITLE or "\n" in title.strip()):
        bad("title", f"must be one line of at most {MAX_TITLE} characters")
    values["title"] = title.strip() if isinstance(title, str) else str(title)
    patterns = {"signatures": SIGNATURE_RE, "rules": RULE_RE, "tags": TAG_RE}
    for key, pattern in patterns.items():
        raw = data.get(key) or []
        if not isinstance(raw, list):
            bad(key, "must be a list")
            raw = []
        if len(raw) > MAX_ITEMS[key]:
            bad(key, f"at most {MAX_ITEMS[key]} entries")
        items: list[str] = []
        for item in raw[: MAX_ITEMS[key]]:
            if not (isinstance(item, str) and pattern.fullmatch(item)):
                bad(key, f"{item!r} does not match {pattern.pattern}")
            elif item not in items:
                items.append(item)
        values[key] = tuple(items)
    source = data.get("source")
    if source is not None and not (isinstance(source, str) and 0 < len(source) <= 500):
        bad("source", "must be a string (a URL or owner/repo#number) or null")
    values["source"] = source if isinstance(source, str) else None
    created = data.get("created")
    if isinstance(created, dt.datetime):
        created = created.date()
    elif isinstance(created, str):
        try:
            created = dt.date.fromisoformat(created)
        except ValueError:
            bad("created", f"{created!r} is not a date (YYYY-MM-DD)")
            created = None
    elif created is not None and not isinstance(created, dt.date):
        bad("created", "must be a date (YYYY-MM-DD)")
        created = None
    values["created"] = created
    for key in ("used", "resolved"):
        count = data.get(key, 0)
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count < 10**9:
            bad(key, "must be a whole number >= 0")
            count = 0
        values[key] = count
    if values["resolved"] > values["used"]:
        bad("resolved", f"{values['resolved']} is more than used ({values['used']})")
    return values


def _split_sections(body: str, first_line: int) -> tuple[str, tuple[Section, ...]]:
    """The text before the first `## ` heading, and each `##` section (headings inside fenced
    code blocks are code, not headings)."""
    lines = body.split("\n")
    preamble: list[str] = []
    sections: list[tuple[str, int, list[str]]] = []
    fence: str | None = None
    for number, line in enumerate(lines, start=first_line):
        opener = _FENCE.match(line)
        if opener is not None:
            mark = opener.group(1)
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence) and not line.strip()[len(mark):]:
                fence = None
        elif fence is None and line.startswith("## "):
            # The title ends before trailing spaces and `#`s. Cut with str methods: a pattern
            # tried each title length against a long run of ` #` (25 ms a 4 KB line).
            title = line[3:].lstrip(" \t").rstrip(" \t#")
            if len(title) <= MAX_HEADING:
                sections.append((title.strip(), number, []))
                continue
        (sections[-1][2] if sections else preamble).append(line)
    return (
        "\n".join(preamble).strip("\n") + ("\n" if any(p.strip() for p in preamble) else ""),
        tuple(Section(h, "\n".join(body).strip("\n"), n) for h, n, body in sections),
    )


def _strip_comments(text: str) -> str:
    out, pos = [], 0
    while True:
        start = text.find("<!--", pos)
        if start < 0:
            out.append(text[pos:])
            return "".join(out)
        out.append(text[pos:start])
        end = text.find("-->", start + 4)
        if end < 0:
            return "".join(out)
        pos = end + 3


# -- rendering ------------------------------------------------------------------------------


def _quote(value: str) -> str:
    # A JSON string is a YAML double-quoted scalar: no YAML type guessing ("yes", "1.0").
    return json.dumps(value, ensure_ascii=False)


def _list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_quote(v) for v in values) + "]"


def render_front_matter(rb: Runbook) -> str:
    rows = [
        "---",
        f"format: {FORMAT_VERSION}",
        f"id: {_quote(rb.id)}",
        f"title: {_quote(rb.title)}",
        f"signatures: {_list(rb.signatures)}",
        f"rules: {_list(rb.rules)}",
        f"tags: {_list(rb.tags)}",
        f"source: {_quote(rb.source) if rb.source is not None else 'null'}",
        f"created: {rb.created.isoformat() if rb.created else 'null'}",
        f"used: {rb.used}",
        f"resolved: {rb.resolved}",
        "---",
    ]
    return "\n".join(rows) + "\n"


def render_runbook(rb: Runbook) -> str:
    """The canonical text of a runbook; `parse_runbook(render_runbook(rb)) == rb`."""
    parts = [render_front_matter(rb)]
    if rb.preamble.strip():
        parts.append(rb.preamble.strip("\n") + "\n\n")
    for section in rb.sections:
        body = section.body.strip("\n")
        parts.append(f"## {section.heading}\n" + (f"{body}\n\n" if body else "\n"))
    return "".join(parts).rstrip("\n") + "\n"


def new_runbook(
    title: str,
    sections: Mapping[str, str],
    *,
    id: str | None = None,
    signatures: Sequence[str] = (),
    rules: Sequence[str] = (),
    tags: Sequence[str] = (),
    source: str | None = None,
    created: dt.date | None = None,
) -> Runbook:
    """A runbook with the six standard sections in order (missing ones get a hint comment)."""
    title = " ".join(title.split())[:MAX_TITLE] or "Untitled runbook"
    ordered = tuple(
        Section(name, sections.get(name, "").strip("\n") or f"<!-- {name}: to be written -->")
        for name in SECTIONS
    )
    return Runbook(
        id=id or slugify(title),
        title=title,
        sections=ordered,
        signatures=tuple(dict.fromkeys(s for s in signatures if SIGNATURE_RE.fullmatch(s))),
        rules=tuple(dict.fromkeys(r for r in rules if RULE_RE.fullmatch(r))),
        tags=tuple(dict.fromkeys(t for t in tags if TAG_RE.fullmatch(t))),
        source=source,
        created=created,
        preamble=f"# {title}\n",
    )


_COUNTER_LINE = re.compile(r"(used|resolved)[ \t]*:[^\n#]*(#[^\n]*)?")


def set_counters(text: str, used: int, resolved: int, path: str = "runbook.md") -> str:
    """`text` with only the `used:`/`resolved:` front-matter lines changed (added when
    missing): the rest of the file, comments and formatting included, is kept byte for byte."""
    rb = parse_runbook(text, path)  # refuses to edit a file it cannot read
    head = _DELIM.match(text.removeprefix("\ufeff"))
    bom = len(text) - len(text.removeprefix("\ufeff"))
    assert head is not None  # parse_runbook checked it
    start = bom + head.end()
    end = _closing_delimiter(text, start)
    assert end is not None
    lines = text[start:end[0]].split("\n")
    wanted = {"used": used, "resolved": resolved}
    for index, line in enumerate(lines):
        match = _COUNTER_LINE.fullmatch(line.rstrip("\r"))
        if match is not None and match.group(1) in wanted:
            comment = f"  {match.group(2)}" if match.group(2) else ""
            lines[index] = f"{match.group(1)}: {wanted.pop(match.group(1))}{comment}"
    if lines and lines[-1] == "":
        lines.pop()
    lines += [f"{key}: {value}" for key, value in wanted.items()]
    updated = text[:start] + "\n".join(lines) + "\n" + text[end[0]:]
    check = parse_runbook(updated, path)
    if (check.used, check.resolved) != (used, resolved) or replace(
        check, used=rb.used, resolved=rb.resolved
    ) != rb:
        raise RunbookError([Problem(path, None, "could not update the counters in place")])
    return updated


# -- a directory of runbooks ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Loaded:
    runbooks: tuple[Runbook, ...]
    problems: tuple[Problem, ...]


def is_runbook_path(name: str) -> bool:
    """Runbooks are `*.md` files; README.md / index.md and `_*` (templates) are not runbooks."""
    base = name.rsplit("/", 1)[-1]
    return (
        base.lower().endswith(".md")
        and base.lower() not in ("readme.md", "index.md")
        and not base.startswith("_")
    )


def parse_many(files: Mapping[str, str]) -> Loaded:
    """Parse every runbook in `{path: text}`; unreadable ones become problems."""
    runbooks: list[Runbook] = []
    problems: list[Problem] = []
    for path in sorted(files):
        try:
            runbooks.append(parse_runbook(files[path], path))
        except RunbookError as exc:
            problems.extend(exc.problems)
    return Loaded(tuple(runbooks), tuple(problems))


def read_dir(root: Path, runbooks_dir: str) -> tuple[dict[str, str], list[Problem]]:
    """`{repo-relative path: text}` of the runbook files under `root/runbooks_dir`."""
    base = root / runbooks_dir
    files: dict[str, str] = {}
    problems: list[Problem] = []
    if not base.is_dir():
        return files, problems
    for file in sorted(base.rglob("*.md"))[:MAX_FILES]:
        rel = file.relative_to(root).as_posix()
        if not file.is_file() or not is_runbook_path(rel):
            continue
        try:
            if file.stat().st_size > MAX_FILE_BYTES:
                problems.append(Problem(rel, None, f"file is over the {MAX_FILE_BYTES}-byte cap"))
                continue
            files[rel] = file.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(rel, None, "not UTF-8 text"))
        except OSError as exc:
            problems.append(Problem(rel, None, f"cannot read: {exc.strerror}"))
    return files, problems


def load_dir(root: Path, runbooks_dir: str) -> Loaded:
    files, problems = read_dir(root, runbooks_dir)
    loaded = parse_many(files)
    return Loaded(loaded.runbooks, (*problems, *loaded.problems))
