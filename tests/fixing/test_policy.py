"""The safety ladder: every rung, from facts alone."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ghbot.services.fix_compute import parse_rules
from ghbot.services.fix_policy import (
    Asker,
    Facts,
    Guard,
    HeadCommit,
    Kind,
    PullFacts,
    Trigger,
    by_bot,
    decide,
    fix_trailer,
    fixed_sha,
    protected,
)

BOT = "hephaestus[bot]"
HEAD = "a" * 40
HUMAN_HEAD = HeadCommit(HEAD, "alice", "alice", "feature work\n")
PULL = PullFacts(number=7, open=True, fork=False, maintainer_can_modify=False)


def facts(**changes) -> Facts:
    base = Facts(
        trigger=Trigger.COMMAND,
        mode="suggest",
        fix_pr_on_default_branch=True,
        bot_login=BOT,
        default_branch="main",
        branch="feature",
        requested_sha=HEAD,
        head=HUMAN_HEAD,
        pull=PULL,
        asker=Asker("alice", can_write=True),
        guard=Guard(protected=False),
    )
    return replace(base, **changes)


def test_same_repo_pull_request_gets_a_commit_when_asked():
    decision = decide(facts())
    assert decision.kind is Kind.COMMIT and not decision.quiet


def test_automatic_pull_request_commits_only_in_push_mode():
    suggest = decide(facts(trigger=Trigger.PULL_REQUEST))
    assert (suggest.kind, suggest.quiet) == (Kind.SUGGESTIONS, True)
    assert decide(facts(trigger=Trigger.PULL_REQUEST, mode="push")).kind is Kind.COMMIT


@pytest.mark.parametrize("trigger", list(Trigger))
def test_mode_off_refuses_everything_and_says_so_when_asked(trigger):
    decision = decide(facts(trigger=trigger, mode="off"))
    assert decision.kind is Kind.REFUSE
    assert "fixes.mode: off" in decision.reason
    assert decision.quiet == trigger.automatic


def test_fork_without_maintainer_edits_gets_suggestions_with_the_reason():
    decision = decide(facts(pull=replace(PULL, fork=True)))
    assert decision.kind is Kind.SUGGESTIONS and not decision.quiet
    assert "Allow edits by maintainers" in decision.reason
    allowed = decide(facts(pull=replace(PULL, fork=True, maintainer_can_modify=True)))
    assert allowed.kind is Kind.COMMIT and "fork" in allowed.reason


def test_the_bots_own_head_commit_is_never_fixed():
    for head in (
        replace(HUMAN_HEAD, author=BOT),
        replace(HUMAN_HEAD, committer="Hephaestus[bot]"),
        replace(HUMAN_HEAD, message="x\n\n" + fix_trailer("b" * 40) + "\n"),
    ):
        assert by_bot(head, BOT)
        decision = decide(facts(head=head))
        assert decision.kind is Kind.REFUSE and "own" in decision.reason
        assert decide(facts(head=head, trigger=Trigger.PULL_REQUEST, mode="push")).quiet


def test_one_fix_commit_per_head_sha():
    decision = decide(facts(existing_fix="c" * 40))
    assert decision.kind is Kind.REFUSE and "Already fixed" in decision.reason
    auto = decide(facts(existing_fix="c" * 40, trigger=Trigger.PULL_REQUEST, mode="push"))
    assert auto.kind is Kind.REFUSE and auto.quiet  # a redelivery: nothing to say


def test_a_branch_that_moved_since_the_analysis_is_not_committed_to():
    decision = decide(facts(trigger=Trigger.BUTTON, head=replace(HUMAN_HEAD, sha="d" * 40)))
    assert decision.kind is Kind.REFUSE and not decision.quiet
    assert "moved to ddddddd" in decision.reason


def test_closed_pull_request_and_deleted_branch_are_refused_with_reasons():
    closed = decide(facts(pull=replace(PULL, open=False)))
    assert closed.kind is Kind.REFUSE and "closed" in closed.reason
    gone = decide(facts(head=None))
    assert gone.kind is Kind.REFUSE and "no longer exists" in gone.reason


def test_push_to_the_default_branch_opens_the_fix_pr():
    push = facts(trigger=Trigger.PUSH, pull=None, branch="main", pusher="alice")
    assert decide(push).kind is Kind.FIX_PR
    for quiet in (
        replace(push, pusher=BOT),
        replace(push, branch="feature"),
        replace(push, fix_pr_on_default_branch=False),
        replace(push, head=replace(HUMAN_HEAD, author=BOT)),
        replace(push, existing_fix="e" * 40),
    ):
        decision = decide(quiet)
        assert decision.kind is Kind.REFUSE and decision.quiet, quiet


def test_command_outside_a_pull_request_goes_to_the_fix_pr_even_if_pushes_do_not():
    decision = decide(facts(pull=None, branch="main", fix_pr_on_default_branch=False))
    assert decision.kind is Kind.FIX_PR


def test_trailer_round_trip_and_bounds():
    assert fixed_sha("fix\n\n" + fix_trailer(HEAD) + "\n") == HEAD
    assert fixed_sha("Hephaestus-Fixes: not-a-sha\n") is None
    assert fixed_sha("x" * 1_000_000) is None  # bounded scan, no trailer


def test_workflow_paths_are_protected():
    assert protected(".github/workflows/ci.py")
    assert protected(".GitHub/Workflows/x.py")
    assert not protected(".github/scripts/x.py") and not protected("src/workflows/x.py")


def test_rule_arguments_are_validated():
    assert parse_rules([]) is None
    assert parse_rules(["F401,I001", "HEP102"]) == ("F401", "I001", "HEP102")
    with pytest.raises(ValueError, match="not a rule id"):
        parse_rules(["F401;rm"])
    with pytest.raises(ValueError, match="at most"):
        parse_rules([f"R{i}" for i in range(30)])


# -- who the commit is pushed for (issue 13, item 3) -----------------------------------------

READER = Asker("mallory", can_write=False, why_not="")
FORK = replace(PULL, fork=True, maintainer_can_modify=True, head_owner="Mallory")


@pytest.mark.parametrize(
    ("changes", "commits"),
    [
        ({"asker": READER}, False),  # an outsider on a branch of the repository
        ({"asker": None}, False),  # nobody known asked: fail closed
        ({"asker": READER, "pull": FORK}, True),  # mallory's own fork (owner compared caseless)
        ({"asker": replace(READER, login="eve"), "pull": FORK}, False),  # someone else's fork
        ({"guard": Guard(protected=True)}, False),
        ({"guard": Guard(False, unknown="GitHub answered 502")}, False),
        ({"guard": None}, False),  # never read: guarded
        ({"guard": Guard(False, rules=("deletion", "non_fast_forward"))}, True),
        ({"guard": Guard(False, rules=("deletion", "update"))}, False),
    ],
)
def test_a_fix_commit_is_pushed_only_for_someone_who_could_push_it(changes, commits):
    for trigger in (Trigger.COMMAND, Trigger.BUTTON):
        decision = decide(facts(trigger=trigger, **changes))
        assert (decision.kind is Kind.COMMIT) == commits, decision.reason
        if not commits:
            assert decision.kind is Kind.SUGGESTIONS and not decision.quiet
            assert "could push themselves" in decision.reason
    automatic = decide(facts(trigger=Trigger.PULL_REQUEST, mode="push", **changes))
    assert (automatic.kind is Kind.COMMIT) == commits
