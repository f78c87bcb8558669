"""Single-token edits near an error, priced by how often people made them in that context.

Beside the per-rule generators, these cover the long tail: a stray '.' at the end of a line, a
keyword misspelt as a name ('impor', 'While', 'lamdba'), a missing 'in', '=' meant as '==', a
'**' of Markdown bold pasted with the code. Each edit is an insertion, deletion or replacement
of one keyword or operator; names, numbers and strings are never deleted or invented, so the
author's code is kept. The learned table (learned.py) gives each edit its price.
"""

from __future__ import annotations

from dataclasses import dataclass

from ghbot.engine.analysis.syntax_scan import Scan
from ghbot.engine.fixes.syntax.edits import Candidate, Edit
from ghbot.engine.fixes.syntax.learned import Atom, Table, TokenEdit, atoms, table

WINDOW_BEFORE = 4  # atoms before the error's atom where an edit may go
WINDOW_AFTER = 1
# Tried in every gap of the window, beside the table's own proposals for that context.
_INSERTS = (":", ",", "=", ".", "in", "+", "import")
# Brackets are the bracket rules' business: they know which bracket is open where.
_BRACKETS = frozenset("()[]{}")
# Keywords people misspell or miscapitalise, as the learned table shows.
_TYPO_KEYWORDS = (
    "import", "class", "lambda", "except", "if", "def", "return", "in", "from", "for",
    "while", "else", "elif", "try", "with", "not", "and", "or", "is", "pass", "print",
)  # fmt: skip
_LAYOUT = frozenset({"NEWLINE", "INDENT", "DEDENT", "NAME", "NUMBER", "STRING", "BOS", "EOS"})
# Never removed: the words that give a statement its shape (a repair would gut it).
_KEPT = frozenset(
    "def class if elif else for while with try except finally import from async".split()
)
_REPLACEMENTS = {
    "=": ("==", ":"), ".": (",",), ",": (":", "as"), ":": (",", "="),
    ";": (":", ","), "==": ("=",), "->": (":",), "is": ("in",), "else": ("except",),
}  # fmt: skip
# Words of other languages, and the Python keyword meant.
_FOREIGN = {
    "function": "def", "func": "def", "where": "if", "elsif": "elif", "elseif": "elif",
    "catch": "except", "exception": "except",
}  # fmt: skip
_SPACED_OPERATORS = frozenset({"=", "==", "+", "!="})
BASE_COST = 0.7
CASE_SLIP = 0.6
SPELLING_SLIP = 0.9
KNOWN_SLIP = 1.6
DANGLING = 1.2
COST_PER_NAT = 0.2  # converts -log P from the table into the rules' cost scale


def token_candidates(source: Scan, offset: int, limit: int) -> list[Candidate]:
    """The `limit` likeliest single-token edits around `offset` (the error), cheapest first."""
    found = atoms(source)
    learned = table()
    at = next((i for i, atom in enumerate(found) if atom.end > offset), len(found))
    texts = [atom.text for atom in found]
    guesses: list[_Guess] = []
    for index in range(max(at - WINDOW_BEFORE, 0), min(at + WINDOW_AFTER, len(found)) + 1):
        left = texts[index - 1] if index > 0 else "BOS"
        outer = texts[index - 2] if index > 1 else "BOS"
        right = texts[index] if index < len(texts) else "EOS"
        position = found[index - 1].end if index > 0 else found[0].start if found else 0
        for word in _insertable(learned, left, right):
            edit = TokenEdit(left, right, (), (word,), outer)
            guesses.append(_Guess(_price(learned, edit), position, position, word))
        if index < len(found):
            after = texts[index + 1] if index + 1 < len(texts) else "EOS"
            guesses.extend(_changes(source, found[index], (outer, left), after, learned))
    guesses.sort(key=lambda guess: guess.cost)
    return [guess.candidate(source.text) for guess in guesses[:limit]]


@dataclass(frozen=True, slots=True)
class _Guess:
    cost: float
    start: int
    end: int
    word: str  # the token written over text[start:end]; "" deletes it

    def candidate(self, text: str) -> Candidate:
        if self.word:
            content = _spaced(text, self.start, self.end, self.word)
            verb = "insert" if self.start == self.end else "write"
            description = f"{verb} '{self.word}'"
        else:
            content, description = "", f"remove '{text[self.start : self.end].strip()}'"
        edit = Edit(self.start, self.end, content)
        return Candidate((edit,), description, self.cost, token=True)


def _price(learned: Table, edit: TokenEdit) -> float:
    return BASE_COST + COST_PER_NAT * learned.cost(edit)


def _insertable(learned: Table, left: str, right: str) -> list[str]:
    """What people inserted between `left` and `right`, then the usual suspects."""
    proposed = [key.split("\t")[1] for key, _ in learned.proposals(left, right)]
    words = [
        word
        for word in proposed
        if word and " " not in word and word not in _LAYOUT and word not in _BRACKETS
    ]
    return list(dict.fromkeys(words + list(_INSERTS)))


def _changes(
    source: Scan, atom: Atom, before: tuple[str, str], right: str, learned: Table
) -> list[_Guess]:
    outer, left = before
    if atom.text in _LAYOUT and atom.text != "NAME":
        return []
    if atom.text == "NAME":
        word = source.text[atom.start : atom.end]
        return [
            _Guess(
                _price(learned, TokenEdit(left, right, ("NAME",), (k,), outer)),
                atom.start,
                atom.end,
                k,
            )
            for k in _typo_keywords(word)
        ]
    if atom.text in _KEPT or atom.text in _BRACKETS:
        return []
    start, end = atom.start, atom.end
    if source.text[start - 1 : start] == " " and source.text[end : end + 1] in (" ", "\n", ""):
        start -= 1  # "a . b" loses " ." with its blank
    removal = _price(learned, TokenEdit(left, right, (atom.text,), (), outer))
    if right == "NEWLINE":  # "f(x) or", "x = y." : a dangling word or operator ends the line
        removal = min(removal, DANGLING)
    guesses = [_Guess(removal, start, end, "")]
    for other in _REPLACEMENTS.get(atom.text, ()):
        edit = TokenEdit(left, right, (atom.text,), (other,), outer)
        price = min(_price(learned, edit), KNOWN_SLIP)  # a known slip, however rare in the table
        guesses.append(_Guess(price, atom.start, atom.end, other))
    return guesses


def _typo_keywords(word: str) -> list[str]:
    """Keywords `word` is a slip of: other case, one letter off, or two letters swapped."""
    if len(word) > 8:
        return []
    lowered = word.lower()
    foreign = [_FOREIGN[lowered]] if lowered in _FOREIGN else []
    return foreign + [k for k in _TYPO_KEYWORDS if k != word and _one_slip(lowered, k)]


def _one_slip(word: str, keyword: str) -> bool:
    if word == keyword:
        return True
    if abs(len(word) - len(keyword)) > 1 or min(len(word), len(keyword)) < 3:
        return False
    if len(word) == len(keyword):
        diffs = [i for i in range(len(word)) if word[i] != keyword[i]]
        if len(diffs) == 1:
            return True
        first, second = diffs[0], diffs[-1]
        return (
            len(diffs) == 2
            and second == first + 1
            and word[first] == keyword[second]
            and word[second] == keyword[first]
        )
    short, long = sorted((word, keyword), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _spaced(text: str, start: int, end: int, word: str) -> str:
    """`word` with the blanks it needs to stay a token of its own, and to read as people write
    it: a keyword or '=' between blanks, ',' followed by one."""
    before = text[start - 1 : start]
    after = text[end : end + 1]
    spaced = word[0].isalnum() or word in _SPACED_OPERATORS
    if spaced and before and not before.isspace() and before not in "([{":
        word = " " + word
    if (spaced or word == ",") and after and not after.isspace() and after not in ")]}:,":
        word = word + " "
    return word
