"""Find the first syntax error of a text with CPython's compiler, and name it plainly.

The code is compiled, never executed. CPython's message is kept where it is already clear; the
cases it reports poorly (Python 2 idioms, a bracket opened far above the point where parsing
fails, tabs mixed with spaces) get their own rule and a location at the real cause.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from ghbot.engine.analysis.syntax_scan import PAIRS, Scan, Token

_PRINT_EXEC = re.compile(r"Missing parentheses in call to '(print|exec)'")
_MISMATCH = re.compile(r"closing parenthesis '(.)' does not match opening parenthesis '(.)'")
# Git's conflict markers: seven of one character at the start of a line, then a blank or the end.
CONFLICT_MARKER = re.compile(r"^(?:<{7}|\|{7}|={7}|>{7})(?:[ \t][^\r\n]*)?$", re.MULTILINE)
_HARD_KEYWORDS = frozenset(
    "and as assert async await break class continue def del elif else except finally for from "
    "global if import in is lambda nonlocal not or pass raise return try while with yield".split()
)
# Keywords that may follow an opening bracket or a comma as the start of an expression.
_EXPRESSION_KEYWORDS = frozenset({"not", "lambda", "await", "yield"})
_DANGLING = frozenset("= . + - * / // % ** @ & | ^ << >> == != < > <= >= and or not in is".split())
_ASSIGNMENT = frozenset("= += -= *= /= //= %= **= >>= <<= &= |= ^= @=".split())


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

    if (conflict := _conflict_start(scan, error)) is not None:
        line = scan.position(conflict)[0]
        return Diagnosis(
            "syntax/merge-conflict",
            "unresolved merge conflict: keep one side and delete the '<<<<<<<', '=======' and "
            "'>>>>>>>' lines (not repaired automatically: either side may be the intended one)",
            line,
            1,
            line,
            len(scan.line_text(line)) + 1,
        )
    if magic := _notebook_magic(scan, error):
        return magic
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
        closer, opened = match.groups()
        return Diagnosis(
            "syntax/mismatched-bracket",
            f"'{closer}' does not match the open '{opened}'"
            f"{_opened_at(message)}; expected '{PAIRS.get(opened, '?')}'",
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
    if token is not None and token.kind == "string" and token.text[:2].lower() == "ur":
        return Diagnosis(
            "syntax/python2-ur-prefix",
            "Python 2 'ur' string prefix; Python 3 strings are Unicode already: write r'...'",
            *scan.position(token.start),
            *scan.position(token.start + 2),
        )
    if keyword := _keyword_as_name(scan, token_index):
        line, column = scan.position(keyword.start)
        return Diagnosis(
            "syntax/keyword-as-name",
            f"'{keyword.text}' is a Python keyword and cannot be used as a name; rename it "
            f"(e.g. '{keyword.text}_')",
            line,
            column,
            line,
            column + len(keyword.text),
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
    if message == "invalid syntax" and (gap := _comma_gap(scan, token_index)) is not None:
        line, column = scan.position(gap)
        return Diagnosis(
            "syntax/missing-comma",
            "this item and the next one, on the line below, lack a ',' between them",
            line,
            column,
            line,
            column,
        )
    if message == "invalid syntax" and (dangling := _dangling_operator(scan, error)):
        return Diagnosis(
            "syntax/incomplete-statement",
            f"the line ends right after '{dangling}': the statement is unfinished",
            *span,
        )
    return Diagnosis("syntax/invalid-syntax", message, *span)


def _comma_gap(scan: Scan, index: int) -> int | None:
    """Where a ',' is missing at the end of the line above an error inside brackets, if so."""
    if index >= len(scan.tokens):
        return None
    token = scan.tokens[index]
    before = _previous_significant(scan, index)
    if (
        token.depth > 0
        and token.is_atom_start
        and before is not None
        and before.is_atom_end
        and before.depth == token.depth
        and scan.text.count("\n", before.end, token.start) == 1
    ):
        return before.end
    return None


def _dangling_operator(scan: Scan, error: ParseError) -> str | None:
    """The operator a half-typed line ends with ("x = ", "os.path."), when the error is past it."""
    end = scan.code_end(error.line)
    if error.offset < end:
        return None
    index = scan.token_at(max(end - 1, 0))
    if index >= len(scan.tokens):
        return None
    token = scan.tokens[index]
    if token.depth != 0 or token.end != end or token.text not in _DANGLING:
        return None
    before = _previous_significant(scan, index)
    if (
        before is not None
        and before.end == token.start
        and before.text + token.text in ("++", "--")
    ):
        return None  # "i++" is C's increment, not a half-typed sum
    return token.text


def _conflict_start(scan: Scan, error: ParseError) -> int | None:
    """Offset of the first conflict marker at or above the error, whatever CPython made of it."""
    if "<<<<<<<" not in scan.text and ">>>>>>>" not in scan.text:
        return None
    limit = scan.line_end(min(error.line + 1, scan.line_count))
    for rank, match in enumerate(CONFLICT_MARKER.finditer(scan.text, 0, limit)):
        if rank >= 100:
            break
        if scan.position(match.start())[0] not in scan.lines_in_strings:
            return match.start()
    return None


def _notebook_magic(scan: Scan, error: ParseError) -> Diagnosis | None:
    """An IPython '!shell' or '%magic' line pasted from a notebook into a .py file."""
    text = scan.line_text(error.line)
    stripped = text.lstrip()
    if error.line not in scan.statement_lines or not re.match(r"[!%]{1,2}[A-Za-z]", stripped):
        return None
    column = len(text) - len(stripped) + 1
    kind = "shell command" if stripped[0] == "!" else "magic"
    return Diagnosis(
        "syntax/notebook-magic",
        f"IPython {kind} '{stripped[:40]}' is notebook syntax, not Python; comment it out or "
        "run it in a notebook",
        error.line,
        column,
        error.line,
        len(text) + 1,
    )


def _keyword_as_name(scan: Scan, index: int) -> Token | None:
    """The keyword at or just before the error when it stands where a name belongs."""
    if index >= len(scan.tokens):
        return None
    token = scan.tokens[index]
    before = _previous_significant(scan, index)
    if token.text in _ASSIGNMENT and before is not None and before.text in _HARD_KEYWORDS:
        return before  # "class = 1"
    if token.text in (")", ",") and before is not None and before.text in _HARD_KEYWORDS:
        return None if before.text == "yield" else before  # "def f(values, lambda):"
    if token.kind != "name" or token.text not in _HARD_KEYWORDS or before is None:
        return None
    following = scan.token_at(token.end)  # past the last token when only spaces follow
    after = scan.tokens[following] if following < len(scan.tokens) else None
    ends_item = after is not None and after.text in (")", ",", "=")  # "def f(x, lambda):"
    if before.text in ("for", ".", "def", "class", "import", "as") or (
        before.text in ("(", ",") and (token.text not in _EXPRESSION_KEYWORDS or ends_item)
    ):
        return token  # "for class in", "x.class", "def f(from, to)"
    return None


def _previous_significant(scan: Scan, index: int) -> Token | None:
    index -= 1
    while index >= 0 and scan.tokens[index].kind in ("ws", "newline", "cont", "comment"):
        index -= 1
    return scan.tokens[index] if index >= 0 else None


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
        if line == error.line and issue.kind == "unclosed" and opener.start < error.offset:
            return opener.start  # "class A(Base:": the block's ':' came before the ')'
    return None
