"""`GitHub`: every call the services and handlers make, as a typed Protocol.

`ghbot.github.client.GitHubClient` implements it over the REST API; tests may pass a double.
Everything returned is one of the typed views of `ghbot.github.models`, never raw JSON, so a
service cannot reach past the surface with a raw request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, Protocol

from ghbot.github.models import (
    Annotation,
    BranchGuard,
    CheckAnnotation,
    CheckConclusion,
    CheckRun,
    CheckRunOutput,
    CheckStatus,
    CollaboratorPermission,
    CommitComment,
    CommitSummary,
    DeploymentStatus,
    DirEntry,
    FileContent,
    GitCommit,
    GitRef,
    GitSignature,
    GitTree,
    Issue,
    IssueComment,
    JobLog,
    PullComment,
    PullFile,
    PullRequest,
    ReactionContent,
    RepoDeployment,
    Repository,
    Review,
    ReviewComment,
    TreeEntry,
    WorkflowJob,
    WorkflowRun,
)


class GitHub(Protocol):
    """An installation's GitHub, as the bot uses it."""

    api_url: str

    async def get_repo(self, owner: str, repo: str) -> Repository: ...

    async def get_file(
        self, owner: str, repo: str, path: str, ref: str, *, max_bytes: int = 10 * 1024 * 1024
    ) -> FileContent: ...

    async def list_directory(
        self, owner: str, repo: str, path: str, ref: str, *, max_items: int = 1000
    ) -> list[DirEntry] | None: ...

    async def get_blob(self, owner: str, repo: str, sha: str) -> bytes: ...

    async def put_file(
        self,
        owner: str,
        repo: str,
        path: str,
        content: bytes,
        *,
        branch: str,
        message: str,
        sha: str | None,
    ) -> GitCommit: ...

    async def get_pull(self, owner: str, repo: str, number: int) -> PullRequest: ...

    async def list_pull_files(
        self, owner: str, repo: str, number: int, *, max_files: int = 3000
    ) -> list[PullFile]: ...

    async def create_review(
        self,
        owner: str,
        repo: str,
        number: int,
        *,
        commit_id: str,
        body: str,
        event: str = "COMMENT",
        comments: list[ReviewComment] | tuple[ReviewComment, ...] = (),
    ) -> Review: ...

    async def list_review_comments(
        self, owner: str, repo: str, number: int, *, max_items: int = 3000
    ) -> list[PullComment]: ...

    async def update_review_comment(
        self, owner: str, repo: str, comment_id: int, body: str
    ) -> None: ...

    async def list_reviews(
        self, owner: str, repo: str, number: int, *, max_items: int = 1000
    ) -> list[Review]: ...

    async def write_check_run(
        self, owner: str, repo: str, check_run_id: int | None, fields: Mapping[str, object]
    ) -> CheckRun: ...

    async def list_check_runs(
        self,
        owner: str,
        repo: str,
        ref: str,
        *,
        check_name: str | None = None,
        max_items: int = 300,
    ) -> list[CheckRun]: ...

    async def create_check_run(
        self,
        owner: str,
        repo: str,
        *,
        name: str,
        head_sha: str,
        status: CheckStatus,
        external_id: str = "",
        conclusion: CheckConclusion | None = None,
        title: str = "",
        summary: str = "",
        text: str = "",
        annotations: list[Annotation] | tuple[Annotation, ...] = (),
    ) -> CheckRun: ...

    async def update_check_run(
        self,
        owner: str,
        repo: str,
        check_run_id: int,
        *,
        status: CheckStatus | None = None,
        conclusion: CheckConclusion | None = None,
        title: str = "",
        summary: str = "",
        text: str = "",
        annotations: list[Annotation] | tuple[Annotation, ...] = (),
    ) -> CheckRun: ...

    async def list_issues(
        self,
        owner: str,
        repo: str,
        *,
        creator: str | None = None,
        state: str = "open",
        max_items: int = 300,
    ) -> list[Issue]: ...

    async def get_issue(self, owner: str, repo: str, number: int) -> Issue: ...

    async def create_issue(self, owner: str, repo: str, title: str, body: str) -> Issue: ...

    async def update_issue(
        self,
        owner: str,
        repo: str,
        number: int,
        *,
        body: str | None = None,
        state: str | None = None,
        state_reason: str | None = None,
    ) -> Issue: ...

    async def list_issue_comments(
        self, owner: str, repo: str, number: int, *, max_items: int = 1000
    ) -> list[IssueComment]: ...

    async def create_issue_comment(
        self, owner: str, repo: str, number: int, body: str
    ) -> IssueComment: ...

    async def update_issue_comment(
        self, owner: str, repo: str, comment_id: int, body: str
    ) -> IssueComment: ...

    async def add_reaction(
        self,
        owner: str,
        repo: str,
        comment_id: int,
        content: ReactionContent,
        *,
        review_comment: bool = False,
    ) -> None: ...

    async def get_collaborator_permission(
        self, owner: str, repo: str, username: str
    ) -> CollaboratorPermission: ...

    async def get_branch_guard(self, owner: str, repo: str, branch: str) -> BranchGuard: ...

    async def list_run_jobs(
        self, owner: str, repo: str, run_id: int, *, max_items: int = 500
    ) -> list[WorkflowJob]: ...

    async def download_job_log(
        self,
        owner: str,
        repo: str,
        job_id: int,
        *,
        max_bytes: int = 8 * 1024 * 1024,
        read_limit: int = 256 * 1024 * 1024,
    ) -> JobLog: ...

    async def get_workflow_run(self, owner: str, repo: str, run_id: int) -> WorkflowRun: ...

    async def list_workflow_runs(
        self,
        owner: str,
        repo: str,
        *,
        branch: str | None = None,
        head_sha: str | None = None,
        check_suite_id: int | None = None,
        status: str | None = None,
        max_items: int = 100,
    ) -> list[WorkflowRun]: ...

    async def list_deployments(
        self, owner: str, repo: str, *, environment: str | None = None, max_items: int = 100
    ) -> list[RepoDeployment]: ...

    async def list_deployment_statuses(
        self, owner: str, repo: str, deployment_id: int, *, max_items: int = 10
    ) -> list[DeploymentStatus]: ...

    async def download_run_logs(
        self, owner: str, repo: str, run_id: int, *, max_bytes: int = 64 * 1024 * 1024
    ) -> bytes: ...

    async def rerun_failed_jobs(self, owner: str, repo: str, run_id: int) -> None: ...

    async def list_pulls_for_commit(self, owner: str, repo: str, sha: str) -> list[PullRequest]: ...

    async def list_pulls(
        self, owner: str, repo: str, *, head: str | None = None, state: str = "open"
    ) -> list[PullRequest]: ...

    async def list_check_suite_runs(
        self, owner: str, repo: str, check_suite_id: int, *, max_items: int = 100
    ) -> list[CheckRunOutput]: ...

    async def list_check_run_annotations(
        self, owner: str, repo: str, check_run_id: int, *, max_items: int = 200
    ) -> list[CheckAnnotation]: ...

    async def list_commit_comments(
        self, owner: str, repo: str, sha: str, *, max_items: int = 300
    ) -> list[CommitComment]: ...

    async def create_commit_comment(
        self, owner: str, repo: str, sha: str, body: str
    ) -> CommitComment: ...

    async def delete_commit_comment(self, owner: str, repo: str, comment_id: int) -> None: ...

    async def update_commit_comment(
        self, owner: str, repo: str, comment_id: int, body: str
    ) -> CommitComment: ...

    async def add_labels(self, owner: str, repo: str, number: int, labels: list[str]) -> None: ...

    async def create_blob(self, owner: str, repo: str, content: bytes) -> str: ...

    async def get_tree(
        self, owner: str, repo: str, sha: str, *, recursive: bool = False
    ) -> GitTree: ...

    async def create_tree(
        self, owner: str, repo: str, entries: list[TreeEntry], *, base_tree: str | None = None
    ) -> GitTree: ...

    async def get_commit(self, owner: str, repo: str, sha: str) -> GitCommit: ...

    async def create_commit(
        self,
        owner: str,
        repo: str,
        *,
        message: str,
        tree: str,
        parents: list[str],
        signature: GitSignature | None = None,
    ) -> GitCommit: ...

    async def get_ref(self, owner: str, repo: str, ref: str) -> GitRef: ...

    async def update_ref(
        self, owner: str, repo: str, ref: str, sha: str, *, force: bool = False
    ) -> GitRef: ...

    async def create_ref(self, owner: str, repo: str, ref: str, sha: str) -> GitRef: ...

    async def create_pull(
        self, owner: str, repo: str, *, head: str, base: str, title: str, body: str
    ) -> PullRequest: ...

    async def update_pull(
        self,
        owner: str,
        repo: str,
        number: int,
        *,
        title: str | None = None,
        body: str | None = None,
        state: Literal["open", "closed"] | None = None,
    ) -> PullRequest: ...

    async def resolve_commit(self, owner: str, repo: str, ref: str) -> str: ...

    async def compare_commits(
        self, owner: str, repo: str, base: str, head: str
    ) -> list[CommitSummary]: ...

    async def compare_files(
        self, owner: str, repo: str, base: str, head: str
    ) -> list[PullFile]: ...
