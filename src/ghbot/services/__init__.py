"""The use-cases: plain async functions over a `Context` (its typed GitHub, config and default
branch) and the engine's results, called by handlers and commands alike.

They depend only downward: on the engine, on `ghbot.github`, and on services below them
(deployments, issues -> failures -> catalog -> dashboard -> runbooks; fixes -> reviews and
fix_pr -> fix_compute -> fix_policy). A payload's shape is read only by pure parsers
(`deployments.entry_from_*`, `release_from_event`, `status_urls`, `catalog.run_info`).
"""
