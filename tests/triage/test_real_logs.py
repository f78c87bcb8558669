"""Real tool outputs (from bench/triage_accuracy/capture.py): the top failure is the cause."""

from __future__ import annotations

import pytest
from real_runs import LABELS, REAL, SOURCES

from ghbot.engine.redact import redact
from ghbot.engine.triage.candidates import STORED_LINE
from ghbot.engine.triage.normalise import normalise

CASES = sorted(LABELS.items())


@pytest.mark.parametrize(("name", "label"), CASES, ids=[name for name, _ in CASES])
def test_top_failure_contains_a_labelled_cause_line(run_log, name: str, label: dict) -> None:
    raw = (REAL / f"{name}.log").read_bytes()
    report = run_log(raw, name)
    top = report.failures[0]
    assert any(top.excerpt.start_line <= n <= top.excerpt.end_line for n in label["cause_lines"])
    assert top.title and top.explanation and top.fix
    # sed -n START,ENDp LOG shows the excerpt: its text is those raw lines, cleaned (and cut),
    # then redacted like every excerpt.
    lines = raw.decode().split("\n")
    cleaned = [
        normalise(n, lines[n - 1]).text[:STORED_LINE]
        for n in range(top.excerpt.start_line, top.excerpt.end_line + 1)
    ]
    assert top.excerpt.text == redact("\n".join(cleaned))


def test_categories_of_known_outputs(run_log) -> None:
    expected = {
        "pytest-assert": "test", "mypy-type": "lint", "gcc-undeclared": "compile",
        "pip-no-version": "dependency", "npm-404": "dependency", "dns-failure": "network",
        "disk-full": "resource", "oom-killed": "resource", "cargo-type": "compile",
        "tsc-type": "compile", "shell-permission": "config", "unbound-secret": "config",
    }
    for name, category in expected.items():
        report = run_log((REAL / f"{name}.log").read_bytes(), name)
        assert report.failures[0].category == category, name


def test_actions_wrapped_logs_know_the_failing_step(run_log) -> None:
    report = run_log((REAL / "pytest-assert.log").read_bytes())
    assert report.failing_steps == ("python -m pytest -q -p no:cacheprovider",)
    assert report.failures[0].step == report.failing_steps[0]
    assert report.failures[0].confidence >= 0.7


# Second wave of real captures (see fixtures/real/README.md for tool versions and commands):
# the top failure's category, the rule (or extractor) that explains it, and a cause it states.
KNOWN = {
    "apt-lock-held": ("infra", "apt-lock-held", "Could not get lock /var/lib/dpkg"),
    "apt-missing-package": ("dependency", "apt-package-missing", "Unable to locate package"),
    "buildah-copy-missing": ("config", "docker-copy-missing", 'stat: "/app.bin"'),
    "buildah-run-no-shell": ("config", "docker-no-shell", "fork/exec /bin/sh"),
    "cmake-find-module": ("dependency", "cmake-package-missing", "Could NOT find GTest"),
    "docker-no-daemon": ("infra", "docker-daemon", "Cannot connect to the Docker daemon"),
    "erlang-ct-fail": ("test", "common-test", "Reason: {badmatch,-1}"),
    "gradle-compile": ("compile", "javac", "error: cannot find symbol"),
    "gradle-junit": ("test", "gradle", "CalcTest > addsTwoNumbers FAILED"),
    "jest-timeout": ("test", "jest", "Exceeded timeout of 200 ms"),
    "junit4-console": ("test", "jvm-exception", "expected:<6> but was:<5>"),
    "make-missing-separator": ("config", "make-syntax", "missing separator"),
    "make-missing-tool": ("config", "make-command-missing", "protoc-hephaestus: No such file"),
    "make-no-rule": ("config", "make-no-rule", "No rule to make target 'util.o'"),
    "maven-compile": ("compile", "javac", "App.java:[4,25] incompatible types"),
    "maven-junit": ("test", "junit", "expected:<5> but was:<-1>"),
    "maven-missing-dependency": ("dependency", "maven-dependency-resolution",
                                 "junit-hephaestus"),
    "maven-surefire3-junit5": ("test", "junit", "expected: <5> but was: <-1>"),
    "npm-ci-out-of-sync": ("dependency", "npm-lockfile-out-of-sync", "are in sync"),
    "npm-eresolve": ("dependency", "npm-eresolve", "ERESOLVE unable to resolve"),
    "npm-etarget": ("dependency", "npm-package-not-found", "No matching version found"),
    "npm-rate-limited": ("network", "rate-limited", "429 Too Many Requests"),
    "pnpm-frozen-lockfile": ("dependency", "npm-lockfile-out-of-sync", "frozen-lockfile"),
    "pnpm-no-version": ("dependency", "npm-package-not-found", "No matching version found"),
    "pnpm9-frozen-lockfile": ("dependency", "npm-lockfile-out-of-sync",
                              "ERR_PNPM_OUTDATED_LOCKFILE"),
    "pnpm9-no-version": ("dependency", "npm-package-not-found", "lodash@^99.0.0"),
    "poetry-solver": ("dependency", "poetry-solver", "version solving failed"),
    "poetry-stale-lock": ("dependency", "poetry-lock-stale", "changed significantly"),
    "rubocop-color": ("lint", "rubocop", "Lint/UselessAssignment"),
    "ruff-color": ("lint", "ruff", "F401"),
    "timeout-killed": ("infra", "job-timeout", "sending signal TERM"),
    "uv-locked-stale": ("dependency", "uv-lock-stale", "`uv.lock` needs to be updated"),
    "uv-no-solution": ("dependency", "uv-resolution", "werkzeug==2.0.0"),
    "uv-rate-limited": ("network", "rate-limited", "429 Too Many Requests"),
    "vitest-fail": ("test", "vitest", "expected -1 to be 3"),
    "vitest-timeout": ("test", "vitest", "Test timed out in 200ms"),
    "xbuild-csharp": ("compile", "msbuild", "error CS0029"),
    "yarn-frozen-lockfile": ("dependency", "npm-lockfile-out-of-sync",
                             "Your lockfile needs to be updated"),
    "yarn-not-found": ("dependency", "npm-package-not-found", "Couldn't find package"),
}


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_second_wave_tools_name_their_cause(expect_top, name: str) -> None:
    expect_top(name, *KNOWN[name])


# Third wave: ecosystems beyond Python/Node/JVM/C (Go vet and race, Rust lints, Python
# formatters, shell, Ruby, PHP, Perl, Elixir, Lua), captured from Debian's toolchains.
THIRD_WAVE = {
    "go-vet": ("compile", "go", 'fmt.Printf format %d has arg "three" of wrong type string'),
    "go-race": ("test", "go-race", "WARNING: DATA RACE"),
    "go-sum-missing": ("dependency", "go-module-missing", "missing go.sum entry"),
    "cargo-borrow": ("compile", "rustc", "error[E0382]: borrow of moved value"),
    "cargo-clippy": ("lint", "clippy-warnings-denied", "unneeded `return` statement"),
    "cargo-fmt": ("lint", "rustfmt", "+    let total = 1 + 2;"),
    "black-check": ("lint", "black-would-reformat", "would reformat"),
    "isort-check": ("lint", "isort-unsorted", "Imports are incorrectly sorted"),
    "pre-commit-black": ("lint", "pre-commit", "files were modified by this hook"),
    "shellcheck": ("lint", "shellcheck", "SC2086 (info): Double quote"),
    "rspec-fail": ("test", "rspec", "Failure/Error: expect(Calc.add(1, 2)).to eq(3)"),
    "minitest-fail": ("test", "minitest", "Expected: 3"),
    "ruby-nomethod": ("test", "ruby", "undefined method `fetch' for nil:NilClass"),
    "bundler-missing-gem": ("dependency", "bundler-gem-not-found", "frobnicator-hephaestus"),
    "rubocop-offense": ("lint", "rubocop", "Lint/UselessAssignment"),
    "php-fatal": ("compile", "php", "Call to undefined function compute_total()"),
    "php-parse": ("compile", "php", "syntax error, unexpected token"),
    "phpunit-fail": ("test", "phpunit", "Failed asserting that -1 is identical to 3."),
    "perl-prove": ("test", "perl-tap", "#     expected: '3'"),
    "mix-test": ("test", "exunit", "Assertion with == failed"),
    "elixir-compile": ("compile", "elixir", "undefined function c/0"),
    "busted-fail": ("test", "busted", "Expected objects to be equal."),
    "bundler-frozen-lockfile": ("dependency", "bundler-frozen-lockfile",
                                "install in deployment mode after changing"),
    "ruby-syntax": ("compile", "ruby", "syntax error, unexpected end-of-input"),
    "perl-syntax": ("compile", "perl-compilation-failed", 'syntax error at app.pl line 3'),
    "lua-runtime": ("test", "lua", "attempt to index local 'config' (a nil value)"),
    "javac-werror": ("compile", "werror", "[rawtypes] found raw type: List"),
    "tasty-fail": ("test", "test-status", "but got: 4"),
    "rake-no-rakefile": ("unknown", "rake", "rake aborted!\nNo Rakefile found"),
    "rake-unknown-task": ("unknown", "rake", "Don't know how to build task 'lint'"),
    "rake-load-error": ("unknown", "rake", "LoadError: cannot load such file"),
    "pylint-error": ("lint", "pylint", "E0602: Undefined variable 'undefined_name'"),
    "pylint-modules": ("lint", "pylint", "E0602: Undefined variable 'missing_name'"),
    "prettier-check": ("lint", "prettier", "list.js\nugly.js\nCode style issues found in 2 files"),
    "prettier2-check": ("lint", "prettier", "ugly.js\nCode style issues found in the above file"),
    "prettier-syntax": ("compile", "prettier", "broken.js: SyntaxError: Unexpected token"),
}


@pytest.mark.parametrize("name", sorted(THIRD_WAVE))
def test_third_wave_ecosystems_name_their_cause(run_log, name: str) -> None:
    category, detector, cause = THIRD_WAVE[name]
    top = run_log((REAL / f"{name}.log").read_bytes(), name).failures[0]
    assert (top.category, top.rule or top.detector) == (category, detector)
    assert cause in top.excerpt.text
    assert "\x1b" not in top.excerpt.text and "[]" not in top.title
    assert top.confidence >= 0.7


def test_retry_hint_only_for_transient_failures(run_log) -> None:
    def top(name: str):
        return run_log((REAL / f"{name}.log").read_bytes(), name).failures[0]

    for name in ("apt-lock-held", "npm-rate-limited", "uv-rate-limited", "timeout-killed"):
        assert top(name).retry, name
    for name in ("apt-missing-package", "uv-locked-stale", "make-no-rule", "maven-compile"):
        assert not top(name).retry, name


def test_a_tests_own_timeout_is_a_failed_test_not_a_job_out_of_time(run_log) -> None:
    # Python's `TimeoutExpired: ... timed out after 0.5 seconds` and mocha's `Timeout of 50ms
    # exceeded` end one test: the job had time left, and a plain re-run times out again.
    cases = (("pytest-subprocess-timeout", None), ("mocha-hook-timeout", "mocha-test-timeout"))
    for name, rule in cases:
        top = run_log((REAL / f"{name}.log").read_bytes(), name).failures[0]
        assert (top.category, top.rule, top.retry) == ("test", rule, False), name
        assert "timed out after" in top.excerpt.text or "Timeout of 50ms" in top.excerpt.text


def test_a_checkers_report_shown_whole_has_no_unclear_answer_beside_it(run_log) -> None:
    # Prettier's list of files is the step's last lines: "no clear cause, the step's last
    # lines" beside it would show the same lines again, less well named.
    report = run_log((REAL / "prettier-check.log").read_bytes(), "prettier-check")
    assert report.failures[0].detector == "prettier"
    assert not any(f.detector == "locator" for f in report.failures)


def test_rake_names_why_it_stopped_and_only_sums_up_a_failed_command(run_log) -> None:
    # The line under `rake aborted!` is rake's reason (its title); `Command failed with
    # status (1)` there means a test run failed above, and that failure is the answer.
    top = run_log((REAL / "rake-no-rakefile.log").read_bytes(), "rake-no-rakefile").failures[0]
    assert top.title.startswith("rake stopped: No Rakefile found (looking for: rakefile")
    top = run_log((REAL / "rake-minitest.log").read_bytes(), "rake-minitest").failures[0]
    assert top.detector == "minitest" and "Expected: 24" in top.excerpt.text


def test_every_real_log_has_a_label_and_new_ones_a_recorded_command() -> None:
    logs = {path.stem for path in REAL.glob("*.log")}
    assert logs == {name for name, _ in CASES}
    assert set(KNOWN) | set(THIRD_WAVE) <= set(SOURCES)
    readme = (REAL / "README.md").read_text()
    for name in [*KNOWN, *THIRD_WAVE]:
        assert f"`{name}.log`" in readme and SOURCES[name]["command"]


def test_git_refusing_a_checkout_owned_by_another_user_is_named(run_log) -> None:
    report = run_log((REAL / "git-dubious-ownership.log").read_bytes())
    top = report.failures[0]
    assert top.rule == "git-dubious-ownership" and top.category == "config"
    assert "safe.directory" in top.excerpt.text and "safe.directory" in top.fix


def test_a_line_matched_by_a_word_is_shown_with_the_rest_of_its_paragraph(run_log) -> None:
    # isort names the file on one line (a rule matches it) and prints the diff below it.
    raw = (REAL / "isort-check.log").read_bytes()
    top = run_log(raw, "isort-check").failures[0]
    assert top.rule == "isort-unsorted"
    assert top.excerpt.text.splitlines()[-3:] == ["+import os", " import sys", "-import os"]
    assert top.excerpt.end_line == 7  # the blank line after the diff ends the paragraph


def test_the_paragraph_stops_at_the_step_exit(run_log) -> None:
    # Perl's two lines, then the runner's exit line and its epilogue: none of those join.
    raw = (REAL / "perl-syntax.log").read_bytes()
    top = run_log(raw, "perl-syntax").failures[0]
    assert "had compilation errors" in top.excerpt.text
    assert "git version" not in top.excerpt.text


def test_mocha_failures_are_their_details_not_the_progress_list(run_log) -> None:
    # Titles that say "fail" appear first in the progress list (`1) fails on ...`); the
    # failures are the numbered details after `2 failing`, one per failed test.
    raw = (REAL / "mocha-fail-titles.log").read_bytes()
    report = run_log(raw, "mocha-fail-titles")
    lines = raw.decode().split("\n")
    summary = next(n for n, line in enumerate(lines, 1) if line.strip() == "2 failing")
    top = report.failures[0]
    assert top.detector == "mocha" and top.count == 2  # both failures, one template
    assert top.excerpt.start_line > summary
    assert "Missing expected exception" in top.excerpt.text
    # the run of failures is one list, shown from its first entry (as a linter's reports are),
    # up to the blank lines that close it
    assert "2) ranges" in top.excerpt.text
    assert top.excerpt.text.endswith("AssertionError [ERR_ASSERTION]: Expected values to be"
                                     " strictly equal:")
    assert all(f.excerpt.start_line > summary for f in report.failures if f.detector == "mocha")


def test_an_object_file_named_error_is_not_a_failure(run_log) -> None:
    # make's `rm -f error.o main.o` and `gcc -c error.c -o error.o` name a file, not an error.
    raw = (REAL / "make-error-object.log").read_bytes()
    report = run_log(raw, "make-error-object")
    assert "undeclared" in report.failures[0].excerpt.text
    assert not any(f.excerpt.text.startswith("rm -f") for f in report.failures)


def test_warnings_made_errors_show_the_warnings(run_log) -> None:
    top = run_log((REAL / "javac-werror.log").read_bytes(), "javac-werror").failures[0]
    text = top.excerpt.text
    assert text.startswith("Main.java:5: warning: [rawtypes] found raw type: List")
    assert "found raw type: ArrayList" in text  # every warning of the run
    assert text.endswith("error: warnings found and -Werror specified")


def test_a_column_of_test_statuses_shows_the_failed_ones_with_their_details(run_log) -> None:
    report = run_log((REAL / "tasty-fail.log").read_bytes(), "tasty-fail")
    top = report.failures[0]
    assert (top.excerpt.start_line, top.excerpt.end_line) == (4, 8)  # not `negation: OK`
    assert top.title == "test small numbers failed"
    # a test that passed is never a failure, whatever its name says
    assert not any("OK" in f.excerpt.text for f in report.failures)
    both = run_log((REAL / "tasty-two-fail.log").read_bytes(), "tasty-two-fail").failures[0]
    assert both.excerpt.text.split("\n")[0].strip().startswith("motions/line-begin:")
    assert "motions/line-end:" in both.excerpt.text and "percent" not in both.excerpt.text


def test_a_log_message_ending_in_error_is_not_a_test_status(run_log) -> None:
    # a logger's `message : LEVEL`, not a test's `name: FAIL`
    log = "2019-06-11 22:05:23 INFO  LoggerTest:162 - readFirstLine() : firstLine : ERROR\n"
    assert all(f.detector != "test-status" for f in run_log(log).failures)


def test_an_exception_is_shown_with_its_frames_and_its_cause(run_log) -> None:
    top = run_log((REAL / "java-exception-trace.log").read_bytes(), "java").failures[0]
    text = top.excerpt.text
    assert text.startswith('Exception in thread "main" java.lang.IllegalStateException')
    assert 'Caused by: java.lang.NumberFormatException: For input string: "twelve"' in text
    assert text.endswith("... 13 more")
    # a JavaScript error's frames follow it, and it is named by its own line
    node = run_log((REAL / "node-typeerror.log").read_bytes(), "node").failures[0]
    assert node.title == "TypeError: Cannot read properties of undefined (reading 'port')"
    assert "at Object.<anonymous> (/home/runner/work/demo/demo/app.js:3:17)" in node.excerpt.text
    assert node.detector == "exception" and "Python" not in node.explanation
    # Node printed where it was thrown above it: the file and line, the source and a caret
    assert node.excerpt.text.startswith("/home/runner/work/demo/demo/app.js:3\n"
                                        "console.log(cfg.port);\n                ^\n\nTypeError")


def test_a_test_marked_failed_with_a_glyph_is_a_failure_with_its_details(run_log, triage) -> None:
    report = run_log((REAL / "node-test-fail.log").read_bytes(), "node-test-fail")
    marked = [f for f in report.failures if f.detector == "marked-failure"]
    assert [f.title for f in marked] == ["adds negative numbers (2.279868ms)"]  # not the list
    assert "-3 !== -4" in marked[0].excerpt.text  # the assertion indented under it
    assert "adds small numbers" not in marked[0].excerpt.text  # `✔`: it passed
    # the glyph starts the line after a runner's timestamp or a colour code, too
    for raw in ("2024-05-01T10:00:37.0000037Z \u2716 adds", "    \x1b[31m\u2717\x1b[0m adds"):
        assert triage.prefilter.search(raw.encode()) is not None
    # a linter's count of problems is no failed check
    assert all(
        f.detector != "marked-failure"
        for f in run_log("\u2716 1 problem (0 errors, 1 warning)\n").failures
    )
