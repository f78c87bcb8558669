"""JSON bodies in the shapes of GitHub's REST API (schemas from the OpenAPI description).

API urls point at the sandbox (clients that follow `url` fields stay in the sandbox); html urls
point at github.com, as real payloads do.
"""

from __future__ import annotations

import base64
from typing import Any

from .gitdata import Blob, Commit, FileDiff
from .state import (
    Annotation,
    CheckRun,
    CommitComment,
    Deployment,
    DeploymentStatus,
    Installation,
    Issue,
    IssueComment,
    Job,
    Pull,
    Reaction,
    Repo,
    Review,
    ReviewComment,
    State,
    WorkflowRun,
    iso,
)

HTML = "https://github.com"
Json = dict[str, Any]

_REPO_URLS = {
    "archive_url": "/{archive_format}{/ref}",
    "assignees_url": "/assignees{/user}",
    "blobs_url": "/git/blobs{/sha}",
    "branches_url": "/branches{/branch}",
    "collaborators_url": "/collaborators{/collaborator}",
    "comments_url": "/comments{/number}",
    "commits_url": "/commits{/sha}",
    "compare_url": "/compare/{base}...{head}",
    "contents_url": "/contents/{+path}",
    "contributors_url": "/contributors",
    "deployments_url": "/deployments",
    "downloads_url": "/downloads",
    "events_url": "/events",
    "forks_url": "/forks",
    "git_commits_url": "/git/commits{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "hooks_url": "/hooks",
    "issue_comment_url": "/issues/comments{/number}",
    "issue_events_url": "/issues/events{/number}",
    "issues_url": "/issues{/number}",
    "keys_url": "/keys{/key_id}",
    "labels_url": "/labels{/name}",
    "languages_url": "/languages",
    "merges_url": "/merges",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "pulls_url": "/pulls{/number}",
    "releases_url": "/releases{/id}",
    "stargazers_url": "/stargazers",
    "statuses_url": "/statuses/{sha}",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "tags_url": "/tags",
    "teams_url": "/teams",
    "trees_url": "/git/trees{/sha}",
}


class Shapes:
    def __init__(self, state: State, base_url: str) -> None:
        self.state = state
        self.base = base_url.rstrip("/")

    # -- people and apps ---------------------------------------------------------------------

    def user(self, login: str) -> Json:
        u = self.state.user(login)
        api = f"{self.base}/users/{u.login}"
        return {
            "login": u.login,
            "id": u.id,
            "node_id": f"MDQ6VXNlcj{u.id}",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{u.id}?v=4",
            "gravatar_id": "",
            "url": api,
            "html_url": f"{HTML}/{u.login}" if u.type != "Bot" else f"{HTML}/apps/"
            + u.login.removesuffix("[bot]"),
            "followers_url": api + "/followers",
            "following_url": api + "/following{/other_user}",
            "gists_url": api + "/gists{/gist_id}",
            "starred_url": api + "/starred{/owner}{/repo}",
            "subscriptions_url": api + "/subscriptions",
            "organizations_url": api + "/orgs",
            "repos_url": api + "/repos",
            "events_url": api + "/events{/privacy}",
            "received_events_url": api + "/received_events",
            "type": u.type,
            "site_admin": False,
            "user_view_type": "public",
        }

    def app(self) -> Json:
        app = self.state.app
        return {
            "id": app.id,
            "slug": app.slug,
            "client_id": app.client_id,
            "node_id": f"MDM6QXBw{app.id}",
            "owner": self.user(app.owner),
            "name": app.name,
            "description": "Explains failed CI and repairs code",
            "external_url": "https://hephaestus.example",
            "html_url": f"{HTML}/apps/{app.slug}",
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
            "permissions": {"checks": "write", "contents": "write", "issues": "write",
                            "pull_requests": "write", "actions": "write", "metadata": "read"},
            "events": ["pull_request", "issue_comment", "workflow_run", "push"],
        }

    def other_app(self, slug: str) -> Json:
        """Another CI app (check runs from Jenkins, CircleCI... in tests)."""
        app = self.app()
        return {**app, "id": self.state.app.id + 1, "slug": slug, "name": slug,
                "node_id": f"MDM6QXBw{slug}", "html_url": f"{HTML}/apps/{slug}",
                "client_id": f"Iv1.{slug}"}

    def commit_comment(self, repo: Repo, c: CommitComment) -> Json:
        api = f"{self.base}/repos/{repo.full_name}/comments/{c.id}"
        return {
            "html_url": f"{HTML}/{repo.full_name}/commit/{c.commit_id}#commitcomment-{c.id}",
            "url": api,
            "id": c.id,
            "node_id": f"CC_{c.id}",
            "body": c.body,
            "path": None,
            "position": None,
            "line": None,
            "commit_id": c.commit_id,
            "user": self.user(c.user),
            "created_at": iso(c.created_at),
            "updated_at": iso(c.updated_at),
            "author_association": self.association(repo, c.user),
            "reactions": self.reactions_summary(api, []),
        }

    def check_suite(self, repo: Repo, suite_id: int, head_sha: str, head_branch: str,
                    conclusion: str | None, app_slug: str | None) -> Json:
        """A check suite as webhooks carry it; its runs are the check runs with this id."""
        runs = [r for r in repo.check_runs if r.check_suite_id == suite_id]
        pulls = [
            {"id": 7_000_000 + p.number + repo.id * 1000, "number": p.number,
             "url": f"{self.base}/repos/{repo.full_name}/pulls/{p.number}",
             "head": {"ref": p.head_ref, "sha": p.head_sha,
                      "repo": {"id": repo.id, "url": f"{self.base}/repos/{repo.full_name}",
                               "name": repo.name}},
             "base": {"ref": p.base_ref, "sha": self.state.pull_base_sha(repo, p),
                      "repo": {"id": repo.id, "url": f"{self.base}/repos/{repo.full_name}",
                               "name": repo.name}}}
            for p in repo.pulls.values()
            if self.state.pull_head(repo, p) == head_sha and p.head_repo == repo.full_name
        ]
        return {
            "id": suite_id,
            "node_id": f"CS_{suite_id}",
            "head_branch": head_branch,
            "head_sha": head_sha,
            "status": "completed" if conclusion else "in_progress",
            "conclusion": conclusion,
            "url": f"{self.base}/repos/{repo.full_name}/check-suites/{suite_id}",
            "before": None,
            "after": head_sha,
            "pull_requests": pulls,
            "app": self.app() if app_slug is None else self.other_app(app_slug),
            "created_at": iso(runs[0].started_at or 0.0) if runs else iso(0.0),
            "updated_at": iso(runs[-1].completed_at or 0.0) if runs else iso(0.0),
            "latest_check_runs_count": len(runs),
            "check_runs_url": f"{self.base}/repos/{repo.full_name}/check-suites/{suite_id}"
                              "/check-runs",
            "head_commit": self._head_commit(repo, head_sha),
            "repository": self.minimal_repo(repo),
        }

    def installation(self, inst: Installation) -> Json:
        account = self.state.user(inst.account)
        return {
            "id": inst.id,
            "account": self.user(account.login),
            "access_tokens_url": f"{self.base}/app/installations/{inst.id}/access_tokens",
            "repositories_url": f"{self.base}/installation/repositories",
            "html_url": f"{HTML}/settings/installations/{inst.id}",
            "app_id": self.state.app.id,
            "app_slug": self.state.app.slug,
            "target_id": account.id,
            "target_type": "Organization" if account.type == "Organization" else "User",
            "permissions": dict(inst.permissions),
            "events": list(inst.events),
            "repository_selection": "all" if inst.repositories is None else "selected",
            "single_file_name": None,
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
            "suspended_by": None,
            "suspended_at": None,
        }

    # -- repositories ------------------------------------------------------------------------

    def minimal_repo(self, repo: Repo) -> Json:
        api = f"{self.base}/repos/{repo.full_name}"
        out: Json = {
            "id": repo.id,
            "node_id": f"R_kgDO{repo.id}",
            "name": repo.name,
            "full_name": repo.full_name,
            "private": repo.private,
            "owner": self.user(repo.owner),
            "html_url": f"{HTML}/{repo.full_name}",
            "description": None,
            "fork": repo.fork_of is not None,
            "url": api,
        }
        out.update({k: api + suffix for k, suffix in _REPO_URLS.items()})
        return out

    def repo(self, repo: Repo, permissions_for: str | None = None) -> Json:
        out = self.minimal_repo(repo)
        open_issues = sum(1 for i in repo.issues.values() if i.state == "open")
        out.update(
            {
                "clone_url": f"{HTML}/{repo.full_name}.git",
                "git_url": f"git://github.com/{repo.full_name}.git",
                "ssh_url": f"git@github.com:{repo.full_name}.git",
                "svn_url": f"{HTML}/{repo.full_name}",
                "mirror_url": None,
                "homepage": None,
                "language": "Python",
                "default_branch": repo.default_branch,
                "forks": 0,
                "forks_count": 0,
                "stargazers_count": 0,
                "watchers_count": 0,
                "watchers": 0,
                "subscribers_count": 1,
                "network_count": 0,
                "size": 0,
                "open_issues": open_issues,
                "open_issues_count": open_issues,
                "has_issues": True,
                "has_projects": False,
                "has_wiki": False,
                "has_pages": False,
                "has_downloads": True,
                "has_discussions": False,
                "archived": False,
                "disabled": False,
                "visibility": "private" if repo.private else "public",
                "license": None,
                "topics": [],
                "is_template": False,
                "allow_forking": True,
                "web_commit_signoff_required": False,
                "pushed_at": iso(repo.pushed_at),
                "created_at": iso(repo.created_at),
                "updated_at": iso(repo.pushed_at),
            }
        )
        if repo.fork_of:
            parent = self.state.repo(repo.fork_of)
            out["parent"] = out["source"] = self.repo(parent)
        if permissions_for is not None:
            level = self.state.permission(repo, permissions_for)
            rank = ("read", "triage", "write", "maintain", "admin")
            have = rank.index(level) if level in rank else -1
            out["permissions"] = {
                "pull": have >= 0, "triage": have >= 1, "push": have >= 2,
                "maintain": have >= 3, "admin": have >= 4,
            }
        return out

    # -- git data ----------------------------------------------------------------------------

    def blob(self, repo: Repo, sha: str, blob: Blob) -> Json:
        return {
            "sha": sha,
            "node_id": f"B_{sha[:16]}",
            "url": f"{self.base}/repos/{repo.full_name}/git/blobs/{sha}",
            "size": len(blob.data),
            "content": base64.encodebytes(blob.data).decode(),
            "encoding": "base64",
        }

    def git_commit(self, repo: Repo, sha: str) -> Json:
        c: Commit = repo.store.commit(sha)
        api = f"{self.base}/repos/{repo.full_name}/git/commits"

        def sig(s: Any) -> Json:
            return {"name": s.name, "email": s.email, "date": iso(s.timestamp)}

        return {
            "sha": sha,
            "node_id": f"C_{sha[:16]}",
            "url": f"{api}/{sha}",
            "html_url": f"{HTML}/{repo.full_name}/commit/{sha}",
            "author": sig(c.author),
            "committer": sig(c.committer),
            "message": c.message,
            "tree": {"sha": c.tree,
                     "url": f"{self.base}/repos/{repo.full_name}/git/trees/{c.tree}"},
            "parents": [
                {"sha": p, "url": f"{api}/{p}", "html_url": f"{HTML}/{repo.full_name}/commit/{p}"}
                for p in c.parents
            ],
            "verification": {"verified": False, "reason": "unsigned", "signature": None,
                             "payload": None, "verified_at": None},
        }

    def commit(self, repo: Repo, sha: str, files: list[FileDiff] | None = None) -> Json:
        """The /commits/{ref} shape (a git commit wrapped with GitHub's metadata)."""
        c = repo.store.commit(sha)
        git = self.git_commit(repo, sha)
        api = f"{self.base}/repos/{repo.full_name}/commits/{sha}"
        inner = {k: git[k] for k in ("author", "committer", "message", "tree", "url")}
        inner["comment_count"] = 0
        inner["verification"] = git["verification"]
        out: Json = {
            "sha": sha,
            "node_id": git["node_id"],
            "url": api,
            "html_url": git["html_url"],
            "comments_url": api + "/comments",
            "commit": inner,
            "author": self.user(c.author.name),
            "committer": self.user(c.committer.name),
            "parents": [
                {"sha": p, "url": f"{self.base}/repos/{repo.full_name}/commits/{p}",
                 "html_url": f"{HTML}/{repo.full_name}/commit/{p}"}
                for p in c.parents
            ],
        }
        if files is not None:
            out["files"] = [self.diff_entry(repo, sha, f) for f in files]
            adds = sum(f.additions for f in files)
            dels = sum(f.deletions for f in files)
            out["stats"] = {"additions": adds, "deletions": dels, "total": adds + dels}
        return out

    def tree(self, repo: Repo, sha: str, recursive: bool) -> Json:
        store = repo.store
        api = f"{self.base}/repos/{repo.full_name}/git"
        if recursive:
            items = list(store.walk(sha))
        else:
            items = [(e.name, e) for e in sorted(store.tree(sha).entries, key=lambda e: e.name)]
        entries = []
        for path, e in items:
            item: Json = {"path": path, "mode": e.mode, "type": e.kind, "sha": e.sha}
            if e.kind == "blob":
                item["size"] = len(store.blob(e.sha).data)
                item["url"] = f"{api}/blobs/{e.sha}"
            else:
                item["url"] = f"{api}/trees/{e.sha}"
            entries.append(item)
        return {"sha": sha, "url": f"{api}/trees/{sha}", "tree": entries, "truncated": False}

    def ref(self, repo: Repo, ref: str) -> Json:
        sha = repo.refs[ref]
        api = f"{self.base}/repos/{repo.full_name}/git"
        return {
            "ref": ref,
            "node_id": f"REF_{abs(hash(ref)) % 10**12}",
            "url": f"{api}/{ref}",
            "object": {"type": "commit", "sha": sha, "url": f"{api}/commits/{sha}"},
        }

    def content_file(self, repo: Repo, path: str, ref: str, sha: str, data: bytes) -> Json:
        api = f"{self.base}/repos/{repo.full_name}"
        url = f"{api}/contents/{path}?ref={ref}"
        git_url = f"{api}/git/blobs/{sha}"
        html = f"{HTML}/{repo.full_name}/blob/{ref}/{path}"
        return {
            "type": "file",
            "encoding": "base64",
            "size": len(data),
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "content": base64.encodebytes(data).decode(),
            "sha": sha,
            "url": url,
            "git_url": git_url,
            "html_url": html,
            "download_url": f"https://raw.githubusercontent.com/{repo.full_name}/{ref}/{path}",
            "_links": {"self": url, "git": git_url, "html": html},
        }

    def dir_entry(self, repo: Repo, path: str, ref: str, sha: str, kind: str, size: int) -> Json:
        out = self.content_file(repo, path, ref, sha, b"")
        out.pop("content")
        out.pop("encoding")
        out.update({"type": "dir" if kind == "tree" else "file", "size": size})
        if kind == "tree":
            out["download_url"] = None
        return out

    def diff_entry(self, repo: Repo, head_sha: str, f: FileDiff) -> Json:
        blob_sha = f.sha or "0" * 40
        out: Json = {
            "sha": blob_sha,
            "filename": f.filename,
            "status": f.status,
            "additions": f.additions,
            "deletions": f.deletions,
            "changes": f.additions + f.deletions,
            "blob_url": f"{HTML}/{repo.full_name}/blob/{head_sha}/{f.filename}",
            "raw_url": f"{HTML}/{repo.full_name}/raw/{head_sha}/{f.filename}",
            "contents_url": f"{self.base}/repos/{repo.full_name}/contents/{f.filename}"
            f"?ref={head_sha}",
        }
        if f.patch:
            out["patch"] = f.patch
        return out

    # -- issues and pulls --------------------------------------------------------------------

    def label(self, repo: Repo, name: str) -> Json:
        colour = repo.labels.get(name, "ededed")
        return {
            "id": abs(hash((repo.id, name))) % 10**9,
            "node_id": f"LA_{abs(hash(name)) % 10**9}",
            "url": f"{self.base}/repos/{repo.full_name}/labels/{name}",
            "name": name,
            "description": None,
            "color": colour,
            "default": False,
        }

    def reactions_summary(self, url: str, reactions: list[Reaction]) -> Json:
        counts = {k: 0 for k in ("+1", "-1", "laugh", "confused", "heart", "hooray", "rocket",
                                 "eyes")}
        for r in reactions:
            counts[r.content] += 1
        return {"url": url + "/reactions", "total_count": len(reactions), **counts}

    def reaction(self, r: Reaction) -> Json:
        return {
            "id": r.id,
            "node_id": f"REA_{r.id}",
            "user": self.user(r.user),
            "content": r.content,
            "created_at": iso(r.created_at),
        }

    def association(self, repo: Repo, login: str) -> str:
        if login.lower() == repo.owner.lower():
            return "OWNER"
        level = repo.permissions.get(login.lower())
        if level in ("write", "maintain", "admin"):
            return "COLLABORATOR"
        return "NONE"

    def issue(self, repo: Repo, issue: Issue) -> Json:
        api = f"{self.base}/repos/{repo.full_name}/issues/{issue.number}"
        kind = "pull" if issue.is_pull else "issues"
        out: Json = {
            "id": 5_000_000 + issue.number + repo.id * 1000,
            "node_id": f"I_{repo.id}_{issue.number}",
            "url": api,
            "repository_url": f"{self.base}/repos/{repo.full_name}",
            "labels_url": api + "/labels{/name}",
            "comments_url": api + "/comments",
            "events_url": api + "/events",
            "html_url": f"{HTML}/{repo.full_name}/{kind}/{issue.number}",
            "number": issue.number,
            "state": issue.state,
            "state_reason": issue.state_reason,
            "title": issue.title,
            "body": issue.body,
            "user": self.user(issue.user),
            "labels": [self.label(repo, n) for n in issue.labels],
            "assignee": None,
            "assignees": [],
            "milestone": None,
            "locked": False,
            "active_lock_reason": None,
            "comments": len(issue.comments),
            "closed_at": iso(issue.closed_at) if issue.closed_at else None,
            "created_at": iso(issue.created_at),
            "updated_at": iso(issue.updated_at),
            "closed_by": None,
            "author_association": self.association(repo, issue.user),
            "reactions": self.reactions_summary(api, []),
        }
        if issue.is_pull:
            pull_api = f"{self.base}/repos/{repo.full_name}/pulls/{issue.number}"
            out["pull_request"] = {
                "url": pull_api,
                "html_url": out["html_url"],
                "diff_url": out["html_url"] + ".diff",
                "patch_url": out["html_url"] + ".patch",
                "merged_at": None,
            }
        return out

    def issue_comment(self, repo: Repo, c: IssueComment) -> Json:
        api = f"{self.base}/repos/{repo.full_name}/issues/comments/{c.id}"
        issue = self.state.issue(repo, c.issue_number)
        kind = "pull" if issue.is_pull else "issues"
        return {
            "id": c.id,
            "node_id": f"IC_{c.id}",
            "url": api,
            "html_url": f"{HTML}/{repo.full_name}/{kind}/{c.issue_number}#issuecomment-{c.id}",
            "issue_url": f"{self.base}/repos/{repo.full_name}/issues/{c.issue_number}",
            "body": c.body,
            "user": self.user(c.user),
            "created_at": iso(c.created_at),
            "updated_at": iso(c.updated_at),
            "author_association": self.association(repo, c.user),
            "reactions": self.reactions_summary(api, c.reactions),
            "performed_via_github_app": self.app() if c.user == self.state.app.bot_login
            else None,
        }

    def _branch(self, repo: Repo, ref: str, sha: str) -> Json:
        return {
            "label": f"{repo.owner}:{ref}",
            "ref": ref,
            "sha": sha,
            "user": self.user(repo.owner),
            "repo": self.repo(repo),
        }

    def pull(self, repo: Repo, pull: Pull, full: bool = True) -> Json:
        issue = self.state.issue(repo, pull.number)
        head_sha = self.state.pull_head(repo, pull)
        head_repo = self.state.repos.get(pull.head_repo.lower(), repo)
        api = f"{self.base}/repos/{repo.full_name}/pulls/{pull.number}"
        html = f"{HTML}/{repo.full_name}/pull/{pull.number}"
        issue_api = f"{self.base}/repos/{repo.full_name}/issues/{pull.number}"
        statuses = f"{self.base}/repos/{repo.full_name}/statuses/{head_sha}"
        out: Json = {
            "url": api,
            "id": 7_000_000 + pull.number + repo.id * 1000,
            "node_id": f"PR_{repo.id}_{pull.number}",
            "html_url": html,
            "diff_url": html + ".diff",
            "patch_url": html + ".patch",
            "issue_url": issue_api,
            "commits_url": api + "/commits",
            "review_comments_url": api + "/comments",
            "review_comment_url": f"{self.base}/repos/{repo.full_name}/pulls/comments{{/number}}",
            "comments_url": issue_api + "/comments",
            "statuses_url": statuses,
            "number": pull.number,
            "state": issue.state,
            "locked": False,
            "title": issue.title,
            "user": self.user(issue.user),
            "body": issue.body,
            "labels": [self.label(repo, n) for n in issue.labels],
            "milestone": None,
            "active_lock_reason": None,
            "created_at": iso(issue.created_at),
            "updated_at": iso(issue.updated_at),
            "closed_at": iso(issue.closed_at) if issue.closed_at else None,
            "merged_at": iso(issue.closed_at) if pull.merged and issue.closed_at else None,
            "merge_commit_sha": pull.merge_commit_sha,
            "assignee": None,
            "assignees": [],
            "requested_reviewers": [],
            "requested_teams": [],
            "head": self._branch(head_repo, pull.head_ref, head_sha),
            "base": self._branch(repo, pull.base_ref, self.state.pull_base_sha(repo, pull)),
            "_links": {
                "self": {"href": api},
                "html": {"href": html},
                "issue": {"href": issue_api},
                "comments": {"href": issue_api + "/comments"},
                "review_comments": {"href": api + "/comments"},
                "review_comment": {
                    "href": f"{self.base}/repos/{repo.full_name}/pulls/comments{{/number}}"
                },
                "commits": {"href": api + "/commits"},
                "statuses": {"href": statuses},
            },
            "author_association": self.association(repo, issue.user),
            "auto_merge": None,
            "draft": pull.draft,
        }
        if full:
            files = self.state.pull_files(repo, pull)
            out.update(
                {
                    "merged": pull.merged,
                    "mergeable": None if pull.merged else True,
                    "rebaseable": None if pull.merged else True,
                    "mergeable_state": "clean" if issue.state == "open" else "unknown",
                    "merged_by": None,
                    "comments": len(issue.comments),
                    "review_comments": len(pull.review_comments),
                    "maintainer_can_modify": pull.maintainer_can_modify,
                    "commits": len(self.state.pull_commits(repo, pull)),
                    "additions": sum(f.additions for f in files),
                    "deletions": sum(f.deletions for f in files),
                    "changed_files": len(files),
                }
            )
        return out

    def review(self, repo: Repo, r: Review) -> Json:
        pull_api = f"{self.base}/repos/{repo.full_name}/pulls/{r.pull_number}"
        html = f"{HTML}/{repo.full_name}/pull/{r.pull_number}#pullrequestreview-{r.id}"
        out: Json = {
            "id": r.id,
            "node_id": f"PRR_{r.id}",
            "user": self.user(r.user),
            "body": r.body,
            "state": r.state,
            "html_url": html,
            "pull_request_url": pull_api,
            "_links": {"html": {"href": html}, "pull_request": {"href": pull_api}},
            "commit_id": r.commit_id,
            "author_association": self.association(repo, r.user),
        }
        if r.submitted_at is not None:
            out["submitted_at"] = iso(r.submitted_at)
        return out

    def review_comment(self, repo: Repo, c: ReviewComment) -> Json:
        api = f"{self.base}/repos/{repo.full_name}/pulls/comments/{c.id}"
        pull_api = f"{self.base}/repos/{repo.full_name}/pulls/{c.pull_number}"
        html = f"{HTML}/{repo.full_name}/pull/{c.pull_number}#discussion_r{c.id}"
        out: Json = {
            "url": api,
            "id": c.id,
            "node_id": f"PRRC_{c.id}",
            "pull_request_review_id": c.review_id,
            "diff_hunk": c.diff_hunk,
            "path": c.path,
            "position": c.position,
            "original_position": c.position or 1,
            "commit_id": c.commit_id,
            "original_commit_id": c.commit_id,
            "user": self.user(c.user),
            "body": c.body,
            "created_at": iso(c.created_at),
            "updated_at": iso(c.updated_at),
            "html_url": html,
            "pull_request_url": pull_api,
            "author_association": self.association(repo, c.user),
            "_links": {"self": {"href": api}, "html": {"href": html},
                       "pull_request": {"href": pull_api}},
            "start_line": c.start_line,
            "original_start_line": c.start_line,
            "start_side": c.start_side,
            "line": c.line,
            "original_line": c.line,
            "side": c.side,
            "subject_type": "line",
            "reactions": self.reactions_summary(api, c.reactions),
        }
        if c.in_reply_to_id is not None:
            out["in_reply_to_id"] = c.in_reply_to_id
        return out

    # -- checks ------------------------------------------------------------------------------

    def annotation(self, repo: Repo, run: CheckRun, a: Annotation) -> Json:
        return {
            "path": a.path,
            "blob_href": f"{HTML}/{repo.full_name}/blob/{run.head_sha}/{a.path}",
            "start_line": a.start_line,
            "end_line": a.end_line,
            "start_column": a.start_column,
            "end_column": a.end_column,
            "annotation_level": a.annotation_level,
            "title": a.title,
            "message": a.message,
            "raw_details": a.raw_details,
        }

    def check_run(self, repo: Repo, run: CheckRun) -> Json:
        api = f"{self.base}/repos/{repo.full_name}/check-runs/{run.id}"
        pulls = [
            {
                "id": 7_000_000 + p.number + repo.id * 1000,
                "number": p.number,
                "url": f"{self.base}/repos/{repo.full_name}/pulls/{p.number}",
                "head": {"ref": p.head_ref, "sha": p.head_sha,
                         "repo": {"id": repo.id, "url": f"{self.base}/repos/{repo.full_name}",
                                  "name": repo.name}},
                "base": {"ref": p.base_ref, "sha": self.state.pull_base_sha(repo, p),
                         "repo": {"id": repo.id, "url": f"{self.base}/repos/{repo.full_name}",
                                  "name": repo.name}},
            }
            for p in repo.pulls.values()
            if self.state.pull_head(repo, p) == run.head_sha and p.head_repo == repo.full_name
        ]
        return {
            "id": run.id,
            "node_id": f"CR_{run.id}",
            "head_sha": run.head_sha,
            "external_id": run.external_id,
            "url": api,
            "html_url": f"{HTML}/{repo.full_name}/runs/{run.id}",
            "details_url": run.details_url,
            "status": run.status,
            "conclusion": run.conclusion,
            "started_at": iso(run.started_at) if run.started_at else None,
            "completed_at": iso(run.completed_at) if run.completed_at else None,
            "output": {
                "title": run.output_title,
                "summary": run.output_summary,
                "text": run.output_text,
                "annotations_count": len(run.annotations),
                "annotations_url": api + "/annotations",
            },
            "name": run.name,
            "check_suite": {"id": run.check_suite_id},
            "app": self.app() if run.app_slug is None else self.other_app(run.app_slug),
            "pull_requests": pulls,
        }

    # -- actions -----------------------------------------------------------------------------

    def _head_commit(self, repo: Repo, sha: str) -> Json | None:
        c = repo.store.get(sha)
        if not isinstance(c, Commit):
            return None
        return {
            "id": sha,
            "tree_id": c.tree,
            "message": c.message,
            "timestamp": iso(c.committer.timestamp),
            "author": {"name": c.author.name, "email": c.author.email},
            "committer": {"name": c.committer.name, "email": c.committer.email},
        }

    def workflow_run(self, repo: Repo, run: WorkflowRun) -> Json:
        repo_api = f"{self.base}/repos/{repo.full_name}"
        api = f"{repo_api}/actions/runs/{run.id}"
        return {
            "id": run.id,
            "name": run.name,
            "node_id": f"WFR_{run.id}",
            "check_suite_id": run.check_suite_id,
            "check_suite_node_id": f"CS_{run.check_suite_id}",
            "head_branch": run.head_branch,
            "head_sha": run.head_sha,
            "path": run.path,
            "display_title": run.name,
            "run_number": run.run_number,
            "run_attempt": run.run_attempt,
            "event": run.event,
            "status": run.status,
            "conclusion": run.conclusion,
            "workflow_id": run.workflow_id,
            "url": api,
            "html_url": f"{HTML}/{repo.full_name}/actions/runs/{run.id}",
            "pull_requests": [
                {
                    "id": 7_000_000 + n + repo.id * 1000,
                    "number": n,
                    "url": f"{repo_api}/pulls/{n}",
                    "head": {"ref": repo.pulls[n].head_ref, "sha": repo.pulls[n].head_sha,
                             "repo": {"id": repo.id, "url": repo_api, "name": repo.name}},
                    "base": {"ref": repo.pulls[n].base_ref,
                             "sha": self.state.pull_base_sha(repo, repo.pulls[n]),
                             "repo": {"id": repo.id, "url": repo_api, "name": repo.name}},
                }
                for n in run.pull_numbers
                if n in repo.pulls
            ],
            "created_at": iso(run.created_at),
            "updated_at": iso(run.updated_at),
            "run_started_at": iso(run.created_at),
            "actor": self.user(run.actor),
            "triggering_actor": self.user(run.actor),
            "jobs_url": api + "/jobs",
            "logs_url": api + "/logs",
            "check_suite_url": f"{repo_api}/check-suites/{run.check_suite_id}",
            "artifacts_url": api + "/artifacts",
            "cancel_url": api + "/cancel",
            "rerun_url": api + "/rerun",
            "previous_attempt_url": f"{api}/attempts/{run.run_attempt - 1}"
            if run.run_attempt > 1 else None,
            "workflow_url": f"{repo_api}/actions/workflows/{run.workflow_id}",
            "head_commit": self._head_commit(repo, run.head_sha),
            "repository": self.minimal_repo(repo),
            "head_repository": self.minimal_repo(repo),
        }

    def job(self, repo: Repo, run: WorkflowRun, job: Job) -> Json:
        repo_api = f"{self.base}/repos/{repo.full_name}"
        return {
            "id": job.id,
            "run_id": run.id,
            "run_url": f"{repo_api}/actions/runs/{run.id}",
            "run_attempt": job.run_attempt,
            "node_id": f"JOB_{job.id}",
            "head_sha": run.head_sha,
            "head_branch": run.head_branch,
            "url": f"{repo_api}/actions/jobs/{job.id}",
            "html_url": f"{HTML}/{repo.full_name}/actions/runs/{run.id}/job/{job.id}",
            "status": job.status,
            "conclusion": job.conclusion,
            "created_at": iso(job.started_at),
            "started_at": iso(job.started_at),
            "completed_at": iso(job.completed_at) if job.completed_at else None,
            "name": job.name,
            "steps": [
                {"name": name, "status": "completed" if concl else "in_progress",
                 "conclusion": concl, "number": n,
                 "started_at": iso(job.started_at), "completed_at": iso(job.started_at)}
                for n, (name, concl) in enumerate(job.steps, 1)
            ],
            "check_run_url": f"{repo_api}/check-runs/{job.id}",
            "labels": ["ubuntu-latest"],
            "runner_id": 1,
            "runner_name": "GitHub Actions 1",
            "runner_group_id": 1,
            "runner_group_name": "GitHub Actions",
            "workflow_name": run.name,
        }

    # -- deployments -------------------------------------------------------------------------

    def deployment(self, repo: Repo, d: Deployment) -> Json:
        repo_api = f"{self.base}/repos/{repo.full_name}"
        return {
            "url": f"{repo_api}/deployments/{d.id}",
            "id": d.id,
            "node_id": f"DE_{d.id}",
            "sha": d.sha,
            "ref": d.ref,
            "task": d.task,
            "payload": d.payload,
            "original_environment": d.environment,
            "environment": d.environment,
            "description": d.description,
            "creator": self.user(d.creator),
            "created_at": iso(d.created_at),
            "updated_at": iso(d.statuses[-1].created_at if d.statuses else d.created_at),
            "statuses_url": f"{repo_api}/deployments/{d.id}/statuses",
            "repository_url": repo_api,
            "transient_environment": False,
            "production_environment": d.environment == "production",
            "performed_via_github_app": self.app(),
        }

    def deployment_status(self, repo: Repo, d: Deployment, s: DeploymentStatus) -> Json:
        repo_api = f"{self.base}/repos/{repo.full_name}"
        return {
            "url": f"{repo_api}/deployments/{d.id}/statuses/{s.id}",
            "id": s.id,
            "node_id": f"DES_{s.id}",
            "state": s.state,
            "creator": self.user(s.creator),
            "description": s.description,
            "environment": s.environment,
            "target_url": s.log_url,
            "log_url": s.log_url,
            "environment_url": s.environment_url,
            "created_at": iso(s.created_at),
            "updated_at": iso(s.created_at),
            "deployment_url": f"{repo_api}/deployments/{d.id}",
            "repository_url": repo_api,
            "performed_via_github_app": self.app(),
        }
