"""Permissions from GitHub's collaborator-permission endpoint; any doubt denies."""

from __future__ import annotations

from sandbox.webhooks import issue_comment_payload

from ghbot.commands.permissions import Caller, decide, rank_of, resolve_caller
from ghbot.commands.registry import Requirement
from ghbot.engine import markers
from ghbot.handlers.comments import run_commands

BOT = "hephaestus[bot]"




def test_roles_map_to_ranks_and_custom_roles_to_their_base():
    assert rank_of("write", "maintain") == "maintain"
    assert rank_of("read", "triage") == "triage"
    assert rank_of("write", "security-reviewer") == "write"  # a custom role on top of write
    assert rank_of("none", "none") is None
    assert rank_of("weird", "weirder") is None


def test_decisions():
    writer = Caller("w", "write")
    reader_author = Caller("a", "read", is_author=True)
    unknown = Caller("u", None, error="GitHub could not tell your permission (GitHub answered 502)")
    assert decide(Requirement("read"), writer).allowed
    assert decide(Requirement("write"), writer).allowed
    assert not decide(Requirement("maintain"), writer).allowed
    assert decide(Requirement("write", author=True), reader_author).allowed
    assert not decide(Requirement("write"), reader_author).allowed  # not an author verb
    denied = decide(Requirement("read"), unknown)
    assert not denied.allowed and "502" in denied.reason  # even read: fail closed


async def test_resolve_caller_against_github(sandbox, gh):
    sandbox.set_permission("octo/app", "wendy", "write")
    sandbox.set_permission("octo/app", "tom", "triage")
    assert (await resolve_caller(gh, "octo", "app", "wendy")).rank == "write"
    assert (await resolve_caller(gh, "octo", "app", "tom")).rank == "triage"
    assert (await resolve_caller(gh, "octo", "app", "octo")).rank == "admin"  # the owner
    ghost = await resolve_caller(gh, "octo", "app", "ghost-user")  # GitHub: 404
    assert ghost.rank is None and "no access" in (ghost.error or "")
    author = await resolve_caller(gh, "octo", "app", "Wendy", pull_author="wendy")
    assert author.is_author


async def test_a_failing_permission_endpoint_denies_everything(sandbox, gh, context):
    sandbox.set_permission("octo/app", "wendy", "admin")
    sandbox.commit("octo/app", "feature", {"ok.py": "x = 2\n"})
    number = sandbox.create_pull("octo/app", head="feature", user="wendy").number
    sandbox.inject("GET", "/repos/octo/app/collaborators/*/permission", status=502, times=None)
    before = sandbox.ref("octo/app", "feature")
    payload = issue_comment_payload(
        sandbox, "octo/app", number, "/hephaestus fix\n/hephaestus help", user="wendy"
    )
    await run_commands(context("issue_comment", payload))

    assert len(sandbox.calls("GET", "/repos/octo/app/collaborators/*/permission")) == 3  # retried
    [reply] = [
        c.body for c in sandbox.issue_comments("octo/app", number)
        if c.user == BOT and markers.parse(c.body, "command-reply")
    ]  # fmt: skip
    assert reply.count("Not run: GitHub could not tell your permission (GitHub answered 502)") == 2
    assert sandbox.ref("octo/app", "feature") == before
    assert sandbox.calls("POST", "/repos/octo/app/git/*") == []
