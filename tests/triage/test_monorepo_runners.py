"""JS monorepo task runners (real runs from bench/triage_accuracy/capture.py: turbo, pnpm -r,
yarn berry's `workspaces foreach`, nx, Lerna, npm workspaces over three packages whose jest test,
tsc build and ESLint lint really fail): the tool's own failure is found through the runner's
prefix, and the runner's closing lines only sum it up."""

from __future__ import annotations

import io

import pytest
from real_runs import LABELS, REAL

from ghbot.engine.triage.engine import Log, Triage
from ghbot.engine.triage.extractors import EXTRACTORS
from ghbot.engine.triage.model import Failure
from ghbot.engine.triage.normalise import normalise


def raw_lines(name: str) -> list[str]:
    return (REAL / f"{name}.log").read_text().split("\n")


@pytest.mark.parametrize(
    ("name", "detector", "title"),
    [
        ("turbo-actions-jest", "jest", "adds two numbers"),
        ("pnpm-recursive-jest", "jest", "adds two numbers"),
        ("pnpm-test-elifecycle", "jest", "adds two numbers"),
        ("lerna6-legacy-run-jest", "jest", "adds two numbers"),
        ("nx-run-many-jest", "jest", "adds two numbers"),
        ("pnpm-recursive-tsc", "tsc", "TS2322: Type 'string' is not assignable to type 'number'."),
        ("lerna-run-tsc", "tsc", "TS2322: Type 'string' is not assignable to type 'number'."),
        ("yarn-berry-foreach-eslint", "eslint", "eslint no-unused-vars: 'unused' is assigned a"
                                                " value but never used"),
        ("npm-workspaces-eslint", "eslint", "eslint no-unused-vars: 'unused' is assigned a"
                                            " value but never used"),
    ],
)
def test_the_tools_own_failure_leads_through_the_runner(
    run_log, name: str, detector: str, title: str
) -> None:
    report = run_log((REAL / f"{name}.log").read_bytes(), name)
    top = report.failures[0]
    assert (top.detector, top.title) == (detector, title)
    label = LABELS[name]
    first, last = label["span"][0] if "span" in label else (label["cause_lines"][0],) * 2
    assert top.excerpt.start_line <= first and last <= top.excerpt.end_line
    # every later failure the runner printed is one of its closing lines, or the tool's own
    # progress and counts: none outranks the failure
    assert all(f.confidence <= 0.3 for f in report.failures[1:])


def test_a_prefixed_tsc_error_is_typescripts_not_msbuilds(run_log) -> None:
    # `utils:build: src/index.ts(2,3): error TS2322` read as MSBuild's `file(1,2): error CS`
    # while turbo's prefix was there
    report = run_log((REAL / "turbo-continue.log").read_bytes())
    tsc = next(f for f in report.failures if "TS2322" in f.title)
    assert tsc.detector == "tsc" and "TypeScript" in tsc.explanation
    assert tsc.excerpt.text == (
        "src/index.ts(2,3): error TS2322: Type 'string' is not assignable to type 'number'."
    )


def test_turbo_continue_three_failed_tasks_are_the_three_top_failures(run_log) -> None:
    """With --continue each task fails for its own reason: tsc's error, jest's failure and
    ESLint's report lead, each shown without turbo's prefix; turbo's status lines, its counts
    and `Failed: ui#lint, utils#build, web#test` follow."""
    report = run_log((REAL / "turbo-continue.log").read_bytes())
    top3 = report.failures[:3]
    assert {f.detector for f in top3} == {"tsc", "jest", "eslint"}
    causes = set(LABELS["turbo-continue"]["cause_lines"])
    for failure in top3:
        assert causes & set(range(failure.excerpt.start_line, failure.excerpt.end_line + 1))
        assert ":lint: " not in failure.excerpt.text and ":test: " not in failure.excerpt.text
    eslint = next(f for f in top3 if f.detector == "eslint")
    assert eslint.excerpt.text.splitlines()[1:] == [
        "  1:7   error  'unused' is assigned a value but never used  no-unused-vars",
        "  3:10  error  'missingName' is not defined                 no-undef",
    ]


def test_turbo_vitest_and_node_test_failures_lead_through_the_prefix(run_log) -> None:
    report = run_log((REAL / "turbo-vitest-node-test.log").read_bytes())
    first, second = report.failures[:2]
    assert (first.detector, first.title) == ("tap", "test adds negative numbers failed")
    assert (second.detector, second.title) == ("vitest", "sum.test.js > adds two numbers")
    assert second.excerpt.text.splitlines()[:2] == [
        " FAIL  sum.test.js > adds two numbers",
        "AssertionError: expected 4 to be 3 // Object.is equality",
    ]


ALL_FAILURES = Triage(max_failures=100)


@pytest.mark.parametrize(
    ("name", "closing"),
    [
        ("turbo-continue", ["WARNING  command finished with error, but continuing...",
                            "ERROR  command (/home/runner/work/demo/demo/packages/ui)"
                            " /usr/bin/npm run lint exited (1)",
                            "Failed:    ui#lint, utils#build, web#test",
                            "ERROR  run failed: command  exited (1)"]),
        ("turbo-actions-jest", ["command (/home/runner/work/demo/demo/packages/web)"
                                " /usr/bin/npm run test exited (1)"]),
        ("pnpm-recursive-tsc", ["ERR_PNPM_RECURSIVE_FAIL", "Failed",
                                "ERROR\u2009 utils@1.0.0 build: `tsc -p .`"]),
        ("yarn-berry-foreach-eslint", ["The command failed in workspace ui@workspace:packages/ui"
                                       " with exit code 1"]),
        ("nx-run-many-jest", ["NX   Running target test for 3 projects failed"]),
        ("lerna-run-tsc", ["Lerna (powered by Nx)   Running target build for 3 projects failed"]),
        ("lerna6-legacy-run-jest", ["lerna ERR! npm run test exited 1 in 'web'",
                                    "lerna ERR! npm run test stdout:",
                                    "lerna ERR! npm run test stderr:"]),
    ],
)
def test_a_runners_closing_lines_are_consequences(name: str, closing: list[str]) -> None:
    report = ALL_FAILURES.run(name, [Log(None, io.BytesIO((REAL / f"{name}.log").read_bytes()))])
    texts = [normalise(n, raw).text.strip() for n, raw in enumerate(raw_lines(name), 1)]
    for text in closing:
        number = texts.index(text) + 1
        owners: list[Failure] = [f for f in report.failures
                                 if f.excerpt.start_line <= number <= f.excerpt.end_line]
        assert owners and all(f.detector == "task-runner" for f in owners), (text, owners)
        assert all(f.confidence <= 0.3 and f is not report.failures[0] for f in owners)
    # pnpm's `ERR_PNPM_RECURSIVE_FAIL` is a task's failure, not an install's
    assert not [f for f in report.failures if f.detector == "pnpm"]


@pytest.mark.parametrize(
    ("name", "rule"),
    [("lerna-version-uncommitted", "lerna-uncommitted-changes"),
     ("lerna-version-no-remote-branch", "lerna-no-remote-branch")],
)
def test_lernas_own_errors_are_named_with_their_lines(run_log, name: str, rule: str) -> None:
    """`lerna version` in a release job: its `lerna ERR! CODE` message and the lines that
    continue it (the dirty files) are one excerpt, the known cause named (no clear cause
    before)."""
    top = run_log((REAL / f"{name}.log").read_bytes(), name).failures[0]
    assert (top.detector, top.rule, top.category) == ("lerna", rule, "config")
    first, last = LABELS[name]["span"][0]
    assert (top.excerpt.start_line, top.excerpt.end_line) == (first, last)
    assert top.confidence >= 0.9


def test_pnpms_elifecycle_line_only_says_that_the_test_failed() -> None:
    # inside the jest excerpt in the real run, so the row that would take it is asked directly
    [raw] = [line for line in raw_lines("pnpm-test-elifecycle") if "ELIFECYCLE" in line]
    text = normalise(1, raw).text
    first = next(e for e in EXTRACTORS if e.pattern.search(text))
    assert first.consequence and first.score <= 5


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("web:test: FAIL ./sum.test.js", "FAIL ./sum.test.js"),  # turbo
        ("@acme/web:test:unit:   \u25cf adds", "  \u25cf adds"),  # scoped, task with a colon
        ("ui#lint:  ERROR  command (/w/ui) npm run lint exited (1)",
         " ERROR  command (/w/ui) npm run lint exited (1)"),  # turbo's own status line
        ("ui:lint: ", ""),  # a blank line of the task
        ("packages/utils build: src/index.ts(2,3): error TS2322: x",
         "src/index.ts(2,3): error TS2322: x"),  # pnpm
        (".../node_modules/fuse-native install: Error: spawn node-gyp EACCES",
         "Error: spawn node-gyp EACCES"),  # pnpm, a long path shortened
        ("packages/web test:e2e:     Expected: 3", "    Expected: 3"),
        ("[web]:   \u25cf adds two numbers", "  \u25cf adds two numbers"),  # yarn berry
        ("[@acme/ui]: ", ""),
        ("2024-05-01T10:00:00.0000000Z \x1b[32mweb:test: \x1b[0mFAIL x", "FAIL x"),
    ],
)
def test_a_task_runners_prefix_is_removed(raw: str, text: str) -> None:
    assert normalise(1, raw).text == text


@pytest.mark.parametrize(
    "raw",
    [
        "src/a.ts:1:2: error: x",  # a location: a task is not a number
        "src/app.ts error: unexpected token",  # a level word is no task
        "web:error: x",
        "Error: Cannot find module 'x'",
        "TypeError: a.b is not a function: x",
        "ERROR:root:Failed to connect: refused",  # Python's logging: npm names are lower case
        "https://example.org/a b: c",
        "node:internal/modules/cjs/loader:1228",
        "error: could not compile `demo`",
        "npm error code 1",
        "[error]: boom",  # a level in brackets
        "[1/4] Resolving packages...",
        "Expected value: 3",
        "localhost:3000: connection refused",
        "error:0308010C:digital envelope routines::unsupported",
        "packages/web test$ jest --ci",  # pnpm's command line: left as the tool's text
    ],
)
def test_what_only_looks_like_a_prefix_stays(raw: str) -> None:
    assert normalise(1, raw).text == raw
