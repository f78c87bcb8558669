"""The generic locator's block boundaries, on real tool outputs (tests/triage/fixtures/real/)."""

from __future__ import annotations

from real_runs import REAL

from ghbot.engine.triage.locate import locate
from ghbot.engine.triage.normalise import Line, normalise


def window(name: str, first: int = 1, last: int | None = None) -> list[Line]:
    raw = (REAL / f"{name}.log").read_text().split("\n")
    last = len(raw) if last is None else last
    return [normalise(n, raw[n - 1]) for n in range(first, last + 1)]


def test_a_test_title_a_few_lines_above_the_error_is_its_heading() -> None:
    lines = window("mocha-fail")
    found = locate(lines)
    assert found is not None and found.clear
    shown = [line.text for line in lines[found.first : found.last + 1]]
    assert shown[0] == "  1) Array"  # the failed test's title, above its assertion
    assert shown[-1].strip().startswith("AssertionError [ERR_ASSERTION]")


def test_a_single_blank_line_inside_an_indented_report_does_not_end_it() -> None:
    lines = [line for line in window("mocha-fail") if line.number >= 17]  # `+ expected - actual`
    found = locate(lines)
    assert found is not None
    assert lines[found.key].text.strip() == "+ expected - actual"
    assert lines[found.last].text.strip().startswith("at process.processImmediate")


def test_a_caret_line_is_part_of_the_compiler_message_around_it() -> None:
    lines = window("gcc-undeclared", 37, 42)  # up to the line before make's `*** Error`
    found = locate(lines)
    assert found is not None
    shown = [line.text for line in lines[found.first : found.last + 1]]
    assert shown[0].startswith("main.c:4:20: error: ‘count’ undeclared")
    assert shown[-1].startswith("main.c:4:20: note: each undeclared identifier")


def test_of_adjacent_diagnostics_with_context_lines_the_first_is_found_with_its_caret() -> None:
    # Real scalac run: two errors, each with its source line and caret, no blank line between
    # them; the window ends at the second's caret (the line before `two errors found`).
    lines = window("scalac-two-errors", 1, 8)
    found = locate(lines)
    assert found is not None and found.clear
    assert lines[found.first].text == "Calc.scala:3: error: type mismatch;"
    assert lines[found.last].text.strip() == "^"  # its caret, under `"total"`
    assert lines[found.last].number == 5


def test_a_caret_line_ends_the_diagnostic_above_it() -> None:
    lines = window("scalac-two-errors", 6, 8)  # the second error alone, up to its caret
    found = locate(lines)
    assert found is not None
    assert [line.number for line in lines[found.first : found.last + 1]] == [6, 7, 8]


def test_a_line_of_only_the_tools_prefix_is_its_blank_line() -> None:
    # Real valgrind run: its report ends with `==PID== ` and nothing after the prefix.
    lines = window("valgrind-invalid-read", 1, 6)
    found = locate(lines)
    assert found is not None and found.clear
    assert lines[found.first].text == "==15025== Invalid read of size 4"
    assert lines[found.last].text == "==15025==    by 0x10915A: main (leak.c:4)"


def test_error_in_a_path_or_a_name_is_not_an_error() -> None:
    lines = window("perl-error-named-module", 37, 42)  # up to the line before the runner's exit
    found = locate(lines)
    assert found is not None and found.clear
    # the report, not the backtrace through lib/Acme/Error_Reporter.pm below it
    assert lines[found.key].text == "Failure: totals differ"
    assert lines[found.last].text == "  got: 4"


def test_the_fast_word_tests_answer_what_the_plain_regexes_answer() -> None:
    # The locator asks its error-word patterns through gates (only the alternatives whose words
    # occur are tried) and counts the fallback's unusual words in the lowercased text when it is
    # ASCII: on every real tool line, and on non-ASCII case variants, the answers are the same.
    from ghbot.engine.triage import locate as located
    from ghbot.engine.triage import rank

    texts = [line.text for path in sorted(REAL.glob("*.log")) for line in window(path.stem)]
    texts += ["NOT FOUND: ſomething", "\u212aILLED by the runner", "Error: İnvalid", "cannot"]
    texts += [located._words(text) for text in texts]
    for text in texts:
        assert located._ERRORISH.search(text) == bool(located.ERRORISH.search(text)), text
        assert located._STRONG.search(text) == bool(located.STRONG.search(text)), text
        assert rank._anomalies(text) == len(rank._ANOMALOUS.findall(text)), text


def test_an_http_error_status_beside_a_link_is_error_like() -> None:
    """Real linkinator run: the excerpt names the broken link, not only the count below it; a
    status that is no error (`[200] about.html`) and a number before a plain word are not."""
    lines = window("linkinator-broken", 37, 48)
    found = locate(lines)
    assert found is not None and found.clear
    assert lines[found.key].text.strip() == "[404] docs/setup.html"
    assert lines[found.last].text.startswith("ERROR: Detected 2 broken links")
    ok_only = locate(window("linkinator-broken", 37, 40))  # [200] and [0] lines only
    assert ok_only is not None and not ok_only.clear
    counted = locate([normalise(1, "uploaded 404 files/day"), normalise(2, "done")])
    assert counted is not None and not counted.clear
