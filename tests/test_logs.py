"""Structured log lines: keyword fields at the call site (issue 13 item 9: the dashboard's
first creation logged `number=` and raised TypeError, costing the job a retry)."""

from __future__ import annotations

import io
import json
import logging

from ghbot import logs


def _line(call) -> dict:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    base = logging.getLogger("ghbot.test_logs")
    base.addHandler(handler)
    base.setLevel(logging.INFO)
    try:
        call(logs.bind(base, handler="dashboard", repo="octo/app"))
    finally:
        base.removeHandler(handler)
    return json.loads(stream.getvalue())


def test_keyword_fields_join_the_line_beside_the_bound_ones():
    line = _line(lambda log: log.info("dashboard issue created", number=12))
    assert line["msg"] == "dashboard issue created"
    assert (line["number"], line["handler"], line["repo"]) == (12, "dashboard", "octo/app")


def test_keywords_extra_fields_and_exc_info_all_work_together():
    def call(log):
        try:
            raise ValueError("bad row")
        except ValueError:
            log.error("history not written", extra={"fields": {"path": "a.md"}}, error="bad",
                      exc_info=True, repo="other/repo")  # fmt: skip

    line = _line(call)
    assert (line["path"], line["error"], line["repo"]) == ("a.md", "bad", "other/repo")
    assert "ValueError: bad row" in line["exc"]
