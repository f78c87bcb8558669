"""Triage throughput and peak memory on a large CI log, beside grep and a Python line loop.

Builds bench/.cache/triage_speed/ci-<MB>.log from the real tool outputs in
tests/triage/fixtures/real/ (Actions timestamps, groups), separated by long runs of ordinary
build noise (compiler command lines, download progress, passing tests), then measures:

  hephaestus    Triage().run() over the file, in a child process (peak RSS from the kernel)
  ... warm      the same again in that process: what a long-running App worker sees (RE2's
                lazily built automata and the engine's caches already filled)
  grep -E       `grep -E -c 'error|fail'` over the same file: the I/O floor
  py line loop  a plain Python loop over text lines with a compiled pattern
  py loop -i    issue 14's reference: for line in f: if re.search(b'error|fail', line, re.I)

    python bench/triage_speed/run.py                # 200 MB and 400 MB
    python bench/triage_speed/run.py --sizes 50 100
    python bench/triage_speed/run.py --shared       # the shared real CI logs, if present
    python bench/triage_speed/run.py --shared --stages   # and where the CPU time goes
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "bench" / ".cache" / "triage_speed"
REAL = ROOT / "tests" / "triage" / "fixtures" / "real"

NOISE = [
    "gcc -O2 -Wall -Isrc -c src/module_{n}.c -o build/module_{n}.o",
    "Downloading https://files.pythonhosted.org/packages/{n}/pkg-{n}.tar.gz ({n} kB)",
    "tests/test_mod{n}.py::test_case_{n} PASSED                                    [ {p}%]",
    "   Compiling crate-{n} v0.{n}.1",
    "[INFO] Building jar: /home/runner/work/demo/target/demo-{n}.jar",
    "  \u2713 renders component {n} ({n} ms)",
    "npm http fetch GET 200 https://registry.npmjs.org/pkg-{n} {n}ms (cache hit)",
    "ok   github.com/acme/demo/pkg{n}    0.{n}s",
    "Receiving objects:  {p}% ({n}/{n}), 1.{n} MiB | 12.{n} MiB/s",
]


def build(size_mb: int) -> Path:
    path = CACHE / f"ci-{size_mb}.log"
    if path.exists() and path.stat().st_size >= size_mb << 20:
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    rng = random.Random(size_mb)
    samples = [p.read_text() for p in sorted(REAL.glob("*.log"))]
    target = size_mb << 20
    written = 0
    with path.open("w") as out:
        second = 0
        while written < target:
            lines = []
            for _ in range(400):  # ~40 KB of noise between two real failure outputs
                second += 1
                text = rng.choice(NOISE).format(n=rng.randint(1, 9999), p=rng.randint(0, 100))
                lines.append(f"2024-05-01T{second // 3600 % 24:02d}:{second // 60 % 60:02d}:"
                             f"{second % 60:02d}.{second % 10_000_000:07d}Z {text}")
            chunk = "\n".join(lines) + "\n" + rng.choice(samples)
            out.write(chunk)
            written += len(chunk)
    return path


def child(paths: list[str]) -> None:
    from ghbot.engine.triage.engine import Log, Triage

    triage = Triage()
    passes = []
    for _ in range(2):  # a fresh process, then the same process again
        started = time.perf_counter()
        for path in paths:
            with open(path, "rb") as stream:
                triage.run(path, [Log(None, stream)])
        passes.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{passes[0]} {passes[1]} {peak}")


def stages(paths: list[str]) -> None:
    """CPU seconds per stage of Triage().run over `paths` (one process, after a warm-up run):
    the prefilter's RE2 loop alone, the rest of the scanner, the collector, the locator, and
    the report (titles, excerpts and their redaction)."""
    from ghbot.engine.re2match import first_match
    from ghbot.engine.triage import candidates, engine

    spent = dict.fromkeys(("collector", "locator", "report"), 0.0)

    def timed(owner: type, name: str, stage: str) -> None:
        inner = getattr(owner, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            started = time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                spent[stage] += time.process_time() - started

        static = isinstance(owner.__dict__[name], staticmethod)
        setattr(owner, name, staticmethod(wrapper) if static else wrapper)

    triage = engine.Triage()
    for path in paths:  # warm-up: lazily built caches and RE2's DFA states
        with open(path, "rb") as stream:
            triage.run(path, [engine.Log(None, stream)])
    timed(candidates.Collector, "feed", "collector")
    timed(engine.Triage, "_located", "locator")
    timed(engine.Triage, "_failure", "report")
    started = time.process_time()
    for path in paths:
        with open(path, "rb") as stream:
            triage.run(path, [engine.Log(None, stream)])
    total = time.process_time() - started
    first = first_match(triage.prefilter)
    started = time.process_time()
    for path in paths:
        data = Path(path).read_bytes()
        position = 0
        while (found := first(data, position, len(data))) >= 0:
            end = data.find(b"\n", found)
            position = len(data) if end == -1 else end + 1
    prefilter = time.process_time() - started
    scanner = total - sum(spent.values())
    rows = {"prefilter (RE2 loop)": prefilter, "rest of the scanner": scanner - prefilter, **spent}
    for name, seconds in rows.items():
        print(f"{name:<22}{seconds:>7.2f} CPU-s")
    print(f"{'total':<22}{total:>7.2f} CPU-s")


def measure(paths: list[Path]) -> dict[str, tuple[float, float]]:
    """MB/s and peak RSS of the engine (one process over all the files), grep and a line loop."""
    size = sum(path.stat().st_size for path in paths) / 1e6
    names = [str(path) for path in paths]
    out = subprocess.run([sys.executable, __file__, "--child", *names], capture_output=True,
                         text=True, check=True).stdout.split()
    ours, warm, ours_peak = float(out[0]), float(out[1]), float(out[2])
    started = time.perf_counter()
    subprocess.run(["grep", "-E", "-c", "error|fail", *names], capture_output=True, check=False)
    grep = time.perf_counter() - started
    # The compiled text loop, and issue 14's own reference (bytes, re.I, re.search each line).
    loop_out = _python_loop(names, "p=re.compile('error|fail')", "open(name,encoding='utf-8',"
                            "errors='replace')", "p.search(line)")  # fmt: skip
    issue_out = _python_loop(names, "", "open(name,'rb')", "re.search(b'error|fail', line, re.I)")
    return {
        "hephaestus": (size / ours, ours_peak),
        "... warm": (size / warm, ours_peak),
        "grep -E": (size / grep, float("nan")),
        "py line loop": (size / float(loop_out[0]), float(loop_out[1])),
        "py loop -i": (size / float(issue_out[0]), float(issue_out[1])),
    }


# Issue 14 measured its reference loop (`py loop -i`) at 182 MB in 3.0 s and asks for 100 MB/s:
# on that machine, 1.67 times the loop. Machines differ (this one runs the loop ~3x slower), so
# the ratio is the figure that carries over.
ISSUE_LOOP_MBS = 182 / 3.0
ISSUE_TARGET_MBS = 100.0


def _against_issue(results: dict[str, tuple[float, float]]) -> None:
    loop = results["py loop -i"][0]
    wanted = ISSUE_TARGET_MBS / ISSUE_LOOP_MBS
    for name in ("hephaestus", "... warm"):
        ours = results[name][0] / loop
        print(f"{name}: {ours:.2f}x the `py loop -i`; issue 14's 100 MB/s is {wanted:.2f}x it "
              f"(here {wanted * loop:.0f} MB/s)")


def _python_loop(names: list[str], setup: str, opener: str, test: str) -> list[str]:
    """(seconds, peak RSS MB) of a plain Python loop over the lines of `names`, in a child."""
    code = (
        f"import re,sys,time,resource\n{setup}\nn=0\nt=time.perf_counter()\n"
        "for name in sys.argv[1:]:\n"
        f"    with {opener} as f:\n"
        "        for line in f:\n"
        f"            if {test}: n+=1\n"
        "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024)"
    )
    return subprocess.run([sys.executable, "-c", code, *names], capture_output=True, text=True,
                          check=True).stdout.split()  # fmt: skip


def _load() -> str:
    """The 1-minute load average: figures taken on a busy machine are lower."""
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "unknown"


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        child(argv[1:])
        return 0
    if argv[:1] == ["--stages-child"]:
        stages(argv[1:])
        return 0
    parser = argparse.ArgumentParser(prog="bench/triage_speed/run.py")
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 400], metavar="MB")
    parser.add_argument("--shared", action="store_true",
                        help="measure on the shared real CI logs (../shared/data) instead")
    parser.add_argument("--stages", action="store_true",
                        help="also print the CPU seconds of each stage of the engine")
    args = parser.parse_args(argv)
    sets: list[tuple[str, list[Path]]] = []
    if args.shared:
        sys.path.insert(0, str(ROOT / "bench" / "triage_accuracy"))
        from shared import SETS, SHARED, unpacked  # the accuracy bench's copy of the data

        if not SHARED.is_dir():
            print(f"shared data not found at {SHARED}: nothing measured")
            return 2
        logs = [
            log for name in SETS.values() if (SHARED / f"{name}.tar.xz").exists()
            for log in sorted((unpacked(SHARED / f"{name}.tar.xz") / "logs").glob("*.log"))
        ]  # fmt: skip
        sets.append((f"shared real CI logs ({len(logs)} files)", logs))
    else:
        sets += [(build(size).name, [build(size)]) for size in args.sizes]
    for label, paths in sets:
        results = measure(paths)
        ours = results["hephaestus"][0]
        print(f"\n{label}: {sum(p.stat().st_size for p in paths) / 1e6:.0f} MB"
              f" (load average {_load()})")
        print(f"{'':<14}{'MB/s':>8}{'peak RSS MB':>13}{'ours / it':>11}")
        for name, (speed, peak) in results.items():
            ratio = "" if name in ("hephaestus", "... warm") else f"{ours / speed:>10.2f}x"
            peak_text = "-" if peak != peak else f"{peak:.0f}"
            print(f"{name:<14}{speed:>8.1f}{peak_text:>13}{ratio:>11}")
        _against_issue(results)
        if args.stages:
            print(f"\nstages (load average {_load()}):", flush=True)
            subprocess.run([sys.executable, __file__, "--stages-child", *map(str, paths)],
                           check=False)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
