"""The fix for script injection: pass the expression through an environment variable.

`run: echo "${{ github.event.issue.title }}"` lets the title's text become shell code. Moving the
expression to the step's `env:` and reading `"$ISSUE_TITLE"` keeps it data. The fix is offered
as a suggestion only (it changes how the script sees the value, e.g. inside a heredoc) and only
where it is clearly right: a block-style step, a POSIX shell, the expression outside single quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ghbot.engine.analysis.secrets_ignore import LineIndex
from ghbot.engine.analysis.workflows_yaml import MappingNode, Node, mapping_items, value
from ghbot.engine.models import Fix, TextEdit

_CONTEXT = re.compile(r"github\.(?:event\.)?([\w.\-\[\]*]{1,200})")
_POSIX_SHELLS = {"bash", "sh"}


@dataclass(frozen=True, slots=True)
class Expression:
    start: int  # character offsets of `${{ ... }}` in the workflow text
    end: int
    text: str  # the whole `${{ ... }}`
    inner: str  # what is between the braces


def env_fix(
    source: str,
    index: LineIndex,
    step: Node,
    run_key: Node,
    run_value: Node,
    expressions: list[Expression],
    shell: str | None,
) -> Fix | None:
    """One fix moving every listed expression of this step's `run:` into `env:`, or None."""
    if not isinstance(step, MappingNode) or step.flow_style or not expressions:
        return None
    if getattr(run_value, "style", None) in ('"', "'"):  # YAML quoting would change the escapes
        return None
    if shell is not None and shell.split()[0] not in _POSIX_SHELLS:
        return None
    env = value(step, "env")
    if env is not None and (not isinstance(env, MappingNode) or env.flow_style or not env.value):
        return None
    taken = {key.value for key, _ in mapping_items(env)}
    names: dict[str, str] = {}
    edits: list[TextEdit] = []
    for expression in expressions:
        if re.search(r"[:#'\"]", expression.inner):  # would need quoting inside env:
            return None
        name = names.get(expression.inner)
        if name is None:
            name = _variable_name(expression.inner, taken)
            taken.add(name)
            names[expression.inner] = name
        quote_state = _quote_state(source, expression.start)
        if quote_state == "single":
            return None
        replacement = f"${{{name}}}" if quote_state == "double" else f'"${{{name}}}"'
        line, column = index.position(expression.start)
        end_line, end_column = index.position(expression.end)
        edits.append(TextEdit(line, column, end_line, end_column, replacement))
    inner_by_name = {name: inner for inner, name in names.items()}
    if env is not None:
        first_key = env.value[0][0]
        line, column = index.position(first_key.start_mark.index)
        pad = " " * (column - 1)
        lines = "".join(
            f"{name}: ${{{{ {inner.strip()} }}}}\n{pad}" for name, inner in inner_by_name.items()
        )
    else:
        line, column = index.position(run_key.start_mark.index)
        pad = " " * (column - 1)
        entries = "".join(
            f"{pad}  {name}: ${{{{ {inner.strip()} }}}}\n" for name, inner in inner_by_name.items()
        )
        lines = f"env:\n{entries}{pad}"
    edits.append(TextEdit(line, column, line, column, lines))
    described = ", ".join(f"${name}" for name in inner_by_name)
    return Fix(
        description=f"pass the untrusted value through env ({described}) instead of "
        "expanding it into the script",
        edits=tuple(edits),
        applicability="unsafe",
    )


def _variable_name(inner: str, taken: set[str]) -> str:
    match = _CONTEXT.search(inner)
    parts = [p for p in re.split(r"[.\[\]*]+", match.group(1)) if p] if match else []
    base = re.sub(r"\W", "_", "_".join(parts[-2:])).upper().strip("_") or "UNTRUSTED_VALUE"
    name, suffix = base, 2
    while name in taken:
        name, suffix = f"{base}_{suffix}", suffix + 1
    return name


def _quote_state(source: str, offset: int) -> str | None:
    """Shell quoting in force at `offset`, judged from the start of its line."""
    state: str | None = None
    line_start = source.rfind("\n", 0, offset) + 1
    escaped = False
    for char in source[line_start:offset]:
        if escaped:
            escaped = False
        elif char == "\\" and state != "single":
            escaped = True
        elif char == "'" and state != "double":
            state = None if state == "single" else "single"
        elif char == '"' and state != "single":
            state = None if state == "double" else "double"
    return state
