"""Fixes computed in memory for files at one commit: read through the API, fixed by the engine's
pipeline (which drops any fix that breaks parsing or adds a finding), never run.

The result is the `FileChange`s to commit (file modes kept, line endings and a UTF-8 BOM kept),
what each file got, and what was left alone and why, for the commit message and the reply.
"""

from __future__ import annotations

import asyncio
import fnmatch
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ghbot.engine.analysis.lint import PYTHON_SUFFIXES
from ghbot.engine.fixes.patch import unified_diff
from ghbot.engine.fixes.pipeline import FileResult, FixOptions, fix_file_isolated
from ghbot.engine.fixes.ruff_stdin import RuffOnText
from ghbot.engine.models import SourceFile
from ghbot.engine.redact import holds_secret
from ghbot.engine.render import details, escape_inline, fence, truncate_middle
from ghbot.github.api import GitHub
from ghbot.github.commits import FileChange
from ghbot.github.errors import NotFound, TooLarge
from ghbot.github.models import TreeMode
from ghbot.services.fix_policy import fix_trailer, protected

MAX_FILES = 100  # per fix: a bigger change is better fixed locally with `hephaestus fix`
MAX_FILE_BYTES = 1024 * 1024
MAX_RULES = 20
MAX_RULE_CHARS = 40
_BOM = "\ufeff"
FIX_WITHHELD = (
    "fix withheld: the lines it changes or shows hold a secret, which its commit or patch would "
    "publish; remove the secret (and rotate it), then ask again"
)
_WRITABLE_MODES: frozenset[str] = frozenset({"100644", "100755"})


@dataclass(frozen=True, slots=True)
class Fixed:
    path: str
    mode: TreeMode
    before: str  # as stored, line endings and BOM included
    after: str
    result: FileResult

    @property
    def rules(self) -> Counter[str]:
        return Counter(applied.rule for applied in self.result.applied)


@dataclass(slots=True)
class FixSet:
    fixed: list[Fixed] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "path: why", shown to people
    protected: list[str] = field(default_factory=list)  # fixable, but under .github/workflows/
    examined: int = 0

    @property
    def changes(self) -> list[FileChange]:
        return [FileChange(f.path, f.after.encode("utf-8"), f.mode) for f in self.fixed]

    @property
    def count(self) -> int:
        return sum(len(f.result.applied) for f in self.fixed)

    def headline(self) -> str:
        files = len(self.fixed)
        return (
            f"{self.count} fix{'es' if self.count != 1 else ''} in "
            f"{files} file{'s' if files != 1 else ''}"
        )

    def listing(self) -> str:
        """Markdown bullets: each file with the rules fixed, then what was left alone."""
        lines = []
        for f in self.fixed:
            rules = ", ".join(f"{r} ×{n}" if n > 1 else r for r, n in sorted(f.rules.items()))
            lines.append(f"- `{escape_inline(f.path)}`: {escape_inline(rules)}")
        for path in self.protected:
            lines.append(
                f"- `{escape_inline(path)}`: not changed: Hephaestus never writes under "
                "`.github/workflows/` (it has no `workflows` permission); fix it by hand"
            )
        lines += [f"- {escape_inline(s)}" for s in self.skipped[:20]]
        if len(self.skipped) > 20:
            lines.append(f"- … and {len(self.skipped) - 20} more files left alone")
        return "\n".join(lines)

    def patch(self, limit: int = 40_000) -> str:
        """The fixes as one `git apply`-able diff in a collapsed block, cut to `limit`."""
        diff = "".join(unified_diff(f.path, f.before, f.after) for f in self.fixed)
        if not diff:
            return ""
        body = fence(truncate_middle(diff, limit), "diff")
        return details(f"The fixes as a patch ({self.headline()})", body)

    def commit_message(self, head_sha: str, title: str) -> str:
        lines = [title, ""]
        for f in self.fixed:
            rules = ", ".join(sorted(f.rules))
            lines.append(f"- {f.path}: {rules}")
        return "\n".join([*lines, "", fix_trailer(head_sha)]) + "\n"


def parse_rules(args: Sequence[str]) -> tuple[str, ...] | None:
    """Rule selectors from `/hephaestus fix RULE...` (comma or space separated); None: all.
    ValueError with a message for people when they are not rule-like."""
    rules = [r.strip() for arg in args for r in arg.split(",") if r.strip()]
    if len(rules) > MAX_RULES:
        raise ValueError(f"at most {MAX_RULES} rules at a time")
    for rule in rules:
        if len(rule) > MAX_RULE_CHARS or not all(c.isalnum() or c in "-_." for c in rule):
            raise ValueError(f"`{escape_inline(rule[:MAX_RULE_CHARS])}` is not a rule id")
    return tuple(rules) or None


def fixable_paths(paths: Sequence[str], exclude: Sequence[str]) -> list[str]:
    return [
        p for p in paths
        if p.endswith(PYTHON_SUFFIXES) and not any(fnmatch.fnmatchcase(p, g) for g in exclude)
    ]  # fmt: skip


async def compute_fixes(
    gh: GitHub,
    owner: str,
    repo: str,
    *,
    commit_tree: str,
    sha: str,
    paths: Sequence[str],
    select: tuple[str, ...] | None,
) -> FixSet:
    """Fix `paths` as they are at commit `sha` (whose tree is `commit_tree`)."""
    out = FixSet()
    if len(paths) > MAX_FILES:
        out.skipped.append(
            f"{len(paths) - MAX_FILES} files past the first {MAX_FILES}: run "
            "`hephaestus fix` locally for a change this big"
        )
        paths = paths[:MAX_FILES]
    tree = await gh.get_tree(owner, repo, commit_tree, recursive=True)
    modes = {e.path: e.mode for e in tree.entries if e.type == "blob"}
    sources: list[tuple[str, TreeMode, str]] = []
    for path in paths:
        mode = modes.get(path)
        if mode is None:
            if tree.truncated:
                out.skipped.append(f"{path}: the repository tree is too big to read its mode")
            continue  # deleted at this commit
        if mode not in _WRITABLE_MODES:
            out.skipped.append(f"{path}: a symbolic link, not a file")
            continue
        try:
            content = await gh.get_file(owner, repo, path, sha, max_bytes=MAX_FILE_BYTES)
        except TooLarge:
            out.skipped.append(f"{path}: larger than {MAX_FILE_BYTES // 1024} KiB")
            continue
        except NotFound:
            continue
        try:
            sources.append((path, mode, content.content.decode("utf-8")))
        except UnicodeDecodeError:
            out.skipped.append(f"{path}: not UTF-8 text")
    out.examined = len(sources)
    if sources:
        # ruff runs in subprocesses and the codemods are CPU-bound: off the event loop
        await asyncio.to_thread(_fix_all, sources, select, out)
    return out


def _fix_all(
    sources: list[tuple[str, TreeMode, str]], select: tuple[str, ...] | None, out: FixSet
) -> None:
    options = FixOptions(select=select, syntax_guesses=False)  # a guess is never committed
    # An empty root: the text is judged by Hephaestus's rule set, never by configuration that
    # the change itself could carry (ruff's `extend` may point anywhere on this machine).
    with tempfile.TemporaryDirectory(prefix="hephaestus-fix-") as root:
        lint = RuffOnText(Path(root))
        for path, mode, stored in sources:
            bom = stored.startswith(_BOM)
            text = stored.removeprefix(_BOM)
            crlf = "\r\n" in text
            result = fix_file_isolated(
                SourceFile(path, text.replace("\r\n", "\n")), options, lint
            )
            if result.problem:
                out.skipped.append(f"{path}: {result.problem}")
            if not result.changed:
                continue
            if protected(path):
                out.protected.append(path)
                continue
            after = result.after.replace("\n", "\r\n") if crlf else result.after
            after = (_BOM if bom else "") + after
            # Masking a commit would corrupt the file: a fix whose diff shows a secret is withheld.
            if holds_secret(unified_diff(path, stored, after)):
                out.skipped.append(f"{path}: {FIX_WITHHELD}")
                continue
            out.fixed.append(Fixed(path, mode, stored, after, result))
