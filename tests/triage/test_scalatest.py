"""ScalaTest under sbt, on lines a real job printed: the shared Travis set's Scala logs (an sbt
build running ScalaTest suites, `travis_retry` around it). No ScalaTest can run here (no Maven
Central), so these are that job's own lines, coloured as sbt printed them, cut to the suite
that failed and the closing counts. Its hit@1 on those logs went from 0.1 to 1.0."""

from __future__ import annotations

from hostile_triage import travis_step

INFO = "\x1b[0m[\x1b[0m\x1b[0minfo\x1b[0m] \x1b[0m\x1b[0m"
ERROR = "\x1b[0m[\x1b[0m\x1b[31merror\x1b[0m] \x1b[0m\x1b[0m"
END = "\x1b[0m\r"

SUITE = [
    INFO + "ConcurrencyEndToEndTest:" + END,
    'SLF4J: Failed to load class "org.slf4j.impl.StaticLoggerBinder".\r',
    "SLF4J: Defaulting to no-operation (NOP) logger implementation\r",
    "Aug 17, 2019 12:42:09 AM com.twitter.finagle.Init$$anonfun$6 apply$mcV$sp\r",
    INFO + "- Requests exceeding limit should increase dropped_request count *** FAILED ***" + END,
    INFO + "  11 did not equal 10 (ConcurrencyEndToEndTest.scala:72)" + END,
    INFO + "- Should not increase dropped_request count when number of requests is less than"
    " limit *** FAILED ***" + END,
    INFO + "  9.0 was not greater than or equal to 10 (ConcurrencyEndToEndTest.scala:87)" + END,
    "Aug 17, 2019 12:42:11 AM com.twitter.finagle.liveness.FailureAccrualFactory didMarkDead\r",
    'INFO: FailureAccrualFactory marking connection to "testClient" as dead.\r',
    INFO + "- Service application failure should not increase dropped_request count" + END,
    INFO + "DarkTrafficFilterTest:" + END,
    INFO + "- send light traffic for all requests" + END,
    INFO + "\x1b[36mRun completed in 5 seconds, 899 milliseconds.\x1b[0m" + END,
    INFO + "\x1b[36mTotal number of tests run: 16\x1b[0m" + END,
    INFO + "\x1b[36mSuites: completed 4, aborted 0\x1b[0m" + END,
    INFO + "\x1b[36mTests: succeeded 14, failed 2, canceled 0, ignored 0, pending 0\x1b[0m" + END,
    INFO + "\x1b[31m*** 2 TESTS FAILED ***\x1b[0m" + END,
    ERROR + "Failed: Total 16, Failed 2, Errors 0, Passed 14" + END,
    ERROR + "Failed tests:" + END,
    ERROR + "\tcom.twitter.finagle.exp.ConcurrencyEndToEndTest" + END,
    ERROR + "(finagle-exp / Test / \x1b[31mtest\x1b[0m) sbt.TestsFailedException: Tests"
    " unsuccessful" + END,
]


def test_a_failed_scalatest_test_is_the_cause_with_its_assertion(run_log) -> None:
    report = run_log(travis_step("./sbt ++2.11.12 finagle-exp/test", SUITE))
    first, second = report.failures[:2]
    assert (first.detector, first.category, first.rule) == ("scalatest", "test", None)
    assert first.title == "Requests exceeding limit should increase dropped_request count: failed"
    assert "11 did not equal 10 (ConcurrencyEndToEndTest.scala:72)" in first.excerpt.text
    # the excerpt is the test's line and what is indented under it, not the logging after it
    assert "FailureAccrualFactory" not in first.excerpt.text
    assert first.confidence >= 0.7
    assert second.detector == "scalatest"
    assert "9.0 was not greater than or equal to 10" in second.excerpt.text


def test_scalatests_and_sbts_closing_counts_only_sum_up(run_log) -> None:
    report = run_log(travis_step("./sbt ++2.11.12 finagle-exp/test", SUITE))
    for failure in report.failures:
        if "TESTS FAILED" in failure.title or failure.title.startswith("Failed: Total"):
            assert failure.confidence < 0.3
    assert report.failures[0].excerpt.text.count("*** FAILED ***") == 1


def test_a_test_named_like_a_failure_that_passed_is_no_scalatest_failure(run_log) -> None:
    passing = [INFO + "- fails over to the next host when one is down" + END]
    report = run_log(travis_step("./sbt test", passing + SUITE[-4:]))
    assert all(failure.detector != "scalatest" for failure in report.failures)
