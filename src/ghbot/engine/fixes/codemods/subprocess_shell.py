"""HEP107 subprocess-shell-constant."""

from __future__ import annotations

import shlex

import libcst as cst

from ghbot.engine.fixes.codemod_catalog import CATALOG
from ghbot.engine.fixes.codemods.base import (
    Change,
    Codemod,
    Site,
    imports_any,
    keyword_arg,
    remove_arg,
)

_FUNCTIONS = {
    f"subprocess.{name}" for name in ("run", "call", "check_call", "check_output", "Popen")
}
# Anything the shell would interpret: expansion, redirection, pipes, globbing, escapes, comments.
_METACHARACTERS = frozenset("|&;<>()$`\\*?[]{}~#!\n\r")
# Commands that exist only inside the shell, so there is no program to run without it.
_SHELL_BUILTINS = frozenset(
    ". : alias bg bind break builtin cd command continue declare dirs eval exec exit export false "
    "fg getopts hash history jobs let local logout popd pushd read readonly return set shift "
    "source test times trap true type typeset ulimit umask unalias unset wait".split()
)


def argv_for(command: str) -> list[str] | None:
    """The argument list the shell would build from `command`, or None if a shell is needed."""
    if not command.strip() or any(char in _METACHARACTERS for char in command):
        return None
    try:
        words = shlex.split(command)
    except ValueError:  # unbalanced quotes
        return None
    if not words or words[0] in _SHELL_BUILTINS or "=" in words[0]:  # `VAR=x cmd` is shell syntax
        return None
    return words


def _string_literal(word: str, quote: str) -> cst.SimpleString:
    if quote not in word:
        return cst.SimpleString(f"{quote}{word}{quote}")
    return cst.SimpleString(repr(word))


class SubprocessShellConstant(Codemod):
    info = CATALOG["HEP107"]
    patterns = ("shell=True", "shell = True")

    @classmethod
    def prefilter(cls, text: str) -> bool:
        return super().prefilter(text) and imports_any(text, "subprocess")

    def visit_Call(self, node: cst.Call) -> None:
        # The syntactic checks first: names are resolved (scope analysis) only if they pass.
        shell = keyword_arg(node, "shell")
        if (
            shell is None
            or not (isinstance(shell.value, cst.Name) and shell.value.value == "True")
            or keyword_arg(node, "executable") is not None
            or not node.args
            or node.args[0].keyword is not None
            or node.args[0].star
        ):
            return
        command = node.args[0].value
        if not isinstance(command, cst.SimpleString) or "f" in command.prefix.lower():
            return
        value = command.evaluated_value
        words = argv_for(value) if isinstance(value, str) else None
        if words is None or not self.qualified(node.func) & _FUNCTIONS:
            return
        quote = command.quote[0]
        argv = cst.List(
            elements=[
                cst.Element(
                    _string_literal(word, quote),
                    comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                    if index < len(words) - 1
                    else cst.MaybeSentinel.DEFAULT,
                )
                for index, word in enumerate(words)
            ]
        )
        shell_index = node.args.index(shell)

        def rebuild(call: cst.CSTNode) -> cst.CSTNode:
            assert isinstance(call, cst.Call)
            call = remove_arg(call, shell_index)
            return call.with_changes(args=[call.args[0].with_changes(value=argv), *call.args[1:]])

        self.sites.append(
            Site(
                node=node,
                message="`shell=True` runs a constant command through the shell for no reason",
                description="Pass an argument list and drop `shell=True`",
                changes=(Change(node, rebuild),),
            )
        )
