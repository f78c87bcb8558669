"""The use-cases: plain async functions over a `Context` (its typed GitHub, config and default
branch) and the engine's results, called by handlers and commands alike.

They depend only downward: on the engine, on `ghbot.github`, and on services below them
(failures -> catalog -> dashboard -> runbooks; fixes -> reviews; deployments -> failures).
Nothing here reads a webhook payload's shape beyond the pure `*_from_event` parsers.
"""
