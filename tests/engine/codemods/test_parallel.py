from __future__ import annotations

from ghbot.engine.fixes.codemods import parallel, run_codemods
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


def test_a_failed_worker_share_is_run_here_instead(monkeypatch):
    files = _files()
    work = [(file, IDS) for file in files]
    monkeypatch.setattr(parallel, "MIN_PARALLEL_CHARS", 0)
    # A worker that exits at once with an error, as a crashed one would.
    monkeypatch.setattr(parallel.sys, "executable", "/bin/false")
    assert parallel.run_codemods_many(work) == [run_codemods(file, IDS) for file in files]


def test_shares_balance_by_size_with_the_largest_files_apart():
    sizes = [900, 10, 800, 20, 30, 700]
    work = [(SourceFile(f"{n}.py", "x" * n), IDS) for n in sizes]
    shares = parallel._shares(work, 2)
    assert sorted(i for share in shares for i in share) == list(range(len(sizes)))
    loads = [sum(sizes[i] for i in share) for share in shares]
    assert max(loads) - min(loads) <= max(sizes)
    assert not {0, 2} <= set(shares[0]) and not {0, 2} <= set(shares[1])
