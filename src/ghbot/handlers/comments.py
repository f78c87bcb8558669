"""`/hephaestus` commands in issue comments, PR comments and PR review comments.

On a new comment holding commands: 👀 on the comment, the caller's permission read once, each
command checked and run in order, and ONE reply, a sticky comment keyed by the comment's id. A
reply that already exists means the commands ran: a redelivery (or the same event replayed with
a new delivery id) does not run them again. Denials, bad arguments and failures are answered in
the reply, with the command quoted, and every command that writes leaves an audit record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ghbot.commands import audit, grammar, verbs
from ghbot.commands.permissions import Caller, decide, resolve_caller
from ghbot.commands.registry import CommandCall, Commands, CommandSpec, UsageError, requirement_for
from ghbot.context import COMMAND_REPLY_KIND, Context
from ghbot.engine.render import escape_inline
from ghbot.github.comments import Sticky, find_sticky, upsert_sticky
from ghbot.github.errors import GitHubError
from ghbot.github.repo_config import RepoConfig
from ghbot.jobs.audit import AuditRecord
from ghbot.registry import on

REPLY_KIND = COMMAND_REPLY_KIND


@dataclass(frozen=True, slots=True)
class Where:
    """The comment the commands came in, as the payload describes it."""

    comment_id: int
    body: str
    author: str
    author_type: str
    number: int
    is_pull: bool
    pull_author: str | None
    review_comment: bool
    path: str | None


def _obj(data: Mapping[str, Any] | None, key: str) -> Mapping[str, Any]:
    value = data.get(key) if data is not None else None
    return value if isinstance(value, Mapping) else {}


def where_from(ctx: Context) -> Where | None:
    payload, event = ctx.event.payload, ctx.event
    comment = _obj(payload, "comment")
    user = _obj(comment, "user")
    comment_id, body = comment.get("id"), comment.get("body")
    if not isinstance(comment_id, int) or not isinstance(body, str) or event.number is None:
        return None
    review = event.name == "pull_request_review_comment"
    issue = _obj(payload, "issue")
    is_pull = review or bool(issue.get("pull_request"))
    owner = _obj(_obj(payload, "pull_request") if review else issue, "user").get("login")
    path = comment.get("path") if review else None
    return Where(
        comment_id=comment_id,
        body=body,
        author=str(user.get("login") or ""),
        author_type=str(user.get("type") or ""),
        number=event.number,
        is_pull=is_pull,
        pull_author=str(owner) if is_pull and owner else None,
        review_comment=review,
        path=path if isinstance(path, str) and path else None,
    )


@on("issue_comment", "created")
@on("pull_request_review_comment", "created")
async def run_commands(ctx: Context) -> None:
    where = where_from(ctx)
    if where is None:
        ctx.log.warning("comment payload without id, body or number")
        return
    # Bots never command the bot: not itself (loops), not other Apps (they would act with
    # whatever a bot account's permission happens to be, on text nobody reviewed).
    if where.author.lower() == ctx.bot_login.lower() or where.author_type == "Bot":
        return
    parsed = grammar.parse(where.body)
    if not parsed:
        return
    gh, (owner, repo) = ctx.gh, ctx.owner_repo
    reply_at = Sticky(owner, repo, where.number, REPLY_KIND, (("comment", str(where.comment_id)),))
    if await find_sticky(gh, reply_at, ctx.bot_login) is not None:
        ctx.log.info("commands of comment %s already answered", where.comment_id)
        return
    try:
        await gh.add_reaction(
            owner, repo, where.comment_id, "eyes", review_comment=where.review_comment
        )
    except GitHubError as exc:  # the 👀 is a courtesy; the reply still comes
        ctx.log.warning("no reaction on comment %s: %s", where.comment_id, exc)
    loaded = await ctx.config()
    caller = await resolve_caller(gh, owner, repo, where.author, pull_author=where.pull_author)
    usable = tuple(
        spec
        for spec in verbs.COMMANDS.specs
        if (where.is_pull or not spec.pull_only)
        and decide(requirement_for(spec, loaded.config), caller).allowed
    )
    parts = []
    for command in parsed.commands:
        parts.append(await _run(ctx, verbs.COMMANDS, command, where, caller, loaded.config, usable))
    parts += [f"{_quote(p.line)}\n\nNot run: {p.message}." for p in parsed.problems]
    body = f"@{where.author}\n\n" + "\n\n---\n\n".join(parts)
    await upsert_sticky(gh, reply_at, body, ctx.bot_login)


async def _run(
    ctx: Context,
    commands: Commands,
    command: grammar.Command,
    where: Where,
    caller: Caller,
    config: RepoConfig,
    usable: tuple[CommandSpec, ...],
) -> str:
    quoted = _quote(command.line)
    found = commands.resolve(command.words or ("help",))
    if found is None:
        verb = escape_inline(command.words[0][:40])
        return f"{quoted}\n\nI do not know `{verb}`. {_usage_list(usable)}"
    spec, args = found
    if spec.pull_only and not where.is_pull:
        return f"{quoted}\n\n`{spec.verb}` works on pull requests only."
    decision = decide(requirement_for(spec, config), caller)
    if not decision.allowed:
        await _audit(ctx, spec, args, where, "denied", decision.reason)
        return f"{quoted}\n\nNot run: {decision.reason}."
    call = CommandCall(
        ctx=ctx,
        verb=spec.verb,
        args=args,
        caller=where.author,
        number=where.number,
        is_pull=where.is_pull,
        comment_id=where.comment_id,
        line=command.line,
        config=config,
        path=where.path,
        review_comment=where.review_comment,
        usable=usable,
    )
    try:
        reply = await commands.func(spec)(call)
    except UsageError as exc:
        await _audit(ctx, spec, args, where, "usage", str(exc))
        return f"{quoted}\n\n{exc}\n\nUsage: {spec.usage_line}"
    except Exception as exc:  # one command's failure is reported; the others still run
        ctx.log.exception("command %s failed", spec.verb)
        await _audit(ctx, spec, args, where, "error", f"{type(exc).__name__}: {exc}")
        failure = escape_inline(_failure(exc))
        return f"{quoted}\n\nFailed: {failure}. Try again with {spec.usage_line}."
    await _audit(ctx, spec, args, where, "ok", reply or "done")
    return f"{quoted}\n\n{reply or 'Done.'}"


def _failure(exc: Exception) -> str:
    if isinstance(exc, ImportError):
        return "this command is not available in this version of Hephaestus"
    if isinstance(exc, GitHubError):
        return str(exc)
    return f"an internal error ({type(exc).__name__})"


def _usage_list(usable: tuple[CommandSpec, ...]) -> str:
    lines = [spec.usage_line for spec in usable]
    return "Commands you may use here: " + ", ".join(lines) if lines else ""


def _quote(line: str) -> str:
    """The command quoted back, escaped so nothing in it renders as markup or @-mentions."""
    text = escape_inline(line[:200])  # escaped: no markup, no mention that pings
    return f"> {text}"


async def _audit(
    ctx: Context, spec: CommandSpec, args: tuple[str, ...], where: Where, outcome: str, detail: str
) -> None:
    if not spec.writes:
        return
    await audit.record(
        AuditRecord(
            delivery_id=ctx.event.delivery_id,
            repo=ctx.event.repo or "",
            number=where.number,
            comment_id=where.comment_id,
            caller=where.author,
            verb=spec.verb,
            args=" ".join(args),
            outcome=outcome,
            detail=detail,
        )
    )
