"""Which files an analysis reads, and their text.

Inside a git work tree the listing is git's own (`git ls-files -co --exclude-standard`: tracked plus
untracked-but-not-ignored), so `.gitignore` means what it means to git. Outside one, a walk that
skips the usual tool and build directories. Files named explicitly are always taken, as ruff does.

A file is skipped, with a reason a person can act on, when it is binary, not UTF-8, larger than
the cap, or a symlink that leads out of the tree. Nothing here raises for a bad file; only a bad
argument (a missing path, a path outside the root) raises InputError.
"""

from __future__ import annotations

import codecs
import fnmatch
import os
import stat
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ghbot.engine.diff import DiffIndex, DiffParseError, parse_unified_diff
from ghbot.engine.models import SourceFile

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
_BINARY_SNIFF = 8192
BINARY = "binary file"
# Directories no analysis wants when there is no .gitignore to say so.
DEFAULT_EXCLUDED_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "node_modules", "__pycache__",
        ".mypy_cache", ".pytest_cache", ".ruff_cache", "build", "dist", ".eggs",
    }
)  # fmt: skip


class InputError(ValueError):
    """A bad argument: the message is shown to the user as is."""


@dataclass(frozen=True, slots=True)
class Skipped:
    path: str
    reason: str


@dataclass(slots=True)
class Discovery:
    root: Path
    files: list[SourceFile] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


_GIT_SECONDS = 120


def _git_command(args: Sequence[str]) -> list[str]:
    import shutil  # here: with its archive modules, a few ms of every start before ruff's

    git = shutil.which("git")
    if git is None:
        raise InputError("git is not installed, and this needs it")
    return [git, "-c", "core.quotepath=off", *args]


def run_git(
    args: Sequence[str], cwd: Path, timeout: float = _GIT_SECONDS
) -> subprocess.CompletedProcess[bytes]:
    """Run git with fixed arguments (never a shell); raise InputError when git is missing."""
    return subprocess.run(  # noqa: S603 - fixed argv, no shell; paths come after "--"
        _git_command(args), cwd=cwd, capture_output=True, timeout=timeout, check=False
    )


def start_git(args: Sequence[str], cwd: Path) -> subprocess.Popen[bytes]:
    """`run_git` started in the background: the caller waits with `communicate`."""
    return subprocess.Popen(  # noqa: S603 - fixed argv, no shell; paths come after "--"
        _git_command(args), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def git_toplevel(directory: Path) -> Path | None:
    """The top of the git work tree holding `directory`, or None outside one; InputError for a
    repository git will not read because another user owns it."""
    try:
        done = run_git(["rev-parse", "--show-toplevel"], directory, timeout=30)
    except (OSError, subprocess.TimeoutExpired, InputError):
        return None
    if done.returncode != 0:
        if b"dubious ownership" in done.stderr:
            raise InputError(
                f"{directory} is a git repository owned by another user, which git refuses to "
                "read (\"dubious ownership\"); if you trust it: git config --global --add "
                f"safe.directory {directory}"
            )
        return None
    return Path(done.stdout.decode("utf-8", "surrogateescape").strip()).resolve()


def default_root(paths: Sequence[Path]) -> Path:
    """The git work tree holding the paths, else their common directory (the cwd when none).

    Found from the paths as given, not their targets: `linkdir/x.py`, with linkdir a symlink
    to a directory elsewhere, belongs to the tree around linkdir, and so is outside it.
    """
    given = [Path(os.path.abspath(p)) for p in paths] or [Path.cwd()]
    for path in given:
        if not path.exists():
            raise InputError(f"{path}: no such file or directory")
    common = Path(os.path.commonpath([p if p.is_dir() else p.parent for p in given]))
    common = _above_symlinks(common).resolve()
    return git_toplevel(common) or common


def _above_symlinks(directory: Path) -> Path:
    """`directory`, or the parent of its highest symlinked component that the cwd is not in."""
    cwd = Path.cwd()
    highest = None
    for ancestor in (directory, *directory.parents):
        if ancestor.is_symlink() and not cwd.is_relative_to(ancestor):
            highest = ancestor
    return highest.parent if highest is not None else directory


DEFAULT_EXCLUDE = ("vendor/**",)  # analysis.exclude when the repository configures none


def excluded(path: str, patterns: Sequence[str]) -> bool:
    """True when a root-relative path matches one of the globs (`analysis.exclude`): fnmatch's
    `*` crosses `/`, so `vendor/**` excludes everything under vendor/."""
    return any(fnmatch.fnmatchcase(path, pattern) for pattern in patterns)


def inside_tree(root: Path, relative: str) -> Path:
    """Where writing `root/relative` really lands, resolved; InputError when that is outside
    the tree. Every path a command writes goes through here first."""
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise InputError(f"{relative}: leads to {target}, outside the tree {root}; not written")
    return target


def _relative(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        raise InputError(f"{path}: outside the checked root {root}") from None


def _walk(root: Path, start: Path) -> Iterable[str]:
    for directory, dirnames, filenames in os.walk(start, followlinks=False):
        dirnames[:] = sorted(
            d for d in dirnames if d not in DEFAULT_EXCLUDED_DIRS and not d.endswith(".egg-info")
        )
        base = Path(directory)
        for name in sorted(filenames):
            yield (base / name).relative_to(root).as_posix()
        for name in dirnames:  # symlinked directories are not entered; say so if they leave
            if (base / name).is_symlink():
                yield (base / name).relative_to(root).as_posix()


def _read(root: Path, relative: str, max_bytes: int) -> SourceFile | Skipped | None:
    """The file's text, a reason to skip it, or None for something that is not a file at all."""
    if not relative.isprintable() or _undecodable(relative):
        return Skipped(ascii(relative), "the file name is not printable UTF-8")
    # os-level calls, one lstat and one read for an ordinary file: pathlib's stat-per-question
    # cost a third of `check`'s reading time on a 5,500-file tree.
    absolute = os.path.join(root, relative)
    try:
        status = os.lstat(absolute)
        if stat.S_ISLNK(status.st_mode):
            target = Path(absolute).resolve()
            if not target.is_relative_to(root):
                return Skipped(
                    relative, f"symlink to {os.readlink(absolute)}, outside the checked tree"
                )
            status = os.stat(absolute)
            if stat.S_ISDIR(status.st_mode):
                return None  # its files are listed on their own
        if not stat.S_ISREG(status.st_mode):
            special = _special(status.st_mode)
            return Skipped(relative, f"not a regular file ({special})") if special else None
        if status.st_size > max_bytes:
            return Skipped(
                relative, f"{_size(status.st_size)} is over the {_size(max_bytes)} size limit"
            )
        # O_NONBLOCK: a file swapped for a named pipe after the stat must not block the open.
        descriptor = os.open(absolute, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                return Skipped(relative, "not a regular file (it changed while being read)")
            data = os.read(descriptor, status.st_size + 1)
        finally:
            os.close(descriptor)
    except FileNotFoundError:
        return None  # a deleted tracked file
    except OSError as error:
        return Skipped(relative, f"unreadable: {error.strerror or error}")
    if len(data) > max_bytes:  # it grew after the lstat
        return Skipped(relative, f"over the {_size(max_bytes)} size limit")
    if data.find(b"\0", 0, _BINARY_SNIFF) != -1:
        return Skipped(relative, BINARY)
    if data.startswith(codecs.BOM_UTF8):  # what "utf-8-sig" does, at half its cost per file
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        reason = f"not UTF-8 (byte 0x{byte:02x} on line {line}); only UTF-8 text is analysed"
        return Skipped(relative, reason)
    return SourceFile(path=relative, text=text)


def _special(mode: int) -> str | None:
    """What a file that is neither regular nor a directory is (None: a directory, a submodule)."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return None


def readable_in_tree(root: Path, relative: str) -> bool:
    """Whether another tool may open `relative` itself: a regular file (a named pipe or a device
    would block or never end) that is not a symlink leading out of the tree."""
    absolute = os.path.join(root, relative)
    try:
        mode = os.lstat(absolute).st_mode  # one call for the usual case, a plain file
        if stat.S_ISLNK(mode):
            mode = os.stat(absolute).st_mode
            if not Path(absolute).resolve().is_relative_to(root):
                return False
    except OSError:
        return False
    return stat.S_ISREG(mode)


def _undecodable(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def discover(
    root: Path,
    paths: Sequence[Path] = (),
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    only: Iterable[str] | None = None,
) -> Discovery:
    """Read the files under `paths` (default: the whole root), relative to `root`.

    `only`, when given, restricts the result to those root-relative paths (the files a diff
    touched); paths it names that the listing does not hold are ignored.
    """
    root = root.resolve()
    return read_files(root, list_names(root, paths, only=only), max_bytes=max_bytes)


def list_names(
    root: Path, paths: Sequence[Path] = (), *, only: Iterable[str] | None = None
) -> list[str]:
    """The root-relative names `discover` reads, sorted, without reading them: cheap, so a
    caller can start work on the names (a ruff process) while the contents are read."""
    return start_listing(root, paths).names(only)


class Listing:
    """`list_names` begun: git lists the tree in the background while the caller goes on (check
    imports its analysers meanwhile); `names` waits for it."""

    def __init__(
        self,
        root: Path,
        explicit_files: list[str],
        directories: list[str],
        started: subprocess.Popen[bytes] | None = None,
    ) -> None:
        self.root, self._explicit, self._directories = root, explicit_files, directories
        self._git: subprocess.Popen[bytes] | None = None
        if directories and git_toplevel(root) is not None:
            if started is not None and directories == ["."]:
                self._git, started = started, None
            else:
                self._git = start_git(["ls-files", "-co", "--exclude-standard", "-z", "--",
                                       *directories], root)  # fmt: skip
        if started is not None:  # not this listing: stopped unread
            started.kill()
            started.communicate()

    def names(self, only: Iterable[str] | None = None) -> list[str]:
        """The names, sorted; `only`: just those of them (the files a diff touched)."""
        names = set(self._explicit)
        if self._git is not None:
            names.update(self._git_names(self._git))
        else:
            for directory in self._directories:
                start = self.root / directory if directory != "." else self.root
                names.update(_walk(self.root, start))
        if only is not None:
            names &= set(only)
        return sorted(names)

    def _git_names(self, git: subprocess.Popen[bytes]) -> Iterable[str]:
        try:
            out, err = git.communicate(timeout=_GIT_SECONDS)
        except subprocess.TimeoutExpired:
            git.kill()
            out, err = git.communicate()
        if git.returncode != 0:
            message = err.decode("utf-8", "replace").strip()
            raise InputError(f"git ls-files failed in {self.root}: {message}")
        return filter(None, out.decode("utf-8", "surrogateescape").split("\0"))


def start_listing(
    root: Path, paths: Sequence[Path] = (), started: subprocess.Popen[bytes] | None = None
) -> Listing:
    """`list_names` started (InputError for a path that is missing or outside `root`).
    `started`: `git ls-files -co --exclude-standard -z -- .` already running in `root`, used
    when the listing is of the whole root (else stopped)."""
    root = root.resolve()
    if not root.is_dir():
        raise InputError(f"{root}: not a directory")
    explicit_files: list[str] = []
    directories: list[str] = []
    for path in paths or [root]:
        absolute = path if path.is_absolute() else Path.cwd() / path
        if not absolute.exists() and not absolute.is_symlink():
            raise InputError(f"{path}: no such file or directory")
        relative = _relative(root, absolute.parent) if absolute.is_symlink() else None
        if relative is not None:  # keep the link's own name, not its target's
            explicit_files.append(f"{relative}/{absolute.name}".removeprefix("./").lstrip("/"))
        elif absolute.is_dir():
            directories.append(_relative(root, absolute))
        else:
            explicit_files.append(_relative(root, absolute))
    return Listing(root, explicit_files, directories, started)


def read_files(
    root: Path, names: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Discovery:
    """The text files among root-relative `names`, and why each other one was skipped."""
    result = Discovery(root=root)
    for name in names:
        outcome = _read(root, name, max_bytes)
        if isinstance(outcome, SourceFile):
            result.files.append(outcome)
        elif isinstance(outcome, Skipped):
            result.skipped.append(outcome)
    return result


def load_diff(root: Path, base: str) -> DiffIndex:
    """What changed under `root` since the git ref `base`: `git diff -U0 base` (committed and
    uncommitted changes) plus untracked, not-ignored files, which count as wholly added."""
    if git_toplevel(root) is None:
        raise InputError(f"--diff needs a git repository, and {root} is not in one")
    if base.startswith("-"):
        raise InputError(f"--diff {base}: not a git ref")
    known = run_git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{base}^{{commit}}"],
                    root, timeout=30)  # fmt: skip
    if known.returncode != 0:
        raise InputError(f"--diff {base}: no such commit in this repository")
    done = run_git(["diff", "--relative", "-U0", "-M", "--no-color", "--no-ext-diff",
                    "--end-of-options", base, "--"], root)  # fmt: skip
    if done.returncode != 0:
        raise InputError(f"git diff {base} failed: {done.stderr.decode('utf-8', 'replace')}")
    try:
        index = parse_unified_diff(done.stdout.decode("utf-8", "surrogateescape"))
    except DiffParseError as error:
        raise InputError(f"cannot read git's diff against {base}: {error}") from None
    untracked = run_git(["ls-files", "-o", "--exclude-standard", "-z"], root)
    for name in untracked.stdout.decode("utf-8", "surrogateescape").split("\0"):
        path = root / name
        if name and path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                index.mark_whole_file_added(name, sum(1 for _ in handle))
    return index
