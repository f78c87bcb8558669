"""A pull request delivered to the real server ends in ONE check run on the sandbox GitHub."""

from __future__ import annotations

from sandbox.webhooks import pull_request_payload

BROKEN = "def greet(name)\n    return 'hi ' + name\n"
FIXED = "def greet(name):\n    return 'hi ' + name\n"


def _open_pull(sandbox, files):
    sandbox.create_repo("octo/app", files={"README.md": "# app\n", "ok.py": "x = 1\n"})
    sandbox.create_installation("octo", ["octo/app"])
    head = sandbox.commit("octo/app", "feature", files)
    pull = sandbox.create_pull("octo/app", head="feature")
    return pull.number, head


async def test_syntax_error_gives_one_failing_check_run_with_an_annotation(sandbox, bot):
    number, head = _open_pull(sandbox, {"src/greet.py": BROKEN, "notes.txt": "not python"})
    status, _ = await bot.deliver("pull_request", pull_request_payload(sandbox, "octo/app", number))
    assert status == 202
    await bot.settle()

    runs = sandbox.check_runs("octo/app", head)
    assert len(runs) == 1
    run = runs[0]
    assert (run.name, run.status, run.conclusion) == ("Hephaestus", "completed", "failure")
    assert run.output_title == "1 error"
    [note] = run.annotations
    assert (note.path, note.start_line, note.annotation_level) == ("src/greet.py", 1, "failure")
    assert note.title == "syntax/missing-colon"


async def test_redelivery_and_synchronize_keep_one_check_run_per_sha(sandbox, bot):
    number, head = _open_pull(sandbox, {"src/greet.py": BROKEN})
    payload = pull_request_payload(sandbox, "octo/app", number)
    _, delivery_id = await bot.deliver("pull_request", payload)
    again, _ = await bot.deliver("pull_request", payload, delivery_id)  # GitHub's redelivery
    assert again == 200
    await bot.deliver("pull_request", payload)  # same event, new delivery id
    await bot.settle()
    assert len(sandbox.check_runs("octo/app", head)) == 1

    fixed = sandbox.commit("octo/app", "feature", {"src/greet.py": FIXED})
    sync = pull_request_payload(sandbox, "octo/app", number, action="synchronize")
    await bot.deliver("pull_request", sync)
    await bot.settle()
    [run] = sandbox.check_runs("octo/app", fixed)
    assert run.conclusion == "success"
    assert run.annotations == []
    assert len(sandbox.check_runs("octo/app", head)) == 1


async def test_broken_repo_config_is_reported_in_the_check_run(sandbox, bot):
    sandbox.create_repo(
        "octo/app",
        files={".github/hephaestus.yml": "review: {filter_mod: added}\n", "a.py": "a = 1\n"},
    )
    sandbox.create_installation("octo", ["octo/app"])
    head = sandbox.commit("octo/app", "feature", {"a.py": "a = 2\n"})
    number = sandbox.create_pull("octo/app", head="feature").number
    await bot.deliver("pull_request", pull_request_payload(sandbox, "octo/app", number))
    await bot.settle()
    [run] = sandbox.check_runs("octo/app", head)
    assert run.conclusion == "success"
    assert "Configuration problem" in run.output_summary
    assert "filter_mod" in run.output_summary


async def test_server_errors_from_github_are_retried_to_the_same_result(sandbox, bot):
    number, head = _open_pull(sandbox, {"src/greet.py": BROKEN})
    sandbox.inject("GET", "/repos/octo/app/pulls/*/files", status=502, times=2)
    sandbox.inject("POST", "/repos/octo/app/check-runs", rate_limit="secondary", times=1)
    await bot.deliver("pull_request", pull_request_payload(sandbox, "octo/app", number))
    await bot.settle(timeout=60)
    [run] = sandbox.check_runs("octo/app", head)
    assert run.conclusion == "failure"
    assert len(run.annotations) == 1
