"""In-memory git object store with real object ids (blob, tree, commit) and tree diffs.

Object ids are the sha1 git computes (`<type> <size>\\0<payload>`), so a test can compare them
with a real `git hash-object` or a real repository built from the same files.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

FILE_MODE = "100644"
EXEC_MODE = "100755"
LINK_MODE = "120000"
TREE_MODE = "040000"  # the REST API spells it with a leading zero; the raw object does not


def object_id(kind: str, payload: bytes) -> str:
    return hashlib.sha1(f"{kind} {len(payload)}\0".encode() + payload).hexdigest()  # noqa: S324


@dataclass(frozen=True)
class Blob:
    data: bytes

    @property
    def sha(self) -> str:
        return object_id("blob", self.data)


@dataclass(frozen=True)
class TreeEntry:
    name: str
    mode: str
    sha: str

    @property
    def kind(self) -> str:
        return "tree" if self.mode == TREE_MODE else "blob"


def _sort_key(entry: TreeEntry) -> bytes:
    # git orders a directory as if its name ended with "/"
    return (entry.name + ("/" if entry.kind == "tree" else "")).encode()


@dataclass(frozen=True)
class Tree:
    entries: tuple[TreeEntry, ...]

    def payload(self) -> bytes:
        out = bytearray()
        for e in sorted(self.entries, key=_sort_key):
            out += f"{e.mode.lstrip('0')} {e.name}\0".encode() + bytes.fromhex(e.sha)
        return bytes(out)

    @property
    def sha(self) -> str:
        return object_id("tree", self.payload())


@dataclass(frozen=True)
class Signature:
    name: str
    email: str
    timestamp: int  # seconds since the epoch, UTC

    def raw(self) -> str:
        return f"{self.name} <{self.email}> {self.timestamp} +0000"


@dataclass(frozen=True)
class Commit:
    tree: str
    parents: tuple[str, ...]
    author: Signature
    committer: Signature
    message: str

    def payload(self) -> bytes:
        lines = [f"tree {self.tree}"] + [f"parent {p}" for p in self.parents]
        lines += [f"author {self.author.raw()}", f"committer {self.committer.raw()}"]
        return ("\n".join(lines) + "\n\n" + self.message).encode()

    @property
    def sha(self) -> str:
        return object_id("commit", self.payload())


GitObject = Blob | Tree | Commit


@dataclass(frozen=True)
class FileEntry:
    """A file in a flattened tree: path -> blob id and mode."""

    path: str
    sha: str
    mode: str


@dataclass
class ObjectStore:
    objects: dict[str, GitObject] = field(default_factory=dict)

    def put(self, obj: GitObject) -> str:
        sha = obj.sha
        self.objects.setdefault(sha, obj)
        return sha

    def get(self, sha: str) -> GitObject | None:
        return self.objects.get(sha)

    def blob(self, sha: str) -> Blob:
        obj = self.objects.get(sha)
        if not isinstance(obj, Blob):
            raise KeyError(sha)
        return obj

    def tree(self, sha: str) -> Tree:
        obj = self.objects.get(sha)
        if not isinstance(obj, Tree):
            raise KeyError(sha)
        return obj

    def commit(self, sha: str) -> Commit:
        obj = self.objects.get(sha)
        if not isinstance(obj, Commit):
            raise KeyError(sha)
        return obj

    # -- trees as flat path maps -------------------------------------------------------------

    def write_tree(self, files: Mapping[str, FileEntry]) -> str:
        """Store the nested trees for a flat {path: FileEntry} map; returns the root tree id."""
        children: dict[str, dict[str, FileEntry]] = {}
        entries: list[TreeEntry] = []
        for path, entry in files.items():
            head, sep, rest = path.partition("/")
            if sep:
                children.setdefault(head, {})[rest] = entry
            else:
                entries.append(TreeEntry(head, entry.mode, entry.sha))
        for name, sub in children.items():
            entries.append(TreeEntry(name, TREE_MODE, self.write_tree(sub)))
        return self.put(Tree(tuple(entries)))

    def walk(self, tree_sha: str, prefix: str = "") -> Iterator[tuple[str, TreeEntry]]:
        """Every entry under a tree, depth first, trees before their contents."""
        for e in sorted(self.tree(tree_sha).entries, key=_sort_key):
            path = prefix + e.name
            yield path, e
            if e.kind == "tree":
                yield from self.walk(e.sha, path + "/")

    def flatten(self, tree_sha: str) -> dict[str, FileEntry]:
        return {
            p: FileEntry(p, e.sha, e.mode) for p, e in self.walk(tree_sha) if e.kind == "blob"
        }

    def lookup(self, tree_sha: str, path: str) -> TreeEntry | None:
        """The entry at `path` ("" is the root, returned as a tree entry)."""
        if path in ("", "/"):
            return TreeEntry("", TREE_MODE, tree_sha)
        current = tree_sha
        parts = path.strip("/").split("/")
        for i, part in enumerate(parts):
            found = next((e for e in self.tree(current).entries if e.name == part), None)
            if found is None:
                return None
            if i == len(parts) - 1:
                return found
            if found.kind != "tree":
                return None
            current = found.sha
        return None

    # -- history -----------------------------------------------------------------------------

    def ancestors(self, sha: str) -> set[str]:
        """`sha` and every commit reachable from it."""
        seen: set[str] = set()
        stack = [sha]
        while stack:
            cur = stack.pop()
            if cur in seen or cur not in self.objects:
                continue
            seen.add(cur)
            stack.extend(self.commit(cur).parents)
        return seen

    def is_ancestor(self, maybe_ancestor: str, sha: str) -> bool:
        return maybe_ancestor in self.ancestors(sha)

    def merge_base(self, a: str, b: str) -> str | None:
        common = self.ancestors(a) & self.ancestors(b)
        # the best common ancestor is one that no other common ancestor descends from
        for c in common:
            if not any(c != o and c in self.ancestors(o) for o in common):
                return c
        return None

    def log(self, sha: str, limit: int = 10_000) -> list[str]:
        """First-parent history from `sha`, newest first."""
        out: list[str] = []
        cur: str | None = sha
        while cur and len(out) < limit:
            out.append(cur)
            parents = self.commit(cur).parents
            cur = parents[0] if parents else None
        return out


# -- unified diffs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffLine:
    """One line of a hunk body: kind is ' ', '+' or '-'; line numbers are 1-based or None."""

    kind: str
    old_line: int | None
    new_line: int | None
    position: int  # GitHub's "position": the line's index in the patch (first @@ line is 0)


@dataclass(frozen=True)
class FileDiff:
    filename: str
    status: str  # added | removed | modified
    patch: str
    additions: int
    deletions: int
    lines: tuple[DiffLine, ...]
    sha: str | None  # blob id at head (None when removed)

    def has_line(self, line: int, side: str) -> bool:
        if side == "LEFT":
            return any(d.old_line == line and d.kind in " -" for d in self.lines)
        return any(d.new_line == line and d.kind in " +" for d in self.lines)

    def position_of(self, line: int, side: str) -> int | None:
        for d in self.lines:
            if side == "LEFT" and d.old_line == line and d.kind in " -":
                return d.position
            if side != "LEFT" and d.new_line == line and d.kind in " +":
                return d.position
        return None

    def line_at_position(self, position: int) -> DiffLine | None:
        return next((d for d in self.lines if d.position == position), None)


def _range(start: int, count: int) -> str:
    # git (and GitHub) print "start" alone for one line and "start-1,0" for none
    if count == 1:
        return f"{start + 1}"
    if count == 0:
        return f"{start},0"
    return f"{start + 1},{count}"


def _emit(out: list[str], sign: str, line: str) -> int:
    """Append one diff line (and git's missing-newline marker); returns its position."""
    # lines keep their ending so that "x" and "x\n" differ, as they do for git
    out.append(sign + line[:-1] if line.endswith("\n") else sign + line)
    position = len(out) - 1  # the first hunk header is out[0], position 0
    if not line.endswith("\n"):
        out.append("\\ No newline at end of file")
    return position


def unified_patch(old: bytes, new: bytes, context: int = 3) -> tuple[str, list[DiffLine]]:
    """GitHub's `patch` text (hunks only, no ---/+++ header) and its indexed lines."""
    a = old.decode("utf-8", errors="replace").splitlines(keepends=True)
    b = new.decode("utf-8", errors="replace").splitlines(keepends=True)
    out: list[str] = []
    indexed: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        out.append(f"@@ -{_range(i1, i2 - i1)} +{_range(j1, j2 - j1)} @@")
        for tag, ai1, ai2, bj1, bj2 in group:
            if tag == "equal":
                for k in range(ai2 - ai1):
                    pos = _emit(out, " ", a[ai1 + k])
                    indexed.append(DiffLine(" ", ai1 + k + 1, bj1 + k + 1, pos))
                continue
            for k in range(ai1, ai2):
                indexed.append(DiffLine("-", k + 1, None, _emit(out, "-", a[k])))
            for k in range(bj1, bj2):
                indexed.append(DiffLine("+", None, k + 1, _emit(out, "+", b[k])))
    return "\n".join(out), indexed


def diff_hunk(patch: str, position: int) -> str:
    """The patch from the enclosing hunk header down to `position` (a comment's diff_hunk)."""
    lines = patch.split("\n")[: position + 1]
    start = max(i for i, line in enumerate(lines) if line.startswith("@@"))
    return "\n".join(lines[start:])


def diff_trees(store: ObjectStore, base_tree: str, head_tree: str) -> list[FileDiff]:
    """Per-file diffs from base to head, sorted by path (renames are reported as remove+add)."""
    base = store.flatten(base_tree)
    head = store.flatten(head_tree)
    diffs: list[FileDiff] = []
    for path in sorted(set(base) | set(head)):
        b, h = base.get(path), head.get(path)
        if b and h and b.sha == h.sha and b.mode == h.mode:
            continue
        old = store.blob(b.sha).data if b else b""
        new = store.blob(h.sha).data if h else b""
        status = "added" if b is None else "removed" if h is None else "modified"
        patch, lines = unified_patch(old, new)
        diffs.append(
            FileDiff(
                filename=path,
                status=status,
                patch=patch,
                additions=sum(1 for d in lines if d.kind == "+"),
                deletions=sum(1 for d in lines if d.kind == "-"),
                lines=tuple(lines),
                sha=h.sha if h else None,
            )
        )
    return diffs
