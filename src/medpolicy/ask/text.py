"""Words as retrieval sees them: folded, split, lightly stemmed, and read through the synonym table.

`terms(text)` gives a document's index terms: every word's stem, plus one concept term
(``~name``) wherever a synonym-group phrase occurs. `query_terms(text)` gives a
question's terms: a phrase from the table becomes its concept alone, so "NK" and
"natural killer" are the same query. Stemming is a small suffix stripper, the same for
both sides; it conflates "test", "tests", "testing" and "stimulation", "stimulator".
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from medpolicy.ask.synonyms import SYNONYM_GROUPS

CONCEPT_PREFIX = "~"
MIN_STEM = 4

_STOPWORDS_TEXT = """
    a an and are as at be been being but by can could did do does doing for from had has have having
    he her here hers him his how i if in into is it its itself me more most my no nor not of off on
    once only or other our ours out over own same she should so some such than that the their theirs
    them then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours any all each both few further
    again against about above below between during before after also may must per via vs versus
"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORDS_TEXT.split())

_WORD = re.compile(r"[a-z0-9]+")
# Longest suffix first; a stem keeps at least MIN_STEM characters.
_SUFFIXES: tuple[str, ...] = (
    "izations",
    "ization",
    "ational",
    "ations",
    "ation",
    "ators",
    "ator",
    "ness",
    "ments",
    "ment",
    "ities",
    "ity",
    "ively",
    "ive",
    "ings",
    "ing",
    "ions",
    "ion",
    "ically",
    "ical",
    "ally",
    "ly",
    "ies",
    "ied",
    "ers",
    "er",
    "ed",
    "es",
    "al",
    "s",
)


def fold(text: str) -> str:
    """Lower case, accents removed, 'BlueCross' style joins kept as written."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def words(text: str) -> list[str]:
    """The lower-case words and numbers of `text`, in order."""
    return _WORD.findall(fold(text))


@cache
def stem(word: str) -> str:
    """A light stem: common English suffixes stripped (twice at most); numbers and short words kept."""
    if word.isdigit() or len(word) <= MIN_STEM:
        return word
    result = word
    for _ in range(2):
        for suffix in _SUFFIXES:
            if result.endswith(suffix) and len(result) - len(suffix) >= MIN_STEM:
                if suffix in ("s", "es") and result.endswith(("ss", "us", "is")):
                    continue
                result = result[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
                break
        else:
            break
    return result


def concept_term(name: str) -> str:
    """The index term for a synonym group, named by its first phrase."""
    return CONCEPT_PREFIX + "_".join(stem(w) for w in words(name))


@cache
def _phrase_table() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First stem → [(phrase stems, concept term)], longest phrase first."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for group in SYNONYM_GROUPS:
        concept = concept_term(group[0])
        for phrase in group:
            stems = tuple(stem(w) for w in words(phrase))
            if stems:
                table.setdefault(stems[0], []).append((stems, concept))
    for entries in table.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return table


def _phrases(stems: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, concept) for each synonym phrase in `stems`, longest match first, left to right."""
    table = _phrase_table()
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(stems):
        for phrase, concept in table.get(stems[i], ()):
            if tuple(stems[i : i + len(phrase)]) == phrase:
                found.append((i, i + len(phrase), concept))
                i += len(phrase)
                break
        else:
            i += 1
    return found


def terms(text: str) -> list[str]:
    """Index terms of a document: each word's stem (stopwords dropped) and each phrase's concept."""
    stems = [stem(w) for w in words(text)]
    result = [s for s in stems if s not in STOPWORDS]
    result.extend(concept for _, _, concept in _phrases(stems))
    return result


def query_terms(text: str) -> list[str]:
    """Terms of a query: synonym phrases become their concept; other words their stem; no repeats."""
    stems = [stem(w) for w in words(text)]
    result: list[str] = []
    position = 0
    for start, end, concept in _phrases(stems):
        result.extend(s for s in stems[position:start] if s not in STOPWORDS)
        result.append(concept)
        position = end
    result.extend(s for s in stems[position:] if s not in STOPWORDS)
    return list(dict.fromkeys(result))
