"""Find the first syntax error of a text with CPython's compiler, and name it plainly.

The code is compiled, never executed. CPython's message is kept where it is already clear; the
cases it reports poorly (Python 2 idioms, a bracket opened far above the point where parsing
fails, tabs mixed with spaces) get their own rule and a location at the real cause.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from ghbot.engine.analysis.syntax_scan import PAIRS, Scan

_PRINT_EXEC = re.compile(r"Missing parentheses in call to '(print|exec)'")
_MISMATCH = re.compile(r"closing parenthesis '(.)' does not match opening parenthesis '(.)'")


@dataclass(frozen=True, slots=True)
class ParseError:
    """CPython's first error, with a 1-based, end-exclusive range clamped to the text."""

    message: str
    kind: str  # SyntaxError, IndentationError or TabError
    line: int
    column: int
    end_line: int
    end_column: int
    offset: int  # character offset of (line, column)


@dataclass(frozen=True, slots=True)
class Diagnosis:
    rule: str
    message: str
    line: int
    column: int
    end_line: int
    end_column: int


def first_error(text: str, scan: Scan | None = None) -> ParseError | None:
    """Compile without running; None when the text is valid Python."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes and the like are not our business
            compile(text, "<hephaestus>", "exec", dont_inherit=True)
    except SyntaxError as error:  # IndentationError and TabError are subclasses
        if "null bytes" in (error.msg or ""):
            return _at_offset(text, error.msg, max(text.find("\0"), 0))
        return _normalise(text, error.msg or "invalid syntax", type(error).__name__, error, scan)
    except (ValueError, RecursionError, MemoryError, OverflowError) as error:
        message = str(error) or type(error).__name__
        if "null bytes" in message:
            index = text.find("\0")
            return _at_offset(text, message, max(index, 0))
        return _at_offset(text, f"too complex to parse: {message}", 0)
    return None


def _normalise(
    text: str, message: str, kind: str, error: SyntaxError, scan: Scan | None
) -> ParseError:
    line_starts = scan.line_starts if scan is not None else _line_starts(text)
    line = min(max(error.lineno or 1, 1), len(line_starts))
    line_text = _line(text, line_starts, line)
    column = min(max(error.offset or 1, 1), len(line_text) + 1)
    end_line = min(max(error.end_lineno or line, line), len(line_starts))
    end_column = error.end_offset or 0
    if end_line == line and end_column <= column:
        end_column = column + 1
    end_column = min(max(end_column, 1), len(_line(text, line_starts, end_line)) + 1)
    if end_line == line and end_column <= column:
        end_column = column  # an error just past the end of a line: an empty range there
    offset = min(line_starts[line - 1] + column - 1, len(text))
    return ParseError(message, kind, line, column, end_line, end_column, offset)


def _at_offset(text: str, message: str, offset: int) -> ParseError:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return ParseError(message, "SyntaxError", line, column, line, column + 1, offset)


def _line_starts(text: str) -> list[int]:
    return [0] + [match.end() for match in re.finditer(r"\r\n|\r|\n", text)]


def _line(text: str, starts: list[int], line: int) -> str:
    start = starts[line - 1]
    end = starts[line] if line < len(starts) else len(text)
    return text[start:end].rstrip("\r\n")


_PLAIN_RULES = (
    ("was never closed", "syntax/unclosed-bracket"),
    ("does not match opening parenthesis", "syntax/mismatched-bracket"),
    ("unmatched", "syntax/unmatched-bracket"),
    ("unterminated", "syntax/unterminated-string"),
    ("Missing parentheses in call to 'print'", "syntax/python2-print"),
    ("Missing parentheses in call to 'exec'", "syntax/python2-exec"),
    ("expected ':'", "syntax/missing-colon"),
    ("forgot a comma", "syntax/missing-comma"),
)


def diagnose_plain(error: ParseError) -> Diagnosis:
    """Rule and location from CPython's message alone, for texts too large to tokenize again."""
    rule = {"TabError": "syntax/tabs-and-spaces", "IndentationError": "syntax/indentation"}.get(
        error.kind, "syntax/invalid-syntax"
    )
    for needle, named in _PLAIN_RULES:
        if rule == "syntax/invalid-syntax" and needle in error.message:
            rule = named
    span = (error.line, error.column, error.end_line, error.end_column)
    return Diagnosis(rule, error.message, *span)


def diagnose(error: ParseError, scan: Scan) -> Diagnosis:
    """The rule, plain message and location of the first error."""
    message = error.message
    span = (error.line, error.column, error.end_line, error.end_column)
    token_index = scan.token_at(error.offset)
    token = scan.tokens[token_index] if token_index < len(scan.tokens) else None

    if error.kind == "TabError":
        return Diagnosis(
            "syntax/tabs-and-spaces",
            "indentation mixes tabs and spaces inconsistently; use spaces only",
            error.line,
            1,
            error.line,
            len(scan.indent(error.line)) + 1,
        )
    if error.kind == "IndentationError":
        return Diagnosis("syntax/indentation", message, *span)
    if "was never closed" in message or (
        message.startswith("invalid syntax") and _open_bracket_before(scan, error) is not None
    ):
        opener = _open_bracket_before(scan, error)
        if opener is not None:
            line, column = scan.position(opener)
            char = scan.text[opener]
            return Diagnosis(
                "syntax/unclosed-bracket",
                f"'{char}' opened here is never closed (expected '{PAIRS[char]}')",
                line,
                column,
                line,
                column + 1,
            )
    if match := _MISMATCH.search(message):
        closer, opener = match.groups()
        return Diagnosis(
            "syntax/mismatched-bracket",
            f"'{closer}' does not match the open '{opener}'"
            f"{_opened_at(message)}; expected '{PAIRS.get(opener, '?')}'",
            *span,
        )
    if message.startswith("unmatched"):
        return Diagnosis(
            "syntax/unmatched-bracket",
            f"'{scan.text[error.offset : error.offset + 1]}' has no opening bracket",
            *span,
        )
    if message.startswith("unterminated"):
        kind = "triple-quoted string" if "triple" in message else "string"
        return Diagnosis(
            "syntax/unterminated-string",
            f"{kind} starting here is never closed",
            error.line,
            error.column,
            error.line,
            error.column + 1,
        )
    if match := _PRINT_EXEC.search(message):
        word = match.group(1)
        return Diagnosis(
            f"syntax/python2-{word}",
            f"Python 2 '{word}' statement; in Python 3 {word} is a function: {word}(...)",
            *span,
        )
    if message.startswith("multiple exception types must be parenthesized"):
        return Diagnosis(
            "syntax/python2-except",
            "Python 2 'except X, name:'; Python 3 writes 'except X as name:'",
            *span,
        )
    if message.startswith("leading zeros in decimal integer"):
        return Diagnosis(
            "syntax/python2-octal", "Python 2 octal literal; Python 3 writes 0o755", *span
        )
    if token is not None and token.text == "`":
        return Diagnosis(
            "syntax/python2-backticks", "Python 2 backticks; Python 3 writes repr(...)", *span
        )
    if token is not None and token.text == "<>":
        return Diagnosis("syntax/python2-ne", "Python 2 '<>'; Python 3 writes '!='", *span)
    if token is not None and token.text == "," and _statement_keyword(scan, token_index) == "raise":
        return Diagnosis(
            "syntax/python2-raise",
            "Python 2 'raise E, message'; Python 3 writes 'raise E(message)'",
            *span,
        )
    if message == "expected ':'":
        return Diagnosis("syntax/missing-colon", "expected ':' at the end of this line", *span)
    if "forgot a comma" in message:
        return Diagnosis(
            "syntax/missing-comma", "two items follow each other without a comma", *span
        )
    if message.startswith(("invalid character", "invalid non-printable", "source code string")):
        return Diagnosis("syntax/invalid-character", message, *span)
    return Diagnosis("syntax/invalid-syntax", message, *span)


def _opened_at(message: str) -> str:
    match = re.search(r"on line (\d+)", message)
    return f" opened on line {match.group(1)}" if match else ""


def _statement_keyword(scan: Scan, index: int) -> str | None:
    """The first word of the logical line holding token `index`."""
    line = scan.position(scan.tokens[index].start)[0]
    while line > 1 and line not in scan.statement_lines:
        line -= 1
    first = scan.tokens[scan.token_at(scan.line_starts[line - 1])]
    return first.text if first.kind == "name" else None


def _open_bracket_before(scan: Scan, error: ParseError) -> int | None:
    """Offset of the bracket left open that explains an error at or after it.

    CPython names an unclosed bracket only when it meets the end of the file; when a new statement
    starts below while the bracket is open, the parser fails there instead, far from the cause.
    """
    if "was never closed" in error.message:
        return error.offset
    error_indent = len(scan.indent(error.line).expandtabs(8))
    for issue in scan.issues:
        if issue.kind == "unclosed":
            opener = scan.tokens[issue.token]
        elif issue.kind == "mismatched" and issue.opener is not None:
            opener = scan.tokens[issue.opener]
        else:
            continue
        line = scan.position(opener.start)[0]
        if line < error.line and error_indent <= len(scan.indent(line).expandtabs(8)):
            return opener.start
    return None
