"""Every webhook handler, in the order they run for an event. A handler is a thin adapter
(payload -> typed input -> one call into `ghbot.services`); handler modules never import each
other. Add a behaviour as one module here and one line in this list."""

from ghbot.handlers import (
    catalog,
    comments,
    dashboard,
    deployments,
    failures,
    fixes,
    issues,
    pull_requests,
    releases,
    runbooks,
)

HANDLERS = [
    pull_requests.analyse_pull_request,
    fixes.fix_pull_request,  # after the review: it reviews the commit the fixes start from
    fixes.fix_push,
    fixes.check_run_buttons,
    fixes.rerun_check_suite,
    comments.run_commands,
    failures.report_workflow_run,
    failures.report_check_suite,
    issues.triage_issue,
    runbooks.offer_runbook,
    deployments.record_deployment,
    deployments.record_push,
    releases.record_release,
    catalog.mark_flaky,  # after the failure reports: a pass marks what they recorded flaky
    catalog.link_runbooks,  # a push adding runbooks links the catalog's failures to them
    dashboard.dashboard_checkbox,
    dashboard.dashboard_on_deployment,  # after deployments.*: shows the new record
]
