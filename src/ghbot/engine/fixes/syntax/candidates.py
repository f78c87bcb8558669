"""Candidate edits for one syntax error, cheapest (most likely intended) first.

Costs say how likely a person meant the edit: 1.0 is one ordinary keystroke-sized repair;
unambiguous Python 2 rewrites cost less, edits that touch several lines or delete code cost more.
Nothing here is trusted: the search verifies every candidate by compiling the result.
"""

from __future__ import annotations

import builtins
import re
from collections import Counter
from collections.abc import Iterator

from ghbot.engine.analysis.syntax_diagnose import CONFLICT_MARKER, Diagnosis, ParseError
from ghbot.engine.analysis.syntax_scan import OPENERS, PAIRS, Scan, Token
from ghbot.engine.fixes.syntax.edits import Candidate, Edit
from ghbot.engine.fixes.syntax.token_candidates import token_candidates

MAX_CANDIDATES = 40
MAX_TOKEN_EDITS = 20  # the likeliest single-token guesses tried per error
MAX_LINES_AHEAD = 400  # how far below an unclosed bracket a closer is sought

_BLOCK_KEYWORDS = frozenset(
    "if elif else for while def class try except finally with async match case".split()
)
# A line that can only start a new statement, so a bracket still open above it was dropped.
# Possessive runs: each can end in only one place, and backtracking into them split a long
# run of spaces between two `\s*` in every way (0.6 s a 4,000-character line).
_STATEMENT_START = re.compile(
    r"(?:def|class|if|elif|else|for|while|try|except|finally|with|return|import|from|raise|"
    r"assert|pass|break|continue|del|global|nonlocal|async|@)\b|@|[\w.]++\s*+(?:\[[^\]]*+\]\s*+)?"
    r"(?:[-+*/%|&^]|//|\*\*|>>|<<)?=(?!=)"
)
# A line that starts with one of these starts a statement, whatever the line above ends with.
_KEYWORD_START = re.compile(
    r"(?:def|class|if|elif|for|while|try|except|finally|with|return|import|from|raise|assert|"
    r"pass|break|continue|del|global|nonlocal|async)\b|@"
)
_SMART = {
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2018": "'",
    "\u2019": "'",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u00a0": " ",
    "\u200b": "",
    "\ufeff": "",
}
_OUTSIDE_FUNCTION = re.compile(r"'(return|yield|await|break|continue)' (outside|not properly)")
# Limits of the compiler, not mistakes: no small edit helps.
_HOPELESS = re.compile(r"too many nested|too complex|too many statically nested|maximum recursion")
_KNOWN = frozenset(dir(builtins)) | {"self", "cls", "None", "True", "False"}
# Rules whose own generator says all there is to say: a nearby generic edit (deleting a token,
# adding a comma) would parse but guess at intent, e.g. pick one side of a merge conflict.
_NO_FALLBACK = frozenset(
    {
        "syntax/invalid-syntax",
        "syntax/tabs-and-spaces",
        "syntax/merge-conflict",
        "syntax/keyword-as-name",
        "syntax/notebook-magic",
        "syntax/incomplete-statement",
    }
)
# Rules where no single-token guess is a repair: either side of a conflict may be meant, and
# layout is the indentation rules' business.
_NO_TOKEN_EDITS = frozenset(
    {"syntax/merge-conflict", "syntax/tabs-and-spaces", "syntax/indentation"}
)
# Operators from C-like languages, and the Python words meant.
_FOREIGN_OPERATORS = {"&&": "and", "||": "or"}
_INCREMENT = re.compile(r"([\w.]+(?:\[[^\]\n]{0,80}\])?)[ \t]*(\+\+|--)[ \t]*")


def candidates(error: ParseError, diagnosis: Diagnosis, scan: Scan) -> list[Candidate]:
    if _HOPELESS.search(error.message):
        return []
    generator = _GENERATORS.get(diagnosis.rule, _generic)
    found: dict[tuple[Edit, ...], Candidate] = {}
    for candidate in generator(error, diagnosis, scan):
        if candidate.edits and candidate.edits not in found:
            found[candidate.edits] = candidate
    if diagnosis.rule not in _NO_FALLBACK and not diagnosis.rule.startswith("syntax/python2-"):
        for candidate in _generic(error, diagnosis, scan):
            if candidate.edits not in found:
                found[candidate.edits] = Candidate(
                    candidate.edits, candidate.description, candidate.cost + 0.5, candidate.bracket
                )
    if diagnosis.rule not in _NO_TOKEN_EDITS and not diagnosis.rule.startswith("syntax/python2-"):
        for candidate in token_candidates(scan, error.offset, MAX_TOKEN_EDITS):
            if candidate.edits not in found:
                found[candidate.edits] = candidate
    ranked = sorted(found.values(), key=lambda candidate: candidate.cost)
    return ranked[:MAX_CANDIDATES]


def comment_out(error: ParseError, scan: Scan) -> Candidate | None:
    """The last resort: turn the statement holding the error into a comment. Nothing is lost
    (every name and literal stays, readable), so a person can finish it; never confident."""
    if CONFLICT_MARKER.search(scan.text) or _HOPELESS.search(error.message):
        return None  # either side of a conflict may be meant; a compiler limit is no mistake
    first = _statement_line(scan, error.line)
    last = max(_logical_end_line(scan, first), error.line)
    edits = []
    for line in range(first, min(last, first + 50) + 1):
        if scan.is_blank(line) or (line in scan.lines_in_strings and line != first):
            continue
        start = scan.line_starts[line - 1] + len(scan.indent(line))
        edits.append(Edit(start, start, "# "))
    if not edits:
        return None
    description = "comment out the line that is not code"
    return Candidate(tuple(edits), description, 3.0, token=True, last_resort=True)


# --- helpers --------------------------------------------------------------------------------


def _statement_line(scan: Scan, line: int) -> int:
    """The first line of the logical line that holds `line`."""
    while line > 1 and line not in scan.statement_lines:
        line -= 1
    return line


def _width(indent: str) -> int:
    return len(indent.expandtabs(8))


def _indent_unit(scan: Scan) -> str:
    """The file's indentation step: a tab or the most common increase in spaces (default 4)."""
    steps: Counter[str] = Counter()
    previous = 0
    for line in sorted(scan.statement_lines)[:2000]:
        indent = scan.indent(line)
        if "\t" in indent:
            steps["\t"] += 1
        elif len(indent) > previous:
            steps[" " * (len(indent) - previous)] += 1
        previous = len(indent.expandtabs(8))
    return steps.most_common(1)[0][0] if steps else "    "


def _previous_code_line(scan: Scan, line: int) -> int | None:
    line -= 1
    while line >= 1 and (scan.is_blank(line) or line not in scan.statement_lines):
        line -= 1
    return line if line >= 1 else None


def _reindent(scan: Scan, lines: range | list[int], delta: int, unit: str) -> tuple[Edit, ...]:
    """Shift the indentation of `lines` by `delta` columns, keeping blank lines untouched."""
    edits = []
    for line in lines:
        if scan.is_blank(line):
            continue
        indent = scan.indent(line)
        width = max(_width(indent) + delta, 0)
        new = "\t" * (width // 8) + " " * (width % 8) if unit == "\t" else " " * width
        if new != indent:
            start = scan.line_starts[line - 1]
            edits.append(Edit(start, start + len(indent), new))
    return tuple(edits)


def _logical_end_line(scan: Scan, line: int) -> int:
    """The last physical line of the logical line starting at `line`."""
    index = scan.token_at(scan.line_starts[line - 1])
    depth = scan.tokens[index].depth if index < len(scan.tokens) else 0
    limit = scan.line_starts[min(scan.line_count, line + MAX_LINES_AHEAD) - 1]
    while index < len(scan.tokens) and scan.tokens[index].start <= limit:
        token = scan.tokens[index]
        if token.kind == "newline" and token.depth <= depth:
            return scan.position(token.start)[0]
        index += 1
    return min(scan.line_count, line + MAX_LINES_AHEAD)


def _open_stack(scan: Scan, offset: int) -> list[Token]:
    stack: list[Token] = []
    for token in scan.tokens:
        if token.start >= offset:
            break
        if token.kind == "open":
            stack.append(token)
        elif token.kind == "close" and stack:
            if stack[-1].text == OPENERS[token.text]:
                stack.pop()
    return stack


def _significant(scan: Scan, start: int, end: int) -> list[int]:
    """Indexes of the tokens starting in [start, end) that are not blanks, breaks or comments."""
    index = scan.token_at(start)
    found = []
    while index < len(scan.tokens) and scan.tokens[index].start < end:
        if scan.tokens[index].kind not in ("ws", "newline", "cont", "comment"):
            found.append(index)
        index += 1
    return found


def _previous_token(scan: Scan, index: int) -> Token | None:
    index -= 1
    while index >= 0 and scan.tokens[index].kind in ("ws", "newline", "cont", "comment"):
        index -= 1
    return scan.tokens[index] if index >= 0 else None


def _boundary_line(scan: Scan, opener_line: int) -> int:
    """First line below an open bracket that can only start a statement: it closes above."""
    statement = _statement_line(scan, opener_line)
    header = scan.line_text(statement).lstrip().split(" ", 1)[0] in _BLOCK_KEYWORDS
    base = _width(scan.indent(opener_line))
    last = min(scan.line_count, opener_line + MAX_LINES_AHEAD)
    continued = False  # the line above ends with ',' or an opener: this one goes on inside
    for line in range(opener_line, last + 1):
        if scan.is_blank(line) or line in scan.lines_in_strings:
            continue
        width = _width(scan.indent(line))
        text = scan.line_text(line).lstrip()
        if (
            line > opener_line
            and (not continued or _KEYWORD_START.match(text))
            and (width < base or (width == base and text[:1] not in ")]}"))
        ):
            return line
        end = scan.code_end(line)
        continued = scan.text[end - 1 : end] in (",", "(", "[", "{")
        if header and scan.text[scan.code_end(line) - 1 : scan.code_end(line)] == ":":
            return line + 1  # a block header ends here, so the bracket closes before its ':'
    return last + 1


# --- one generator per rule -------------------------------------------------------------------


def _missing_colon(error: ParseError, diagnosis: Diagnosis, scan: Scan) -> Iterator[Candidate]:
    line = _statement_line(scan, error.line)
    start = scan.line_starts[line - 1] + len(scan.indent(line))
    if match := re.match(r"else[ \t]+if\b", scan.text[start : start + 40]):
        yield Candidate((Edit(start, start + match.end(), "elif"),), "write 'elif'", 0.5)
    end = scan.code_end(error.line)
    # CPython may point past the blanks before a comment: the ':' belongs right after the code.
    at_code_end = end <= error.offset and not scan.text[end : error.offset].strip()
    yield Candidate((Edit(end, end, ":"),), "add the missing ':'", 1.0 if at_code_end else 1.1)
    yield Candidate((Edit(error.offset, error.offset, ":"),), "add the missing ':'", 1.0)


def _unclosed(error: ParseError, diagnosis: Diagnosis, scan: Scan) -> Iterator[Candidate]:
    opener_offset = scan.offset(diagnosis.line, diagnosis.column)
    char = scan.text[opener_offset : opener_offset + 1]
    if char not in PAIRS:
        return
    closer = PAIRS[char]
    opener_line = diagnosis.line
    boundary = _boundary_line(scan, opener_line)
    last = boundary - 1
    while last > opener_line and scan.is_blank(last):
        last -= 1
    for distance, line in enumerate(range(last, opener_line - 1, -1)):
        if distance > 30:
            break
        end = scan.code_end(line)
        if line == opener_line and end <= opener_offset:
            continue
        cost = 1.0 + 0.1 * distance
        yield Candidate((Edit(end, end, closer),), f"close '{char}' with '{closer}'", cost, True)
        if scan.text[end - 1 : end] in (":", ","):  # "if f(x:" means "if f(x):"
            shift = -0.01 if scan.text[end - 1] == ":" else 0.05
            yield Candidate(
                (Edit(end - 1, end - 1, closer),),
                f"close '{char}' with '{closer}'",
                cost + shift,
                True,
            )
    opener_index = scan.token_at(opener_offset)
    depth = scan.tokens[opener_index].depth + 1
    inner = _significant(scan, opener_offset + 1, scan.code_end(opener_line))
    for rank, index in enumerate(inner[:40]):
        token = scan.tokens[index]
        if token.depth == depth and token.text in ("=", ",", ":", "for", "if", "else", ")", "]"):
            previous = _previous_token(scan, index)
            if previous is not None and previous.end > opener_offset:
                position = previous.end
                cost = 1.1 + 0.01 * rank
                yield Candidate((Edit(position, position, closer),), f"close '{char}'", cost, True)
    yield Candidate(
        (Edit(opener_offset, opener_offset + 1, ""),), f"remove the stray '{char}'", 1.6
    )


def _mismatched(error: ParseError, diagnosis: Diagnosis, scan: Scan) -> Iterator[Candidate]:
    offset = error.offset
    found = scan.text[offset : offset + 1]
    stack = _open_stack(scan, offset)
    if found not in OPENERS or not stack:
        return
    opener = stack[-1]
    expected = PAIRS[opener.text]
    yield Candidate(
        (Edit(offset, offset + 1, expected),), f"replace '{found}' with '{expected}'", 1.0, True
    )
    yield Candidate(
        (Edit(offset, offset, expected),), f"close '{opener.text}' before '{found}'", 1.0, True
    )
    # The inner bracket may have been dropped earlier: before a comma or at a line end inside it.
    positions = [
        scan.tokens[index].start
        for index in _significant(scan, opener.end, offset)
        if scan.tokens[index].text == "," and scan.tokens[index].depth == opener.depth + 1
    ]
    opener_line = scan.position(opener.start)[0]
    positions += [scan.code_end(line) for line in range(opener_line, scan.position(offset)[0])]
    for rank, position in enumerate(sorted(set(positions), reverse=True)[:10]):
        if opener.end <= position < offset:
            yield Candidate(
                (Edit(position, position, expected),),
                f"close '{opener.text}' with '{expected}'",
                1.05 + 0.05 * rank,
                True,
            )
    yield Candidate((Edit(offset, offset + 1, ""),), f"remove the stray '{found}'", 1.2, True)


def _unmatched(error: ParseError, diagnosis: Diagnosis, scan: Scan) -> Iterator[Candidate]:
    offset = error.offset
    closer = scan.text[offset : offset + 1]
    if closer not in OPENERS:
        return
    previous = _previous_token(scan, scan.token_at(offset))
    doubled = previous is not None and previous.text == closer
    cost = 0.9 if doubled else 1.2
    yield Candidate((Edit(offset, offset + 1, ""),), f"remove the extra '{closer}'", cost, True)
    yield from _insert_opener(scan, offset, OPENERS[closer])


def _insert_opener(scan: Scan, offset: int, opener: str) -> Iterator[Candidate]:
    """Put back a dropped opening bracket somewhere on the statement before `offset`."""
    line = _statement_line(scan, scan.position(offset)[0])
    indexes = _significant(scan, scan.line_starts[line - 1], offset)
    counts = Counter(token.text for token in scan.tokens if token.kind == "name")
    for rank, index in enumerate(reversed(indexes[-30:])):
        token = scan.tokens[index]
        description = f"add the missing '{opener}'"
        if token.kind == "name" and counts[token.text] == 1:
            # "foo(x)" that lost its "(" reads "foox)": split the unknown name into known parts.
            for cut in range(1, len(token.text)):
                left, right = token.text[:cut], token.text[cut:]
                if counts[left] or left in _KNOWN:
                    known_right = bool(counts[right]) or right in _KNOWN or right[0].isdigit()
                    cost = 0.8 if known_right else 1.1
                    yield Candidate(
                        (Edit(token.start + cut, token.start + cut, opener),),
                        description,
                        cost,
                        True,
                    )
        previous = _previous_token(scan, index)
        starts_expression = (
            previous is None
            or previous.kind in ("op", "open")
            or (
                previous.text
                in ("return", "in", "yield", "if", "elif", "while", "and", "or", "not", "for")
            )
        )
        call = (
            previous is not None
            and previous.kind in ("name", "close")
            and previous.end == token.start
        )
        if starts_expression or call:
            # After a comma the bracket would nest one item; at the start it holds them all.
            after_comma = previous is not None and previous.text == ","
            cost = (1.0 if call else 1.05) + 0.01 * rank + (0.1 if after_comma else 0)
            yield Candidate((Edit(token.start, token.start, opener),), description, cost, True)


def _unterminated(error: ParseError, diagnosis: Diagnosis, scan: Scan) -> Iterator[Candidate]:
    index = scan.token_at(error.offset)
    if index >= len(scan.tokens) or scan.tokens[index].kind != "string":
        return
    token = scan.tokens[index]
    prefix_length = len(token.text) - len(token.text.lstrip("rRbBuUfF"))
    body_start = token.start + prefix_length
    quote = scan.text[body_start : body_start + 3]
    if quote not in ("'''", '"""'):
        quote = quote[:1]
        yield from _close_single(scan, token, body_start + 1, quote)
    else:
        yield from _close_triple(scan, token, quote)
    yield Candidate((Edit(body_start, body_start + len(quote), ""),), "remove the stray quote", 1.6)


def _close_single(scan: Scan, token: Token, content_start: int, quote: str) -> Iterator[Candidate]:
    end = token.end
    content = scan.text[content_start:end]
    stripped_end = content_start + len(content.rstrip())
    description = f"close the string with {quote}"
    yield Candidate((Edit(stripped_end, stripped_end, quote),), description, 1.0)
    yield from _close_earlier(scan, token, quote)
    other = "'" if quote == '"' else '"'
    if content.rstrip().endswith(other):  # opened with one quote, closed with the other
        yield Candidate(
            (Edit(stripped_end - 1, stripped_end, quote),), f"use {quote} to close the string", 0.9
        )
    # "'Hello, ' + name" that lost its quote: close before an operator whose operand is a name
    # the file uses elsewhere, rather than swallowing the code into the string.
    for match in re.finditer(r"([ \t]+)[-+*%][ \t]+([^\W\d]\w*)", content[:400]):
        if match.group(2) in scan.names or match.group(2) in _KNOWN:
            # Of two blanks, one was the string's; with one, the quote and a blank went together.
            position = content_start + match.start() + 1
            closing = quote if len(match.group(1)) > 1 else f"{quote} "
            yield Candidate((Edit(position, position, closing),), description, 0.95)
            break
    for rank, match in enumerate(re.finditer(r"[,)\]}:;]|\s+#", content)):
        if rank >= 20:
            break
        position = content_start + match.start()
        rest = scan.text[position:stripped_end]
        cost = 0.98 if re.fullmatch(r"[\s)\]}:,;]*", rest) else 1.05 + 0.002 * rank
        yield Candidate((Edit(position, position, quote),), description, cost)


def _close_earlier(scan: Scan, token: Token, quote: str) -> Iterator[Candidate]:
    """A quote dropped earlier on the line shifts every later string by one quote, so CPython
    blames the last one. Put the quote back inside an earlier string, where code resumes."""
    line_start = scan.line_starts[scan.position(token.start)[0] - 1]
    strings = [
        scan.tokens[index]
        for index in _significant(scan, line_start, token.start)
        if scan.tokens[index].kind == "string"
        and scan.tokens[index].text.endswith(quote)
        and not scan.tokens[index].text.endswith(quote * 3)
    ]
    for string in strings[-6:]:
        body_start = string.start + string.text.index(quote) + 1
        body_end = string.end - 1
        for match in re.finditer(r"[,):\]}. ]", scan.text[body_start:body_end]):
            position = body_start + match.start()
            # "'ada, 'bob'" lost the quote before the comma; after it, the result would glue
            # two strings together ('ada,' 'bob').
            cost = 1.0 + 0.001 * (body_end - position) + (0.01 if match.group() == " " else 0)
            yield Candidate(
                (Edit(position, position, quote),), f"close the string with {quote}", cost
            )


def _close_triple(scan: Scan, token: Token, quote: str) -> Iterator[Candidate]:
    line = scan.position(token.start)[0]
    statement_indent = _width(scan.indent(_statement_line(scan, line)))
    description = f"close the string with {quote}"
    end_line = min(scan.line_count, line + MAX_LINES_AHEAD)
    stop = end_line
    for candidate_line in range(line + 1, end_line + 1):
        stripped = scan.line_text(candidate_line).lstrip()
        if (
            stripped
            and _width(scan.indent(candidate_line)) <= statement_indent
            and (_STATEMENT_START.match(stripped))
        ):
            stop = candidate_line - 1
            break
    while stop > line and not scan.line_text(stop).strip():
        stop -= 1
    for distance, target in enumerate(range(stop, line - 1, -1)):
        if distance > 15:
            break
        end = scan.line_end(target)
        end -= len(scan.line_text(target)) - len(scan.line_text(target).rstrip())
        yield Candidate((Edit(end, end, quote),), description, 1.0 + 0.05 * distance)


def _indentation(error: ParseError, diagnosis: Diagnosis, scan: Scan) -> Iterator[Candidate]:
    unit = _indent_unit(scan)
    line = error.line
    message = error.message
    if message.startswith("expected an indented block"):
        match = re.search(r"on line (\d+)", message)
        opener_line = int(match.group(1)) if match else _previous_code_line(scan, line) or line
        yield from _indent_block(scan, opener_line, line, unit)
    elif message.startswith("unexpected indent"):
        yield from _unexpected_indent(scan, line, unit)
    elif message.startswith("unindent does not match"):
        yield from _unindent_mismatch(scan, line, unit)


def _indent_block(scan: Scan, opener_line: int, line: int, unit: str) -> Iterator[Candidate]:
    opener_indent = _width(scan.indent(opener_line))
    target = opener_indent + _width(unit)
    delta = target - _width(scan.indent(line))
    first_word = scan.line_text(line).lstrip().split(" ", 1)[0]
    opener_word = scan.line_text(opener_line).lstrip().split(" ", 1)[0]
    empty_body = _width(scan.indent(line)) < opener_indent or (
        first_word in ("def", "class", "@") and opener_word in ("def", "class", "async")
    )
    yield Candidate(
        _reindent(scan, [line], delta, unit),
        "indent the block's first line",
        1.5 if empty_body else 1.0,
    )
    block = _same_indent_run(scan, line)
    if len(block) > 1:
        yield Candidate(
            _reindent(scan, block, delta, unit), "indent the block", 1.2 + 0.05 * len(block)
        )
    end = scan.line_end(_logical_end_line(scan, opener_line))
    body = " " * target if unit != "\t" else "\t" * (target // 8)
    yield Candidate(
        (Edit(end, end, f"\n{body}pass"),),
        "add 'pass' as the empty block",
        0.9 if empty_body else 1.3,
    )


def _same_indent_run(scan: Scan, line: int) -> list[int]:
    """`line` and the lines after it at its indentation or deeper, up to a blank line or dedent."""
    width = _width(scan.indent(line))
    run = [line]
    for following in range(line + 1, min(scan.line_count, line + 200) + 1):
        if scan.is_blank(following) or _width(scan.indent(following)) < width:
            break
        run.append(following)
    return run


def _unexpected_indent(scan: Scan, line: int, unit: str) -> Iterator[Candidate]:
    previous = _previous_code_line(scan, line)
    if previous is None:
        yield Candidate(
            _reindent(scan, [line], -_width(scan.indent(line)), unit), "remove the indentation", 1.0
        )
        return
    width = _width(scan.indent(line))
    previous_width = _width(scan.indent(previous))
    # The line is too deep: bring it (or its whole block) back to the previous statement's level.
    yield Candidate(_reindent(scan, [line], previous_width - width, unit), "dedent the line", 1.0)
    block = _same_indent_run(scan, line)
    if len(block) > 1:
        yield Candidate(
            _reindent(scan, block, previous_width - width, unit),
            "dedent the block",
            1.1 + 0.05 * len(block),
        )
    # Or the lines above lost their indentation: indent them back up to this line's level.
    run: list[int] = []
    current: int | None = previous
    while current is not None and _width(scan.indent(current)) == previous_width and len(run) < 50:
        if scan.code_end(current) > 0 and scan.text[scan.code_end(current) - 1] == ":":
            break
        run.append(current)
        current = _previous_code_line(scan, current)
    if run:
        lines = range(min(run), _logical_end_line(scan, max(run)) + 1)
        cost = 1.0 + 0.15 * (len(run) - 1)
        yield Candidate(
            _reindent(scan, lines, width - previous_width, unit), "indent the lines above", cost
        )


def _unindent_mismatch(scan: Scan, line: int, unit: str) -> Iterator[Candidate]:
    width = _width(scan.indent(line))
    levels: list[int] = []
    current = _previous_code_line(scan, line)
    while current is not None and len(levels) < 20:
        level = _width(scan.indent(current))
        if not levels or level < levels[-1]:
            levels.append(level)
        if level == 0:
            break
        current = _previous_code_line(scan, current)
    block = _same_indent_run(scan, line)
    for level in sorted(levels, key=lambda level: abs(level - width)):
        cost = 1.0 + 0.01 * abs(level - width)
        yield Candidate(
            _reindent(scan, [line], level - width, unit), "align the line with its block", cost
        )
        if len(block) > 1:
            yield Candidate(
                _reindent(scan, block, level - width, unit),
                "align the block",
                cost + 0.05 * len(block),
            )


def _tabs(error: ParseError, diagnosis: Diagnosis, scan: Scan) -> Iterator[Candidate]:
    for size, cost in ((8, 1.0), (4, 1.05)):
        edits = []
        for line in range(1, scan.line_count + 1):
            indent = scan.indent(line)
            if "\t" in indent and line not in scan.lines_in_strings:
                start = scan.line_starts[line - 1]
                edits.append(Edit(start, start + len(indent), indent.expandtabs(size)))
        yield Candidate(
            tuple(edits), f"replace tabs in indentation with spaces (tab = {size})", cost
        )


def _python2_print(error: ParseError, diagnosis: Diagnosis, scan: Scan) -> Iterator[Candidate]:
    word = "exec" if diagnosis.rule.endswith("exec") else "print"
    index = scan.token_at(error.offset)
    if index >= len(scan.tokens) or scan.tokens[index].text != word:
        return
    token = scan.tokens[index]
    end = scan.code_end(_logical_end_line(scan, error.line))
    arguments = scan.text[token.end : end].strip()
    if word == "print":
        rewritten = _print_call(arguments)
    else:
        parts = re.split(r"\s+in\s+", arguments, maxsplit=1)
        rewritten = f"exec({', '.join(parts)})"
    yield Candidate((Edit(token.start, end, rewritten),), f"call {word} as a function", 0.5)


def _print_call(arguments: str) -> str:
    if match := re.fullmatch(r">>\s*([^,]+?)\s*(?:,\s*(.*))?", arguments, re.S):
        target, rest = match.groups()  # "print >>f, x": to a file
        return _print_call(rest or "")[:-1] + f"{', ' if rest else ''}file={target})"
    end = ""
    if arguments.endswith(","):
        arguments = arguments[:-1].rstrip()
        end = 'end=" "'
    return "print(" + ", ".join(part for part in (arguments.strip(), end) if part) + ")"


def _python2_except(error: ParseError, diagnosis: Diagnosis, scan: Scan) -> Iterator[Candidate]:
    indexes = _significant(scan, error.offset, scan.code_end(error.end_line))
    commas = [
        index
        for index in indexes
        if scan.tokens[index].text == ","
        and scan.tokens[index].depth == scan.tokens[indexes[0]].depth
    ]
    if not commas:
        return
    comma = scan.tokens[commas[-1]]
    after = scan.text[comma.end : scan.code_end(error.end_line)].strip().rstrip(":").strip()
    # "except ValueError, IndexError:" names two classes; "except ValueError, e:" binds one.
    two_classes = after[:1].isupper()
    if re.fullmatch(r"[^\W\d]\w*", after):
        cost = 0.6 if two_classes else 0.5
        yield Candidate((Edit(comma.start, comma.end, " as"),), "write 'except X as name'", cost)
    types_end = scan.code_end(error.end_line) - 1
    yield Candidate(
        (Edit(error.offset, error.offset, "("), Edit(types_end, types_end, ")")),
        "parenthesize the exception types",
        0.55 if two_classes else 1.0,
    )


def _python2_backticks(error: ParseError, diagnosis: Diagnosis, scan: Scan) -> Iterator[Candidate]:
    start = error.offset
    end = scan.text.find("`", start + 1, scan.line_end(error.line))
    if end > start:
        inner = scan.text[start + 1 : end]
        yield Candidate((Edit(start, end + 1, f"repr({inner})"),), "write repr(...)", 0.5)


def _python2_ne(error: ParseError, diagnosis: Diagnosis, scan: Scan) -> Iterator[Candidate]:
    yield Candidate((Edit(error.offset, error.offset + 2, "!="),), "write '!='", 0.5)


def _python2_raise(error: ParseError, diagnosis: Diagnosis, scan: Scan) -> Iterator[Candidate]:
    line = _statement_line(scan, error.line)
    start = scan.line_starts[line - 1] + len(scan.indent(line))
    end = scan.code_end(_logical_end_line(scan, line))
    match = re.fullmatch(
        r"raise\s+([^,]+?)\s*,\s*(.+?)(?:\s*,\s*([\w.]+))?", scan.text[start:end], re.S
    )
    if match:
        exception, argument, traceback = match.groups()
        rewritten = f"raise {exception}({argument})"
        if traceback:
            rewritten += f".with_traceback({traceback})"
        yield Candidate((Edit(start, end, rewritten),), "write 'raise E(message)'", 0.5)


def _python2_octal(error: ParseError, diagnosis: Diagnosis, scan: Scan) -> Iterator[Candidate]:
    token = scan.tokens[scan.token_at(error.offset)]
    if token.kind == "number" and token.text.startswith("0"):
        digits = token.text.lstrip("0").rstrip("lL") or "0"
        yield Candidate((Edit(token.start, token.end, f"0o{digits}"),), "write 0o...", 0.5)


def _missing_comma(error: ParseError, diagnosis: Diagnosis, scan: Scan) -> Iterator[Candidate]:
    end = scan.offset(error.end_line, error.end_column)
    indexes = _significant(scan, error.offset, max(end, error.offset + 1))
    for rank, (left, right) in enumerate(zip(indexes, indexes[1:], strict=False)):
        before, after = scan.tokens[left], scan.tokens[right]
        if before.is_atom_end and after.is_atom_start:
            yield Candidate(
                (Edit(before.end, before.end, ","),), "add the missing ','", 1.0 + 0.01 * rank
            )


def _invalid_character(error: ParseError, diagnosis: Diagnosis, scan: Scan) -> Iterator[Candidate]:
    edits = tuple(
        Edit(token.start, token.end, _SMART[token.text])
        for token in scan.tokens
        if token.kind == "other" and token.text in _SMART
    )
    yield Candidate(edits, "replace typographic characters with ASCII ones", 0.5)
    if "\0" in scan.text:
        yield Candidate(
            tuple(Edit(m.start(), m.end(), "") for m in re.finditer("\0", scan.text)),
            "remove null bytes",
            1.0,
        )


def _comparison(scan: Scan, indexes: list[int]) -> Iterator[Candidate]:
    """'=' meant as '==' in a condition, unless a call follows: then ':=' is as likely."""
    for position, equals in enumerate(indexes[:40]):
        if scan.tokens[equals].text != "=":
            continue
        following = [scan.tokens[index].text for index in indexes[position + 1 : position + 20]]
        chain = 0  # a dotted name, then "(": a call
        while chain < len(following) and (
            following[chain] == "." or following[chain].isidentifier()
        ):
            chain += 1
        call = 0 < chain < len(following) and following[chain] == "("
        if not call:
            start = scan.tokens[equals].start
            yield Candidate((Edit(start, start + 1, "=="),), "compare with '=='", 0.8)
        return


def _foreign_operators(
    scan: Scan, index: int, token: Token, previous: Token | None
) -> Iterator[Candidate]:
    """'&&', '||', '!x' and 'i++' written by hands used to C or JavaScript."""
    if previous is not None and previous.end == token.start:
        pair = previous.text + token.text
        if pair in _FOREIGN_OPERATORS:
            word = _FOREIGN_OPERATORS[pair]
            left = "" if scan.text[previous.start - 1 : previous.start].isspace() else " "
            right = "" if scan.text[token.end : token.end + 1].isspace() else " "
            yield Candidate(
                (Edit(previous.start, token.end, f"{left}{word}{right}"),), f"write '{word}'", 0.5
            )
    if (
        token.text == "!"
        and index + 1 < len(scan.tokens)
        and scan.tokens[index + 1].kind
        in (
            "name",
            "open",
        )
    ):
        yield Candidate((Edit(token.start, token.end, "not "),), "write 'not'", 0.5)
    line = scan.position(token.start)[0]
    start = scan.line_starts[line - 1] + len(scan.indent(line))
    end = scan.code_end(line)
    if match := _INCREMENT.fullmatch(scan.text, start, end):
        operator = "+=" if match.group(2) == "++" else "-="
        yield Candidate(
            (Edit(start, end, f"{match.group(1)} {operator} 1"),), f"write '{operator} 1'", 0.5
        )


def _fstring_inner_quotes(scan: Scan, line: int) -> Iterator[Candidate]:
    """f"{row["id"]}" parses from Python 3.12 only: before, the inner quotes must differ."""
    start, end = scan.line_starts[line - 1], scan.line_end(line)
    for index in _significant(scan, start, end)[:60]:
        token = scan.tokens[index]
        prefix = token.text[: len(token.text) - len(token.text.lstrip("rRbBuUfF"))]
        if token.kind != "string" or "f" not in prefix.lower():
            continue
        quote = token.text[len(prefix)]
        other = "'" if quote == '"' else '"'
        edits, depth = [], 0
        position = token.start + len(prefix) + 1
        while position < end:
            char = scan.text[position]
            if char in "{}" and scan.text[position + 1 : position + 2] == char and depth == 0:
                position += 2  # an escaped brace
                continue
            depth += (char == "{") - (char == "}")
            if char == quote:
                if depth <= 0:
                    break
                edits.append(Edit(position, position + 1, other))
            position += 1
        if edits and depth == 0:
            yield Candidate(tuple(edits), f"use {other} inside the f-string", 0.6)


def _fstring_close_brace(scan: Scan, line: int) -> Iterator[Candidate]:
    """f"{x:.2f" lost its '}': close the replacement field before the closing quote."""
    start, end = scan.line_starts[line - 1], scan.line_end(line)
    for index in _significant(scan, start, end)[:60]:
        token = scan.tokens[index]
        prefix = token.text[: len(token.text) - len(token.text.lstrip("rRbBuUfF"))]
        if token.kind != "string" or "f" not in prefix.lower() or not token.terminated:
            continue
        body = token.text[len(prefix) :].replace("{{", "").replace("}}", "")
        missing = body.count("{") - body.count("}")
        if missing > 0:
            quote = 3 if token.text[-3:] in ("'" * 3, '"' * 3) else 1
            position = token.end - quote
            yield Candidate((Edit(position, position, "}" * missing),), "close the '{'", 0.7)


def _notebook_magic(error: ParseError, diagnosis: Diagnosis, scan: Scan) -> Iterator[Candidate]:
    # Comment it out, as jupytext does when it saves a notebook as a script: nothing is lost.
    start = scan.offset(diagnosis.line, diagnosis.column)
    yield Candidate((Edit(start, start, "# "),), "comment out the notebook line", 0.5)


def _python2_ur(error: ParseError, diagnosis: Diagnosis, scan: Scan) -> Iterator[Candidate]:
    start = scan.offset(diagnosis.line, diagnosis.column)
    if scan.text[start : start + 2].lower() == "ur":
        yield Candidate((Edit(start, start + 1, ""),), "drop the 'u' prefix", 0.5)


def _keyword_as_name(error: ParseError, diagnosis: Diagnosis, scan: Scan) -> Iterator[Candidate]:
    """'from = 1' or 'def f(pass)': rename the keyword the way PEP 8 does, with a trailing '_'.
    A guess: the author may prefer another name, and other uses follow one error at a time."""
    start = scan.offset(diagnosis.line, diagnosis.column)
    end = scan.offset(diagnosis.end_line, diagnosis.end_column)
    word = scan.text[start:end]
    if word.isidentifier():
        yield Candidate((Edit(end, end, "_"),), f"rename '{word}' to '{word}_'", 1.0, token=True)


def _statement_start(scan: Scan, token: Token) -> bool:
    line = scan.position(token.start)[0]
    start = scan.line_starts[line - 1] + len(scan.indent(line))
    return token.start == start and line in scan.statement_lines


def _list_as_dict(scan: Scan, opener: Token) -> Iterator[Candidate]:
    """"['a': 1, 'b': 2]": key-value pairs in square brackets meant a dict."""
    index = scan.token_at(opener.end)
    limit = min(len(scan.tokens), index + 2000)
    while index < limit and not (
        scan.tokens[index].kind == "close" and scan.tokens[index].depth == opener.depth + 1
    ):
        index += 1
    if index < limit and scan.tokens[index].text == "]":
        closer = scan.tokens[index]
        edits = (Edit(opener.start, opener.end, "{"), Edit(closer.start, closer.end, "}"))
        yield Candidate(edits, "write the dict in braces", 0.9, True)


def _generic(error: ParseError, diagnosis: Diagnosis, scan: Scan) -> Iterator[Candidate]:
    message = error.message
    offset = error.offset
    index = scan.token_at(offset)
    token = scan.tokens[index] if index < len(scan.tokens) else None
    previous = _previous_token(scan, index)
    statement = _statement_line(scan, error.line)
    first = scan.line_text(statement).lstrip().split(" ", 1)[0].rstrip(":")
    if "instead of '='" in message:
        end = scan.offset(error.end_line, error.end_column)
        yield from _comparison(
            scan, _significant(scan, offset, max(end, scan.code_end(error.line)))
        )
    elif first in ("if", "elif", "while", "assert"):
        yield from _comparison(scan, _significant(scan, offset, scan.code_end(error.line)))
    if token is not None:
        yield from _foreign_operators(scan, index, token, previous)
    if message.startswith("':' expected after dictionary key"):
        line_start = scan.line_starts[error.line - 1]
        indexes = _significant(scan, line_start, scan.line_end(error.line))
        for rank, (left, right) in enumerate(zip(indexes, indexes[1:], strict=False)):
            before, after = scan.tokens[left], scan.tokens[right]
            if before.is_atom_end and after.is_atom_start and rank < 40:
                yield Candidate(
                    (Edit(before.end, before.end, ":"),), "add the missing ':'", 0.9 + 0.01 * rank
                )
    if message.startswith("f-string"):
        yield from _fstring_inner_quotes(scan, error.line)
        yield from _fstring_close_brace(scan, error.line)
    if first in ("import", "from") and scan.text[scan.code_end(error.line) - 1] == ",":
        comma = scan.code_end(error.line) - 1
        yield Candidate((Edit(comma, comma + 1, ""),), "remove the trailing ','", 0.8)
    if "after line continuation" in message:
        slash = scan.text.rfind("\\", scan.line_starts[error.line - 1], scan.line_end(error.line))
        if slash >= 0:
            yield Candidate(
                (Edit(slash + 1, scan.line_end(error.line), ""),), "remove blanks after '\\'", 0.5
            )
    if message.startswith("invalid decimal literal") and token is not None:
        number = scan.tokens[index - 1] if token.kind != "number" and index else token
        if number.kind == "number" and number.text[-1:] in "lL":
            yield Candidate(
                (Edit(number.end - 1, number.end, ""),), "drop the Python 2 'L' suffix", 0.5
            )
    if message == "expected '('" and token is not None:
        yield from _insert_opener(scan, scan.code_end(error.line), "(")
    if _OUTSIDE_FUNCTION.search(message) or message.startswith("expected 'except' or 'finally'"):
        above = _previous_code_line(scan, error.line)
        if above is not None:
            target = _width(scan.indent(above))
            if scan.text[scan.code_end(above) - 1 : scan.code_end(above)] == ":":
                target += _width(_indent_unit(scan))
            delta = target - _width(scan.indent(error.line))
            if delta > 0:
                block = _same_indent_run(scan, error.line)
                unit = _indent_unit(scan)
                yield Candidate(_reindent(scan, [error.line], delta, unit), "indent the line", 1.0)
                if len(block) > 1:
                    yield Candidate(_reindent(scan, block, delta, unit), "indent the block", 1.1)
    if first in _BLOCK_KEYWORDS:
        end = scan.code_end(_logical_end_line(scan, statement))
        if scan.text[end - 1 : end] != ":":
            yield Candidate((Edit(end, end, ":"),), "add the missing ':'", 1.0)
    if token is None or _OUTSIDE_FUNCTION.search(message):
        return  # deleting or bracketing code cannot put a statement back inside its block
    if previous is not None and previous.is_atom_end and token.is_atom_start:
        if previous.kind == "name" and _statement_start(scan, previous):
            # "filename 'a.txt'" at the start of a statement: an assignment lost its '='
            equals = Edit(previous.end, previous.end, " =")
            yield Candidate((equals,), "add the missing '='", 1.05, token=True)  # a guess
        yield Candidate((Edit(previous.end, previous.end, ","),), "add the missing ','", 1.1)
    stack = _open_stack(scan, token.start)
    if stack and token.text == ":" and stack[-1].text == "[":
        yield from _list_as_dict(scan, stack[-1])
    if stack:
        closer = PAIRS[stack[-1].text]
        position = previous.end if previous is not None else token.start
        yield Candidate((Edit(position, position, closer),), f"close '{stack[-1].text}'", 1.3, True)
    # Deleting a name, literal or '=' would throw the author's code away to make the file parse.
    if token.kind in ("op", "other", "close", "open") and token.text != "=":
        yield Candidate((Edit(token.start, token.end, ""),), f"remove '{token.text[:20]}'", 1.5)


_GENERATORS = {
    "syntax/missing-colon": _missing_colon,
    "syntax/unclosed-bracket": _unclosed,
    "syntax/mismatched-bracket": _mismatched,
    "syntax/unmatched-bracket": _unmatched,
    "syntax/unterminated-string": _unterminated,
    "syntax/indentation": _indentation,
    "syntax/tabs-and-spaces": _tabs,
    "syntax/python2-print": _python2_print,
    "syntax/python2-exec": _python2_print,
    "syntax/python2-except": _python2_except,
    "syntax/python2-backticks": _python2_backticks,
    "syntax/python2-ne": _python2_ne,
    "syntax/python2-raise": _python2_raise,
    "syntax/python2-octal": _python2_octal,
    "syntax/missing-comma": _missing_comma,
    "syntax/invalid-character": _invalid_character,
    "syntax/notebook-magic": _notebook_magic,
    "syntax/python2-ur-prefix": _python2_ur,
    "syntax/merge-conflict": lambda error, diagnosis, scan: iter(()),
    "syntax/keyword-as-name": _keyword_as_name,
    "syntax/incomplete-statement": lambda error, diagnosis, scan: iter(()),
}
