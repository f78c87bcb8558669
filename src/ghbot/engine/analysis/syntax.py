"""Syntax analysis of Python files: every error that can be found, each with a plain message.

CPython stops at the first error. To report the ones after it, the repair search fixes each
error in turn (verified edits only) and the next error is read from the repaired text, then
mapped back to the original coordinates. The top verified repair rides on the first finding.
"""

from __future__ import annotations

from ghbot.engine.fixes.syntax.search import DEFAULT_LIMITS, Limits, search
from ghbot.engine.fixes.syntax_repair import ranked_repairs
from ghbot.engine.models import Finding, Fix, Severity, SourceFile, line_offsets

SOURCE = "syntax"

RULES: dict[str, str] = {
    "syntax/invalid-syntax": "The file does not parse (CPython's own message).",
    "syntax/unclosed-bracket": "A bracket is never closed; reported at the opening bracket.",
    "syntax/mismatched-bracket": "A closing bracket does not match the bracket that is open.",
    "syntax/unmatched-bracket": "A closing bracket has no opening bracket.",
    "syntax/unterminated-string": "A string literal is never closed.",
    "syntax/missing-colon": "A block statement (if, def, for, ...) lacks its ':'.",
    "syntax/missing-comma": "Two items of a literal, call or parameters lack a ',' between them.",
    "syntax/indentation": "Unexpected, missing or inconsistent indentation.",
    "syntax/tabs-and-spaces": "Indentation mixes tabs and spaces inconsistently.",
    "syntax/invalid-character": "A character that cannot appear in code (typographic quotes, NUL).",
    "syntax/python2-print": "Python 2 print statement: print is a function in Python 3.",
    "syntax/python2-exec": "Python 2 exec statement: exec is a function in Python 3.",
    "syntax/python2-except": "Python 2 'except X, e:'; Python 3 writes 'except X as e:'.",
    "syntax/python2-raise": "Python 2 'raise E, msg'; Python 3 writes 'raise E(msg)'.",
    "syntax/python2-backticks": "Python 2 backticks; Python 3 writes repr(...).",
    "syntax/python2-ne": "Python 2 '<>' operator; Python 3 writes '!='.",
    "syntax/python2-octal": "Python 2 octal literal 0755; Python 3 writes 0o755.",
    "syntax/python2-ur-prefix": "Python 2 ur'...' string; Python 3 writes r'...'.",
    "syntax/merge-conflict": "Unresolved merge conflict markers; never repaired automatically.",
    "syntax/notebook-magic": "IPython '!command' or '%magic' line in a .py file.",
    "syntax/incomplete-statement": "A line ends after '=', '.' or an operator: half-typed.",
    "syntax/keyword-as-name": "A keyword (class, lambda, from, ...) used as a variable name.",
}


def check_syntax(file: SourceFile, limits: Limits = DEFAULT_LIMITS) -> list[Finding]:
    """Syntax errors of one Python file, in the order found; [] when it compiles."""
    result = search(file.text, limits)
    state = result.deepest
    if not state.steps:  # it compiles
        return []
    offsets = line_offsets(file.text)
    findings: list[Finding] = []
    seen: set[tuple[str, int]] = set()
    for index, step in enumerate(state.steps):
        start, end = state.original_range(index)
        if (step.diagnosis.rule, start) in seen:
            continue
        seen.add((step.diagnosis.rule, start))
        line, column = _position(offsets, start)
        end_line, end_column = _position(offsets, end)
        findings.append(
            Finding(
                rule=step.diagnosis.rule,
                severity=Severity.ERROR,
                message=step.diagnosis.message,
                path=file.path,
                line=line,
                column=column,
                end_line=end_line,
                end_column=max(end_column, column) if end_line == line else end_column,
                source=SOURCE,
                snippet=_line_text(file.text, offsets, line).strip(),
            )
        )
    findings.sort(key=lambda finding: (finding.line, finding.column))
    repairs = ranked_repairs(file.text, result) if findings and state.error is None else []
    if repairs:
        repair = repairs[0]
        if repair.confident:
            fix = Fix(f"Repair syntax: {repair.description}", repair.edits, "safe")
        else:  # a guess: shown as a suggestion for a person to judge, never applied as a fix
            description = f"Repair syntax (a guess, {repair.confidence:.0%} sure): "
            fix = Fix(description + repair.description, repair.edits, "unsafe")
        first = findings[0]
        findings[0] = Finding(
            first.rule,
            first.severity,
            first.message,
            first.path,
            first.line,
            first.column,
            first.end_line,
            first.end_column,
            first.source,
            fix,
            first.snippet,
        )
    return findings


def _position(offsets: list[int], offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset, lines split on '\\n' as in the models."""
    low, high = 0, len(offsets) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if offsets[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low + 1, offset - offsets[low] + 1


def _line_text(text: str, offsets: list[int], line: int) -> str:
    start = offsets[line - 1]
    end = offsets[line] if line < len(offsets) else len(text)
    return text[start:end]
