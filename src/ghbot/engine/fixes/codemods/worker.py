"""A codemod worker process: `python -m ghbot.engine.fixes.codemods.worker IN OUT`.

Reads a pickled list of (SourceFile, codemod ids) that `parallel` wrote, runs the codemods on
each, and writes the pickled list of their findings.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from ghbot.engine.fixes.codemods.runner import run_codemods


def main(given: Path, taken: Path) -> None:
    work = pickle.loads(given.read_bytes())  # noqa: S301 - written by our parent for us
    taken.write_bytes(pickle.dumps([run_codemods(file, ids) for file, ids in work]))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
