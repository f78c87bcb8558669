"""Build the learned ranking table of the syntax repair from the shared pairs.

For every broken snippet and the human's fix, the abstract token diff is taken (names, numbers
and strings as classes; layout tokens kept) and each edit is counted under its context, the
tokens on its left and right. The engine reads the counts (src/ghbot/engine/fixes/syntax/
ranking.json) to propose edits near an error and to rank verified repairs.

    .venv/bin/python bench/syntax_repair/build_ranking.py                  # ship: every pair
    .venv/bin/python bench/syntax_repair/build_ranking.py --train-only     # validation table
    .venv/bin/python bench/syntax_repair/pairs.py --split held-out         # then score it

`--train-only` leaves out the held-out fifth (by id hash), so scoring the held-out split with
that table measures how the counts generalise to snippets they never saw.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pairs import DATASET, load_pairs  # noqa: E402 - bench/ is not a package

from ghbot.engine.analysis.syntax_scan import scan  # noqa: E402
from ghbot.engine.fixes.syntax.learned import atoms, token_edits  # noqa: E402

OUTPUT = ROOT / "src" / "ghbot" / "engine" / "fixes" / "syntax" / "ranking.json"
MAX_OPCODES = 3  # a pair rewritten in more places is a different program, not a repair
MIN_COUNT = 2  # an edit seen once in a context is kept only in the context-free counts


def build(train_only: bool, dataset: Path) -> dict[str, object]:
    contexts: dict[str, Counter[str]] = defaultdict(Counter)
    edits: Counter[str] = Counter()
    used = 0
    for pair in load_pairs(dataset):
        if train_only and pair.held_out:
            continue
        before = [atom.text for atom in atoms(scan(pair.broken))]
        after = [atom.text for atom in atoms(scan(pair.fixed))]
        found = token_edits(before, after)
        if not found or len(found) > MAX_OPCODES:
            continue
        used += 1
        for edit in found:
            for context in edit.contexts:
                contexts[context][edit.key] += 1
            edits[edit.key] += 1
    kept = {
        context: dict(sorted((k, n) for k, n in counts.items() if n >= MIN_COUNT))
        for context, counts in sorted(contexts.items())
    }
    return {
        "source": "StackOverflow syntax-error pairs (Wong et al. 2019, filtered by Considine et "
        f"al.): {used} pairs{', held-out fifth excluded' if train_only else ''}",
        "total": sum(edits.values()),
        "edits": dict(sorted(edits.items())),
        "contexts": {context: counts for context, counts in kept.items() if counts},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--train-only",
        action="store_true",
        help="leave out the held-out fifth of the pairs (for validation)",
    )
    parser.add_argument("--dataset", type=Path, default=DATASET)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()  # fmt: skip
    if not args.dataset.is_file():
        sys.stderr.write(f"no shared pairs at {args.dataset}: nothing to build from\n")
        return 2
    data = build(args.train_only, args.dataset)
    args.output.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    contexts = data["contexts"]
    assert isinstance(contexts, dict)
    print(f"{args.output}: {data['source']}; {len(contexts)} contexts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
