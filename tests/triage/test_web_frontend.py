"""The web front-end's CI tools, Travis era and today (real runs, bench/triage_accuracy/capture.py):
the top failure is the tool's own report of the cause, whole, under a title that names it."""

from __future__ import annotations

import io
import sys

import pytest
from real_runs import LABELS, REAL, ROOT

from ghbot.engine.triage.engine import Log

sys.path.insert(0, str(ROOT / "bench" / "triage_accuracy"))
import wrapped  # noqa: E402

# run: (category, detector, a cause line of its excerpt, a part of its title)
TOPS = {
    # Karma: the failed test in its browser with the assertion under it, not the locator's block
    # of the browser's counts; the browser's own ERROR (a spec that threw as it loaded)
    "karma-mocha-chrome": ("test", "karma", "AssertionError: expected 6 to equal 5",
                           "cart adds the prices FAILED in Chrome Headless"),
    "karma-jasmine-load-error": ("test", "karma", "ReferenceError: totl is not defined",
                                 "ERROR in Chrome Headless"),
    # karma-mocha-reporter's details under `FAILED TESTS:`, which is no pytest summary
    "karma-mocha-reporter": ("test", "karma", "Expected 6 to be 5.", "adds the prices FAILED"),
    # ChromeHeadless launched as root: why Chrome would not start, not Karma's giving up
    "karma-chrome-sandbox": ("config", "chrome-no-sandbox",
                             "Running as root without --no-sandbox is not supported",
                             "without --no-sandbox"),
    # AVA: the details above its count, not the `✘ [fail]:` line of its progress list
    "ava-assert": ("test", "ava", "t.is(total([{ price: 2 }, { price: 3 }]), 5)",
                   "adds the prices"),
    "ava3-assert": ("test", "ava", "t.is(total([{ price: 2 }, { price: 3 }]), 5)",
                    "adds the prices"),
    # a Gruntfile's task that no plugin registered: the rule says which fix, not only the line
    "grunt-task-not-found": ("config", "grunt-task-not-found", 'Task "jshint" not found',
                             "Grunt has no task"),
    "gulp-task-never-defined": ("config", "gulp-task-not-defined",
                                "Task never defined: default", "gulp has no task"),
    # linters whose report lines hold no trigger word: their closing count reaches up over them
    "jshint-undef": ("lint", "lint-report", "'summ' is not defined.", "'summ' is not defined"),
    "grunt-jshint": ("lint", "lint-report", "^ 'summ' is not defined.", "'summ' is not defined"),
    "htmlhint-rules": ("lint", "lint-report", "Doctype must be declared",
                       "Duplicate of attribute name"),
    "xo-lint": ("lint", "lint-report", "3:48  Missing semicolon.", "Expected indentation"),
    # standard's offences, not its notice that some warnings will be errors
    "standard-style": ("lint", "standard", "'unused' is assigned a value but never used.",
                       "JavaScript Standard Style: 'unused' is assigned"),
    "csslint-errors": ("lint", "csslint", "Unknown property 'colr'.", "Unknown property 'colr'"),
    # bundlers and stylesheet compilers: the message with its place and code frame
    "webpack-parse": ("compile", "webpack", "> 3 | }}", "Module parse failed: Unexpected token"),
    # ts-loader's report under webpack's: the compiler's code and message title it
    "webpack-ts-loader": ("compile", "webpack", "TS2322: Type 'string' is not assignable",
                          "TS2322: Type 'string' is not assignable to type 'number'."),
    "rollup-not-exported": ("compile", "rollup", "1: import { totl } from './cart.js';",
                            '"totl" is not exported'),
    "sass-undefined-variable": ("compile", "sass", "3 \u2502   color: $brnd;",
                                "Sass: Undefined variable."),
    "lessc-undefined": ("compile", "less", "3   color: @brnd;",
                        "Less: variable @brnd is undefined"),
    "gulp-sass-error": ("compile", "gulp", "Error: Undefined variable.", "gulp-sass"),
    # node-tap's YAML block: its diff of the values comes after the stack, which cut it before
    "nodetap-assert": ("test", "tap", "+6", "adds the prices"),
}
# Already right on the engine before these tools were looked at: kept so.
HELD = {
    "qunit-assert": ("test", "tap", "actual  : 6", "adds the prices"),
    "tslint-rules": ("lint", "locator", "Forbidden 'var' keyword", "no-var-keyword"),
    # html-validate's report is ESLint's stylish table
    "html-validate-errors": ("lint", "eslint", 'Attribute "id" duplicated', "no-implicit-close"),
    "tslint-prose": ("lint", "locator", "Forbidden 'var' keyword", "src/cart.ts:2:3"),
    "webpack-module-not-found": ("dependency", "node-module-not-found",
                                 "Can't resolve './cart'", "Node module"),
    "babel-syntax": ("compile", "javascript-syntax-error", "Unexpected token", "syntax error"),
    "tsnode-tserror": ("compile", "tsc", "TS2322", "Type 'string' is not assignable"),
}


@pytest.mark.parametrize("name", sorted(TOPS))
def test_the_top_failure_is_the_tools_own_report(expect_top, name: str) -> None:
    expect_top(name, *TOPS[name])


@pytest.mark.parametrize("name", sorted(HELD))
def test_the_runs_triage_read_before_still_come_out_the_same(expect_top, name: str) -> None:
    expect_top(name, *HELD[name])


@pytest.mark.parametrize("name", ["standard-style", "csslint-errors", "xo-lint"])
def test_a_linters_report_is_shown_whole(run_log, name: str) -> None:
    top = run_log((REAL / f"{name}.log").read_bytes(), name).failures[0]
    [(first, last)] = LABELS[name]["span"]
    assert top.excerpt.start_line <= first and top.excerpt.end_line >= last


def test_karma_shows_the_run_of_browsers_that_failed_from_the_first(run_log) -> None:
    # The shape of Karma's progress reporter when remote browsers drop (BrowserStack): each
    # browser's ERROR, its reason indented, its count and the reporter's log line, one after
    # another. The first browser's report opens the excerpt, the others follow in it.
    browsers = ["IE 9.0.0 (Windows 7.0.0)", "Safari 8.0.8 (Mac OS X 10.10.5)"]
    lines = ["Running \"exec:browserstack\" (exec) task", "." * 80]
    for browser in browsers:
        lines += [f"{browser} ERROR",
                  "  Disconnectedreconnect failed before timeout of 2000ms (ping timeout)",
                  f"{browser}: Executed 50 of 220 DISCONNECTED (33.106 secs / 1.059 secs)",
                  "03 08 2019 14:13:39.543:ERROR [reporter.browserstack]: \u2716 Test Disconnected"]
    lines += ["." * 80, "Chrome 75.0.3770 (Mac OS X 10.10.5): Executed 220 of 220 SUCCESS",
              ">> Exited with code: 1.", 'Warning: Task "exec:browserstack" failed. Use --force'
              " to continue.", "", "Aborted due to warnings.", "npm ERR! Test failed.  See above"
              " for more details."]
    log = "\n".join(["$ npm test", *lines, 'The command "npm test" exited with 1.']) + "\n"
    top = run_log(log).failures[0]
    assert (top.detector, top.category) == ("karma", "test")
    assert top.title.startswith("ERROR in IE 9.0.0 (Windows 7.0.0): Disconnected")
    assert (top.excerpt.start_line, top.excerpt.end_line) == (4, 11)


def test_a_lone_count_of_errors_is_no_linters_report(run_log) -> None:
    # `2 errors` with no report above it (a tool's own tally after its log lines at the margin)
    log = "$ make check\nchecking the schema\nchecked 3 files\n\n2 errors\n" \
          'The command "make check" exited with 2.\n'
    assert all(f.detector != "lint-report" for f in run_log(log).failures)


@pytest.mark.parametrize("provider", wrapped.PROVIDERS)
def test_with_no_clear_cause_a_steps_whole_output_comes_under_the_script_it_ran(
    triage, provider: str
) -> None:
    # yarn 1 echoes the script it runs as `$ node build.js && git status ... || (echo 'Please
    # commit ...'; exit 1)`. Nothing after it reads like an error, so the answer is the step's
    # last lines; they are all the script printed, and the script says what was checked, so
    # the excerpt starts with it.
    run = next(r for r in wrapped.tool_runs() if r.name == "yarn1-uncommitted-build")
    job = wrapped.wrap(run, provider)
    top = triage.run(run.name, [Log(None, io.BytesIO(job.text.encode()))]).failures[0]
    lines = job.text.split("\n")
    assert "$ node build.js && git status" in lines[top.excerpt.start_line - 1]
    assert top.excerpt.end_line == job.cause[-1]  # its own message, the last line it printed
    assert top.title.startswith("No clear cause; the failing step's last lines: built bundle.js")
    assert top.confidence <= 0.25


def test_the_steps_own_command_stays_out_of_its_last_lines(run_log) -> None:
    # Travis's commands one after another, the failing one printing a line only: its own
    # header (the command the failure line names) is no script it ran.
    log = "$ npm run lint\nno problems\n$ npm test\nchecked 3 pages\n" \
          'The command "npm test" exited with 1.\n'
    top = run_log(log).failures[0]
    assert (top.excerpt.start_line, top.excerpt.end_line) == (4, 4)
