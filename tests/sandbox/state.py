"""The sandbox's GitHub state: typed records and the operations both routes and tests use.

Every mutation goes through `State` methods, called with `State.lock` held (the HTTP thread and
the test thread share this object).
"""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .gitdata import (
    EXEC_MODE,
    FILE_MODE,
    Blob,
    Commit,
    FileDiff,
    FileEntry,
    ObjectStore,
    Signature,
    diff_trees,
)

DEFAULT_APP_PERMISSIONS: Mapping[str, str] = {
    "checks": "write",
    "contents": "write",
    "issues": "write",
    "pull_requests": "write",
    "actions": "write",
    "deployments": "write",
    "metadata": "read",
}
PERMISSION_LEVELS = ("none", "read", "triage", "write", "maintain", "admin")


class ApiError(Exception):
    """An error GitHub would answer with: status, message and optional `errors` list."""

    def __init__(self, status: int, message: str, errors: list[object] | None = None) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.message = message
        self.errors = errors


def iso(ts: float) -> str:
    return datetime.fromtimestamp(int(ts), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class App:
    id: int
    slug: str
    name: str
    client_id: str
    private_key_pem: str
    public_key_pem: str
    webhook_secret: str
    owner: str

    @property
    def bot_login(self) -> str:
        return f"{self.slug}[bot]"


@dataclass
class User:
    login: str
    id: int
    type: str = "User"  # User | Bot | Organization


@dataclass
class Token:
    token: str
    installation_id: int
    expires_at: float


@dataclass
class Installation:
    id: int
    account: str
    repositories: set[str] | None  # None: every repository of the account
    permissions: dict[str, str]
    events: list[str]
    rate_limit: int = 5000
    rate_remaining: int = 5000
    rate_reset: float = 0.0

    def covers(self, full_name: str) -> bool:
        owner = full_name.split("/", 1)[0]
        if self.repositories is None:
            return owner.lower() == self.account.lower()
        return full_name.lower() in {r.lower() for r in self.repositories}


@dataclass
class Reaction:
    id: int
    user: str
    content: str
    created_at: float


@dataclass
class IssueComment:
    id: int
    issue_number: int
    user: str
    body: str
    created_at: float
    updated_at: float
    reactions: list[Reaction] = field(default_factory=list)


@dataclass
class Issue:
    number: int
    title: str
    body: str | None
    user: str
    state: str = "open"
    labels: list[str] = field(default_factory=list)
    comments: list[IssueComment] = field(default_factory=list)
    is_pull: bool = False
    created_at: float = 0.0
    updated_at: float = 0.0
    closed_at: float | None = None
    state_reason: str | None = None


@dataclass
class ReviewComment:
    id: int
    pull_number: int
    review_id: int | None
    user: str
    path: str
    body: str
    commit_id: str
    line: int | None
    side: str
    start_line: int | None
    start_side: str | None
    position: int | None
    diff_hunk: str
    in_reply_to_id: int | None
    created_at: float
    updated_at: float
    reactions: list[Reaction] = field(default_factory=list)


@dataclass
class Review:
    id: int
    pull_number: int
    user: str
    body: str
    state: str  # APPROVED | CHANGES_REQUESTED | COMMENTED | PENDING | DISMISSED
    commit_id: str
    submitted_at: float | None
    comment_ids: list[int] = field(default_factory=list)


@dataclass
class Pull:
    number: int
    head_repo: str  # full name of the repository holding the head branch
    head_ref: str
    base_ref: str
    head_sha: str  # last known head sha (the branch may move: see State.pull_head)
    maintainer_can_modify: bool
    draft: bool = False
    merged: bool = False
    merge_commit_sha: str | None = None
    reviews: list[Review] = field(default_factory=list)
    review_comments: list[ReviewComment] = field(default_factory=list)


@dataclass
class Annotation:
    path: str
    start_line: int
    end_line: int
    annotation_level: str
    message: str
    start_column: int | None = None
    end_column: int | None = None
    title: str | None = None
    raw_details: str | None = None


@dataclass
class CheckRun:
    id: int
    name: str
    head_sha: str
    app_id: int
    status: str = "queued"
    conclusion: str | None = None
    started_at: float | None = None
    completed_at: float | None = None
    external_id: str | None = None
    details_url: str | None = None
    output_title: str | None = None
    output_summary: str | None = None
    output_text: str | None = None
    annotations: list[Annotation] = field(default_factory=list)
    actions: list[dict[str, str]] = field(default_factory=list)
    check_suite_id: int = 0
    app_slug: str | None = None  # another CI app's check run (None: this sandbox's App)


@dataclass
class Job:
    id: int
    run_id: int
    name: str
    log: str
    conclusion: str | None
    status: str = "completed"
    run_attempt: int = 1
    started_at: float = 0.0
    completed_at: float | None = None
    steps: list[tuple[str, str | None]] = field(default_factory=list)  # (name, conclusion)


@dataclass
class WorkflowRun:
    id: int
    name: str
    path: str
    workflow_id: int
    head_sha: str
    head_branch: str
    event: str
    status: str
    conclusion: str | None
    run_number: int
    actor: str
    run_attempt: int = 1
    jobs: list[Job] = field(default_factory=list)
    created_at: float = 0.0
    updated_at: float = 0.0
    pull_numbers: list[int] = field(default_factory=list)
    check_suite_id: int = 0


@dataclass
class DeploymentStatus:
    id: int
    state: str
    creator: str
    description: str
    environment: str
    log_url: str
    environment_url: str
    created_at: float


@dataclass
class Deployment:
    id: int
    sha: str
    ref: str
    task: str
    environment: str
    description: str | None
    creator: str
    payload: object
    created_at: float
    statuses: list[DeploymentStatus] = field(default_factory=list)


@dataclass
class CommitComment:
    id: int
    commit_id: str
    user: str
    body: str
    created_at: float
    updated_at: float


@dataclass
class Repo:
    id: int
    owner: str
    name: str
    store: ObjectStore
    default_branch: str
    private: bool = False
    fork_of: str | None = None
    refs: dict[str, str] = field(default_factory=dict)  # "refs/heads/main" -> commit id
    permissions: dict[str, str] = field(default_factory=dict)  # login -> level
    issues: dict[int, Issue] = field(default_factory=dict)  # pulls are issues too
    pulls: dict[int, Pull] = field(default_factory=dict)
    check_runs: list[CheckRun] = field(default_factory=list)
    workflow_runs: list[WorkflowRun] = field(default_factory=list)
    deployments: list[Deployment] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # name -> colour
    commit_comments: list[CommitComment] = field(default_factory=list)
    # Branch protection as reads see it: classic protection by branch name, and the active
    # ruleset rules (their `type`s) that apply to a branch. Pushes are not refused here: the
    # App may be allowed to bypass them, which is what makes pushing for someone else risky.
    protected: set[str] = field(default_factory=set)
    branch_rules: dict[str, list[str]] = field(default_factory=dict)
    created_at: float = 0.0
    pushed_at: float = 0.0

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def empty(self) -> bool:
        return not self.refs


Files = Mapping[str, str | bytes | None]


def _generate_app(app_id: int) -> App:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return App(
        id=app_id,
        slug="hephaestus",
        name="Hephaestus",
        client_id="Iv1.sandbox" + str(app_id),
        private_key_pem=private_pem,
        public_key_pem=public_pem,
        webhook_secret=secrets.token_hex(16),
        owner="hephaestus-dev",
    )


class State:
    """All sandbox data. Hold `lock` around every call from another thread."""

    _app_cache: App | None = None  # an RSA key costs ~50 ms: one per process is enough

    def __init__(self, app_permissions: Mapping[str, str] | None = None) -> None:
        self.app_permissions = dict(app_permissions or DEFAULT_APP_PERMISSIONS)
        self.lock = threading.RLock()
        self._ids = itertools.count(1001)
        if State._app_cache is None:
            State._app_cache = _generate_app(424242)
        self.app = State._app_cache
        self.users: dict[str, User] = {}
        self.repos: dict[str, Repo] = {}  # lower-case full name -> repo
        self.installations: dict[int, Installation] = {}
        self.tokens: dict[str, Token] = {}
        self.clock_offset = 0.0
        self.user(self.app.bot_login, kind="Bot")
        self.user(self.app.owner, kind="Organization")

    # -- basics ------------------------------------------------------------------------------

    def now(self) -> float:
        return time.time() + self.clock_offset

    def next_id(self) -> int:
        return next(self._ids)

    def user(self, login: str, kind: str | None = None) -> User:
        found = self.users.get(login.lower())
        if found is None:
            if kind is None:
                kind = "Bot" if login.endswith("[bot]") else "User"
            found = User(login, self.next_id(), kind)
            self.users[login.lower()] = found
        return found

    def repo(self, full_name: str) -> Repo:
        found = self.repos.get(full_name.lower())
        if found is None:
            raise ApiError(404, "Not Found")
        return found

    # -- installations and tokens ------------------------------------------------------------

    def create_installation(
        self,
        account: str,
        repositories: Iterable[str] | None = None,
        permissions: Mapping[str, str] | None = None,
        events: Iterable[str] = ("pull_request", "issue_comment", "workflow_run", "push"),
    ) -> Installation:
        self.user(account)
        inst = Installation(
            id=self.next_id(),
            account=account,
            repositories=None if repositories is None else set(repositories),
            permissions=dict(permissions or self.app_permissions),
            events=list(events),
        )
        self.installations[inst.id] = inst
        return inst

    def installation(self, installation_id: int) -> Installation:
        found = self.installations.get(installation_id)
        if found is None:
            raise ApiError(404, "Not Found")
        return found

    def installation_for(self, full_name: str) -> Installation:
        for inst in self.installations.values():
            if inst.covers(full_name):
                return inst
        raise ApiError(404, "Not Found")

    def issue_token(self, installation_id: int, ttl: float = 3600.0) -> Token:
        self.installation(installation_id)
        token = Token("ghs_" + secrets.token_hex(18), installation_id, self.now() + ttl)
        self.tokens[token.token] = token
        return token

    # -- repositories and git data -----------------------------------------------------------

    def create_repo(
        self,
        full_name: str,
        files: Files | None = None,
        default_branch: str = "main",
        private: bool = False,
        message: str = "Initial commit",
        store: ObjectStore | None = None,
    ) -> Repo:
        owner, name = full_name.split("/", 1)
        if full_name.lower() in self.repos:
            raise ApiError(422, "Repository creation failed.", ["name already exists"])
        self.user(owner)
        now = self.now()
        repo = Repo(
            id=self.next_id(),
            owner=owner,
            name=name,
            store=store or ObjectStore(),
            default_branch=default_branch,
            private=private,
            created_at=now,
            pushed_at=now,
        )
        self.repos[full_name.lower()] = repo
        if files is not None:
            self.commit(repo, default_branch, files, message)
        return repo

    def branch_sha(self, repo: Repo, branch: str) -> str:
        sha = repo.refs.get("refs/heads/" + branch)
        if sha is None:
            raise ApiError(404, "Branch not found")
        return sha

    def resolve(self, repo: Repo, ref: str) -> str:
        """A commit id from a branch, tag, full ref or (abbreviated) commit id."""
        if repo.empty:
            raise ApiError(409, "Git Repository is empty.")
        for candidate in (ref, "refs/heads/" + ref, "refs/tags/" + ref):
            if candidate in repo.refs:
                return repo.refs[candidate]
        if 4 <= len(ref) <= 40 and all(c in "0123456789abcdef" for c in ref):
            hits = [
                s for s, o in repo.store.objects.items() if s.startswith(ref)
                and isinstance(o, Commit)
            ]
            if len(hits) == 1:
                return hits[0]
        raise ApiError(422 if ref else 404, f"No commit found for SHA: {ref}")

    def make_commit(
        self,
        repo: Repo,
        tree: str,
        parents: list[str],
        message: str,
        author: str | None = None,
        signatures: tuple[Signature | None, Signature | None] = (None, None),
    ) -> str:
        """`signatures`: the (author, committer) a request gave; as on GitHub, a missing
        committer is the author, and a missing author the caller, now."""
        login = author or self.app.bot_login
        ts = int(self.now())
        sig = Signature(login, f"{self.user(login).id}+{login}@users.noreply.github.com", ts)
        given_author, given_committer = signatures
        by = given_author or sig
        return repo.store.put(Commit(tree, tuple(parents), by, given_committer or by, message))

    def commit(
        self,
        repo: Repo,
        branch: str,
        files: Files,
        message: str = "Update files",
        author: str | None = None,
        executable: Iterable[str] = (),
    ) -> str:
        """Commit file changes (None deletes a path) on top of `branch`, creating it if needed."""
        parent = repo.refs.get("refs/heads/" + branch)
        if parent is None and branch != repo.default_branch and not repo.empty:
            parent = repo.refs.get("refs/heads/" + repo.default_branch)
        flat: dict[str, FileEntry] = {}
        if parent is not None:
            flat = repo.store.flatten(repo.store.commit(parent).tree)
        exec_paths = set(executable)
        for path, content in files.items():
            path = path.strip("/")
            if content is None:
                flat.pop(path, None)
                continue
            data = content.encode() if isinstance(content, str) else content
            sha = repo.store.put(Blob(data))
            flat[path] = FileEntry(path, sha, EXEC_MODE if path in exec_paths else FILE_MODE)
        tree = repo.store.write_tree(flat)
        sha = self.make_commit(repo, tree, [parent] if parent else [], message, author)
        repo.refs["refs/heads/" + branch] = sha
        repo.pushed_at = self.now()
        return sha

    def update_ref(self, repo: Repo, ref: str, sha: str, force: bool) -> None:
        if ref not in repo.refs:
            raise ApiError(422, "Reference does not exist")
        if not isinstance(repo.store.get(sha), Commit):
            raise ApiError(422, "Object does not exist")
        if not force and not repo.store.is_ancestor(repo.refs[ref], sha):
            raise ApiError(422, "Update is not a fast forward")
        repo.refs[ref] = sha
        repo.pushed_at = self.now()

    def file_at(self, repo: Repo, path: str, ref: str | None = None) -> bytes | None:
        sha = self.resolve(repo, ref or repo.default_branch)
        entry = repo.store.lookup(repo.store.commit(sha).tree, path)
        if entry is None or entry.kind != "blob":
            return None
        return repo.store.blob(entry.sha).data

    # -- issues and pulls --------------------------------------------------------------------

    def _next_number(self, repo: Repo) -> int:
        return max(repo.issues, default=0) + 1

    def create_issue(self, repo: Repo, title: str, body: str | None, user: str) -> Issue:
        now = self.now()
        self.user(user)
        issue = Issue(self._next_number(repo), title, body, user, created_at=now, updated_at=now)
        repo.issues[issue.number] = issue
        return issue

    def issue(self, repo: Repo, number: int) -> Issue:
        found = repo.issues.get(number)
        if found is None:
            raise ApiError(404, "Not Found")
        return found

    def pull(self, repo: Repo, number: int) -> Pull:
        found = repo.pulls.get(number)
        if found is None:
            raise ApiError(404, "Not Found")
        return found

    def create_pull(
        self,
        repo: Repo,
        head: str,
        base: str | None = None,
        title: str = "A change",
        body: str | None = None,
        user: str | None = None,
        maintainer_can_modify: bool = False,
        draft: bool = False,
    ) -> Issue:
        """`head` is a branch of `repo` or "owner:branch" of a fork sharing its objects."""
        base = base or repo.default_branch
        self.branch_sha(repo, base)
        head_repo = repo
        head_ref = head
        if ":" in head:
            owner, head_ref = head.split(":", 1)
            if owner.lower() != repo.owner.lower():
                head_repo = self.repo(f"{owner}/{repo.name}")
        head_sha = self.branch_sha(head_repo, head_ref)
        if head_repo is repo and head_sha == self.branch_sha(repo, base):
            raise ApiError(422, "Validation Failed", [
                {"resource": "PullRequest", "code": "custom",
                 "message": f"No commits between {base} and {head_ref}"}
            ])
        issue = self.create_issue(repo, title, body, user or head_repo.owner)
        issue.is_pull = True
        repo.pulls[issue.number] = Pull(
            number=issue.number,
            head_repo=head_repo.full_name,
            head_ref=head_ref,
            base_ref=base,
            head_sha=head_sha,
            maintainer_can_modify=maintainer_can_modify and head_repo is not repo,
            draft=draft,
        )
        return issue

    def fork(self, repo: Repo, owner: str) -> Repo:
        """A fork under `owner` sharing the object store (as GitHub's fork network does)."""
        fork = self.create_repo(f"{owner}/{repo.name}", store=repo.store,
                                default_branch=repo.default_branch)
        fork.refs = {k: v for k, v in repo.refs.items() if k.startswith("refs/heads/")}
        fork.fork_of = repo.full_name
        return fork

    def pull_head(self, repo: Repo, pull: Pull) -> str:
        head_repo = self.repos.get(pull.head_repo.lower())
        if head_repo is not None and ("refs/heads/" + pull.head_ref) in head_repo.refs:
            pull.head_sha = head_repo.refs["refs/heads/" + pull.head_ref]
        return pull.head_sha

    def pull_base_sha(self, repo: Repo, pull: Pull) -> str:
        return self.branch_sha(repo, pull.base_ref)

    def pull_files(self, repo: Repo, pull: Pull) -> list[FileDiff]:
        """The three-dot diff GitHub shows: merge base of base and head, to head."""
        head = self.pull_head(repo, pull)
        base = self.pull_base_sha(repo, pull)
        merge_base = repo.store.merge_base(base, head)
        base_tree = repo.store.commit(merge_base).tree if merge_base else repo.store.write_tree({})
        return diff_trees(repo.store, base_tree, repo.store.commit(head).tree)

    def pull_commits(self, repo: Repo, pull: Pull) -> list[str]:
        head = self.pull_head(repo, pull)
        base_anc = repo.store.ancestors(self.pull_base_sha(repo, pull))
        return [c for c in reversed(repo.store.log(head)) if c not in base_anc]

    def set_permission(self, repo: Repo, login: str, level: str) -> None:
        if level not in PERMISSION_LEVELS:
            raise ValueError(f"permission must be one of {PERMISSION_LEVELS}")
        self.user(login)
        repo.permissions[login.lower()] = level

    def permission(self, repo: Repo, login: str) -> str:
        if login.lower() == repo.owner.lower():
            return "admin"
        return repo.permissions.get(login.lower(), "read" if not repo.private else "none")

    def find_comment(self, repo: Repo, comment_id: int) -> IssueComment:
        for issue in repo.issues.values():
            for c in issue.comments:
                if c.id == comment_id:
                    return c
        raise ApiError(404, "Not Found")

    def find_review_comment(self, repo: Repo, comment_id: int) -> tuple[Pull, ReviewComment]:
        for pull in repo.pulls.values():
            for c in pull.review_comments:
                if c.id == comment_id:
                    return pull, c
        raise ApiError(404, "Not Found")

    # -- checks and actions ------------------------------------------------------------------

    def check_run(self, repo: Repo, check_run_id: int) -> CheckRun:
        for run in repo.check_runs:
            if run.id == check_run_id:
                return run
        raise ApiError(404, "Not Found")

    def workflow_run(self, repo: Repo, run_id: int) -> WorkflowRun:
        for run in repo.workflow_runs:
            if run.id == run_id:
                return run
        raise ApiError(404, "Not Found")

    def job(self, repo: Repo, job_id: int) -> tuple[WorkflowRun, Job]:
        for run in repo.workflow_runs:
            for job in run.jobs:
                if job.id == job_id:
                    return run, job
        raise ApiError(404, "Not Found")

    def add_workflow_run(
        self,
        repo: Repo,
        head_sha: str,
        conclusion: str | None,
        jobs: Iterable[tuple[str, str, str | None]] = (),
        name: str = "CI",
        head_branch: str | None = None,
        event: str = "pull_request",
        path: str = ".github/workflows/ci.yml",
    ) -> WorkflowRun:
        now = self.now()
        status = "completed" if conclusion else "in_progress"
        run = WorkflowRun(
            id=self.next_id(),
            name=name,
            path=path,
            workflow_id=10_000 + sum(path.encode()),
            head_sha=head_sha,
            head_branch=head_branch or repo.default_branch,
            event=event,
            status=status,
            conclusion=conclusion,
            run_number=len(repo.workflow_runs) + 1,
            actor=repo.owner,
            created_at=now,
            updated_at=now,
            check_suite_id=self.next_id(),
        )
        for job_name, log, job_conclusion, *steps in jobs:  # optional 4th: [(step, concl.)]
            run.jobs.append(
                Job(
                    id=self.next_id(),
                    run_id=run.id,
                    name=job_name,
                    log=log,
                    conclusion=job_conclusion,
                    status="completed" if job_conclusion else "in_progress",
                    started_at=now,
                    completed_at=now if job_conclusion else None,
                    steps=list(steps[0]) if steps else [],
                )
            )
        run.pull_numbers = [
            p.number for p in repo.pulls.values() if self.pull_head(repo, p) == head_sha
        ]
        repo.workflow_runs.append(run)
        return run

    def add_check_run(
        self,
        repo: Repo,
        head_sha: str,
        name: str,
        conclusion: str,
        app_slug: str,
        check_suite_id: int,
        output: Mapping[str, str] | None = None,
        annotations: Iterable[Annotation] = (),
    ) -> CheckRun:
        """A completed check run of another CI app (Jenkins, CircleCI...) in suite
        `check_suite_id`."""
        now = self.now()
        output = output or {}
        run = CheckRun(
            id=self.next_id(), name=name, head_sha=head_sha, app_id=self.app.id + 1,
            status="completed", conclusion=conclusion, started_at=now, completed_at=now,
            details_url=f"https://ci.example/{app_slug}/{name}", output_title=output.get("title"),
            output_summary=output.get("summary"), output_text=output.get("text"),
            annotations=list(annotations), check_suite_id=check_suite_id, app_slug=app_slug,
        )
        repo.check_runs.append(run)
        return run

    def rerun_failed_jobs(self, repo: Repo, run: WorkflowRun) -> None:
        failed = [j for j in run.jobs if j.conclusion in ("failure", "cancelled", "timed_out")]
        if run.status != "completed" or not failed:
            raise ApiError(403, "This workflow run cannot be rerun.")
        run.run_attempt += 1
        run.status, run.conclusion, run.updated_at = "queued", None, self.now()
        for job in failed:
            job.status, job.conclusion, job.completed_at = "queued", None, None
            job.run_attempt = run.run_attempt

    def deployment(self, repo: Repo, deployment_id: int) -> Deployment:
        for dep in repo.deployments:
            if dep.id == deployment_id:
                return dep
        raise ApiError(404, "Not Found")

    def add_comment(self, repo: Repo, issue: Issue, body: str, user: str) -> IssueComment:
        now = self.now()
        self.user(user)
        comment = IssueComment(self.next_id(), issue.number, user, body, now, now)
        issue.comments.append(comment)
        issue.updated_at = now
        return comment
