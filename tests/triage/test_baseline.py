"""`--baseline PASSED.log`: lines a passing run of the same job also printed are not the cause.

The two logs are a real script run twice by the test: once passing, once failing on `sort`.
The script prints the same cache warning (numbers differ) on every run.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from ghbot.cli import triage as cli

SCRIPT = (
    'echo "building $1 fixtures"\n'
    'if [ "$1" = bad ]; then sort -k 0 /dev/null; status=$?; else sort /dev/null; status=0; fi\n'
    'echo "error: cache directory /tmp/cache-$$ is not writable, caching disabled"\n'
    "exit $status\n"
)


def travis_log(tmp_path: Path, mode: str) -> Path:
    script = tmp_path / "build.sh"
    script.write_text(SCRIPT)
    done = subprocess.run(["sh", str(script), mode], capture_output=True, text=True, check=False)
    verdict = f'The command "sh build.sh {mode}" exited with {done.returncode}.'
    path = tmp_path / f"{mode}.log"
    path.write_text(f"$ sh build.sh {mode}\n{done.stdout}{done.stderr}{verdict}\n")
    return path


def top_failure(capsys, *argv: str) -> dict:
    cli.main(["--format", "json", *argv])
    return json.loads(capsys.readouterr().out)["failures"][0]


def test_baseline_skips_what_the_passing_run_also_printed(tmp_path: Path, capsys) -> None:
    failed = travis_log(tmp_path, "bad")
    passed = travis_log(tmp_path, "good")
    without = top_failure(capsys, str(failed))
    assert without["title"].startswith("error: cache directory")  # the first error-like line
    top = top_failure(capsys, str(failed), "--baseline", str(passed))
    assert "invalid field specification" in top["title"]


def test_baseline_demotes_a_rule_the_passing_run_matched_too(tmp_path: Path, capsys) -> None:
    failed = tmp_path / "failed.log"
    passed = tmp_path / "passed.log"
    noise = "bash: line 3: shell_session_update: command not found\n"
    failed.write_text(f"$ make check\n{noise}make: *** [check] Error 2\n")
    passed.write_text(f"$ make check\n{noise}all 12 checks passed\n")
    assert top_failure(capsys, str(failed))["rule"] == "command-not-found"
    demoted = top_failure(capsys, str(failed), "--baseline", str(passed))
    assert demoted["rule"] != "command-not-found" or "passing run" in demoted["explanation"]


def test_missing_baseline_file_is_a_usage_error(tmp_path: Path, capsys) -> None:
    failed = travis_log(tmp_path, "bad")
    assert cli.main([str(failed), "--baseline", str(tmp_path / "nope.log")]) == 2
    assert "nope.log" in capsys.readouterr().err
