from __future__ import annotations

from ghbot.engine.fixes.codemods import parallel, run_codemods
from ghbot.engine.isolation import NOT_ANALYSED
from ghbot.engine.models import SourceFile

IDS = ["HEP101", "HEP102", "HEP104"]


def _files() -> list[SourceFile]:
    body = "import yaml\n\n\ndef f(x=[]):\n    if x == None:\n        return yaml.load(x)\n"
    # Sizes differ so the shares are uneven; one file has nothing to fix, one does not parse.
    return [SourceFile(f"m{i}.py", body + "\n# padding\n" * (i * 40)) for i in range(5)] + [
        SourceFile("clean.py", "x = 1\n"),
        SourceFile("broken.py", "def f(:\n"),
    ]


def test_worker_processes_find_what_one_process_finds(monkeypatch):
    files = _files()
    work = [(file, IDS) for file in files]
    here = [run_codemods(file, IDS) for file in files]
    monkeypatch.setattr(parallel, "MIN_PARALLEL_CHARS", 0)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 3)
    done: list[int] = []
    found = parallel.run_codemods_many(work, done.append)
    assert found == here
    assert all(found[:5]) and found[-2:] == [[], []]
    assert done[-1] == len(work) and done == sorted(done)  # progress reaches every file


def test_a_file_that_kills_its_worker_costs_that_file_only(monkeypatch):
    files = _files()
    # LibCST's native parser overflows its stack on this one (it segfaulted the whole CLI).
    bomb = SourceFile("bomb.py", "import yaml\nyaml.load(x)\nf = " + "lambda: " * 5000 + "0\n")
    work = [(file, IDS) for file in [*files[:3], bomb, *files[3:]]]
    monkeypatch.setattr(parallel, "MIN_PARALLEL_CHARS", 0)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    found = parallel.run_codemods_many(work)
    (lost,) = found[3]
    assert lost.rule == NOT_ANALYSED and lost.path == "bomb.py" and lost.severity.value == "error"
    assert lost.message.startswith("could not be analysed: LibCST: ")
    assert found[:3] + found[4:] == [run_codemods(file, IDS) for file in files]
