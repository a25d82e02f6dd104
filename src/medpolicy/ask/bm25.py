"""Okapi BM25 over term lists, with the share of a query's weight each document matches.

Scores rank; `match_ratio` decides. A document "matches" a query when the terms it
contains carry most of the query's IDF weight, so a policy on acupuncture for low back
pain does not answer a question about neck pain just because it says "acupuncture" and
"pain": "neck", the rarer word, carries more weight than both.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

K1 = 1.2
B = 0.75


class BM25:
    """An in-memory BM25 index over documents given as term lists (ids are list positions)."""

    def __init__(self, documents: Iterable[Sequence[str]]) -> None:
        self._postings: dict[str, dict[int, int]] = {}
        self._lengths: list[int] = []
        for doc_id, doc_terms in enumerate(documents):
            self._lengths.append(len(doc_terms))
            for term, count in Counter(doc_terms).items():
                self._postings.setdefault(term, {})[doc_id] = count
        total = sum(self._lengths)
        self._average = total / len(self._lengths) if self._lengths else 0.0

    def __len__(self) -> int:
        return len(self._lengths)

    def __contains__(self, term: object) -> bool:
        """True when some document holds `term`."""
        return term in self._postings

    def idf(self, term: str) -> float:
        """Robertson-Sparck Jones IDF, floored above zero; a term no document holds gets the highest."""
        n = len(self._lengths)
        df = len(self._postings.get(term, ()))
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def contains(self, doc_id: int, term: str) -> bool:
        return doc_id in self._postings.get(term, {})

    def scores(self, query: Sequence[str], among: Iterable[int] | None = None) -> dict[int, float]:
        """BM25 score of every document holding at least one query term (or only those `among`)."""
        allowed = None if among is None else set(among)
        result: dict[int, float] = {}
        for term in dict.fromkeys(query):
            postings = self._postings.get(term)
            if not postings:
                continue
            weight = self.idf(term)
            for doc_id, tf in postings.items():
                if allowed is not None and doc_id not in allowed:
                    continue
                norm = K1 * (1.0 - B + B * self._lengths[doc_id] / (self._average or 1.0))
                result[doc_id] = result.get(doc_id, 0.0) + weight * tf * (K1 + 1.0) / (tf + norm)
        return result

    def match_ratio(self, doc_id: int, query: Sequence[str]) -> float:
        """The share of the query's IDF weight carried by the terms `doc_id` contains (0 to 1)."""
        unique = list(dict.fromkeys(query))
        total = sum(self.idf(term) for term in unique)
        if total <= 0:
            return 0.0
        return sum(self.idf(term) for term in unique if self.contains(doc_id, term)) / total
