"""Every webhook handler, in the order they run for an event. Add a handler here to enable it."""

from ghbot.handlers import pull_requests

HANDLERS = [
    pull_requests.analyse_pull_request,
]
