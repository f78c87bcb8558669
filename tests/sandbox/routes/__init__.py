"""Route tables, one module per resource. Order matters: aiohttp takes the first match, so
`/commits/{ref}/check-runs` (checks) comes before `/commits/{ref}` (repos)."""

from . import actions, apps, checks, deployments, git, issues, manifests, pulls, repos

ROUTE_MODULES = (manifests, apps, checks, git, pulls, issues, actions, deployments, repos)
