"""Map a payer's coverage wording onto the contract's status vocabulary.

Negated and compound forms are tested before the plain ones ("not medically
necessary" before "medically necessary", "non-covered" before "covered"), and a
statement that calls a service both investigational and not medically necessary
(Anthem's usual phrase) is investigational: that is the reason it is denied.
"""

from __future__ import annotations

import re
from functools import lru_cache

_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "cosmetic",
        re.compile(
            r"\b(?:considered|is|are|deemed|be)\s+(?:to\s+be\s+)?cosmetic\b|"
            r"\bcosmetic\s+(?:and|in nature|procedure)|^cosmetic\b",
            re.I,
        ),
    ),
    (
        "investigational",
        re.compile(
            r"\b(?:experimental|investigational|unproven|not\s+(?:been\s+)?proven|e/i/u|"
            r"not\s+(?:been\s+)?(?:shown|demonstrated)\s+to\s+(?:be\s+)?(?:effective|improve))\b",
            re.I,
        ),
    ),
    (
        "not_medically_necessary",
        re.compile(
            r"\b(?:not|never|neither)\s+(?:considered\s+|be\s+|been\s+)?(?:medically\s+necessary|reasonable\s+and\s+necessary)"
            r"|\bnot\s+(?:meet|met)\s+(?:the\s+)?(?:definition\s+of\s+|criteria\s+for\s+)?medical\s+necessity"
            r"|\bdoes\s+not\s+meet\s+(?:the\s+)?definition\s+of\s+medical\s+necessity"
            r"|\b(?:do|does)\s+not\s+support\s+medical\s+necessity"
            r"|\bmedically\s+unnecessary\b|\bnot\s+medically\s+appropriate\b",
            re.I,
        ),
    ),
    (
        "not_covered",
        re.compile(
            r"\b(?:non-?covered|not\s+(?:be\s+)?covered|not\s+a\s+covered|excluded\s+from\s+coverage|"
            r"(?:is|are)\s+excluded|contract(?:ual)?\s+exclusion|benefit\s+exclusion|no\s+benefits?\b|"
            r"not\s+eligible\s+for\s+(?:coverage|reimbursement|payment)|will\s+not\s+(?:consider\s+)?(?:reimburse|reimbursement|pay|cover)|"
            r"not\s+(?:be\s+)?(?:reimbursable|reimbursed|payable)|will\s+be\s+denied|(?:is|are)\s+denied|"
            r"does\s+not\s+cover|do\s+not\s+cover)",
            re.I,
        ),
    ),
    (
        "medically_necessary",
        re.compile(
            r"\b(?:medically\s+necessary|medical(?:ly)?\s+necessity\b|reasonable\s+and\s+necessary|"
            r"(?:is|are|be|been|will|may)\s+(?:be\s+)?covered|(?:will|may)\s+cover\b|covers\b|eligible\s+for\s+coverage|"
            r"(?:will|may)\s+(?:consider|allow)\s+reimbursement|support\s+medical\s+necessity|medically\s+appropriate|"
            r"covered\s+(?:when|if|for|indications?|services?|benefit)|(?:may|are|is)\s+(?:be\s+)?eligible\s+under\s+the\s+plan)",
            re.I,
        ),
    ),
)

# "will not reimburse X for any condition other than those listed": a covered list, i.e. criteria apply.
_ONLY_LISTED = re.compile(
    r"\bother\s+than\s+(?:those|the\s+(?:conditions?|diagnos[ie]s|indications?))\s+(?:listed|below|above)",
    re.I,
)


# "members may NOT be eligible under the Plan for X": the sentence that follows gives the reason, and the status.
_DEFERRED = re.compile(r"\b(?:may|are|is)\s+not\s+(?:be\s+)?eligible\s+under\s+the\s+plan\b", re.I)


# Every status phrase contains one of these; most sentences contain none, and skip the patterns.
_KEYWORDS = (
    "necess",
    "cover",
    "investig",
    "experiment",
    "proven",
    "cosmetic",
    "reimburs",
    "eligib",
    "exclu",
    "benefit",
    "denied",
    "e/i/u",
    "pay",
    "shown",
    "demonstrat",
    "appropriate",
)


@lru_cache(maxsize=16384)
def classify_status(text: str) -> str | None:
    """The status a sentence or heading states, or None when it states none."""
    lowered = text.lower()
    if not any(k in lowered for k in _KEYWORDS):
        return None
    if _DEFERRED.search(text) and not any(p.search(text) for s, p in _RULES if s != "medically_necessary"):
        return None
    for status, pattern in _RULES:
        if pattern.search(text):
            if status == "not_covered" and _ONLY_LISTED.search(text):
                return "medically_necessary"
            if (
                status == "medically_necessary"
                and re.search(r"\bmedical\s+necessity\b", text, re.I)
                and not re.search(
                    r"\b(?:meets?|met|establish|support|definition|criteria\s+for)\b", text, re.I
                )
            ):
                continue
            return status
    return None


_BOILERPLATE = re.compile(
    r"benefit\s+(?:plan|contract|booklet|design|coverage\s+determinations?|language|limitations)|member'?s?\s+(?:benefit|contract|plan)|"
    r"summary\s+plan\s+description|plan\s+documents?|certificate\s+of\s+coverage|evidence\s+of\s+coverage|"
    r"not\s+an\s+authorization|benefits\s+are\s+determined|should\s+(?:consult|contact|refer)|"
    r"informational\s+purposes|this\s+(?:policy|guideline|document)\s+(?:informs|is\s+intended|does\s+not)|"
    r"may\s+not\s+be\s+all[-\s]inclusive|presence\s+or\s+absence\s+of|is\s+not\s+intended\s+to|"
    r"no\s+(?:national|local)\s+coverage\s+determination|in\s+the\s+absence\s+of\s+a\s+national|"
    r"which\s+services\s+are\s+covered|reserves?\s+the\s+right|medical\s+advice|"
    r"does\s+not\s+(?:guarantee|imply)|subject\s+to\s+(?:the\s+)?(?:terms|limits|conditions)|"
    r"terms\s+and\s+conditions|prior\s+authorization\s+(?:is|may\s+be)\s+required|is\s+a\s+guide|"
    r"reference\s+purposes\s+only|does\s+not\s+imply|covered\s+or\s+non-?covered|may\s+not\s+be\s+all[-\s]inclusive|"
    r"does\s+not\s+mean\s+that|deleted\s+codes|codes?\s+(?:that|which)\s+(?:has|have)\s+been\s+deleted|"
    r"not\s+(?:yet\s+)?(?:valid|effective)\s+(?:on|at)\s+the\s+(?:date|time)",
    re.I,
)


def is_boilerplate(text: str) -> bool:
    """Disclaimers and plan-document language: they mention coverage but state no position."""
    return _BOILERPLATE.search(text) is not None
