"""Engine behaviour behind the third-wave ecosystems: escapes, look-alike numbered failures."""

from __future__ import annotations

from ghbot.engine.triage.normalise import normalise


def test_charset_designation_escapes_are_removed() -> None:
    # tput sgr0 emits `ESC ( B` before the colour reset; rustfmt's --check diff is full of it.
    line = normalise(3, "\x1b(B\x1b[m\x1b[31m-    let total = 1+2;")
    assert line.text == "-    let total = 1+2;"


def test_numbered_failures_are_told_apart_by_the_line_below(run_log) -> None:
    rspec = "Failures:\n\n  1) Cart totals\n     Failure/Error: expect(total).to eq(3)\n\n"
    mocha = "  1 failing\n\n  1) Cart\n       totals:\n     AssertionError: 2 == 3\n\n"
    exunit = "  1) test totals (CartTest)\n     test/cart_test.exs:4\n     Assertion failed\n"
    assert run_log(rspec).failures[0].detector == "rspec"
    assert run_log(mocha).failures[0].detector == "mocha"
    assert run_log(exunit).failures[0].detector == "exunit"
    assert run_log(exunit).failures[0].title == "CartTest: test totals"


def test_phpunit_numbered_failure_without_indent_is_seen(run_log) -> None:
    log = ("There was 1 failure:\n\n1) Acme\\CartTest::testTotal\n"
           "Failed asserting that 2 matches expected 3.\n\n/src/tests/CartTest.php:9\n\n"
           "FAILURES!\nTests: 1, Assertions: 1, Failures: 1.\n")
    top = run_log(log).failures[0]
    assert top.detector == "phpunit"
    assert "Failed asserting that 2 matches expected 3." in top.excerpt.text
    # the summaries only count failures: they are kept, ranked below the failure itself
    detectors = [f.detector for f in run_log(log).failures]
    assert "test-summary" in detectors and detectors.index("test-summary") > 0


def test_rustc_title_without_an_error_code_has_no_empty_brackets(run_log) -> None:
    log = "error: this loop never actually loops\n --> src/lib.rs:3:5\n  |\n"
    assert run_log(log).failures[0].title == "error: this loop never actually loops"
    coded = "error[E0382]: borrow of moved value: `v`\n --> src/main.rs:8:30\n"
    assert run_log(coded).failures[0].title == "error[E0382]: borrow of moved value: `v`"


def test_shellcheck_excerpt_reaches_back_to_its_location(run_log) -> None:
    log = ("\nIn build.sh line 7:\nrm -rf $dir/*\n       ^--^ SC2115 (warning): Use \"${var:?}\" "
           "to ensure this never expands to /* .\n\n")
    top = run_log(log).failures[0]
    assert top.title.startswith("shellcheck SC2115")
    assert top.excerpt.text.startswith("In build.sh line 7:")


def test_ruby_uncaught_exception_and_php_fatal(run_log) -> None:
    ruby = "lib/app.rb:12:in `load': wrong number of arguments (given 1, expected 0) " \
           "(ArgumentError)\n\tfrom bin/app:3:in `<main>'\n"
    top = run_log(ruby).failures[0]
    assert (top.detector, top.title) == (
        "ruby", "ArgumentError: wrong number of arguments (given 1, expected 0)")
    php = "PHP Parse error:  syntax error, unexpected end of file in src/a.php on line 9\n"
    assert run_log(php).failures[0].detector == "php"
