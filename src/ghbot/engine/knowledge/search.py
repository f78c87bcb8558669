"""Ranked runbook search: BM25F over title, signatures, rules, tags and body, with an exact
signature match always ranked first.

Error text is not prose, so the tokenizer keeps what people paste: a dotted name, a path or a
code (`numpy.core._multiarray_umath`, `src/app/main.py`, `TS2307`, `exit code 137`) is indexed
whole and by its parts, and CamelCase names by their words (`ModuleNotFoundError` also yields
`module`, `not`, `found`, `error`). BM25F (per-field length normalisation, weighted term
frequencies, one saturation) keeps a long body from drowning a precise title.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ghbot.engine.knowledge.runbooks import SIGNATURE_RE, Runbook

MAX_QUERY_CHARS = 4000
MAX_DOC_CHARS = 200_000
MAX_TOKEN = 120
K1 = 1.2
# field: (weight, length normalisation b)
FIELDS: dict[str, tuple[float, float]] = {
    "title": (3.0, 0.5),
    "signatures": (4.0, 0.0),
    "rules": (2.5, 0.3),
    "tags": (2.0, 0.3),
    "body": (1.0, 0.75),
}

_COMPOUND = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:/\\@+#-]{0,300}")
_PARTS = re.compile(r"[A-Za-z0-9]+")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_STOP = frozenset(
    "a an and are as at be but by for from has have how i if in into is it its of on or so "
    "that the then there this to was were when where which while why will with you your".split()
)


def _stem(word: str) -> str:
    """A light plural/tense folding for plain words; identifiers are left alone."""
    if not word.isalpha() or len(word) <= 4:
        return word
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: len(word) - len(suffix)] + keep
    return word


def tokenize(text: str, *, limit: int = MAX_DOC_CHARS) -> list[str]:
    """Index terms of `text` (lowercase, stop words dropped, compounds kept whole and split)."""
    terms: list[str] = []
    for match in _COMPOUND.finditer(text[:limit]):
        raw = match.group(0).strip(".:/\\@+#-_")[:MAX_TOKEN]
        if not raw:
            continue
        parts = _PARTS.findall(raw)
        if len(parts) > 1 or raw.lower() != (parts[0].lower() if parts else ""):
            terms.append(raw.lower())  # the whole dotted name, path or code
        for part in parts:
            lower = part.lower()
            words = _CAMEL.findall(part)
            if len(words) > 1:
                terms.append(lower)
                terms.extend(
                    _stem(w.lower()) for w in words if len(w) > 1 and w.lower() not in _STOP
                )
            elif lower not in _STOP and len(lower) > 1:
                terms.append(_stem(lower))
    return terms


@dataclass(frozen=True, slots=True)
class Hit:
    runbook: Runbook
    score: float
    similarity: float  # 0..1: how much of the query's weight this runbook covers
    signature_match: bool

    def to_dict(self) -> dict[str, object]:
        rb = self.runbook
        return {
            "id": rb.id,
            "title": rb.title,
            "path": rb.path,
            "score": round(self.score, 4),
            "similarity": round(self.similarity, 4),
            "signature_match": self.signature_match,
            "tags": list(rb.tags),
            "used": rb.used,
            "resolved": rb.resolved,
        }


@dataclass(frozen=True, slots=True)
class _Doc:
    runbook: Runbook
    fields: dict[str, Counter[str]]
    lengths: dict[str, int]


class Index:
    """An in-memory index of runbooks; build once per set of files (cheap: milliseconds for
    hundreds of runbooks)."""

    def __init__(self, runbooks: Iterable[Runbook]) -> None:
        self.docs: list[_Doc] = []
        for rb in runbooks:
            texts = {
                "title": tokenize(rb.title),
                "signatures": [s.lower() for s in rb.signatures],
                "rules": tokenize(" ".join(rb.rules)),
                "tags": tokenize(" ".join(rb.tags)),
                "body": tokenize(rb.body),
            }
            self.docs.append(
                _Doc(rb, {f: Counter(t) for f, t in texts.items()},
                     {f: len(t) for f, t in texts.items()})
            )
        count = max(1, len(self.docs))
        self.avg = {f: max(1.0, sum(d.lengths[f] for d in self.docs) / count) for f in FIELDS}
        df: Counter[str] = Counter()
        for doc in self.docs:
            df.update({t for counts in doc.fields.values() for t in counts})
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - k + 0.5) / (k + 0.5)) for t, k in df.items()}
        self.by_signature: dict[str, list[int]] = {}
        for i, doc in enumerate(self.docs):
            for sig in doc.runbook.signatures:
                self.by_signature.setdefault(sig, []).append(i)

    def __len__(self) -> int:
        return len(self.docs)

    def _score(self, doc: _Doc, terms: Counter[str]) -> float:
        score = 0.0
        for term in terms:
            weighted = 0.0
            for name, (weight, b) in FIELDS.items():
                tf = doc.fields[name].get(term, 0)
                if tf:
                    norm = 1 - b + b * doc.lengths[name] / self.avg[name]
                    weighted += weight * tf / norm
            if weighted:
                score += self.idf[term] * weighted / (K1 + weighted)
        return score

    def search(
        self, query: str, *, signatures: Sequence[str] = (), limit: int = 10
    ) -> list[Hit]:
        """Runbooks ranked for `query`; any runbook carrying one of `signatures` (or a
        fingerprint written in the query itself) comes first."""
        wanted = {s.lower() for s in signatures}
        wanted |= {m.group(0) for m in SIGNATURE_RE.finditer(query[:MAX_QUERY_CHARS].lower())}
        exact = {i for sig in wanted for i in self.by_signature.get(sig, ())}
        terms = Counter(t for t in tokenize(query, limit=MAX_QUERY_CHARS) if t in self.idf)
        ceiling = sum(self.idf[t] for t in terms) or 1.0
        hits = []
        for i, doc in enumerate(self.docs):
            score = self._score(doc, terms) if terms else 0.0
            if score <= 0 and i not in exact:
                continue
            hits.append(Hit(doc.runbook, score, min(1.0, score / ceiling), i in exact))
        hits.sort(key=lambda h: (not h.signature_match, -h.score, h.runbook.id))
        return hits[: max(0, limit)]
