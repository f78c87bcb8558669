"""Everything that talks to GitHub: auth, the typed client, checks, markers, repo config, events.

Entry points: `GitHubApp(...).client_for(installation_id)` in App mode, `action_client(token, ...)`
in Action mode; both return a `GitHubClient`.
"""
