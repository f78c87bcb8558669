"""A pull request whose file crashes a parser gets a failing check run, never a passing or
neutral one: GitHub counts neutral as passing for a required check, so one such file used to
hide every other finding of the pull request."""

from __future__ import annotations

from handlers.conftest import bot  # noqa: F401 - the deployed bot, aimed at the sandbox
from sandbox.webhooks import pull_request_payload

from ghbot.engine.isolation import NOT_ANALYSED

NOTS = "x = " + "not " * 8000 + "y\n"  # ruff aborts with a stack overflow on it
LAMBDAS = "import requests\nrequests.get(1)\nf = " + "lambda: " * 5000 + "0\n"  # LibCST: SIGSEGV


async def test_a_file_no_parser_gets_through_fails_the_check_run(sandbox, bot):  # noqa: F811
    sandbox.create_repo("octo/app", files={"README.md": "# app\n"})
    sandbox.create_installation("octo", ["octo/app"])
    files = {"bomb.py": NOTS, "lambdas.py": LAMBDAS, "ok.py": "import os\nos.system(cmd)\n"}
    head = sandbox.commit("octo/app", "feature", files)
    number = sandbox.create_pull("octo/app", head="feature").number
    status, _ = await bot.deliver("pull_request", pull_request_payload(sandbox, "octo/app", number))
    assert status == 202
    await bot.settle(timeout=120)
    [run] = sandbox.check_runs("octo/app", head)
    assert (run.status, run.conclusion) == ("completed", "failure")
    assert "could not be analysed" in run.output_summary
    lost = [a for a in run.annotations if a.title == NOT_ANALYSED]
    assert [a.path for a in lost] == ["bomb.py"] and lost[0].annotation_level == "failure"
    assert any(a.path == "ok.py" and a.title == "S605" for a in run.annotations)
    assert (await bot.queue.stats()).dead == 0  # the job finished: nothing crashed
