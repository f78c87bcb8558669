"""The Action runs the App's handlers: a simulated runner (event file, outputs, job summary,
GITHUB_API_URL at the sandbox GitHub, a token like the job's) against the sandbox's state."""

from __future__ import annotations

from sandbox.webhooks import pull_request_payload, workflow_run_payload

BROKEN = "def greet(name)\n    return 'hi ' + name\n"
CLEAN = "def greet(name):\n    return 'hi ' + name\n"
READ_ONLY = {"contents": "read", "pull_requests": "read", "checks": "read", "issues": "read",
             "actions": "read", "metadata": "read"}  # fmt: skip
WRITES = ("POST", "PATCH", "PUT", "DELETE")


def _pull(sandbox, files, permissions=None):
    sandbox.create_repo("octo/app", files={"README.md": "# app\n", "ok.py": "x = 1\n"})
    inst = sandbox.create_installation("octo", ["octo/app"], permissions=permissions)
    head = sandbox.commit("octo/app", "feature", files)
    pull = sandbox.create_pull("octo/app", head="feature")
    return inst, pull.number, head


def _env(sandbox, inst, mode):
    # The sandbox's installation tokens act as the sandbox App's bot, not github-actions[bot].
    return {
        "api_url": sandbox.base_url,
        "HEPHAESTUS_TOKEN": sandbox.token(inst),
        "HEPHAESTUS_MODE": mode,
        "HEPHAESTUS_BOT_LOGIN": sandbox.app.bot_login,
    }


def _writes(sandbox):
    return [r for r in sandbox.requests if r.method in WRITES]


def test_review_mode_posts_the_check_run_and_review_and_shows_them_on_the_run(sandbox, runner):
    inst, number, head = _pull(sandbox, {"src/greet.py": BROKEN})
    payload = pull_request_payload(sandbox, "octo/app", number)
    step = runner.run("pull_request", payload, **_env(sandbox, inst, "review"))

    assert step.code == 1, step.stderr  # a syntax error, fail-level error
    [run] = sandbox.check_runs("octo/app", head)
    assert (run.name, run.conclusion) == ("Hephaestus", "failure")
    assert len(sandbox.reviews("octo/app", number)) == 1
    assert any(a.startswith("::error file=src/greet.py,line=1") for a in step.annotations)
    assert int(step.outputs["findings"]) == len(step.report()["findings"]) >= 1
    assert step.outputs["fixed"] == "0"
    assert "### Hephaestus review" in step.summary
    assert "read-only" not in step.summary and "refused" not in step.summary
    assert step.report()["handlers"][0]["outcome"] == "ok"

    # The job re-run converges on the same state: still one check run, one review.
    again = runner.run("pull_request", payload, **_env(sandbox, inst, "review"))
    assert again.code == 1
    assert len(sandbox.check_runs("octo/app", head)) == 1
    assert len(sandbox.reviews("octo/app", number)) == 1


def test_a_fork_pull_request_writes_nothing_and_says_why_once(sandbox, runner):
    sandbox.create_repo("octo/app", files={"ok.py": "x = 1\n"})
    inst = sandbox.create_installation("octo", ["octo/app"])
    sandbox.fork("octo/app", "alice")
    sandbox.commit("alice/app", "patch", {"src/greet.py": BROKEN})
    pull = sandbox.create_pull("octo/app", head="alice:patch", user="alice")
    payload = pull_request_payload(sandbox, "octo/app", pull.number)
    # The runner checks out the pull request; its base is what the change is measured from.
    payload["pull_request"]["base"]["sha"] = runner.checkout(
        {"ok.py": "x = 1\n"}, {"src/greet.py": BROKEN}
    )
    before = len(sandbox.requests)
    step = runner.run("pull_request", payload, **_env(sandbox, inst, "review"))

    assert sandbox.requests[before:] == []  # not even a read: nothing the handlers do can work
    assert step.summary.count("comes from a fork") == 1
    assert any(a.startswith("::error file=src/greet.py,line=1") for a in step.annotations)
    assert step.report()["degraded"].startswith("This pull request comes from a fork")
    assert step.code == 1  # the finding fails the step (fail-level error), the fork does not


def test_a_read_only_token_stops_at_the_first_refused_write(sandbox, runner):
    inst, number, head = _pull(sandbox, {"src/greet.py": BROKEN}, permissions=READ_ONLY)
    payload = pull_request_payload(sandbox, "octo/app", number)
    payload["pull_request"]["base"]["sha"] = runner.checkout(
        {"ok.py": "x = 1\n"}, {"src/greet.py": BROKEN}
    )
    step = runner.run(
        "pull_request", payload, HEPHAESTUS_FAIL_LEVEL="never", **_env(sandbox, inst, "auto")
    )

    [write] = _writes(sandbox)  # auto runs every pull_request handler: one write in all
    assert (write.method, write.status) == ("POST", 403)
    refused = sandbox.clear_violations()  # the sandbox flags a call the token may not make
    assert len(refused) == 1
    assert sandbox.check_runs("octo/app", head) == []
    assert step.code == 0, step.stderr  # a weak token is not a failure
    [line] = [ln for ln in step.summary.splitlines() if "refused the token's first write" in ln]
    assert "`checks: write`" in line
    assert any(a.startswith("::error file=src/greet.py,line=1") for a in step.annotations)
    assert step.outputs["findings"] == str(len(step.report()["findings"]))


def test_outputs_and_summary_exist_when_a_handler_fails(sandbox, runner):
    inst, number, _ = _pull(sandbox, {"src/greet.py": CLEAN})
    payload = pull_request_payload(sandbox, "octo/app", number)
    payload["pull_request"]["number"] = payload["number"] = 999  # no such pull request
    step = runner.run("pull_request", payload, **_env(sandbox, inst, "review"))

    assert step.code == 3
    assert step.outputs["findings"] == "0" and step.outputs["fixed"] == "0"
    assert step.report()["handlers"][0]["outcome"] == "error"
    assert "analyse_pull_request** failed" in step.summary
    assert any(c.startswith("::error title=Hephaestus::") for c in step.commands)
    sandbox.clear_violations()


def test_triage_mode_reports_a_failed_workflow_run_once(sandbox, runner):
    inst, number, head = _pull(sandbox, {"src/greet.py": CLEAN})
    log = (
        "2024-01-01T00:00:00.0000000Z ##[group]Run pytest\n"
        "2024-01-01T00:00:01.0000000Z E   ModuleNotFoundError: No module named 'requests'\n"
        "2024-01-01T00:00:02.0000000Z ##[error]Process completed with exit code 1.\n"
    )
    run = sandbox.add_workflow_run("octo/app", head, "failure", jobs=[("test", log, "failure")],
                                   head_branch="feature")  # fmt: skip
    payload = workflow_run_payload(sandbox, "octo/app", run.id)
    env = _env(sandbox, inst, "triage")
    first = runner.run("workflow_run", payload, **env)
    second = runner.run("workflow_run", payload, **env)  # a re-run of the triage job

    assert first.code == 0, first.stderr
    assert second.code == 0, second.stderr
    bot = [c for c in sandbox.issue_comments("octo/app", number)
           if c.user == sandbox.app.bot_login]  # fmt: skip
    assert len(bot) == 1
    assert "requests" in bot[0].body
    assert "requests" in first.summary  # the report is on the run page as well
    ran = {h["name"]: h["outcome"] for h in first.report()["handlers"]}
    assert ran["ghbot.handlers.failures.report_workflow_run"] == "ok"
    assert set(ran) <= {"ghbot.handlers.failures.report_workflow_run",
                        "ghbot.handlers.catalog.mark_flaky"}  # fmt: skip
    assert sandbox.check_runs("octo/app", head) == []  # triage mode runs no review


def test_a_mode_with_nothing_for_the_event_says_so(sandbox, runner):
    inst, number, _ = _pull(sandbox, {"src/greet.py": CLEAN})
    payload = pull_request_payload(sandbox, "octo/app", number)
    before = len(sandbox.requests)
    step = runner.run("pull_request", payload, **_env(sandbox, inst, "triage"))
    assert step.code == 0, step.stderr
    assert "Nothing to do: `triage` mode handles" in step.summary
    assert "`workflow_run`" in step.summary
    assert sandbox.requests[before:] == []
