"""Step structure per CI provider: the failing step is found first, preamble and epilogue never win.

The logs are small hand-written excerpts in each provider's shape; the tool output inside them
comes from real runs (sort, a shell) made by the tests themselves.
"""

from __future__ import annotations

import io
import subprocess

import pytest

from ghbot.engine.triage.engine import Log
from ghbot.engine.triage.normalise import Kind, normalise
from ghbot.engine.triage.steps import STEP_FAILED, command_of

PREAMBLE = (
    "travis_fold:start:system_info\r\x1b[0K\x1b[33;1mBuild system information\x1b[0m\r\n"
    "Build language: c\r\n"
    "Allow some information gathering to give useful error messages\r\n"
    "Lecture user the first time they run sudo\r\n"
    "travis_fold:end:system_info\r\x1b[0K\r\n"
)
EPILOGUE = (
    "travis_fold:start:cache.2\r\x1b[0Kstore build cache\r\n"
    "error: could not stat /home/travis/.cache/pip/wheels: No such file or directory\r\n"
    "travis_fold:end:cache.2\r\x1b[0K\r\n"
    "\r\nDone. Your build exited with 1.\r\n"
    "/home/travis/.travis/job_stages: line 166: shell_session_update: command not found\r\n"
)


def real_output(*command: str) -> list[str]:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode != 0
    return (done.stdout + done.stderr).strip().split("\n")


def travis(command: str, output: list[str], code: int) -> str:
    body = "".join(f"{line}\r\n" for line in output)
    return (
        PREAMBLE
        + "travis_time:start:0a1b\r\x1b[0K$ ./configure\r\nchecking for gcc... gcc\r\n"
        + "travis_time:end:0a1b:start=1,finish=2\r\x1b[0K"
        + f"travis_time:start:0c2d\r\x1b[0K$ {command}\r\n"
        + body
        + "travis_time:end:0c2d:start=3,finish=4\r\x1b[0K"
        + f"\x1b[31;1mThe command \"{command}\" exited with {code}.\x1b[0m\r\n"
        + EPILOGUE
    )


def test_travis_failing_command_outranks_preamble_and_epilogue(run_log) -> None:
    output = ["sorting the fixtures", *real_output("sort", "-k", "0", "/dev/null"), ""]
    log = travis("make sort-fixtures", output, 2)
    report = run_log(log)
    assert report.failing_steps == ("make sort-fixtures",)
    top = report.failures[0]
    assert "invalid field specification" in top.excerpt.text
    assert top.step == "make sort-fixtures"
    lines = log.split("\n")
    assert "invalid field" in lines[top.excerpt.start_line - 1]
    for failure in report.failures:  # the preamble's text is no failure, not even a low one
        assert "Allow some information" not in failure.excerpt.text
        assert failure.step != "Build system information"


def test_a_preamble_step_that_failed_keeps_its_failures(triage) -> None:
    """Text of the provider's preamble (machine information, the runner setting itself up) is
    dropped only when the preamble did not fail: when setting up failed, it is the cause."""
    output = real_output("sort", "-k", "0", "/dev/null")
    failed_setup = "\n".join([*output, "##[error]Process completed with exit code 2."]).encode()
    report = triage.run("logs.zip", [Log("1_Set up job.txt", io.BytesIO(failed_setup),
                                         step="Set up job")])
    assert report.failing_steps == ("Set up job",)
    assert "invalid field specification" in report.failures[0].excerpt.text


def test_travis_multi_line_command_ends_with_its_exit_line(run_log) -> None:
    output = real_output("sh", "-c", "cd /nonexistent-hephaestus-dir")
    log = (
        PREAMBLE + "$ case \"$MODE\" in\r\n  full) make all ;;\r\nesac\r\n" + "\r\n".join(output)
        + "\r\n\" exited with 2.\r\n" + EPILOGUE
    )
    report = run_log(log)
    top = report.failures[0]
    assert "nonexistent-hephaestus-dir" in top.excerpt.text
    assert report.failing_steps


@pytest.mark.parametrize(
    ("log", "step"),
    [
        (  # GitLab: sections, then the runner's verdict
            "\x1b[0Ksection_start:1700000000:prepare_executor\r\x1b[0K\x1b[0K\x1b[36;1mPreparing"
            "\x1b[0;m\nUsing docker image sha256:0f1e for python:3.12\nerror: none here but a"
            " preamble line\n\x1b[0Ksection_end:1700000001:prepare_executor\r\x1b[0K\n"
            "\x1b[0Ksection_start:1700000002:step_script\r\x1b[0K\x1b[0K\x1b[36;1mExecuting"
            " \"step_script\" stage\x1b[0;m\n$ ./check.sh\nsort: field number is zero: invalid"
            " field specification '0'\n\x1b[0Ksection_end:1700000003:step_script\r\x1b[0K\n"
            "\x1b[31;1mERROR: Job failed: exit code 2\n\x1b[0;m\n",
            "./check.sh",
        ),
        (  # Jenkins: stages, then `script returned exit code`
            "[Pipeline] { (Checkout)\nerror: a checkout warning that is not the cause\n"
            "[Pipeline] }\n"
            "[Pipeline] { (Test)\n[Pipeline] sh\n+ ./check.sh\nsort: field number is zero: invalid"
            " field specification '0'\n[Pipeline] }\nERROR: script returned exit code 2\n"
            "Finished: FAILURE\n",
            "Test",
        ),
        (  # Azure Pipelines: sections and the task's exit
            "##[section]Starting: Initialize job\nAgent name: 'Azure Pipelines 2'\nerror: not the"
            " cause\n##[section]Finishing: Initialize job\n##[section]Starting: Run checks\n"
            "sort: field number is zero: invalid field specification '0'\n"
            "##[error]Bash exited with code '2'.\n##[section]Finishing: Run checks\n",
            "Run checks",
        ),
        (  # Buildkite: groups and the agent's verdict
            "~~~ Preparing working directory\nerror: a fetch retry that is not the cause\n"
            "--- :hammer: Run checks\nsort: field number is zero: invalid field specification '0'\n"
            "\U0001f6a8 Error: The command exited with status 2\n",
            ":hammer: Run checks",
        ),
    ],
    ids=["gitlab", "jenkins", "azure", "buildkite"],
)
def test_failing_step_of_each_provider(run_log, log: str, step: str) -> None:
    report = run_log(log)
    assert step in report.failing_steps
    top = report.failures[0]
    assert "invalid field specification" in top.excerpt.text, report.failures[:2]
    verdicts = [f for f in report.failures if STEP_FAILED.match(f.excerpt.text)]
    assert all(f.confidence <= 0.3 for f in verdicts)  # says that the step failed, not why


def test_step_headers_of_each_provider_normalise_to_steps() -> None:
    assert normalise(1, "travis_time:start:1\r\x1b[0K$ make test\r").text == "make test"
    assert normalise(1, "##[section]Starting: Build").kind is Kind.STEP
    assert normalise(1, "[Pipeline] { (Unit tests)").text == "Unit tests"
    assert normalise(1, "--- :pytest: Tests").kind is Kind.STEP
    assert normalise(1, "--- FAIL: TestX (0.00s)").kind is Kind.TEXT  # go test, not Buildkite
    assert normalise(1, "--- a/file.py").kind is Kind.TEXT  # a diff
    assert normalise(1, "Done. Your build exited with 1.").kind is Kind.STEP


def test_step_failed_lines() -> None:
    assert command_of('The command "make test" exited with 2.') == "make test"
    assert command_of('The command "npm ci" failed 3 times.') == "npm ci"
    assert STEP_FAILED.match('The command "npm ci" failed. Retrying, 2 of 3.') is None
    assert STEP_FAILED.match('The command "make test" exited with 0.') is None
    assert STEP_FAILED.match("Process completed with exit code 1.")
    assert STEP_FAILED.match("ERROR: Job failed: exit code 1")
    assert STEP_FAILED.match("ERROR: script returned exit code 2")
    assert STEP_FAILED.match("Exited with code exit status 1")


def test_cut_off_log_without_exit_line_locates_the_error_before_its_end(run_log) -> None:
    # A log that stops before the provider says which command failed (a cancelled or cut-off
    # job): the preamble never wins, the last error-like block before the end does.
    output = real_output("sort", "-k", "0", "/dev/null")
    body = "\r\n".join(output)
    log = PREAMBLE + f"$ ./build.sh\r\nbuilding...\r\n{body}\r\n*** Failed ***\r\n"
    report = run_log(log)
    assert "invalid field specification" in report.failures[0].excerpt.text
    assert report.failures[0].detector == "locator"


def test_summary_and_passing_lines_are_never_the_cause(run_log) -> None:
    output = [
        "tests/test_io.py::test_permission_denied_is_reported PASSED                 [ 50%]",
        *real_output("sort", "-k", "0", "/dev/null"),
        "TEST FAILURE",
        "** TEST EXECUTE FAILED **",
    ]
    report = run_log(travis("make check", output, 1))
    top = report.failures[0]
    assert "invalid field specification" in top.excerpt.text
    assert not any("Permission" in f.title for f in report.failures)


def test_locator_reads_through_double_spaced_output_and_stray_marks(run_log) -> None:
    # Some runners log "\r\r\n": every line of output is followed by an empty one.
    output = real_output("sort", "-k", "0", "/dev/null")
    frames = [f"    at frame{n} (lib/run.js:{n}:1)" for n in range(1, 9)]
    spaced = [part for line in ["  1 failing", *output, *frames, "nl", "-"] for part in (line, "")]
    report = run_log(travis("npm test", spaced, 1))
    assert "invalid field specification" in report.failures[0].excerpt.text


def test_locator_prefers_a_block_that_says_error_over_a_nearer_weak_one(run_log) -> None:
    output = [
        *real_output("git", "-C", "/", "rev-parse", "HEAD"),  # fatal: not a git repository
        "",
        "cache: 3 files expected, 1 missing, rebuilt",
        "",
        "12 tests, 30 assertions, 1 failures, 0 errors, 0 skips",
    ]
    top = run_log(travis("rake test", output, 1)).failures[0]
    assert top.title.startswith("fatal: not a git repository")


def test_travis_quoting_a_multi_line_command_is_not_read_as_its_output(run_log) -> None:
    # `script: |` blocks: Travis repeats the whole script inside `The command "..." exited
    # with N.`; the step's last lines are what the script printed, not the quoted script.
    output = real_output("sh", "-c", "echo 'building 1 of 2'; echo 'building 2 of 2'; exit 2")
    script = 'case "$MODE" in\r\n  full)\r\n    ./build.sh\r\n    ;;\r\nesac\r\n'
    log = (
        PREAMBLE + "travis_time:start:0c2d\r\x1b[0K$ " + script + "\r\n".join(output) + "\r\n"
        + "travis_time:end:0c2d:start=3,finish=4\r\x1b[0K\x1b[31;1mThe command \""
        + script + '" exited with 2.\x1b[0m\r\n' + EPILOGUE
    )
    top = run_log(log).failures[0]
    assert top.title.startswith("No clear cause")
    assert top.excerpt.text.endswith("building 2 of 2")  # not the quote's `esac`


def test_a_message_of_the_preamble_repeated_by_the_failing_step_is_that_steps_failure(
    run_log,
) -> None:
    """Travis's preamble runs apt and shows its errors (dropped: the preamble did not fail);
    the job's own `apt-get update` then fails on the same dead source. The step's copy is its
    failure, not a repeat of a dropped one."""
    fetch = "E: Failed to fetch http://dl.example.org/ubuntu/dists/trusty/main/binary-i386/" \
            "Packages  404  Not Found [IP: {} 80]\r\n"
    log = (
        "travis_fold:start:system_info\r\x1b[0K\x1b[33;1mBuild system information\x1b[0m\r\n"
        "Build language: cpp\r\n" + fetch.format("10.1.1.1")
        + "E: Some index files failed to download. They have been ignored, or old ones used"
        " instead.\r\ntravis_fold:end:system_info\r\x1b[0K\r\n"
        "travis_time:start:0c2d\r\x1b[0K$ ./ci/build.py\r\nHit:1 http://archive.ubuntu.com\r\n"
        + fetch.format("10.2.2.2") + "E: Some index files failed to download.\r\n\r\n"
        "Traceback (most recent call last):\r\n  File \"./ci/build.py\", line 9, in <module>\r\n"
        "    subprocess.check_call(['sudo', 'apt-get', 'update'])\r\n"
        "subprocess.CalledProcessError: Command '['sudo', 'apt-get', 'update']' returned"
        " non-zero exit status 100\r\n"
        "travis_time:end:0c2d:start=3,finish=4\r\x1b[0K"
        "\x1b[31;1mThe command \"./ci/build.py\" exited with 1.\x1b[0m\r\n" + EPILOGUE
    )
    top = run_log(log).failures[0]
    assert (top.rule, top.step) == ("apt-repository-unreachable", "./ci/build.py")
    assert "[IP: 10.2.2.2 80]" in top.excerpt.text
