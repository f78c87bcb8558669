"""The Action as users meet it: action.yml's composite steps run one after another (see
composite_runner), cold (the venv built from the lock, hashes checked) and warm (restored from
the cache, nothing installed). Tests cannot reach PyPI, so the action's copy gets a lock of one
local wheel whose .pth file lends this test environment's packages to the venv: every step of
action.yml runs unchanged; tests/test_packaging.py keeps the real lock true to pyproject."""

from __future__ import annotations

import base64
import hashlib
import site
import zipfile
from pathlib import Path

import pytest
from composite_runner import CompositeAction
from sandbox.webhooks import pull_request_payload

BROKEN = {"new.py": "def f(:\n    pass\n"}
INSTALL = "Install Hephaestus's locked dependencies"


def _wheel(directory: Path) -> tuple[Path, str]:
    """A wheel whose only content is a .pth naming this environment's site-packages."""
    name = "hephaestus_test_env"
    files = {
        f"{name}.pth": "\n".join(site.getsitepackages()) + "\n",
        f"{name}-1.0.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n",
        f"{name}-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\n"
        "Root-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        record.append(f"{path},sha256={digest.decode()},{len(text.encode())}")
    files[f"{name}-1.0.dist-info/RECORD"] = "\n".join([*record, f"{name}-1.0.dist-info/RECORD,,"])
    wheel = directory / f"{name}-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return wheel, hashlib.sha256(wheel.read_bytes()).hexdigest()


@pytest.fixture
def wheel(tmp_path: Path) -> tuple[Path, str]:
    (tmp_path / "wheels").mkdir()
    return _wheel(tmp_path / "wheels")


def _lock(digest: str) -> str:
    return f"hephaestus-test-env==1.0 \\\n    --hash=sha256:{digest}\n"


def _action(runner, wheel: Path, digest: str) -> CompositeAction:
    return CompositeAction(runner, _lock(digest))


def _offline(wheel: Path) -> dict[str, str]:
    return {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheel.parent)}


def test_cold_run_installs_the_lock_warm_run_installs_nothing_new_lock_misses(runner, wheel):
    base = runner.checkout({"ok.py": "x = 1\n"}, BROKEN)
    action = _action(runner, *wheel)
    inputs = {"mode": "review", "fail-level": "never", "sarif-file": "out.sarif"}

    cold = action.run("push", {"before": base, "after": "y"}, inputs, **_offline(wheel[0]))
    assert cold.code == 0, (cold.last.stdout, cold.last.stderr)
    assert INSTALL in cold.ran and not cold.cache_hit
    assert int(cold.outputs["findings"]) >= 1 and cold.outputs["fixed"] == "0"
    assert any(a.startswith("::error file=new.py,line=1") for a in cold.last.annotations)
    assert Path(cold.outputs["report"]).exists()
    assert (runner.workspace / "out.sarif").exists()
    [entry] = list(action.cache.iterdir())  # the post step saved the venv
    assert entry.name.startswith("hephaestus-venv-Linux-X64-py")

    # The next job: RUNNER_TEMP emptied, the venv comes back from the cache; pip never runs.
    warm = action.run("push", {"before": base, "after": "y"}, inputs)  # no index either
    assert warm.code == 0, (warm.last.stdout, warm.last.stderr)
    assert warm.cache_hit and INSTALL not in warm.ran
    assert warm.outputs["findings"] == cold.outputs["findings"]

    # A release whose lock differs: another key, so a cold install (not the old venv), and
    # pip refuses a file whose hash is not the lock's; the run step never starts.
    action.relock(_lock("0" * 64))
    refused = action.run("push", {"before": base}, inputs, **_offline(wheel[0]))
    assert not refused.cache_hit and refused.ran[-1] == INSTALL
    assert refused.code != 0
    assert "DO NOT MATCH THE HASHES" in refused.last.stderr
    assert refused.outputs["findings"] == ""


def test_review_through_the_composite_steps_against_the_sandbox(sandbox, runner, wheel):
    sandbox.create_repo("octo/app", files={"ok.py": "x = 1\n"})
    inst = sandbox.create_installation("octo", ["octo/app"])
    head = sandbox.commit("octo/app", "feature", {"src/greet.py": "def greet(:\n    pass\n"})
    pull = sandbox.create_pull("octo/app", head="feature")
    payload = pull_request_payload(sandbox, "octo/app", pull.number)
    action = _action(runner, *wheel)
    step = action.run(
        "pull_request", payload, {"mode": "review", "github-token": sandbox.token(inst)},
        api_url=sandbox.base_url, HEPHAESTUS_BOT_LOGIN=sandbox.app.bot_login,
        **_offline(wheel[0]),
    )  # fmt: skip
    assert step.code == 1, step.last.stderr  # a syntax error fails the step (fail-level error)
    assert step.ran[-1] == "Run Hephaestus"
    [run] = sandbox.check_runs("octo/app", head)
    assert (run.name, run.conclusion) == ("Hephaestus", "failure")
    assert len(sandbox.reviews("octo/app", pull.number)) == 1
    assert int(step.outputs["findings"]) >= 1
