"""The search syntax, shared by every backend: a small, web-search-like language.

    car t-cell therapy        all of these words (stemmed: "therapies" finds "therapy")
    "natural killer"          this phrase
    immuno*                   words starting with "immuno"
    lymphoma OR leukemia      either side (OR binds looser than the implied AND)
    -pediatric, NOT pediatric without this word or phrase

Other punctuation separates words, and a word with inner punctuation ("CAR-T",
"C34.90") is searched as the phrase of its parts. What cannot be read this way
(an unbalanced quote, an operator with nothing to act on, a search that only
excludes) raises `QueryError` with a message saying how to fix it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medpolicy.errors import QueryError

MAX_TERMS = 64
_WORD = re.compile(r"[^\W_]+")
_OPERATORS = {"OR", "AND", "NOT"}


@dataclass(frozen=True, slots=True)
class Term:
    """One word, a word prefix (`prefix`), or a phrase (several words, adjacent and in order)."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Clause:
    """Documents holding every `include` term and none of the `exclude` terms."""

    include: tuple[Term, ...]
    exclude: tuple[Term, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """Documents matching any of the clauses."""

    clauses: tuple[Clause, ...]

    def terms(self) -> list[Term]:
        """Every term the query looks for (not the excluded ones)."""
        return [term for clause in self.clauses for term in clause.include]


@dataclass(slots=True)
class _Operand:
    term: Term


def _tokens(query: str) -> list[str | _Operand]:
    tokens: list[str | _Operand] = []
    i = 0
    while i < len(query):
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            close = query.find('"', i + 1)
            if close < 0:
                raise QueryError(
                    f"search {query!r}: unbalanced quotation mark at position {i + 1}; "
                    'close the phrase with another " or remove the quote'
                )
            words = tuple(_WORD.findall(query[i + 1 : close]))
            if words:
                tokens.append(_Operand(Term(words)))
            i = close + 1
        elif ch == "-" and i + 1 < len(query) and not query[i + 1].isspace():
            tokens.append("NOT")
            i += 1
        else:
            end = i
            while end < len(query) and not query[end].isspace() and query[end] != '"':
                end += 1
            chunk = query[i:end]
            i = end
            if chunk in _OPERATORS:
                tokens.append(chunk)
                continue
            words = tuple(_WORD.findall(chunk))
            if words:
                tokens.append(_Operand(Term(words, prefix=len(words) == 1 and chunk.endswith("*"))))
    return tokens


def parse_search(query: str) -> SearchQuery:
    """Parse a search as described in the module docstring; raise QueryError when it cannot be read."""
    clauses: list[Clause] = []
    include: list[Term] = []
    exclude: list[Term] = []
    negate = False
    pending: str | None = None  # an operator still waiting for the term after it
    count = 0

    def close_clause(operator: str) -> None:
        if not include:
            if exclude:
                raise QueryError(
                    f"search {query!r}: a search cannot only exclude words; add a word to look for"
                )
            raise QueryError(f"search {query!r}: {operator!r} needs a word or phrase on both sides")
        clauses.append(Clause(tuple(include), tuple(exclude)))
        include.clear()
        exclude.clear()

    for token in _tokens(query):
        if isinstance(token, _Operand):
            count += 1
            (exclude if negate else include).append(token.term)
            negate = False
            pending = None
            continue
        if pending is not None and not (pending != "NOT" and token == "NOT"):
            raise QueryError(
                f"search {query!r}: {pending!r} is followed by {token!r}; put a word between them"
            )
        if token == "NOT":
            negate = True
        elif token == "OR":
            close_clause("OR")
        elif not include and not exclude:
            raise QueryError(f"search {query!r}: 'AND' needs a word or phrase on both sides")
        pending = token
    if pending is not None:
        raise QueryError(f"search {query!r}: {pending!r} at the end needs a word or phrase after it")
    if not include and not exclude and not clauses:
        raise QueryError(f"search {query!r}: nothing to search for; give at least one word")
    close_clause("OR")
    if count > MAX_TERMS:
        raise QueryError(f"search {query!r}: too many words ({count}); use at most {MAX_TERMS}")
    return SearchQuery(tuple(clauses))
