"""Hostile CI logs: triage refuses binary input, and bounds what a log or a zip costs.

Issue 13, item 8: binary input printed raw bytes as a "possible cause" (exit 1); a run-logs zip
cost ~42 s of CPU per GiB unpacked and nothing bounded it. Item 10: triage over random bytes,
a huge line without a newline, and millions of tiny lines runs in bounded memory and time, with
no internal error. The fuzz runs here are short and seeded; HEPHAESTUS_FUZZ_SCALE=10 makes them
the long run of README's development section (a 100 MiB line, 20 million lines).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from cost_alike import assert_costs_alike
from hostile_triage import triaged

from ghbot.cli import triage as triage_cli
from ghbot.engine.triage.engine import Triage
from ghbot.engine.triage.inputs import ReadBudget, open_logs
from ghbot.github.models import WorkflowJob
from ghbot.services import failures

SCALE = float(os.environ.get("HEPHAESTUS_FUZZ_SCALE", "1"))
MIB = 1 << 20
FAILURE = b"Traceback (most recent call last):\n  File \"a.py\", line 1\nKeyError: 'port'\n"


def test_binary_input_is_refused_with_exit_2(tmp_path: Path, capsys) -> None:
    binary = tmp_path / "core.bin"
    binary.write_bytes(random.Random(13).randbytes(64 * 1024))
    assert triage_cli.main([str(binary)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "binary" in err and "not a text log" in err


def test_binary_input_on_stdin_is_refused_with_exit_2() -> None:
    done = subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "ghbot", "triage", "-"],
        input=b"error: \x00\x01\x02" + random.Random(14).randbytes(4096),
        capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stdout == b"" and b"binary" in done.stderr


@pytest.mark.parametrize("log", ["text", "zip"])
def test_a_log_from_a_pipe_is_read_not_a_crash(tmp_path: Path, log: str) -> None:
    # `hephaestus triage <(cmd)`: the sniff for binary data and zips cannot seek back on a pipe.
    path = tmp_path / "job.log"
    path.write_bytes(FAILURE)
    if log == "zip":
        with zipfile.ZipFile(tmp_path / "logs.zip", "w") as archive:
            archive.write(path, "build/1_Run.txt")
        path = tmp_path / "logs.zip"
    done = subprocess.run(  # noqa: S603 - bash for its process substitution, fixed arguments
        ["bash", "-c", 'exec "$0" -m ghbot triage <(cat "$1")', sys.executable, str(path)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "KeyError" in done.stdout


def _bomb(path: Path, members: dict[str, int]) -> bytes:
    """A run-logs zip whose members inflate to the given sizes (a failure at each end)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, size in members.items():
            with archive.open(name, "w") as member:
                filler = b"ok\n" * (MIB // 3)
                member.write(FAILURE)
                for _ in range(size // len(filler)):
                    member.write(filler)
                member.write(FAILURE)
    return path.read_bytes()


def test_a_zip_is_read_only_up_to_its_budget(tmp_path: Path) -> None:
    zip_path = tmp_path / "logs.zip"
    _bomb(zip_path, {"build/1_Run.txt": 48 * MIB, "test/1_Run.txt": 48 * MIB})
    budget = ReadBudget(log_bytes=16 * MIB, total_bytes=24 * MIB, seconds=60)
    with open_logs(str(zip_path), budget) as logs:
        report = Triage().run("logs.zip", logs)
    assert report.bytes <= 24 * MIB
    assert "KeyError" in report.failures[0].excerpt.text
    assert budget.summary() == (
        "Only the first 16 MiB of build/1_Run.txt were read; reading stopped after 24 MiB in all."
    )


def test_a_zip_is_read_only_for_its_time(tmp_path: Path) -> None:
    zip_path = tmp_path / "logs.zip"
    _bomb(zip_path, {"build/1_Run.txt": 8 * MIB})
    budget = ReadBudget(log_bytes=1 << 40, total_bytes=1 << 40, seconds=0)
    with open_logs(str(zip_path), budget) as logs:
        report = Triage().run("logs.zip", logs)
    assert report.bytes == 0 and budget.summary() == "Reading stopped after 0 s."


def test_the_failure_report_bounds_the_run_logs_zip(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(failures, "ZIP_LOG_BYTES", 4 * MIB)
    archive = _bomb(tmp_path / "logs.zip", {"build/1_Run tests.txt": 64 * MIB})
    job = WorkflowJob.from_api(
        {"id": 1, "run_id": 2, "name": "build", "status": "completed", "conclusion": "failure",
         "html_url": "https://github.com/o/r/actions/runs/2/job/1", "steps": []}
    )  # fmt: skip
    started = time.monotonic()
    [result] = failures._triage_zip(archive, [job], failures.default_triage(), "gone")
    assert time.monotonic() - started < 20  # 64 MiB unpacked and scanned took ~3x as long
    assert result.report is not None and result.report.bytes <= 4 * MIB
    assert result.note == (
        "Read from the run's logs zip, in part: Only the first 4 MiB of build/1_Run tests.txt "
        "were read."
    )


# -- fuzz: bounded memory and time, no internal error ---------------------------------------------

CHILD = textwrap.dedent(
    """
    import json, random, resource, sys, time
    from ghbot.engine.triage.engine import Log, Triage

    kind, size, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rnd = random.Random(seed)
    CHUNK = 1 << 20

    def blocks():
        if kind == "huge-line":  # one line, no newline at all
            yield b"error: "
            block = bytes(rnd.randrange(32, 127) for _ in range(4096)) * (CHUNK // 4096)
        elif kind == "tiny-lines":  # a trigger word on every line, each line distinct
            block = b"".join(b"error %d\\n" % n for n in range(CHUNK // 12))
        else:  # the CLI refuses binary input, the engine (job logs of the App) must cope
            block = rnd.randbytes(CHUNK)
        for _ in range(-(-size // len(block))):
            yield block
        yield b"\\nTraceback (most recent call last):\\nKeyError: 'port'\\n"

    class Stream:
        def __init__(self):
            self.parts, self.left = blocks(), b""
        def read(self, n=-1):
            while len(self.left) < n:
                part = next(self.parts, None)
                if part is None:
                    break
                self.left += part
            data, self.left = self.left[:n], self.left[n:]
            return data

    triage = Triage()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    report = triage.run(kind, [Log(None, Stream())])
    print(json.dumps({
        "seconds": time.monotonic() - started,
        "base_kib": base,
        "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "bytes": report.bytes,
        "lines": report.lines,
        "excerpts": [f.excerpt.text for f in report.failures],
    }))
    """
)
FUZZ = {  # kind: (bytes at scale 1, seconds allowed at scale 1)
    "huge-line": (10 * MIB, 20),
    "tiny-lines": (24 * MIB, 30),  # two million trigger lines
    "random-bytes": (8 * MIB, 30),
}


@pytest.mark.parametrize("kind", sorted(FUZZ))
@pytest.mark.parametrize("seed", [1])
@pytest.mark.timeout(int(120 * max(1.0, SCALE)))  # the longer run must not be cut at 120 s
def test_fuzz_triage_runs_in_bounded_memory_and_time(kind: str, seed: int) -> None:
    size, allowed = FUZZ[kind]
    size, allowed = int(size * SCALE), allowed * max(1.0, SCALE)
    done = subprocess.run(  # noqa: S603 - our own engine in a child, to measure its peak RSS
        [sys.executable, "-c", CHILD, kind, str(size), str(seed)],
        capture_output=True, text=True, timeout=allowed * 4, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]  # no internal error
    figures = json.loads(done.stdout)
    assert figures["bytes"] >= size
    # The stream is generated in chunks of 1 MiB: beyond the interpreter and the catalog, the
    # scan holds a 4 MiB chunk, a capped pending line and a few regions.
    assert figures["peak_kib"] - figures["base_kib"] < 96 * 1024, figures
    assert figures["seconds"] < allowed, figures
    assert any("KeyError" in text for text in figures["excerpts"]), figures


# -- regexes over crafted lines ---------------------------------------------------------------


def _diagnostics_log(end: str) -> bytes:
    """Eight failing steps, each ending in twenty 4 KB `file:line: error:` reports apart."""
    lines = []
    for step in range(8):
        lines.append(f"$ make step{step}")
        for n in range(20):
            lines += [f"x{n}.c:{n + 1}: error: " + "a-" * 2030 + end, ""]
        lines.append(f'The command "make step{step}" exited with 2.')
    return ("\n".join(lines) + "\n").encode()


def test_a_path_at_the_far_end_of_long_diagnostics_costs_no_more_than_plain_text() -> None:
    """The locator blanks paths out of the lines before a step's exit; its pattern, tried at
    every offset, took 300 steps an offset of a long line whose one slash is at its end (70 ms
    a line: 3 s for this 650 KB log). Now the log costs about what it costs without the slash
    (where no path is looked for)."""
    assert_costs_alike(triaged, _diagnostics_log("x"), _diagnostics_log("/"))


def test_a_long_rule_line_above_a_captured_failure_costs_no_more_than_plain_text() -> None:
    """A failure inside pytest's `Captured ... call` output is looked up to its section line
    above; a line of `=` ending in another character backtracked cubically to be ruled out as
    one: 0.4 s for 500 characters, 7 s for 1,000 (this log with those took 73 s)."""

    def log(rule: str) -> bytes:
        lines = ["$ pytest", "----- Captured stdout call -----"]
        for n in range(10):
            lines += [rule, f"ERROR: bad value {n}"]
        return ("\n".join([*lines, 'The command "pytest" exited with 1.']) + "\n").encode()

    assert_costs_alike(triaged, log("x" * 500), log("=" * 500 + "!"))


def test_long_lines_of_carets_before_a_steps_exit_cost_no_more_than_plain_text() -> None:
    """A caret line (`    ^~~~`) under a source line ends the diagnostic above it; its pattern
    tried every caret of a long run of `^` as the one it needs (0.1 s a 4 KB line)."""

    def log(filler: str) -> bytes:
        lines = ["$ make"]
        for n in range(30):
            lines += [f"src/a.c:{n + 1}:1: error: bad", "int x = y;", filler * 4000 + "!"]
        return ("\n".join([*lines, 'The command "make" exited with 2.']) + "\n").encode()

    assert_costs_alike(triaged, log("x"), log("^"))


def test_long_blank_lines_under_a_prettier_syntax_error_cost_no_more_than_plain_text() -> None:
    """Lines under Prettier's syntax error go on with its code frame while they look like one
    (`> 3 | code`, `    | ^`); with two runs of spaces side by side in that pattern, a long
    blank line was split every way before being ruled out (0.3 s for 4,096 spaces)."""

    def log(filler: str) -> bytes:
        lines = ["$ npx prettier --check ."]
        for n in range(20):
            lines += [f"[error] src/a{n}.js: SyntaxError: Unexpected token (3:7)",
                      *[filler * 4000 + "x"] * 10]
        return ("\n".join([*lines, 'The command "npx prettier --check ." exited with 2.'])
                + "\n").encode()

    assert_costs_alike(triaged, log("y"), log(" "))
