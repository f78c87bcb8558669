"""`hephaestus deployments` on real git checkouts: the records branch read with git, the files
in the working tree, and clear errors."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ghbot.cli import main as cli
from ghbot.engine.knowledge import deployments as dh
from ghbot.engine.knowledge.deployments import Deployment

T0 = datetime(2024, 5, 31, 23, 0, 0, tzinfo=UTC)


def git(root: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@x", "PATH": "/usr/bin:/bin"}  # fmt: skip
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env
    ).stdout


def files_for(*entries: Deployment) -> dict[str, str]:
    out: dict[str, str] = {}
    for e in entries:
        path = dh.history_path(e.environment, e.created_at)
        out[path] = dh.record(out.get(path), e, repo_url="https://github.com/octo/app") or out[path]
    return out


def dep(n: int, env: str, state: str, hours: int) -> Deployment:
    return Deployment(
        deployment_id=n, status_id=n * 10, environment=env, state=state, ref="main",
        sha=f"{n:x}" * 40, actor="alice", created_at=T0 + timedelta(hours=hours),
        duration=timedelta(seconds=90),
    )  # fmt: skip


HISTORY = files_for(
    dep(1, "production", "success", 0),  # May
    dep(2, "production", "failure", 2),  # June: rotated into the next file
    dep(3, "staging", "success", 1),
)


def write(root: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")


def checkout_with_records_branch(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root, {"app.py": "x = 1\n"})
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "app")
    git(root, "checkout", "-q", "--orphan", "hephaestus/records")
    git(root, "read-tree", "--empty")
    (root / "app.py").unlink()
    write(root, HISTORY)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "records")
    git(root, "checkout", "-q", "main")
    assert not (root / "deployments").exists()  # only git has the history
    return root


def test_reads_the_records_branch_with_git(tmp_path, capsys):
    root = checkout_with_records_branch(tmp_path)
    assert cli(["deployments", "--repo", str(root), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "refs/heads/hephaestus/records" in out["source"]
    rows = [(d["environment"], d["deployment_id"], d["state"]) for d in out["deployments"]]
    assert sorted(rows) == [("production", 1, "success"), ("production", 2, "failure"),
                            ("staging", 3, "success")]  # fmt: skip
    production = [
        d["deployment_id"] for d in out["deployments"] if d["environment"] == "production"
    ]
    assert production == [2, 1]  # newest first across the month files
    assert out["deployments"][0]["duration_seconds"] == 90
    urls = {d["deployment_id"]: d["commit_url"] for d in out["deployments"]}
    assert urls[2] == "https://github.com/octo/app/commit/" + "2" * 40


def test_one_environment_as_text(tmp_path, capsys):
    root = checkout_with_records_branch(tmp_path)
    assert cli(["deployments", "staging", "--repo", str(root)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "staging" in out[0] and "success" in out[0] and "1m 30s" in out[0]
    assert cli(["deployments", "preview", "--repo", str(root)]) == 0
    assert "No deployments to preview recorded" in capsys.readouterr().out


def test_records_on_the_default_branch_are_read_from_the_files(tmp_path, capsys):
    root = tmp_path / "repo"
    write(root, {f".github/hephaestus/records/{p}": t for p, t in HISTORY.items()})
    write(root, {".github/hephaestus.yml": "knowledge: {records_target: default_branch}\n"})
    assert cli(["deployments", "production", "--repo", str(root), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [d["deployment_id"] for d in out["deployments"]] == [2, 1]
    assert "rollback" in out["deployments"][0]["notes"]


def test_no_history_and_bad_usage_exit_2(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert cli(["deployments", "--repo", str(tmp_path / "empty")]) == 2
    assert "git fetch origin hephaestus/records" in capsys.readouterr().err
    assert cli(["deployments", "--repo", str(tmp_path / "missing")]) == 2
    assert cli(["deployments", "--limit", "0", "--repo", str(tmp_path)]) == 2
    assert cli(["deployments", "--format", "yaml"]) == 2
