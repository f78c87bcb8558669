"""Every webhook handler, in the order they run for an event. Add a handler here to enable it.
Also the failure-report enrichers, in the order their sections appear."""

from ghbot.handlers import (
    catalog,
    comments,
    dashboard,
    deployments,
    failures,
    fixes,
    issues,
    pull_requests,
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
    deployments.record_release,
    catalog.mark_flaky,  # after the failure reports: a pass marks what they recorded flaky
    catalog.link_runbooks,  # a push adding runbooks links the catalog's failures to them
    dashboard.dashboard_checkbox,
    dashboard.dashboard_on_deployment,  # after deployments.*: shows the new record
]

failures.ENRICHERS[:] = [
    runbooks.suggest_runbooks,  # matching runbooks first: the most actionable section
    catalog.catalog_enricher,  # records the failures; "seen N times since DATE, flaky"
]
