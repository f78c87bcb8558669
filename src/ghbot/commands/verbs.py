"""Every `/hephaestus` verb, in the order help and the README list them. Add a verb here (one
line, after writing its `@command` function) to enable it."""

from ghbot.commands import explain, failures, fixes, review
from ghbot.commands import help as helping
from ghbot.commands.registry import Commands
from ghbot.handlers import deployments, runbooks

VERBS = [
    helping.help_,
    review.check,
    explain.explain_verb,
    failures.triage,
    failures.why,
    fixes.fix,
    failures.retest,
    review.ignore,
    runbooks.runbook_create,
    runbooks.runbook_search,
    deployments.deployments_command,
    deployments.rollback_command,
]

COMMANDS = Commands(VERBS)
