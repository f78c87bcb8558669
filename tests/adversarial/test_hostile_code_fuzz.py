"""Fuzzing the engine's front doors: `hephaestus check` and `hephaestus fix --select syntax` over
programs from Python's grammar (hypothesmith), over token mutations of real snippets, and over
every construct nested 10^2 to 10^5 deep. Wanted: no internal error (exit 3), no dead process
(a signal); a generated or mutated program is analysed (no "could not be analysed" finding); a
nesting bomb may be "could not be analysed", but only as that finding.

Each run is seeded. The suite runs a short one; a longer one is
`HEPHAESTUS_FUZZ_SCALE=50 HEPHAESTUS_FUZZ_SEED=7 .venv/bin/python -m pytest -p no:xdist
tests/adversarial/test_hostile_code_fuzz.py` (README, development).
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, seed, settings

from ghbot.engine.isolation import NOT_ANALYSED

SCALE = int(os.environ.get("HEPHAESTUS_FUZZ_SCALE", "1"))
SEED = int(os.environ.get("HEPHAESTUS_FUZZ_SEED", "13"))
# The suite's 120 s per test, times the scale: the longer run must not be cut by the suite's bound.
pytestmark = pytest.mark.timeout(120 * SCALE)

# Real snippets, as people write them (and as the tests' fixtures hold them).
SNIPPETS = [
    "import os\nimport subprocess\n\n\ndef check(value):\n    if value == None:\n        return 1\n"
    "    return 2\n\n\ndef run(cmd):\n    return subprocess.run(cmd, shell=True, check=False)\n",
    "import yaml\n\n\ndef load(path, cache={}):\n    with open(path) as f:\n"
    "        cache[path] = yaml.load(f)\n    return cache[path]\n",
    "class Greeter:\n    def __init__(self, name: str) -> None:\n        self.name = name\n\n"
    "    async def greet(self, *args, **kwargs):\n        try:\n"
    "            return f'hi {self.name!r:>10}' + ''.join(args)\n"
    "        except:\n            raise ValueError('no') from None\n",
    "import requests\n\nresult = [x ** 2 for x in range(10) if x % 2] + list({1: 2}.items())\n"
    "response = requests.get('https://example.com', params={'q': result})\n"
    "lambda_ = lambda a, b=1, *c, d, **e: (a, b, c, d, e)\nprint(response.status_code, lambda_)\n",
    "def gen(n):\n    while n > 0:\n        yield from range(n)\n        n -= 1\n    else:\n"
    "        return [i async for i in aiter()] if n else {**{}}\n",
]
_TOKEN = re.compile(r"\w+|\"[^\"\n]*\"|'[^'\n]*'|[^\w\s]|\s+")

# One program per construct and depth: valid Python, nested `depth` deep.
CONSTRUCTS = {
    "parens": lambda n: "x = " + "(" * n + "y" + ")" * n + "\n",
    "lists": lambda n: "x = " + "[" * n + "]" * n + "\n",
    "dicts": lambda n: "x = " + "{1: " * n + "2" + "}" * n + "\n",
    "calls": lambda n: "x = f" + "(" * n + ")" * n + "\n",
    "lambdas": lambda n: "f = " + "lambda: " * n + "0\n",
    "not": lambda n: "x = " + "not " * n + "y\n",
    "unary_minus": lambda n: "x = " + "-" * n + "y\n",
    "string_concatenation": lambda n: "x = " + '"a" ' * n + "\n",
    "string_plus": lambda n: "x = " + " + ".join(['"a"'] * n) + "\n",
    "attribute_chain": lambda n: "x = y" + ".a" * n + "\n",
    "subscripts": lambda n: "x = y" + "[0]" * n + "\n",
    # Indentation grows with the square of the depth: 1,000 levels (500 KB) at most.
    "ifs": lambda n: "".join(" " * i + "if x:\n" for i in range(min(n, 1000))) + " " * min(n, 1000)
    + "pass\n",
}
# 10^5 levels cost ruff minutes of CPU on some constructs (it stays bounded by its time limit):
# the longer run only.
DEPTHS = (100, 1_000, 10_000) + ((100_000,) if SCALE > 1 else ())


def mutate(text: str, rng: random.Random) -> str:
    """`text` with one token deleted, duplicated or swapped with another."""
    tokens = _TOKEN.findall(text)
    words = [i for i, token in enumerate(tokens) if not token.isspace()]
    i, j = rng.choice(words), rng.choice(words)
    operation = rng.choice(("delete", "duplicate", "swap"))
    if operation == "delete":
        tokens[i] = ""
    elif operation == "duplicate":
        tokens[i] = tokens[i] + " " + tokens[i]
    else:
        tokens[i], tokens[j] = tokens[j], tokens[i]
    return "".join(tokens)


def generated(count: int) -> list[str]:
    """`count` programs from Python's grammar, the same ones for the same seed."""
    programs: list[str] = []

    @seed(SEED)
    @settings(max_examples=count, derandomize=False, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(hypothesmith.from_grammar())
    def collect(source: str) -> None:
        programs.append(source)

    collect()
    return programs


def _hephaestus(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "ghbot", *args], cwd=cwd, capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip


def _front_doors(tree: Path) -> list[dict[str, object]]:
    """check, then fix --select syntax, over the tree: neither dies nor fails inside; the
    findings of check."""
    checked = _hephaestus(tree, "check", ".", "--format", "json", "--fixes", "--no-progress")
    assert checked.returncode in (0, 1), checked.stderr[-3000:]
    findings = json.loads(checked.stdout)["findings"]
    fixed = _hephaestus(tree, "fix", "--select", "syntax", ".")
    assert fixed.returncode in (0, 1), fixed.stderr[-3000:]
    assert "internal error" not in fixed.stderr
    return findings


def _write(tree: Path, programs: dict[str, str]) -> None:
    tree.mkdir()
    for name, text in programs.items():
        (tree / name).write_text(text, encoding="utf-8")


def test_generated_programs(tmp_path: Path) -> None:
    programs = {f"g{i}.py": text for i, text in enumerate(generated(8 * SCALE))}
    _write(tmp_path / "tree", programs)
    lost = [f for f in _front_doors(tmp_path / "tree") if f["rule"] == NOT_ANALYSED]
    assert lost == []


def test_mutated_snippets(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    programs = {}
    for i in range(12 * SCALE):
        text = rng.choice(SNIPPETS)
        for _ in range(rng.randint(1, 3)):
            text = mutate(text, rng)
        programs[f"m{i}.py"] = text
    _write(tmp_path / "tree", programs)
    lost = [f for f in _front_doors(tmp_path / "tree") if f["rule"] == NOT_ANALYSED]
    assert lost == []


def test_deep_nesting_of_every_construct(tmp_path: Path) -> None:
    programs = {
        f"{name}_{depth}.py": build(depth)
        for name, build in CONSTRUCTS.items()
        for depth in DEPTHS
    }
    _write(tmp_path / "tree", programs)
    findings = _front_doors(tmp_path / "tree")
    for finding in findings:  # a bomb is either analysed or says it could not be
        assert finding["path"] in programs
    # The shallow ones are analysed: only the limits of the parsers make a file unanalysable.
    lost = {f["path"] for f in findings if f["rule"] == NOT_ANALYSED}
    assert not {f"{name}_100.py" for name in CONSTRUCTS} & lost
