"""R CMD check and testthat, on their real output (tests/triage/fixtures/real/, captured by
bench/triage_accuracy/capture.py from Debian's R 4.2.2 and testthat 3.1.6)."""

from __future__ import annotations

from real_runs import LABELS, REAL

from ghbot.engine.triage.model import TriageReport


def report_of(run_log, name: str) -> TriageReport:
    return run_log((REAL / f"{name}.log").read_text(), name)


def raw_lines(name: str) -> list[str]:
    return (REAL / f"{name}.log").read_text().split("\n")


def line_of(name: str, text: str) -> int:
    return next(n for n, line in enumerate(raw_lines(name), 1) if text in line)


def test_the_erroring_checks_block_is_the_cause_not_a_notes_sentence(run_log) -> None:
    """A NOTE explains itself with "These were most likely included in error": its details are
    no cause while a check ERRORs. The tests check's block is, from its `* checking` line to the
    last lines of output it shows, without the R session's last words."""
    name = "r-cmd-check-testthat"
    top = report_of(run_log, name).failures[0]
    assert top.detector == "r-cmd-check"
    assert top.title == "checking tests: R CMD check failed"
    assert top.excerpt.start_line == line_of(name, "* checking tests ...")
    assert top.excerpt.end_line == LABELS[name]["span"][0][1]  # the closing counts
    assert "Error in `mean_of(numeric())`: no values to average" in top.excerpt.text
    assert "included in error" not in top.excerpt.text
    assert top.confidence >= 0.7


def test_a_notes_details_are_one_low_ranked_block_and_the_status_only_counts(run_log) -> None:
    name = "r-cmd-check-testthat"
    failures = report_of(run_log, name).failures
    note = next(f for f in failures if "included in error" in f.excerpt.text)
    assert note.title == "R CMD check noted checking for hidden files and directories"
    assert note.excerpt.start_line == line_of(name, "checking for hidden files and directories")
    assert note.excerpt.end_line == line_of(name, "structure’ in the ‘Writing R Extensions’")
    warned = next(f for f in failures if "Undocumented code objects" in f.excerpt.text)
    assert warned.title == "R CMD check warned checking for missing documentation entries"
    # below the check that ERRORs, the WARNING above the NOTE
    assert 0 < failures.index(warned) < failures.index(note)
    assert note.confidence <= 0.3
    # one failure per block: no other one starts inside the NOTE's
    assert [f for f in failures if note.excerpt.start_line <= f.excerpt.start_line
            <= note.excerpt.end_line] == [note]
    status = next(f for f in failures if f.excerpt.text.startswith("Status: 1 ERROR"))
    assert status.confidence <= 0.3 and failures.index(status) > failures.index(note)


def test_rcmdcheck_streams_the_check_then_sums_it_up_the_erroring_block_first(run_log) -> None:
    name = "r-rcmdcheck-testthat"
    report = report_of(run_log, name)
    top = report.failures[0]
    assert top.detector == "r-cmd-check" and top.title == "checking tests: R CMD check failed"
    assert (top.excerpt.start_line + 1, top.excerpt.end_line) == tuple(LABELS[name]["span"][0])
    assert top.step == "bash -c R_PROFILE_USER=$PWD/offline.R Rscript check.R"
    # its summary's NOTE (`❯ checking ... NOTE`) is a block too, not a line saying "error"
    summary_note = line_of(name, "\u276f checking for hidden files and directories ... NOTE")
    assert all(f.detector != "generic" for f in report.failures)
    assert any(f.excerpt.start_line == summary_note for f in report.failures)


def test_a_job_failed_on_a_warning_shows_the_warning_not_a_notes_sentence(run_log) -> None:
    """rcmdcheck(error_on = "warning"): the tests pass; the WARNING's block is the cause, its
    counts (`0 errors ✔ | 1 warning ✖ | 1 note ✖`) and last words only say that it failed."""
    name = "r-rcmdcheck-warning"
    report = report_of(run_log, name)
    top = report.failures[0]
    assert top.title == "R CMD check warned checking for missing documentation entries"
    assert (top.excerpt.start_line, top.excerpt.end_line) == tuple(LABELS[name]["span"][0])
    assert top.confidence >= 0.7
    assert not any("included in error" in f.excerpt.text for f in report.failures[:2])
    counts = next(f for f in report.failures if f.excerpt.text.startswith("0 errors"))
    assert counts.confidence <= 0.3


def test_testthat_failures_are_whole_reports_first_failure_first(run_log) -> None:
    """testthat's progress reporter: each failure's heading and the lines under it, not the
    progress line marked with a cross nor the closing `[ FAIL 3 | ... ]` counts."""
    name = "testthat-test-dir"
    report = report_of(run_log, name)
    first, second, third = report.failures[:3]
    assert (first.excerpt.start_line, first.excerpt.end_line) == tuple(LABELS[name]["span"][0])
    assert first.detector == "testthat"
    assert first.title == "testthat Failure in total adds the values (test-total.R:2)"
    assert first.step == 'Rscript -e testthat::test_dir("tests/testthat")'
    assert first.confidence >= 0.7
    assert second.title == "testthat Failure in total of nothing is zero (test-total.R:6)"
    assert third.title == "testthat Error in mean of nothing is NA (test-total.R:10)"
    assert third.excerpt.text.splitlines()[1] == (
        "Error in `mean_of(numeric())`: no values to average"
    )
    assert third.excerpt.end_line == line_of(name, "4. global mean_of(numeric())")
    counts = next(f for f in report.failures if "[ FAIL 3 |" in f.excerpt.text)
    assert counts.detector == "testthat" and counts.title == "tests failed"
    assert report.failures.index(counts) > 2


def test_an_install_that_failed_shows_the_installers_error_not_the_pointer_to_it(run_log) -> None:
    """The check's installation ERROR only says `See ‘.../00install.out’`; rcmdcheck prints that
    log after its summary: R's parse error there, with its numbered source lines and caret, is
    the cause, and `ERROR: unable to collate and parse R files` only says that it stopped."""
    name = "r-rcmdcheck-install"
    failures = report_of(run_log, name).failures
    top = failures[0]
    assert top.detector == "r"
    assert (top.excerpt.start_line, top.excerpt.end_line) == tuple(LABELS[name]["span"][0])
    assert top.excerpt.text.endswith("3: }\n   ^")
    install = failures[1]
    assert install.title == "R CMD check could not install the package"
    assert install.category == "dependency" and install.confidence <= 0.3
    assert not any(f.excerpt.text.startswith(("── Install failure", "ERROR: unable"))
                   for f in failures if f.confidence > 0.1)
