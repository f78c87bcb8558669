"""Syntax repair on real code broken by a seeded breaker.

Downloads a pinned sdist from PyPI into bench/.cache, breaks its Python files one realistic
mistake at a time (drop a ':' / a bracket / a ',' / an indent level / a closing quote, or turn
print(...) back into a Python 2 print statement), keeps the breaks that no longer compile, and
reports for our repair beside two baselines ("no repair" and a naive one-character insertion at
CPython's error position):
  exact  = top repair gives back exactly the original text
  parses = a repair is offered (each one is verified by compiling it)
and the median and 95th percentile time per file.

    .venv/bin/python bench/syntax_repair/run.py [--package rich==13.7.1] [--cases 600] [--seed 7]
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import tarfile
import time
import tokenize
import warnings
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import sdist  # noqa: E402 - bench/ is not a package

from ghbot.engine.fixes.syntax_repair import repair  # noqa: E402

BLOCK = {"if", "elif", "else", "for", "while", "def", "class", "try", "except", "finally", "with"}


@dataclass(frozen=True)
class Case:
    path: str
    kind: str
    original: str
    broken: str


def compiles(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "<bench>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def fetch(package: str) -> list[tuple[str, str]]:
    """Every UTF-8 .py file of the sdist that compiles, as (archive member, text)."""
    files = []
    with tarfile.open(sdist(package)) as archive:
        for member in archive.getmembers():
            if member.isfile() and member.name.endswith(".py"):
                data = archive.extractfile(member)
                if data is None:
                    continue
                try:
                    text = data.read().decode("utf-8")
                except UnicodeDecodeError:
                    continue
                if compiles(text):
                    files.append((member.name, text))
    return sorted(files)


def tokens(text: str) -> list[tokenize.TokenInfo]:
    return list(tokenize.generate_tokens(io.StringIO(text).readline))


def offset_of(lines: list[str], row: int, col: int) -> int:
    return sum(len(line) for line in lines[: row - 1]) + col


def break_file(text: str, kind: str, rng: random.Random) -> str | None:
    lines = text.splitlines(keepends=True)
    toks = tokens(text)
    if kind == "colon":
        spots = [
            t
            for i, t in enumerate(toks)
            if t.string == ":"
            and i + 1 < len(toks)
            and toks[i + 1].type == tokenize.NEWLINE
            and lines[t.start[0] - 1].split(None, 1)[0].rstrip(":") in BLOCK
        ]
    elif kind == "bracket":
        spots = [t for t in toks if t.type == tokenize.OP and t.string in "()[]{}"]
    elif kind == "comma":
        spots = [t for t in toks if t.type == tokenize.OP and t.string == ","]
    elif kind == "string":
        spots = [
            t
            for t in toks
            if t.type == tokenize.STRING
            and t.start[0] == t.end[0]
            and not t.string.endswith(("'''", '"""'))
        ]
        if not spots:
            return None
        token = rng.choice(spots)
        end = offset_of(lines, *token.end)
        return text[: end - 1] + text[end:]
    elif kind == "indent":
        starts = [
            t.start[0]
            for i, t in enumerate(toks)
            if i
            and toks[i - 1].type in (tokenize.INDENT, tokenize.NEWLINE, tokenize.DEDENT)
            and t.start[1] > 0
            and t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.INDENT)
        ]
        if not starts:
            return None
        row = rng.choice(starts)
        line = lines[row - 1]
        cut = 1 if line.startswith("\t") else min(4, len(line) - len(line.lstrip(" ")))
        lines[row - 1] = line[cut:]
        return "".join(lines)
    elif kind == "print":
        spots = [
            i
            for i, t in enumerate(toks[:-2])
            if t.string == "print"
            and toks[i + 1].string == "("
            and t.start[0] == toks[i + 1].start[0]
            and (i == 0 or toks[i - 1].type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT))
        ]
        if not spots:
            return None
        index = rng.choice(spots)
        opener = toks[index + 1]
        depth, close = 0, None
        for token in toks[index + 1 :]:
            depth += token.string in "([{" and token.type == tokenize.OP
            depth -= token.string in ")]}" and token.type == tokenize.OP
            if depth == 0:
                close = token
                break
        if close is None or close.start[0] != opener.start[0]:
            return None
        start, end = offset_of(lines, *opener.start), offset_of(lines, *close.start)
        return text[:start] + " " + text[start + 1 : end] + text[end + 1 :]
    else:
        raise ValueError(kind)
    if not spots:
        return None
    token = rng.choice(spots)
    start = offset_of(lines, *token.start)
    return text[:start] + text[start + len(token.string) :]


def naive(text: str) -> str | None:
    """Baseline: insert one likely character at CPython's error position or at the line end."""
    try:
        compile(text, "<naive>", "exec", dont_inherit=True)
    except SyntaxError as error:
        lines = text.splitlines(keepends=True)
        row = min(max(error.lineno or 1, 1), len(lines))
        spots = [offset_of(lines, row, max((error.offset or 1) - 1, 0))]
        spots.append(offset_of(lines, row, len(lines[row - 1].rstrip())))
        for spot in spots:
            for char in ":)]},'\"":
                candidate = text[:spot] + char + text[spot:]
                if compiles(candidate):
                    return candidate
    except ValueError:
        return None
    return None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--package", default="rich==13.7.1")
    parser.add_argument("--cases", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    files = fetch(args.package)
    rng = random.Random(args.seed)
    kinds = ["colon", "bracket", "comma", "indent", "string", "print"]
    cases: list[Case] = []
    attempts = 0
    while len(cases) < args.cases and attempts < args.cases * 20:
        attempts += 1
        path, text = rng.choice(files)
        kind = kinds[attempts % len(kinds)]
        broken = break_file(text, kind, rng)
        if broken is not None and broken != text and not compiles(broken):
            cases.append(Case(path, kind, text, broken))
    ours: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    base: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    times = []
    for case in cases:
        started = time.perf_counter()
        repairs = repair(case.broken)
        times.append(time.perf_counter() - started)
        top = repairs[0].text if repairs else None
        assert top is None or compiles(top), "an unverified repair was offered"
        ours[case.kind].append((top == case.original, top is not None))
        guess = naive(case.broken)
        base[case.kind].append((guess == case.original, guess is not None))

    def share(rows: list[tuple[bool, bool]], column: int) -> float:
        return 100.0 * sum(row[column] for row in rows) / max(len(rows), 1)

    print(f"{args.package}: {len(files)} files, {len(cases)} broken cases (seed {args.seed})")
    print(f"{'mistake':10} {'cases':>5} | {'exact':>6} {'parses':>6} | naive exact/parses")
    for kind in kinds + ["ALL"]:
        rows = [r for k in kinds for r in ours[k]] if kind == "ALL" else ours[kind]
        naive_rows = [r for k in kinds for r in base[k]] if kind == "ALL" else base[kind]
        print(
            f"{kind:10} {len(rows):5} | {share(rows, 0):5.1f}% {share(rows, 1):5.1f}% | "
            f"{share(naive_rows, 0):5.1f}% / {share(naive_rows, 1):5.1f}%"
        )
    all_rows = [r for k in kinds for r in ours[k]]
    all_naive = [r for k in kinds for r in base[k]]
    print("no repair: exact 0.0%, parses 0.0%")
    print(
        f"ratio to naive: exact x{share(all_rows, 0) / max(share(all_naive, 0), 0.1):.2f}, "
        f"parses x{share(all_rows, 1) / max(share(all_naive, 1), 0.1):.2f}"
    )
    times.sort()
    print(
        f"time per file: median {1000 * statistics.median(times):.1f} ms, "
        f"p95 {1000 * times[int(0.95 * (len(times) - 1))]:.1f} ms, max {1000 * times[-1]:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
