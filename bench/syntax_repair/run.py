"""Syntax repair benchmarks.

First, real broken Python from StackOverflow with the human's own fix (../shared/data, when
present beside the checkout; see pairs.py): Precision@1, parse rate and CPU time per snippet by
category, beside the published figures. Said plainly when the shared data is absent.

With --seeded, also real code broken by a seeded breaker: downloads a pinned sdist from PyPI
into bench/.cache, breaks its Python files one realistic mistake at a time (drop a ':' / a
bracket / a ',' / an indent level / a closing quote, or turn print(...) back into a Python 2
print statement), keeps the breaks that no longer compile, and reports for our repair beside
two baselines ("no repair" and a naive one-character insertion at CPython's error position):
  exact  = top repair gives back exactly the original text
  parses = a repair is offered (each one is verified by compiling it)
and the median and 95th percentile time per file.

A second table runs the human-mistakes corpus (tests/engine/syntax/human_cases.py: mistakes
people make, each with the culprit line and the repair a reviewer would accept, or none when
intent is ambiguous) through `check_syntax`, beside CPython's own error line and the naive fix:
  right line  = the first finding points at the culprit line
  repaired    = the repair offered is exactly the expected text (cases that have one)
  left alone  = no repair offered where none should be (merge conflicts, half-typed lines...)
  wrong       = a repair offered that is not the expected one (parses, but guesses wrong)

    .venv/bin/python bench/syntax_repair/run.py [--python3-only]
    .venv/bin/python bench/syntax_repair/run.py --seeded [--package rich==13.7.1] [--cases 600]
    .venv/bin/python bench/syntax_repair/run.py --human-only
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
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import sdist  # noqa: E402 - bench/ is not a package

sys.path.insert(0, str(ROOT / "tests" / "engine" / "syntax"))

from human_cases import CASES, HELD_OUT, HumanCase  # noqa: E402 - the corpus the tests use

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pairs import compiles, load_pairs, run_pair, table, top_repair  # noqa: E402 - beside this

from ghbot.engine.analysis.syntax import check_syntax  # noqa: E402
from ghbot.engine.fixes.syntax_repair import repair  # noqa: E402
from ghbot.engine.models import SourceFile, apply_edits  # noqa: E402

BLOCK = {"if", "elif", "else", "for", "while", "def", "class", "try", "except", "finally", "with"}


@dataclass(frozen=True)
class Case:
    path: str
    kind: str
    original: str
    broken: str


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


def cpython_line(text: str) -> int | None:
    try:
        compile(text, "<cpython>", "exec", dont_inherit=True)
    except SyntaxError as error:
        return error.lineno
    except ValueError:
        return None
    return None


@dataclass(frozen=True)
class HumanScore:
    right_line: int = 0
    repaired: int = 0
    left_alone: int = 0
    wrong: int = 0

    def add(self, line_ok: bool, offered: str | None, expected: str | None) -> HumanScore:
        return HumanScore(
            self.right_line + line_ok,
            self.repaired + (expected is not None and offered == expected),
            self.left_alone + (expected is None and offered is None),
            self.wrong + (offered is not None and offered != expected),
        )


def human_table() -> None:
    """The human-mistakes corpus: ours (check_syntax) beside CPython's line and the naive fix."""
    print(f"{'human mistakes':32} {'right line':>10} {'repaired':>9} {'left alone':>10} wrong fix")
    for label, cases in (("tuned on", CASES), ("held out", HELD_OUT)):
        human_rows(label, cases)


def human_rows(label: str, cases: tuple[HumanCase, ...]) -> None:
    ours, base = HumanScore(), HumanScore()
    failures = []
    for case in cases:
        findings = check_syntax(SourceFile("case.py", case.broken))
        first = findings[0] if findings else None
        fix = first.fix if first is not None else None
        # A guess (an unsafe fix) is a suggestion, not a repair offered as the fix.
        fixed = apply_edits(case.broken, fix.edits) if fix and fix.applicability == "safe" else None
        line_ok = first is not None and first.line == case.line
        ours = ours.add(line_ok, fixed, case.expected)
        base = base.add(cpython_line(case.broken) == case.line, naive(case.broken), case.expected)
        if not line_ok or fixed != case.expected:
            failures.append(case.name)
    fixable = sum(case.expected is not None for case in cases)
    ambiguous = len(cases) - fixable

    def pct(count: int, total: int) -> str:
        return f"{100.0 * count / max(total, 1):5.1f}%"

    title = f"{label} ({len(cases)}: {fixable} fix, {ambiguous} none)"
    for name, score in (("ours", ours), ("cpython+naive", base)):
        print(
            f"{title if name == 'ours' else '':32} {pct(score.right_line, len(cases)):>10} "
            f"{pct(score.repaired, fixable):>9} {pct(score.left_alone, ambiguous):>10} "
            f"{score.wrong:>9}  {name}"
        )
    print(f"{'':32} ratio to naive: repaired x{ours.repaired / max(base.repaired, 1):.2f}")
    if failures:
        print(f"{'':32} not as expected: {'; '.join(failures)}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--package", default="rich==13.7.1")
    parser.add_argument("--cases", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--human-only", action="store_true", help="only the human-mistakes table")
    parser.add_argument("--seeded", action="store_true",
                        help="also break a PyPI package's files (downloads the sdist once)")
    parser.add_argument("--python3-only", action="store_true",
                        help="shared pairs: leave out Python 2 print statements")
    args = parser.parse_args()  # fmt: skip
    if not args.human_only:
        pairs = [p for p in load_pairs() if not (args.python3_only and p.python2_print)]
        if pairs:
            outcomes = [run_pair(pair, top_repair) for pair in pairs]
            suffix = " (--python3-only)" if args.python3_only else ""
            table(pairs, outcomes, f"StackOverflow pairs, ../shared{suffix}")
            print()
    human_table()
    if args.human_only or not args.seeded:
        return 0
    print()
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
