"""Real broken Python from StackOverflow, each with the human's own fix, scored the way the
syntax-repair literature scores it (Precision@1 on abstract token sequences).

The pairs live outside the repository (../shared/data/python-syntax-train.jsonl.xz, research
data that is not ours to redistribute); `load_pairs` says plainly when they are absent.

    .venv/bin/python bench/syntax_repair/pairs.py [--python3-only] [--split train|held-out]
                                                  [--misses K] [--category other]
"""

from __future__ import annotations

import argparse
import io
import json
import keyword
import lzma
import statistics
import sys
import time
import tokenize
import warnings
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from ghbot.engine.fixes.syntax_repair import repair  # noqa: E402

DATASET = ROOT.parent / "shared" / "data" / "python-syntax-train.jsonl.xz"
# Published Precision@1 on the balanced evaluation set of the same corpus.
PUBLISHED = (("Seq2Parse (OOPSLA 2022)", 0.17), ("BIFI (ICML 2021)", 0.15), ("Tidyparse", 0.34))
BEFORE_ISSUE_15 = (0.49, 0.77)  # Hephaestus before issue 15: P@1, parses (judged set)


@dataclass(frozen=True, slots=True)
class Pair:
    id: str
    broken: str
    fixed: str
    category: str
    python2_print: bool  # CPython's message asks for print(...): the python3-only filter

    @property
    def held_out(self) -> bool:
        """A fifth of the pairs by id hash, never used to build the learned ranking table."""
        return zlib.crc32(self.id.encode()) % 5 == 0


@dataclass(slots=True)
class Outcome:
    exact: bool
    parses: bool
    seconds: float


def compiles(text: str) -> bool:
    return error_message(text) is None


def error_message(text: str) -> str | None:
    """CPython's complaint about `text`, None when it compiles."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "<pair>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        return str(error) or type(error).__name__
    return None


def abstract(text: str) -> str | None:
    """Names, numbers and strings as classes; keywords, operators and layout tokens literal."""
    out: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    skip = (tokenize.COMMENT, tokenize.NL, tokenize.ENDMARKER, tokenize.ENCODING)
    strings = (tokenize.STRING, *getattr(tokenize, "_FSTRING_TYPES", ()))
    for token in tokens:
        if token.type in skip:
            continue
        if token.type == tokenize.NAME:
            out.append(token.string if keyword.iskeyword(token.string) else "NAME")
        elif token.type == tokenize.NUMBER:
            out.append("NUMBER")
        elif token.type in strings:
            out.append("STRING")
        elif token.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            out.append(tokenize.tok_name[token.type])
        else:
            out.append(token.string)
    while out and out[-1] in ("NEWLINE", "DEDENT"):
        out.pop()
    while out and out[0] == "NEWLINE":
        out.pop(0)
    return " ".join(out)


def load_pairs(path: Path = DATASET) -> list[Pair]:
    """The scorable pairs (broken does not compile, fixed does); [] with a message if absent."""
    if not path.is_file():
        sys.stderr.write(
            f"shared syntax pairs not found at {path}: this table needs ../shared/data "
            "beside the checkout (research data, not shipped in the repository); skipped\n"
        )
        return []
    pairs = []
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if compiles(row["broken"]) or not compiles(row["fixed"]):
                continue
            python2 = "print" in (error_message(row["broken"]) or "")
            pairs.append(Pair(row["id"], row["broken"], row["fixed"], row["category"], python2))
    return pairs


def run_pair(pair: Pair, fix: Callable[[str], str]) -> Outcome:
    started = time.process_time()  # CPU time: the machine may be shared, wall time is noisy
    out = fix(pair.broken)
    seconds = time.process_time() - started
    parses = compiles(out)
    return Outcome(parses and abstract(out) == abstract(pair.fixed), parses, seconds)


def top_repair(text: str) -> str:
    """What `hephaestus fix --select syntax` writes: the top verified repair, else the input."""
    repairs = repair(text)
    return repairs[0].text if repairs else text


def table(pairs: list[Pair], outcomes: list[Outcome], title: str) -> None:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for pair, outcome in zip(pairs, outcomes, strict=True):
        groups[pair.category].append(outcome)
        groups["ALL"].append(outcome)
    print(f"{title}: {len(pairs)} pairs; times are CPU time per snippet")
    print(f"{'category':24} {'pairs':>5} {'P@1':>6} {'parses':>7} {'median ms':>10} {'max ms':>8}")
    for category in sorted(groups, key=lambda name: (name == "ALL", name)):
        rows = groups[category]
        times = [row.seconds * 1000 for row in rows]
        print(
            f"{category:24} {len(rows):5} {_share(rows, 'exact'):6.3f} "
            f"{_share(rows, 'parses'):7.3f} {statistics.median(times):10.1f} {max(times):8.0f}"
        )
    for name, p_at_1 in PUBLISHED:
        print(f"{name:24} {'':5} {p_at_1:6.2f}")
    print(
        f"{'Hephaestus before #15':24} {'':5} {BEFORE_ISSUE_15[0]:6.2f} {BEFORE_ISSUE_15[1]:7.2f}"
        "   (published figures: the balanced evaluation set)"
    )


def _share(rows: list[Outcome], field: str) -> float:
    return sum(getattr(row, field) for row in rows) / max(len(rows), 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--python3-only",
        action="store_true",
        help="leave out snippets whose only error is Python 2's print statement",
    )
    parser.add_argument(
        "--split",
        choices=("all", "train", "held-out"),
        default="all",
        help="the learned table is built from 'train' only; 'held-out' checks it",
    )
    parser.add_argument("--category", help="only this category")
    parser.add_argument("--misses", type=int, default=0, help="print up to K misses")
    args = parser.parse_args()  # fmt: skip
    pairs = load_pairs()
    if not pairs:
        return 0
    if args.python3_only:
        pairs = [pair for pair in pairs if not pair.python2_print]
    if args.split != "all":
        pairs = [pair for pair in pairs if pair.held_out == (args.split == "held-out")]
    if args.category:
        pairs = [pair for pair in pairs if pair.category == args.category]
    outcomes = []
    shown = 0
    for pair in pairs:
        outcome = run_pair(pair, top_repair)
        outcomes.append(outcome)
        if not outcome.exact and shown < args.misses:
            shown += 1
            ours = top_repair(pair.broken)
            print(f"--- {pair.id} ({pair.category}) parses={outcome.parses}")
            print(f"{pair.broken[:500]}\n~~~ human\n{pair.fixed[:500]}\n~~~ ours\n{ours[:500]}\n")
    flags = " ".join(f for f, on in (("--python3-only", args.python3_only),) if on)
    table(pairs, outcomes, f"shared pairs, split {args.split} {flags}".strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
