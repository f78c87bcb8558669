"""The small typed views of GitHub objects that the bot reads and writes.

Each `from_api` reads only the fields the bot uses, tolerating absent ones, so a payload from a
newer API version or GitHub Enterprise still parses. The newer views are pydantic models
(`model_validate`): extra fields are ignored, a missing or malformed one refuses the object.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Json = Mapping[str, Any]


def _login(obj: Any) -> str:
    return str(obj.get("login", "")) if isinstance(obj, Mapping) else ""


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0


@dataclass(frozen=True, slots=True)
class Repository:
    id: int
    owner: str
    name: str
    full_name: str
    default_branch: str
    private: bool
    archived: bool
    html_url: str = ""

    @classmethod
    def from_api(cls, d: Json) -> Repository:
        return cls(
            id=_int(d.get("id")),
            owner=_login(d.get("owner")),
            name=str(d.get("name", "")),
            full_name=str(d.get("full_name", "")),
            default_branch=str(d.get("default_branch") or "main"),
            private=bool(d.get("private")),
            archived=bool(d.get("archived")),
            html_url=str(d.get("html_url") or ""),
        )


@dataclass(frozen=True, slots=True)
class FileContent:
    path: str
    sha: str
    size: int
    content: bytes = field(repr=False)

    def text(self) -> str:
        """The content as text; undecodable bytes become U+FFFD rather than failing."""
        return self.content.decode("utf-8", errors="replace")


@dataclass(frozen=True, slots=True)
class PullRequest:
    number: int
    state: str
    title: str
    body: str
    draft: bool
    author: str
    head_sha: str
    head_ref: str
    head_repo: str  # full name; "" when the fork was deleted
    base_ref: str
    base_sha: str
    base_repo: str
    merged: bool
    html_url: str
    maintainer_can_modify: bool = False  # a fork's author lets the base repo's maintainers push

    @property
    def is_fork(self) -> bool:
        return self.head_repo != self.base_repo

    @classmethod
    def from_api(cls, d: Json) -> PullRequest:
        head, base = d.get("head") or {}, d.get("base") or {}
        return cls(
            number=_int(d.get("number")),
            state=str(d.get("state", "")),
            title=str(d.get("title") or ""),
            body=str(d.get("body") or ""),
            draft=bool(d.get("draft")),
            author=_login(d.get("user")),
            head_sha=str(head.get("sha", "")),
            head_ref=str(head.get("ref", "")),
            head_repo=str((head.get("repo") or {}).get("full_name", "")),
            base_ref=str(base.get("ref", "")),
            base_sha=str(base.get("sha", "")),
            base_repo=str((base.get("repo") or {}).get("full_name", "")),
            merged=bool(d.get("merged")),
            html_url=str(d.get("html_url", "")),
            maintainer_can_modify=bool(d.get("maintainer_can_modify")),
        )


@dataclass(frozen=True, slots=True)
class PullFile:
    filename: str
    status: str  # added, removed, modified, renamed, copied, changed, unchanged
    sha: str
    additions: int
    deletions: int
    patch: str | None  # absent for binary files and very large diffs
    previous_filename: str | None

    @classmethod
    def from_api(cls, d: Json) -> PullFile:
        return cls(
            filename=str(d.get("filename", "")),
            status=str(d.get("status", "")),
            sha=str(d.get("sha") or ""),
            additions=_int(d.get("additions")),
            deletions=_int(d.get("deletions")),
            patch=d.get("patch"),
            previous_filename=d.get("previous_filename"),
        )


AnnotationLevel = Literal["notice", "warning", "failure"]


@dataclass(frozen=True, slots=True)
class Annotation:
    """A check-run annotation. Columns are only sent when the annotation spans one line, as
    GitHub requires."""

    path: str
    start_line: int
    end_line: int
    level: AnnotationLevel
    message: str
    title: str = ""
    start_column: int | None = None
    end_column: int | None = None
    raw_details: str = ""

    def to_api(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "start_line": self.start_line,
            "end_line": self.end_line,
            "annotation_level": self.level,
            "message": self.message[:60_000],
        }
        if self.title:
            out["title"] = self.title[:255]
        if self.raw_details:
            out["raw_details"] = self.raw_details[:60_000]
        if self.start_line == self.end_line and self.start_column is not None:
            out["start_column"] = self.start_column
            if self.end_column is not None:
                out["end_column"] = self.end_column
        return out


CheckStatus = Literal["queued", "in_progress", "completed"]
CheckConclusion = Literal[
    "action_required", "cancelled", "failure", "neutral", "success", "skipped", "timed_out"
]


@dataclass(frozen=True, slots=True)
class CheckRun:
    id: int
    name: str
    head_sha: str
    status: str
    conclusion: str | None
    external_id: str
    app_id: int
    html_url: str
    summary: str
    annotations_count: int

    @classmethod
    def from_api(cls, d: Json) -> CheckRun:
        output = d.get("output") or {}
        return cls(
            id=_int(d.get("id")),
            name=str(d.get("name", "")),
            head_sha=str(d.get("head_sha", "")),
            status=str(d.get("status", "")),
            conclusion=d.get("conclusion"),
            external_id=str(d.get("external_id") or ""),
            app_id=_int((d.get("app") or {}).get("id")),
            html_url=str(d.get("html_url") or ""),
            summary=str(output.get("summary") or ""),
            annotations_count=_int(output.get("annotations_count")),
        )


@dataclass(frozen=True, slots=True)
class ReviewComment:
    """An inline comment of a review, anchored with `line`/`side` (not the deprecated
    `position`). `start_line` is left out when it equals `line`, which GitHub rejects."""

    path: str
    line: int
    body: str
    side: Literal["LEFT", "RIGHT"] = "RIGHT"
    start_line: int | None = None

    def to_api(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "line": self.line,
            "side": self.side,
            "body": self.body,
        }
        if self.start_line is not None and self.start_line < self.line:
            out["start_line"] = self.start_line
            out["start_side"] = self.side
        return out


@dataclass(frozen=True, slots=True)
class PullComment:
    """A pull-request review comment as listed by GitHub."""

    id: int
    path: str
    body: str
    author: str
    in_reply_to: int | None

    @classmethod
    def from_api(cls, d: Json) -> PullComment:
        reply = d.get("in_reply_to_id")
        return cls(
            id=_int(d.get("id")),
            path=str(d.get("path") or ""),
            body=str(d.get("body") or ""),
            author=_login(d.get("user")),
            in_reply_to=reply if isinstance(reply, int) and reply else None,
        )


@dataclass(frozen=True, slots=True)
class Review:
    id: int
    state: str
    body: str
    author: str
    commit_id: str

    @classmethod
    def from_api(cls, d: Json) -> Review:
        return cls(
            id=_int(d.get("id")),
            state=str(d.get("state", "")),
            body=str(d.get("body") or ""),
            author=_login(d.get("user")),
            commit_id=str(d.get("commit_id") or ""),
        )


@dataclass(frozen=True, slots=True)
class IssueComment:
    id: int
    body: str
    author: str
    author_type: str  # "User", "Bot", "Organization"
    html_url: str
    created_at: str
    updated_at: str

    @classmethod
    def from_api(cls, d: Json) -> IssueComment:
        user = d.get("user") or {}
        return cls(
            id=_int(d.get("id")),
            body=str(d.get("body") or ""),
            author=_login(user),
            author_type=str(user.get("type", "")) if isinstance(user, Mapping) else "",
            html_url=str(d.get("html_url", "")),
            created_at=str(d.get("created_at", "")),
            updated_at=str(d.get("updated_at", "")),
        )


ReactionContent = Literal["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"]
Permission = Literal["admin", "maintain", "write", "triage", "read", "none"]


@dataclass(frozen=True, slots=True)
class CollaboratorPermission:
    # `permission` is GitHub's legacy coarse level (admin/write/read/none); `role_name` is the
    # precise role (admin, maintain, write, triage, read, or a custom role's name).
    permission: str
    role_name: str

    @classmethod
    def from_api(cls, d: Json) -> CollaboratorPermission:
        permission = str(d.get("permission") or "none")
        return cls(permission=permission, role_name=str(d.get("role_name") or permission))


@dataclass(frozen=True, slots=True)
class BranchGuard:
    """What guards a branch, as an installation can read it: classic protection (whose details
    need the Administration permission the App lacks) and the types of the active ruleset rules
    that apply to the branch."""

    protected: bool
    rules: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class JobStep:
    number: int
    name: str
    status: str
    conclusion: str | None


@dataclass(frozen=True, slots=True)
class WorkflowJob:
    id: int
    run_id: int
    name: str
    status: str
    conclusion: str | None
    html_url: str
    steps: tuple[JobStep, ...]

    @classmethod
    def from_api(cls, d: Json) -> WorkflowJob:
        steps = tuple(
            JobStep(
                number=_int(s.get("number")),
                name=str(s.get("name", "")),
                status=str(s.get("status", "")),
                conclusion=s.get("conclusion"),
            )
            for s in d.get("steps") or ()
            if isinstance(s, Mapping)
        )
        return cls(
            id=_int(d.get("id")),
            run_id=_int(d.get("run_id")),
            name=str(d.get("name", "")),
            status=str(d.get("status", "")),
            conclusion=d.get("conclusion"),
            html_url=str(d.get("html_url") or ""),
            steps=steps,
        )


@dataclass(frozen=True, slots=True)
class JobLog:
    """A job's log, possibly cut in the middle: `text` keeps its head and its tail."""

    text: str = field(repr=False)
    truncated: bool
    total_bytes: int  # bytes read from GitHub; a lower bound when the read itself was capped


@dataclass(frozen=True, slots=True)
class GitRef:
    ref: str
    sha: str

    @classmethod
    def from_api(cls, d: Json) -> GitRef:
        return cls(ref=str(d.get("ref", "")), sha=str((d.get("object") or {}).get("sha", "")))


@dataclass(frozen=True, slots=True)
class GitCommit:
    sha: str
    tree_sha: str
    parents: tuple[str, ...]
    message: str
    # Names from the git signatures: an App's commits carry its bot login ("x[bot]") there.
    author_name: str = ""
    committer_name: str = ""
    committer_date: str = ""  # ISO 8601, as GitHub gives it

    @classmethod
    def from_api(cls, d: Json) -> GitCommit:
        return cls(
            sha=str(d.get("sha", "")),
            tree_sha=str((d.get("tree") or {}).get("sha", "")),
            parents=tuple(str(p.get("sha", "")) for p in d.get("parents") or ()),
            message=str(d.get("message") or ""),
            author_name=str((d.get("author") or {}).get("name") or ""),
            committer_name=str((d.get("committer") or {}).get("name") or ""),
            committer_date=str((d.get("committer") or {}).get("date") or ""),
        )


@dataclass(frozen=True, slots=True)
class GitSignature:
    """An author or committer for a new commit. Giving one (with its date) instead of letting
    GitHub fill in the caller and the current time makes the commit's id reproducible."""

    name: str
    email: str
    date: str  # ISO 8601

    def to_api(self) -> dict[str, str]:
        return {"name": self.name, "email": self.email, "date": self.date}


TreeMode = Literal["100644", "100755", "040000", "160000", "120000"]


@dataclass(frozen=True, slots=True)
class TreeEntry:
    """One entry of a tree. On write, `sha=None` with type blob deletes the path."""

    path: str
    sha: str | None
    mode: TreeMode = "100644"
    type: Literal["blob", "tree", "commit"] = "blob"
    size: int | None = None

    def to_api(self) -> dict[str, Any]:
        return {"path": self.path, "mode": self.mode, "type": self.type, "sha": self.sha}

    @classmethod
    def from_api(cls, d: Json) -> TreeEntry:
        return cls(
            path=str(d.get("path", "")),
            sha=d.get("sha"),
            mode=d.get("mode", "100644"),
            type=d.get("type", "blob"),
            size=d.get("size"),
        )


@dataclass(frozen=True, slots=True)
class GitTree:
    sha: str
    truncated: bool
    entries: tuple[TreeEntry, ...]

    @classmethod
    def from_api(cls, d: Json) -> GitTree:
        return cls(
            sha=str(d.get("sha", "")),
            truncated=bool(d.get("truncated")),
            entries=tuple(TreeEntry.from_api(e) for e in d.get("tree") or ()),
        )


@dataclass(frozen=True, slots=True)
class DirEntry:
    """One entry of a directory listing (the Contents API)."""

    name: str
    path: str
    sha: str
    type: str  # file, dir, symlink, submodule

    @classmethod
    def from_api(cls, d: Json) -> DirEntry:
        return cls(
            name=str(d.get("name", "")),
            path=str(d.get("path", "")),
            sha=str(d.get("sha", "")),
            type=str(d.get("type", "")),
        )


@dataclass(frozen=True, slots=True)
class CommitSummary:
    """A commit as a comparison lists it: its sha and message."""

    sha: str
    message: str

    @classmethod
    def from_api(cls, d: Json) -> CommitSummary:
        commit = d.get("commit")
        message = commit.get("message") if isinstance(commit, Mapping) else ""
        return cls(sha=str(d.get("sha", "")), message=str(message or ""))


# -- failure reports (workflow runs, external check suites, commit comments) -------------------


@dataclass(frozen=True, slots=True)
class WorkflowRun:
    id: int
    name: str
    workflow_id: int
    path: str
    head_sha: str
    head_branch: str
    head_owner: str  # owner of the repository the head branch lives in (a fork's owner)
    event: str
    status: str
    conclusion: str | None
    run_number: int
    run_attempt: int
    html_url: str
    check_suite_id: int
    pull_numbers: tuple[int, ...]

    @classmethod
    def from_api(cls, d: Json) -> WorkflowRun:
        head_repo = d.get("head_repository") or d.get("repository") or {}
        return cls(
            id=_int(d.get("id")),
            name=str(d.get("name") or ""),
            workflow_id=_int(d.get("workflow_id")),
            path=str(d.get("path") or ""),
            head_sha=str(d.get("head_sha") or ""),
            head_branch=str(d.get("head_branch") or ""),
            head_owner=_login(head_repo.get("owner")) if isinstance(head_repo, Mapping) else "",
            event=str(d.get("event") or ""),
            status=str(d.get("status") or ""),
            conclusion=d.get("conclusion"),
            run_number=_int(d.get("run_number")),
            run_attempt=_int(d.get("run_attempt")) or 1,
            html_url=str(d.get("html_url") or ""),
            check_suite_id=_int(d.get("check_suite_id")),
            pull_numbers=tuple(
                _int(p.get("number"))
                for p in d.get("pull_requests") or ()
                if isinstance(p, Mapping) and _int(p.get("number"))
            ),
        )


@dataclass(frozen=True, slots=True)
class CheckRunOutput:
    """A check run of any app with its whole output: the "log" of CI apps without Actions."""

    id: int
    name: str
    conclusion: str | None
    app_slug: str
    html_url: str
    details_url: str
    title: str
    summary: str
    text: str
    annotations_count: int

    @classmethod
    def from_api(cls, d: Json) -> CheckRunOutput:
        output = d.get("output") or {}
        app = d.get("app") or {}
        return cls(
            id=_int(d.get("id")),
            name=str(d.get("name", "")),
            conclusion=d.get("conclusion"),
            app_slug=str(app.get("slug") or "") if isinstance(app, Mapping) else "",
            html_url=str(d.get("html_url") or ""),
            details_url=str(d.get("details_url") or ""),
            title=str(output.get("title") or ""),
            summary=str(output.get("summary") or ""),
            text=str(output.get("text") or ""),
            annotations_count=_int(output.get("annotations_count")),
        )


@dataclass(frozen=True, slots=True)
class CheckAnnotation:
    """An annotation as read back from any check run."""

    path: str
    start_line: int
    level: str
    title: str
    message: str
    end_line: int = 0

    @classmethod
    def from_api(cls, d: Json) -> CheckAnnotation:
        return cls(
            path=str(d.get("path") or ""),
            start_line=_int(d.get("start_line")),
            end_line=_int(d.get("end_line")),
            level=str(d.get("annotation_level") or ""),
            title=str(d.get("title") or ""),
            message=str(d.get("message") or ""),
        )


@dataclass(frozen=True, slots=True)
class CommitComment:
    id: int
    body: str
    author: str
    commit_id: str
    html_url: str

    @classmethod
    def from_api(cls, d: Json) -> CommitComment:
        return cls(
            id=_int(d.get("id")),
            body=str(d.get("body") or ""),
            author=_login(d.get("user")),
            commit_id=str(d.get("commit_id") or ""),
            html_url=str(d.get("html_url") or ""),
        )


# -- issues (the dashboard issue) ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Issue:
    number: int
    title: str
    body: str
    state: str  # "open" or "closed"
    author: str
    html_url: str
    is_pull: bool  # GitHub lists pull requests among issues

    @classmethod
    def from_api(cls, d: Json) -> Issue:
        return cls(
            number=_int(d.get("number")),
            title=str(d.get("title") or ""),
            body=str(d.get("body") or ""),
            state=str(d.get("state", "")),
            author=_login(d.get("user")),
            html_url=str(d.get("html_url", "")),
            is_pull="pull_request" in d,
        )


# -- deployments (history backfill and the rollback fallback) -----------------------------------


class _ApiModel(BaseModel):
    """A response object validated as a whole: a malformed one is refused, not half-read."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class Actor(_ApiModel):
    login: str = ""


class RepoDeployment(_ApiModel):
    """A deployment, as `GET /repos/{owner}/{repo}/deployments` and the `deployment` webhooks
    give it."""

    id: int
    sha: str = Field(pattern=r"^[0-9a-f]{40}$")
    ref: str = ""
    environment: str = ""
    description: str | None = None
    creator: Actor | None = None
    created_at: datetime


class DeploymentStatus(_ApiModel):
    """One status of a deployment (`GET .../deployments/{id}/statuses`, newest first)."""

    id: int
    state: str
    environment: str | None = None  # optional: the deployment's own, when absent
    description: str | None = None
    log_url: str | None = None
    target_url: str | None = None
    environment_url: str | None = None
    created_at: datetime
