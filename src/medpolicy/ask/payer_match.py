"""Which payers a question names, however it spells them.

Three readings, in order: the payer registry's names and aliases (`medpolicy.payers`,
e.g. "BCBSMT", "Florida Blue"); the distinctive words of every payer in the store or
the registry ("Blue Cross Montana" names "Blue Cross and Blue Shield of Montana" by
"Montana"; "Keystone" names "Keystone Harbor Health"), with one typo forgiven in longer
words (rapidfuzz); and, for payers neither knows, a capitalised name ending in a word
like "Health" or "Plan" ("Acme Health Plan"), reported as not in the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from medpolicy.ask.corpus import Snapshot
from medpolicy.ask.text import STOPWORDS, fold, stem
from medpolicy.payers import REGISTRY, find_payers, payer_key

# Words many payer names share; a name is recognised by its other words.
_GENERIC_PAYER_WORDS_TEXT = """
    health healthcare plan plans care blue cross shield bluecross blueshield bcbs and of the inc
    company corporation corp companies insurance group association mutual cooperative alliance
    administrators services medical policy policies medicare medicaid family state wellness network
    partners community national life assurance hmo ppo commercial llc co
"""
GENERIC_PAYER_WORDS = frozenset(_GENERIC_PAYER_WORDS_TEXT.split())
# A capitalised run ending in one of these is taken for a payer's name.
_PAYER_NAME_ENDINGS_TEXT = """
    health healthcare plan plans alliance cooperative insurance mutual administrators shield cross
    care hmo ppo assurance
"""
PAYER_NAME_ENDINGS = frozenset(_PAYER_NAME_ENDINGS_TEXT.split())
FUZZY_MIN_LENGTH = 6
FUZZY_MIN_SCORE = 85.0
# Words of US state names: a payer named only by them ("Montana") needs "Blue" or "BCBS" beside it.
_US_STATE_WORDS_TEXT = """
    alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii
    idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan
    minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee
    texas utah vermont virginia washington wisconsin wyoming new north south west rhode island
    hampshire jersey mexico york carolina dakota
"""
US_STATES = frozenset(_US_STATE_WORDS_TEXT.split())
_TOKEN = re.compile(r"[A-Za-z0-9]+")
_BLUE_JOIN = re.compile(r"^(blue)(cross|shield)$")


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # as written
    folded: str
    start: int
    end: int


def tokens(question: str) -> list[Token]:
    """The question's words with their character offsets ('BlueCross' split in two)."""
    found: list[Token] = []
    for match in _TOKEN.finditer(question):
        folded = fold(match.group(0))
        joined = _BLUE_JOIN.match(folded)
        parts = [joined.group(1), joined.group(2)] if joined else [folded]
        found.extend(Token(match.group(0), part, match.start(), match.end()) for part in parts)
    return found


@dataclass(slots=True)
class PayerReading:
    in_store: list[str] = field(default_factory=list)  # canonical names of payers with policies in the store
    not_in_store: list[str] = field(default_factory=list)  # payers named that the store holds nothing from
    used: set[int] = field(default_factory=set)  # indexes of the tokens read as payer names


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    key: str
    words: frozenset[str]
    distinctive: tuple[str, ...]
    in_store: bool


@lru_cache(maxsize=8)
def _entries(store_payers: tuple[tuple[str, str], ...]) -> tuple[_Entry, ...]:
    """Every payer of the store and the registry, with the words that name it (cached per set of payers)."""
    in_store = dict(store_payers)
    names = dict(in_store)
    for payer in REGISTRY:
        names.setdefault(payer_key(payer.name), payer.name)
    entries = []
    for key, name in names.items():
        words = [t.folded for t in tokens(name)]
        distinctive = tuple(
            w
            for w in words
            if w not in GENERIC_PAYER_WORDS and w not in STOPWORDS and not any(c.isdigit() for c in w)
        )
        if distinctive:
            entries.append(_Entry(name, key, frozenset(words), distinctive, key in in_store))
    return tuple(entries)


def read_payers(question: str, snap: Snapshot) -> PayerReading:
    """The payers `question` names, split into those the store holds policies from and the rest."""
    words = tokens(question)
    reading = PayerReading()
    found: dict[str, bool] = {}

    def add(key: str, name: str, used: set[int]) -> None:
        in_store = key in snap.payers
        found.setdefault(snap.payers.get(key, name), in_store)
        reading.used |= used

    for mention in find_payers(question):
        alias = [t.folded for t in tokens(mention.alias)]
        add(payer_key(mention.name), mention.name, _locate(words, alias))
    for entry in _entries(tuple(sorted(snap.payers.items()))):
        used = _match_entry(entry, words, snap, reading.used)
        if used:
            add(entry.key, entry.name, used)
    for name, used in _unknown_names(question, words, reading.used):
        found.setdefault(name, False)
        reading.used |= used
    for name, in_store in found.items():
        (reading.in_store if in_store else reading.not_in_store).append(name)
    return reading


def _locate(words: list[Token], phrase: list[str]) -> set[int]:
    for i in range(len(words) - len(phrase) + 1):
        if [w.folded for w in words[i : i + len(phrase)]] == phrase:
            return _with_possessive(words, set(range(i, i + len(phrase))))
    return set()


def _with_possessive(words: list[Token], used: set[int]) -> set[int]:
    """Add a possessive 's that follows the name."""
    after = max(used) + 1 if used else 0
    if after < len(words) and words[after].folded == "s" and words[after].start == words[after - 1].end + 1:
        return used | {after}
    return used


def _match_entry(entry: _Entry, words: list[Token], snap: Snapshot, taken: set[int]) -> set[int]:
    hits: dict[str, int] = {}
    for index, word in enumerate(words):
        if index in taken:
            continue
        for wanted in entry.distinctive:
            if word.folded == wanted or _near(word.folded, wanted, snap):
                hits.setdefault(wanted, index)
    if not hits:
        return set()
    if len(hits) < len(entry.distinctive):
        if entry.distinctive[0] not in hits:
            return set()  # a later word alone ("Harbor") is too weak; the first one ("Keystone") will do
        first = words[hits[entry.distinctive[0]]]
        if not entry.in_store and (not first.text[:1].isupper() or stem(first.folded) in snap.policy_index):
            return set()  # an everyday word ("triple" of Triple-S Salud) names an absent payer only in full
    if set(entry.distinctive) <= US_STATES and not any(w.folded in {"blue", "bcbs"} for w in words):
        return set()  # "Montana" names a Blue plan only next to "Blue"
    used = set(hits.values())
    # Take the name's other words touching the matched ones ("Keystone Harbor Health").
    grown = True
    while grown:
        grown = False
        for index in (min(used) - 1, max(used) + 1):
            if 0 <= index < len(words) and index not in taken and words[index].folded in entry.words:
                used.add(index)
                grown = True
    return _with_possessive(words, used)


def _near(word: str, wanted: str, snap: Snapshot) -> bool:
    """A one-typo spelling of a longer payer word that is not itself a word of the store's documents."""
    if len(wanted) < FUZZY_MIN_LENGTH or len(word) < FUZZY_MIN_LENGTH - 1 or word[0] != wanted[0]:
        return False
    if stem(word) in snap.policy_index or word in STOPWORDS:
        return False
    return fuzz.ratio(word, wanted) >= FUZZY_MIN_SCORE


def _unknown_names(question: str, words: list[Token], taken: set[int]) -> list[tuple[str, set[int]]]:
    """Capitalised runs ending in a payer word ("Acme Health Plan") not read as a known payer."""
    found = []
    run: list[int] = []
    for index, word in enumerate([*words, None]):
        capitalised = (
            word is not None
            and index not in taken
            and word.text[:1].isupper()
            and word.folded not in STOPWORDS
        )
        if capitalised:
            run.append(index)
            continue
        ends = [i for i in run if words[i].folded in PAYER_NAME_ENDINGS]
        if ends:
            named = run[: run.index(ends[-1]) + 1]
            if any(words[i].folded not in GENERIC_PAYER_WORDS for i in named):
                first, last = words[named[0]], words[named[-1]]
                found.append((question[first.start : last.end], set(named)))
        run = []
    return found
