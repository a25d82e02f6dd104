"""Reading a question: its codes, payers, services, dates, the statuses it asks about, and its intent.

Intents:

- ``coverage_at_payer``: a code at one or more named payers ("Is 86357 covered by Keystone?")
- ``coverage_across_payers``: a code with no payer named ("Which payers cover 0537T?")
- ``service_at_payer`` / ``payers_for_service``: a service or condition in words, with or
  without a payer ("Does Keystone cover iTBS?", "Which payers consider adoptive
  immunotherapy investigational?")
- ``diagnoses``: ICD-10-CM codes listed with a procedure code or service, supporting or not
  ("What ICD-10 codes support medical necessity for J9035 at Sunbelt?")
- ``modifiers``: modifiers for a code
- ``changes``: what changed in policies, optionally since a date, for a payer, code or service
- ``code_info``: what a code is
- ``payer_policies``: the policies a payer has in the store
- ``unknown``: nothing the store can answer was recognised
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from medpolicy.ask.corpus import Snapshot
from medpolicy.ask.dates import find_period
from medpolicy.ask.payer_match import read_payers, tokens
from medpolicy.ask.text import STOPWORDS, query_terms
from medpolicy.codes import CodeRangeSpec, normalize, parse_range, readings
from medpolicy.codes.errors import CodeError

INTENTS = (
    "coverage_at_payer",
    "coverage_across_payers",
    "service_at_payer",
    "payers_for_service",
    "diagnoses",
    "modifiers",
    "changes",
    "code_info",
    "payer_policies",
    "unknown",
)
NON_COVERAGE = ("not_covered", "not_medically_necessary", "investigational", "cosmetic")
DIAGNOSIS_SYSTEMS = ("ICD-10-CM", "ICD-9-CM")

# Policy numbers, masked before codes are read ("8.01.33" is not ICD-9 "01.33"; "09-J4000-27" holds no J4000).
_POLICY_NUMBER = re.compile(
    r"(?<![\w.])(?:\d{1,2}\.\d{2}\.\d{2,3}|[A-Z]{2,6}\.\d{3,5}|[A-Z0-9]+(?:-[A-Z0-9]+){2,}|[AL]\d{5}"
    r"|\d{4}[A-Z]\d{4}[A-Z]|(?:CPB|MP|MCG|LCD|NCD)[ #-]?\d{2,5}(?:\.\d+)?"
    r"|(?!ICD)[A-Z]{2,5}-\d{1,5}(?:\.\d{1,3})*)"
    r"(?![\w-])"
)
_CODE = re.compile(r"(?<![A-Za-z0-9.])([A-Za-z]?\d[A-Za-z0-9]{1,6}(?:\.[A-Za-z0-9]{1,4})?)(?![A-Za-z0-9])")
_RANGE_JOIN = re.compile(r"^\s*(?:-|–|—|to|through|thru)\s*$", re.I)
_SYSTEM_HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"icd[- ]?10[- ]?pcs\W*$|\bpcs\W*$", re.I), "ICD-10-PCS"),
    (re.compile(r"icd[- ]?10(?:[- ]?cm)?\W*$|\bdiagnos\w*(?: code)?\W*$", re.I), "ICD-10-CM"),
    (re.compile(r"icd[- ]?9(?:[- ]?cm)?\W*$", re.I), "ICD-9-CM"),
    (re.compile(r"\bhcpcs\W*$", re.I), "HCPCS"),
    (re.compile(r"\bcpt\W*$", re.I), "CPT"),
)

_MODIFIER = re.compile(r"\bmodifiers?\b", re.I)
_CHANGES = re.compile(
    r"\b(?:what(?:'s|\s+has|\s+have|\s+was)?\s+(?:changed|new|updated|revised)|changes?|changed|updates?|updated"
    r"|revisions?|revised|what'?s\s+new|newly|added|removed|deleted|history)\b",
    re.I,
)
_DIAGNOSES = re.compile(
    r"\b(?:icd[- ]?10(?:[- ]?cm)?|icd|diagnos[ie]s|diagnosis\s+codes?|dx|conditions?\s+codes?)\b", re.I
)
_NON_SUPPORT = re.compile(
    r"\b(?:non-?covered|not\s+covered|(?:do|does|don'?t|doesn'?t)\s+not\s+support|(?:don'?t|doesn'?t)\s+support"
    r"|not\s+support\w*|unsupported|excluded|exclusions?|non-?supporting|not\s+medically\s+necessary|deny|denied)\b",
    re.I,
)
_CODE_INFO = re.compile(
    r"^\W*(?:what(?:'s|\s+is|\s+are|\s+does)|describe|define|definition|meaning|explain|look\s*up|lookup"
    r"|tell me about|which\s+code\s+is)\b|\b(?:stand\s+for|mean|means|description|describe[sd]?)\b",
    re.I,
)
_COVERAGE_WORDS = re.compile(
    r"\b(?:cover\w*|medically\s+necessary|necessary|investigational|experimental|unproven|allowed|payable|pay|paid"
    r"|reimburs\w*|approv\w*|eligible|benefit|prior\s+auth\w*|status|position|stance|consider\w*|treat\w*|say|says"
    r"|criteria|non-?covered|excluded|cosmetic)\b",
    re.I,
)
_WHICH_PAYERS = re.compile(
    r"\b(?:which|what|list|name|any|all)\s+(?:of\s+the\s+)?(?:payers?|payors?|plans?|insurers?|health\s+plans?"
    r"|carriers?|companies)\b|\bwho\b",
    re.I,
)
_POLICY_LIST = re.compile(r"\bpolic(?:y|ies)\b", re.I)
# The statuses a question asks about, most specific wording first.
_STATUS_WORDS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (
        re.compile(
            r"\bnot\s+(?:considered\s+)?(?:medically\s+necessary|reasonable\s+and\s+necessary)|unnecessary\b",
            re.I,
        ),
        ("not_medically_necessary",),
    ),
    (
        re.compile(
            r"\b(?:not\s+cover\w*|non-?covered|exclud\w*|exclusions?|(?:do|does|did|will)\s*(?:n'?t|not)\s+cover"
            r"|won'?t\s+cover|refuse\w*|den(?:y|ies|ied)|no\s+benefit)\b",
            re.I,
        ),
        NON_COVERAGE,
    ),
    (
        re.compile(r"\b(?:investigational|experimental|unproven|not\s+proven|e/i/u)\b", re.I),
        ("investigational",),
    ),
    (re.compile(r"\bcosmetic\b", re.I), ("cosmetic",)),
    (
        re.compile(
            r"\b(?:medically\s+necessary|cover\w*|pay\s+for|pays\s+for|reimburs\w*|approv\w*|eligible)\b",
            re.I,
        ),
        ("medically_necessary",),
    ),
)
# Words that shape a question but name no service.
_QUESTION_WORDS_TEXT = """
    which what who whom whose how is are does do did was were will would can could should payer
    payers payor payors plan plans insurer insurers carrier carriers company companies cover covers
    covered covering coverage consider considers considered considering deem deems deemed medically
    necessary necessity investigational experimental unproven proven non noncovered reimburse
    reimburses reimbursed reimbursement pay pays paid payable allow allows allowed approve approves
    approved eligible eligibility policy policies say says said state states stated position
    positions stance status code codes cpt hcpcs icd icd10 cm pcs treat treats treated view views
    require requires required criteria list show tell me please know find get give currently current
    still now today support supports supporting supported diagnosis diagnoses dx modifier modifiers
    changed change changes update updates updated new added removed deleted revised revision
    revisions history mean means meaning describe description define stand any anyone all our my
    under according regarding about kind type reason reasons considerations consideration cosmetic
    excluded exclusion exclusions deny denies denied benefit benefits prior auth authorization not
    no yes 10 9 thing things apply applies applicable use used using
    bill billed billing medical when like
"""
QUESTION_WORDS = frozenset(_QUESTION_WORDS_TEXT.split())


@dataclass(slots=True)
class Question:
    """A question as read: what it names and what it asks."""

    text: str
    intent: str = "unknown"
    codes: list[tuple[str | None, str]] = field(default_factory=list)  # (system, canonical code), as read
    ranges: list[CodeRangeSpec] = field(default_factory=list)
    payers: list[str] = field(default_factory=list)  # payers with policies in the store
    unknown_payers: list[str] = field(default_factory=list)  # payers named that the store holds nothing from
    services: list[str] = field(default_factory=list)  # the service words, as written
    service_terms: list[str] = field(default_factory=list)  # their retrieval terms
    statuses: list[str] = field(default_factory=list)  # statuses asked about
    since: str | None = None
    until: str | None = None
    policy_numbers: list[str] = field(default_factory=list)
    non_supporting: bool = False  # diagnoses: the ones that do NOT support medical necessity
    which_payers: bool = False  # asks for a list of payers


def read_question(text: str, snap: Snapshot, today: date) -> Question:
    """Everything `ask` needs to know about `text`."""
    question = Question(text=" ".join(text.split()))
    body = _expand_contractions(question.text)
    masked = list(body)

    def mask(start: int, end: int) -> None:
        masked[start:end] = " " * (end - start)

    for match in _POLICY_NUMBER.finditer(body):
        question.policy_numbers.append(match.group(0))
        mask(*match.span())
    period = find_period("".join(masked), today)
    if period is not None:
        question.since, question.until = period.since, period.until
        mask(period.start, period.end)
    _read_codes(question, "".join(masked), mask)
    payers = read_payers("".join(masked), snap)
    question.payers, question.unknown_payers = payers.in_store, payers.not_in_store
    words = tokens("".join(masked))
    for index in payers.used:
        mask(words[index].start, words[index].end)
    remaining = "".join(masked)
    question.statuses = _statuses(body)
    question.non_supporting = bool(_NON_SUPPORT.search(body))
    question.which_payers = bool(_WHICH_PAYERS.search(body))
    service = _service_phrase(remaining)
    question.service_terms = query_terms(service) if service else []
    if question.service_terms:
        question.services = [service]
    question.intent = _intent(question, body, snap)
    return question


_CONTRACTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(won)['’]t\b", re.I), "will not"),
    (re.compile(r"\b(can)['’]t\b", re.I), "can not"),
    (re.compile(r"\b(\w+)n['’]t\b", re.I), r"\1 not"),
    (re.compile(r"(\w)['’]s\b", re.I), r"\1"),  # possessive: "Premera's" reads as "Premera"
)


def _expand_contractions(text: str) -> str:
    """ "don't" → "do not", "Premera's" → "Premera", so no stray "t" or "s" is read as a word."""
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


def _read_codes(question: Question, text: str, mask: Callable[[int, int], None]) -> None:
    spans: list[tuple[int, int, str | None, str]] = []
    for match in _CODE.finditer(text):
        raw = match.group(1)
        hint = next(
            (system for pattern, system in _SYSTEM_HINTS if pattern.search(text[: match.start()][-24:])), None
        )
        reading = _reading(raw, hint)
        if reading is not None:
            spans.append((match.start(), match.end(), *reading))
    used: set[int] = set()
    for i in range(len(spans) - 1):
        start, end, system, _ = spans[i]
        next_start, next_end, next_system, _ = spans[i + 1]
        if _RANGE_JOIN.match(text[end:next_start]) and (
            system == next_system or None in (system, next_system)
        ):
            try:
                question.ranges.append(parse_range(text[start:next_end]))
                used |= {i, i + 1}
            except CodeError:
                continue
    for i, (start, end, system, code) in enumerate(spans):
        if i not in used and (system, code) not in question.codes:
            question.codes.append((system, code))
        mask(start, end)


def _reading(raw: str, hint: str | None) -> tuple[str | None, str] | None:
    if hint is not None:
        try:
            return normalize(raw, hint)
        except CodeError:
            pass
    found = [(s, c) for s, c in readings(raw) if s != "ICD-9-CM" or hint == "ICD-9-CM"]
    return found[0] if found else None


def _service_phrase(remaining: str) -> str:
    """The words left once codes, payers, dates and question words are gone ("acupuncture for neck pain").

    Stopwords stay between service words and go at either end.
    """
    kept = [w for w in tokens(remaining) if w.folded not in QUESTION_WORDS]
    while kept and kept[0].folded in STOPWORDS:
        kept.pop(0)
    while kept and kept[-1].folded in STOPWORDS:
        kept.pop()
    phrase = ""
    previous = None
    for word in kept:
        if previous is not None:
            if word.start == previous.start:
                continue  # "BlueCross" reads as two tokens of one word
            gap = remaining[previous.end : word.start]
            phrase += gap if gap in ("-", "/") else " "
        phrase += word.text
        previous = word
    return phrase


def _statuses(text: str) -> list[str]:
    for pattern, statuses in _STATUS_WORDS:
        if pattern.search(text):
            return list(statuses)
    return []


def _intent(question: Question, text: str, snap: Snapshot) -> str:
    has_codes = bool(question.codes or question.ranges)
    procedure_codes = [c for s, c in question.codes if s not in DIAGNOSIS_SYSTEMS] or question.ranges
    named_payers = question.payers or question.unknown_payers
    if has_codes and _MODIFIER.search(text):
        return "modifiers"
    if _CHANGES.search(text) and not (has_codes and _COVERAGE_WORDS.search(text) and not question.since):
        return "changes"
    if _DIAGNOSES.search(text) and (procedure_codes or (question.service_terms and not has_codes)):
        return "diagnoses"
    if has_codes and _CODE_INFO.search(text) and not _COVERAGE_WORDS.search(text) and not named_payers:
        return "code_info"
    if has_codes:
        return "coverage_at_payer" if named_payers else "coverage_across_payers"
    asks_coverage = bool(
        named_payers or question.statuses or question.which_payers or _COVERAGE_WORDS.search(text)
    )
    known = [t for t in question.service_terms if t in snap.position_index or t in snap.policy_index]
    mostly_known = bool(known) and len(known) * 2 >= len(question.service_terms)
    if question.service_terms and (asks_coverage or mostly_known):
        return "service_at_payer" if named_payers and not question.which_payers else "payers_for_service"
    if named_payers and (_POLICY_LIST.search(text) or not question.statuses):
        return "payer_policies"
    return "unknown"
