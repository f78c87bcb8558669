"""Secret-detection false positives on a large real codebase (Django 5.2 sdist from PyPI).

Scans every text file of the tree with `scan_secrets` and with `detect-secrets scan --all-files`
(installed into its own venv, see bench/corpus.py), and prints the finding counts by rule side by
side, then each of our findings (masked) so every one can be judged.

    python bench/secrets_fp/run.py [--skip-reference]
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from corpus import CACHE, tool_bin, unpacked  # noqa: E402 - bench/ is not a package

ROOT = Path(__file__).resolve().parents[2]
SPEC = "django==5.2.7"


def django_tree() -> Path:
    return unpacked(SPEC)


def detect_secrets_bin() -> Path:
    return tool_bin("detect-secrets") / "detect-secrets"


def run_ours(tree: Path) -> tuple[list, float, int]:
    from ghbot.engine.analysis.secrets import load_secret_rules, scan_secrets
    from ghbot.engine.models import SourceFile

    rules = load_secret_rules()
    findings = []
    scanned = 0
    started = time.perf_counter()
    for path in sorted(tree.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        scanned += 1
        findings += scan_secrets(SourceFile(path.relative_to(tree).as_posix(), text), rules)
    return findings, time.perf_counter() - started, scanned


def run_reference(tree: Path) -> tuple[collections.Counter, float]:
    binary = detect_secrets_bin()
    started = time.perf_counter()
    result = subprocess.run(
        [str(binary), "scan", "--all-files", "."],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - started
    counts: collections.Counter = collections.Counter()
    for entries in json.loads(result.stdout)["results"].values():
        for entry in entries:
            counts[entry["type"]] += 1
    return counts, elapsed


def ci_log(tree: Path, size: int) -> str:
    """An ordinary CI log of `size` characters: Django's docs and code behind Actions-style
    timestamps (docs about authentication say password, token and key a lot)."""
    lines: list[str] = []
    for path in sorted(tree.rglob("*.txt"))[:400] + sorted(tree.rglob("*.py"))[:300]:
        lines += path.read_text(encoding="utf-8", errors="replace").splitlines()
    log = "\n".join(
        f"2024-05-01T10:{i % 60:02d}:{i % 60:02d}.1234567Z {line}" for i, line in enumerate(lines)
    )
    while len(log) < size:
        log = log + "\n" + log
    return log[:size]


def test_log(size: int) -> str:
    """An ordinary CI log: `pytest -v` of this repository's engine tests, repeated."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "tests/engine"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = (result.stdout + result.stderr).splitlines()
    log = "\n".join(
        f"2024-05-01T10:00:{i % 60:02d}.1234567Z {line}" for i, line in enumerate(lines)
    )
    while len(log) < size:
        log = log + "\n" + log
    return log[:size]


def time_redact(name: str, log: str) -> None:
    from ghbot.engine.redact import redact

    redact("warm up")
    started = time.perf_counter()
    redacted = redact(log)
    ours = time.perf_counter() - started
    changed = sum(1 for a, b in zip(log.splitlines(), redacted.splitlines(), strict=True) if a != b)
    # Reference: grep -E with an alternation of keywords, the floor for any prefilter.
    log_path = CACHE / "redact-bench.log"
    log_path.write_text(log, encoding="utf-8")
    started = time.perf_counter()
    subprocess.run(
        ["grep", "-c", "-i", "-E", "password|token|secret|key|bearer|://", str(log_path)],
        capture_output=True,
        check=False,
    )
    grep = time.perf_counter() - started
    log_path.unlink()
    size = len(log) / 1e6
    print(
        f"redact() on {name}: {size:.0f} MB in {ours:.2f} s = {size / ours:.0f} MB/s "
        f"({changed} lines masked); grep -E -i keywords: {size / grep:.0f} MB/s; "
        f"ratio {grep / ours:.3f}"
    )


def redact_speed(tree: Path) -> None:
    time_redact("a pytest -v log", test_log(50_000_000))
    time_redact("Django docs+code as a log (keyword-dense)", ci_log(tree, 50_000_000))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-reference", action="store_true", help="do not run detect-secrets")
    parser.add_argument("--redact-only", action="store_true", help="only time redact()")
    args = parser.parse_args()
    tree = django_tree()
    sys.path.insert(0, str(ROOT / "src"))
    redact_speed(tree)
    if args.redact_only:
        return 0
    findings, ours_time, scanned = run_ours(tree)
    ours = collections.Counter(finding.rule for finding in findings)
    print(f"tree: {tree.name} ({scanned} text files)")
    print(f"hephaestus scan_secrets: {sum(ours.values())} findings in {ours_time:.1f} s")
    for rule, count in ours.most_common():
        print(f"  {count:6d}  {rule}")
    if not args.skip_reference:
        reference, ref_time = run_reference(tree)
        total = sum(reference.values())
        print(f"detect-secrets --all-files: {total} findings in {ref_time:.1f} s")
        for kind, count in reference.most_common():
            print(f"  {count:6d}  {kind}")
        ratio = sum(ours.values()) / total if total else float("nan")
        print(
            f"findings ratio (ours / detect-secrets): {ratio:.3f}; "
            f"time ratio: {ours_time / ref_time:.3f}"
        )
    print("our findings:")
    for finding in findings:
        print(f"  {finding.path}:{finding.line}:{finding.column} {finding.rule} {finding.message}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
