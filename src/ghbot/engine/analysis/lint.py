"""Lint and security findings from ruff, the binary shipped in ruff's PyPI wheel.

Ruff reads the files as data (it never imports or runs them) in one process for the whole run,
started before the Python analysers so the two overlap.

Rule selection. Ruff finds the repository's own configuration by itself (`pyproject.toml`
`[tool.ruff]`, `ruff.toml`, `.ruff.toml`, also in subdirectories). On top of it we always add
the security rules, `--extend-select S`. A command-line `--extend-select` would also revive rules
the repository's config ignores, so the root config's `ignore`/`extend-ignore` lists are passed
again as `--extend-ignore`: what a repository switched off stays off (to drop the security rules,
put "S" in its ignore list). With no configuration this is ruff's own default rule set plus S.
A configuration ruff cannot load is reported and replaced by those defaults.
"""

from __future__ import annotations

import contextlib
import os
import queue
import resource
import subprocess
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ruff.__main__ import find_ruff_bin

from ghbot.engine.isolation import crash_reason, not_analysed
from ghbot.engine.models import Finding, Severity

SECURITY_SELECT = ("S",)
CONFIG_NAMES = (".ruff.toml", "ruff.toml", "pyproject.toml")  # ruff's own precedence
PYTHON_SUFFIXES = (".py", ".pyi")
_ARGV_BUDGET = 100_000  # characters of paths per ruff process, well under ARG_MAX
# Per ruff process: it takes ~0.5 s on Django's 2,800 files; what takes minutes is a runaway.
RUFF_SECONDS = 300.0
# What one file may cost: ruff reads a 2 MB file in about a second, but some nesting bombs (10^5
# nested lambdas) cost it minutes. A process gets this plus a little per file it was given (at
# most RUFF_SECONDS); when one overruns, its files run again one per process with this limit
# each, a few processes at a time. (Halving the batch instead would cost a whole limit a level.)
RUFF_FILE_SECONDS = 20.0
_SECONDS_PER_FILE = 0.1
_PARALLEL = 2 * (os.cpu_count() or 1)
RUFF_MEMORY_BYTES = 8 << 30  # address space; ruff reserves far more than it touches

# Ruff calls every diagnostic "error"; ours says how much it matters. Longest prefix wins.
_SEVERITY_BY_PREFIX: dict[str, Severity] = {
    "E9": Severity.ERROR,  # file cannot be read or parsed
    "F": Severity.ERROR,  # pyflakes: undefined names, bad format strings, ...
    "F401": Severity.WARNING,  # unused import
    "F403": Severity.WARNING,
    "F405": Severity.WARNING,
    "F541": Severity.WARNING,  # f-string without placeholders
    "F811": Severity.WARNING,
    "F841": Severity.WARNING,  # unused local variable
    "S": Severity.WARNING,  # bandit: possible issue, needs a look
    "S102": Severity.ERROR,  # exec
    "S307": Severity.ERROR,  # eval
    "S301": Severity.ERROR,  # pickle
    "S506": Severity.ERROR,  # yaml.load
    "S602": Severity.ERROR,  # subprocess with shell=True
    "S605": Severity.ERROR,  # os.system-like with a shell
    "S608": Severity.ERROR,  # SQL built from strings
    "E": Severity.WARNING,
    "W": Severity.WARNING,
    "B": Severity.WARNING,
    "I": Severity.NOTE,
    "UP": Severity.NOTE,
    "D": Severity.NOTE,
    "Q": Severity.NOTE,
    "COM": Severity.NOTE,
}


@lru_cache(maxsize=1024)  # a report has thousands of findings and a few dozen codes
def ruff_severity(code: str) -> Severity:
    letters = code.rstrip("0123456789")  # "S602" -> "S": so that "S" never matches "SIM"
    digits = code[len(letters) :]
    for length in range(len(digits), -1, -1):
        severity = _SEVERITY_BY_PREFIX.get(letters + digits[:length])
        if severity is not None:
            return severity
    return Severity.WARNING


# GitHub's `security-severity` (0-10: >=9 critical, >=7 high, >=4 medium, else low) for S rules.
_SECURITY_SEVERITY = {
    "S": 5.0,
    "S101": 2.0,  # assert
    "S311": 3.0,  # non-cryptographic random
    "S105": 7.5, "S106": 7.5, "S107": 7.5,  # hard-coded passwords
    "S102": 8.8, "S307": 8.8, "S301": 8.1, "S506": 8.1,  # exec, eval, pickle, yaml.load
    "S602": 8.8, "S605": 8.8, "S608": 8.8,  # shell and SQL injection
}  # fmt: skip


def security_severity(code: str) -> float:
    return _SECURITY_SEVERITY.get(code, _SECURITY_SEVERITY["S"])


class RuffError(RuntimeError):
    """Ruff did not run or printed something that is not its JSON report."""


@dataclass(slots=True)
class RuffReport:
    findings: list[Finding] = field(default_factory=list)
    # path -> ruff's syntax-error diagnostics, handed to the syntax analyser's decision
    syntax_errors: dict[str, list[Finding]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


def find_config(root: Path) -> Path | None:
    """The root's ruff configuration, or a pyproject.toml ruff could not read (ruff rejects a
    broken one whatever it holds: let ruff say what is wrong with it)."""
    for name in CONFIG_NAMES:
        candidate = root / name
        if candidate.is_file():
            if name != "pyproject.toml":
                return candidate
            try:
                text = candidate.read_text("utf-8")
            except (OSError, UnicodeDecodeError):
                return candidate
            # Only a pyproject that names ruff is parsed: tomllib's import alone delays ruff's
            # start by a hundredth of a second, and most pyprojects have no [tool.ruff].
            if "ruff" in text and _has_ruff_table(text):
                return candidate
    return None


def _has_ruff_table(text: str) -> bool:
    import tomllib

    try:
        return "ruff" in tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        return True


def rejected_config(root: Path) -> Path | None:
    """Which configuration to blame when ruff rejects the run: the ruff configuration, else a
    pyproject.toml (one without "ruff" in it is not parsed before the run, see find_config)."""
    found = find_config(root)
    if found is None and (root / "pyproject.toml").is_file():
        return root / "pyproject.toml"
    return found


def configured_ignores(config: Path) -> list[str]:
    """The rule selectors a ruff config switches off (lint.* and the older top-level keys).
    Raises ValueError (tomllib's TOMLDecodeError is one) or OSError for a file it cannot read."""
    import tomllib

    data = tomllib.loads(config.read_text("utf-8"))
    if config.name == "pyproject.toml":
        data = data.get("tool", {}).get("ruff", {})
    ignores: list[str] = []
    for table in (data, data.get("lint", {})):
        for key in ("ignore", "extend-ignore"):
            value = table.get(key, [])
            if isinstance(value, list):
                ignores.extend(str(item) for item in value)
    return sorted(set(ignores))


def _command(ruff: str, args: Sequence[str], paths: Sequence[str]) -> list[str]:
    return [ruff, "check", "--no-cache", "--exit-zero", "--force-exclude",
            "--output-format", "json", *args, "--", *paths]  # fmt: skip


# A big run is cut into batches that run one after another, each on every core, the later ones
# smaller: a batch's report is parsed while the next one runs, so what is left to parse when
# ruff ends is the last batch's (on Django the parse after ruff's end was most of check's tail).
_SHARES = (0.5, 0.3, 0.2)
_SEQUENCE_FROM = 400  # files; fewer take ruff a few hundredths of a second: one batch


def _sequence(paths: Sequence[str]) -> list[list[str]]:
    """`paths` as the batches to run one after another, each within the argv budget."""
    if len(paths) < _SEQUENCE_FROM:
        return _chunks(paths)
    parts: list[list[str]] = []
    start = 0
    for index, share in enumerate(_SHARES):
        end = len(paths) if index == len(_SHARES) - 1 else start + round(share * len(paths))
        parts += _chunks(paths[start:end])
        start = end
    return parts


def _chunks(paths: Sequence[str]) -> list[list[str]]:
    chunks: list[list[str]] = []
    size = 0
    for path in paths:
        if not chunks or size + len(path) > _ARGV_BUDGET:
            chunks.append([])
            size = 0
        chunks[-1].append(path)
        size += len(path) + 1
    return chunks


class _Batch:
    """One ruff process and the paths it was given, with its time limit running from its start."""

    def __init__(self, paths: list[str], process: subprocess.Popen[bytes]) -> None:
        self.paths, self.process = paths, process
        self.seconds = min(RUFF_SECONDS, RUFF_FILE_SECONDS + len(paths) * _SECONDS_PER_FILE)
        self.deadline = time.monotonic() + self.seconds
        self.out = self.err = b""
        self.code: int | None = None
        self.timed_out = False

    def finish(self) -> None:
        try:
            timeout = max(0.0, self.deadline - time.monotonic())
            self.out, self.err = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.out, self.err = self.process.communicate()
            self.timed_out = True
        self.code = self.process.returncode

    @property
    def died(self) -> bool:
        """Killed by a signal (a crash, the memory limit) or at the time limit: some file in
        the batch did it, not the configuration."""
        return self.timed_out or (self.code is not None and self.code < 0)

    def reason(self) -> str:
        if self.timed_out:
            return f"ruff took longer than {self.seconds:g} s on it"
        return crash_reason(self.code, "ruff")


def _finished(batch: _Batch) -> _Batch:
    batch.finish()
    return batch


def limit_process(pid: int) -> None:
    """Memory and core-dump limits for a ruff process just started (set from outside, with
    prlimit: a `preexec_fn` is unsafe in a threaded caller such as the server). It cannot have
    allocated much in the microseconds before."""
    with contextlib.suppress(OSError):  # it may have exited already
        resource.prlimit(pid, resource.RLIMIT_AS, (RUFF_MEMORY_BYTES, RUFF_MEMORY_BYTES))
        resource.prlimit(pid, resource.RLIMIT_CORE, (0, 0))


class RuffRun:
    """Ruff running in the background (big runs in batches, one after another); `collect()`
    parses each batch's report as it ends and returns them all."""

    def __init__(
        self,
        root: Path,
        paths: Sequence[str],
        extend_select: Sequence[str] = (),
        probe: Sequence[str] = (),
    ) -> None:
        """`probe`: instead of the repository's rules, exactly these (preview rules allowed),
        config ignored."""
        self.root = root.resolve()
        self.paths = [p for p in paths if p.endswith(PYTHON_SUFFIXES)]
        self.notices: list[str] = []
        self.extend_select = tuple(extend_select)
        if probe:
            self.args = ["--isolated", "--preview", "--select", ",".join(probe)]
        else:
            self.args = self._selection(extend_select)
        # Found here, not in the thread: sysconfig's first lookup is not thread-safe.
        self.ruff = find_ruff_bin()
        self._parts = _sequence(self.paths)
        self._ended: queue.SimpleQueue[_Batch | Exception] = queue.SimpleQueue()
        # A thread starts each batch when the one before ends: the caller reads files meanwhile.
        threading.Thread(target=self._run_in_turn, daemon=True).start()

    def _run_in_turn(self) -> None:
        for part in self._parts:
            try:
                self._ended.put(_finished(self._start(part)))
            except Exception as error:  # the caller raises it (else it would wait forever)
                self._ended.put(error)
                return

    def _in_turn(self) -> Iterator[_Batch]:
        """The first round's batches, each as it ends."""
        for _ in self._parts:
            batch = self._ended.get()
            if isinstance(batch, OSError):
                raise RuffError(f"ruff could not be started: {batch}")
            if isinstance(batch, Exception):
                raise batch
            yield batch

    def _selection(self, extend_select: Sequence[str]) -> list[str]:
        select = ",".join(sorted({*SECURITY_SELECT, *extend_select}))
        args = ["--extend-select", select]
        config = find_config(self.root)
        if config is None:
            return args
        try:
            ignores = configured_ignores(config)
        except (OSError, ValueError) as error:
            return self._defaults_instead(config, str(error), extend_select)
        return args + (["--extend-ignore", ",".join(ignores)] if ignores else [])

    def _defaults_instead(self, config: Path, why: str, extend_select: Sequence[str]) -> list[str]:
        why = " / ".join(line.strip() for line in why.splitlines()[:3])
        self.notices.append(
            f"ruff configuration {config.name} could not be read ({why}); "
            "checked with ruff's default rules plus S instead"
        )
        select = ",".join(sorted({*SECURITY_SELECT, *extend_select}))
        return ["--isolated", "--extend-select", select]

    def _start(self, paths: Sequence[str]) -> _Batch:
        process = subprocess.Popen(  # noqa: S603 - ruff's own binary, fixed flags, paths after "--"
            _command(self.ruff, self.args, paths), cwd=self.root,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        limit_process(process.pid)
        return _Batch(list(paths), process)

    def _run(self, parts: Sequence[list[str]]) -> list[_Batch]:
        """A ruff process for each part, at most _PARALLEL at a time, all finished."""
        done: list[_Batch] = []
        running: list[_Batch] = []
        for part in parts:
            if len(running) == _PARALLEL:
                done.append(_finished(running.pop(0)))
            running.append(self._start(part))
        return done + [_finished(batch) for batch in running]

    def collect(self, texts: Mapping[str, str], *, snippets: bool = True) -> RuffReport:
        """The report of every file; a file ruff crashes on (found by running ruff again on
        halves of the batch that crashed) or overruns its time on (found by running each file
        of the batch alone) gets a `not_analysed` finding instead. `snippets`: see
        `parse_report`."""
        # Imported here, while ruff still runs: msgspec's import must neither delay ruff's
        # start nor follow its end.
        from ghbot.engine.analysis.ruff_report import parse_report

        report = RuffReport()
        pending: Iterable[_Batch] = self._in_turn()
        while True:
            crashed: list[_Batch] = []
            restart = False
            for batch in pending:
                if batch.died:
                    crashed.append(batch)
                elif batch.code == 0:
                    for finding in parse_report(batch.out, self.root, texts, snippets=snippets):
                        if finding.rule == SYNTAX_RULE:
                            report.syntax_errors.setdefault(finding.path, []).append(finding)
                        else:
                            report.findings.append(finding)
                elif (config := rejected_config(self.root)) and "--isolated" not in self.args:
                    # Most often the repository's ruff config is invalid: say so, and run it
                    # all again with the defaults once the batches still due have ended.
                    for _ in pending:
                        pass
                    why = batch.err.decode("utf-8", "replace").strip() or "ruff rejected it"
                    self.args = self._defaults_instead(config, why, self.extend_select)
                    report, pending, restart = RuffReport(), self._run(_chunks(self.paths)), True
                    break
                else:
                    message = batch.err.decode("utf-8", "replace").strip()
                    raise RuffError(f"ruff exited with {batch.code}: {message[:2000]}")
            if restart:
                continue
            parts = []
            for batch in crashed:
                if len(batch.paths) == 1:
                    report.findings.append(not_analysed(batch.paths[0], batch.reason()))
                elif batch.timed_out:
                    parts += [[path] for path in batch.paths]
                else:
                    middle = len(batch.paths) // 2
                    parts += [batch.paths[:middle], batch.paths[middle:]]
            if not parts:
                break
            pending = self._run(parts)
        report.notices = list(self.notices)
        return report


SYNTAX_RULE = "invalid-syntax"  # what ruff reports a syntax error as


@lru_cache(maxsize=1)
def list_rules() -> list[dict[str, object]]:
    """Every rule this ruff knows, from `ruff rule --all` (name, code, linter, summary, ...)."""
    done = subprocess.run(  # noqa: S603 - ruff's own binary, fixed arguments
        [find_ruff_bin(), "rule", "--all", "--output-format", "json"],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    import json  # only for this listing: not on every check's start

    rules: list[dict[str, object]] = json.loads(done.stdout)
    return rules
