"""Document-level facts: document type, payer, policy number, title and the five dates.

Each comes from the document's own words: a label ("Policy Number:", "Subject:",
"Original Effective Date:"), a layout's fixed place (Florida Blue's number on the first
line, a title just above the block of dated labels), or a registry of payer names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from medpolicy.extract.dates import DATE_PATTERN, match_to_iso
from medpolicy.extract.lines import Line
from medpolicy.extract.sections import heading_kind
from medpolicy.model import Dates, HistoryEntry
from medpolicy.payers import PayerMention, canonical_payer, find_payers

HEAD_CHARS = 6000

# ---------------------------------------------------------------- document type

_BULLETIN = re.compile(
    r"\b(?:polic(?:y|ies)\s+(?:updates?|changes)|update\s+bulletin|(?<!clinical\s)policy\s+bulletin\s+"
    r"(?:updates?|summary)|policy\s+update\s+summary|medical\s+policy\s+news|coverage\s+updates?)\b",
    re.I,
)


def detect_doc_type(text: str, lines: list[Line], multi_policy: bool) -> str:
    """The contract's doc_type; `multi_policy` is `is_index_or_bulletin(text, lines)`."""
    head = text[:HEAD_CHARS]
    first = text[:600]
    # Each pattern below holds one of these words; most documents hold none, and a substring test
    # is far cheaper than a case-insensitive regular expression.
    lower = head.lower()
    opening = text[:1500].lower()
    medicare = (
        _first_marker(
            text[:1500],
            (
                ("ncd", r"National\s+Coverage\s+Determination"),
                (
                    "lcd",
                    r"Local\s+Coverage\s+Determination|\bLCD\s+ID\b|\bLCD\s+Title\b|\bLCD\s*#?\s*:\s*L\d{5}",
                ),
                (
                    "billing_article",
                    r"Billing\s+and\s+Coding\s*:|\bArticle\s+ID\b|Local\s+Coverage\s+Article|Article\s+Type|"
                    r"\bArticle\s+Title\b",
                ),
            ),
        )
        if any(word in opening for word in ("national", "local", "lcd", "billing", "article"))
        else None
    )
    if medicare and (medicare != "ncd" or re.search(r"National\s+Coverage\s+Determination", first, re.I)):
        return medicare
    if "bulletin" in lower and re.search(r"Clinical\s+Policy\s+Bulletin", head, re.I):
        return "clinical_policy_bulletin"
    if (
        ("overview" in lower or "payer" in lower or "report" in lower)
        and re.search(
            r"Summary\s*&\s*Overview|Payer\s+Coverage\b|Key\s+payers|coverage\s+(?:summary\s+)?report\b",
            head,
            re.I,
        )
        and not re.search(r"Medical\s+Policy|Coverage\s+Policy", first, re.I)
    ):
        return "coverage_summary"
    if (
        "descript" in lower
        and re.search(
            r"Official\s+Descript(?:ion|or)|Common\s+Language\s+Description|Lay\s+Descript(?:ion|or)|Code\s+Descriptor|"
            r"Plain[-\s]language\s+description",
            head,
            re.I,
        )
        and not re.search(r"Medical\s+Policy|Policy\s+Number", head, re.I)
    ):
        return "code_page"
    if multi_policy:
        return "other"
    if re.search(r"\b(?:Reimbursement|Payment)\s+Policy\b", first, re.I) and not re.search(
        r"Medical\s+Policy", first, re.I
    ):
        return "other"
    if re.search(
        r"Medical\s+(?:Coverage\s+)?Polic(?:y|ies)|Coverage\s+Policy|Medical\s+Coverage\s+Guideline|Clinical\s+Guideline|"
        r"Medical\s+Necessity\s+Guideline|Policy\s+(?:Number|No\.?|#)|Drug\s+Policy|Coverage\s+Determination\s+Guideline|"
        r"Clinical\s+Policy|Medical\s+Benefit\s+Drug\s+Policy|Coverage\s+Criteria|Position\s+Statement",
        head,
        re.I,
    ):
        return "medical_policy"
    return "other"


def _first_marker(text: str, markers: tuple[tuple[str, str], ...]) -> str | None:
    """The kind whose marker appears first (an LCD names its billing articles, and the reverse)."""
    best: tuple[int, str] | None = None
    for kind, pattern in markers:
        m = re.search(pattern, text, re.I)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind)
    return best[1] if best else None


# Literal first, so the scan for it is fast; the word boundary before it is checked on each match.
_POLICY_NO = re.compile(r"Policy\s+No\.?\s*\d+(?:\.\d+)*")
_WORD_CHAR = re.compile(r"\w")


def is_index_or_bulletin(text: str, lines: list[Line]) -> bool:
    """Pages that list or summarise several policies: their dates and numbers belong to rows."""
    if any(_BULLETIN.search(ln.text) for ln in lines[:15] if ln.text):
        return True
    numbers = {
        m.group(0)
        for m in _POLICY_NO.finditer(text)
        if not (m.start() and _WORD_CHAR.match(text, m.start() - 1))
    }
    if len(numbers) >= 3:
        return True
    rows = [ln.text for ln in lines if ln.text.count("|") >= 3]
    ids = {
        m.group(0)
        for r in rows
        if (m := re.match(r"^\|?\s*[A-Z0-9][\w.\-]{3,20}(?=\s*\|)", r)) and re.search(r"\d", m.group(0))
    }
    return len(ids) >= 3


# ---------------------------------------------------------------- payer

_NOT_PAYERS = {"CMS (Medicare)", "Blue Cross Blue Shield Association"}
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|Copyright|Proprietary information of)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?,?\s*"
    r"(?P<name>[A-Z][\w&.,'\- ]{2,80}?)(?:\.|,?\s+All\s+rights|,?\s+Inc\b|$)",
    re.M | re.I,
)
_PLAN_WORDS = re.compile(
    r"\b(?:health|plan|care|blue|insurance|mutual|alliance|wellness|cross|shield|salud|hmo|"
    r"medicaid|assurance|benefits?)\b",
    re.I,
)


def detect_payer(text: str, doc_type: str) -> str | None:
    if doc_type in ("ncd", "lcd", "billing_article"):
        return "CMS (Medicare)"
    if doc_type in ("code_page", "coverage_summary"):
        return None
    head = text[:2500]
    tail = text[-3000:]
    for m in _COPYRIGHT.finditer(head + "\n" + tail):
        found = [p for p in find_payers(m.group("name")) if p.name not in _NOT_PAYERS]
        if found:
            return found[0].name
    mentions = [p for p in find_payers(head) if p.name not in _NOT_PAYERS]
    if mentions:
        return _most_specific(mentions)
    whole = [p for p in find_payers(text[:20000]) if p.name not in _NOT_PAYERS]
    if whole:
        return whole[0].name
    named = _named_plan(text)
    return canonical_payer(named) if named else None


_PLAN_NAME = re.compile(
    r"(?<![\w&])((?:[A-Z][A-Za-z'\-]+|of|and|&|the)(?:[ \t]+(?:[A-Z][A-Za-z'\-]+|of|and|&)){1,6})"
)
_PLAN_TAIL = re.compile(
    r"\b(?:Health(?:care)?|Plan|Alliance|Cooperative|Mutual|Insurance|Wellness|Blue|"
    r"Shield|Cross|Salud|HMO|Healthplan|Medicaid|Benefits?|Partners|Network|Administrators)$"
)
_PLAN_WORD_ANYWHERE = re.compile(
    r"Health|Plan|Alliance|Cooperative|Mutual|Insurance|Wellness|Blue|Shield|Cross|Salud|HMO|Medicaid|Benefit|"
    r"Partners|Network|Administrators"
)
_NOT_PLAN_START = re.compile(
    r"^(?:Medical|Clinical|Coverage|The|Policy|Centers|American|National|Department|Food|World|Public|Home|"
    r"Behavioral|Mental|Primary|Health|Care|Plan|Member|Members|Patient|Managed|Durable|Skilled|Urgent|Emergency|"
    r"Commercial|Individual|Employer|Group|Federal|State|Our|This|Your|Each|All|Other|Oral|Dental|Vision)\b"
)


def _named_plan(text: str) -> str | None:
    """The plan a document names most often: a Title Case name ending in a plan word ('Blue Heron Health').

    Used when the payer registry knows no name in the document; copyright lines and the
    sentences a plan writes about itself ('Keystone Harbor Health considers ...') both count.
    """
    counts: dict[str, int] = {}
    first_seen: dict[str, int] = {}
    head = text[:20000]
    for m in (m for start, end in _lines_with_plan_word(head) for m in _PLAN_NAME.finditer(head, start, end)):
        words = m.group(1).split()
        # trim trailing connectives and find the longest prefix that ends in a plan word
        while words and not _PLAN_TAIL.search(words[-1]):
            words.pop()
        name = " ".join(words)
        if (
            len(words) < 2
            or _NOT_PLAN_START.match(name)
            or re.search(r"Association|University|Society|College", name)
        ):
            continue
        counts[name] = counts.get(name, 0) + 1
        first_seen.setdefault(name, m.start())
    if not counts:
        return None
    best = max(counts, key=lambda n: (counts[n] + 2 * (first_seen[n] < 3000), -first_seen[n]))
    return best if counts[best] >= 2 or first_seen[best] < 3000 else None


def _lines_with_plan_word(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line holding a plan word: a name never spans lines, and needs one."""
    end = 0
    for m in _PLAN_WORD_ANYWHERE.finditer(text):
        if m.start() < end:
            continue
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        yield start, end


def _most_specific(mentions: list[PayerMention]) -> str:
    """The first payer named, unless a longer alias sharing its words names a more specific one."""
    first = mentions[0]
    for other in mentions[1:]:
        if set(first.alias.split()) < set(other.alias.split()):
            return other.name
    return first.name


# ---------------------------------------------------------------- policy number

_NUMBER_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^\s*(\d{2}-[A-Z0-9]{5}-\d{2})\s*$", re.M),
    re.compile(r"MEDICAL\s+POLICY\s*[–—-]\s*(\d{1,2}\.\d{2}\.\d{2,3})", re.I),
    re.compile(r"\bLCD\s*(?:ID)?[\s#:|]*(L\d{5})\b"),
    re.compile(r"\bArticle\s*(?:ID)?[\s#:|]*(A\d{5})\b"),
    re.compile(r"Manual\s+Section\s+Number[\s:|]*(\d{1,3}(?:\.\d{1,3}){1,3})\b"),
    re.compile(r"\bNCD\s*(?:#|ID|Number)?[\s:|]*(\d{1,3}(?:\.\d{1,3}){1,3})\b"),
    re.compile(
        r"\b(?:Coverage\s+)?Policy\s*(?:Number|No\.?|#|ID)[ \t]*[:.|]*(?:[ \t]*\|)?[ \t]*"
        r"((?=[A-Z0-9.\-]*\d)[A-Z0-9][A-Z0-9.\-]{1,24})",
        re.I,
    ),
    re.compile(r"\bDocument\s*(?:#|Number|No\.?)[\s:|]*((?=[A-Z0-9.\-]*\d)[A-Z0-9][A-Z0-9.\-]{1,24})", re.I),
    re.compile(
        r"\b(?:Guideline|Bulletin|CPB)\s*(?:Number|No\.?|#)\s*:?\s*((?=[A-Z0-9.\-]*\d)[A-Z0-9][A-Z0-9.\-]{1,24})",
        re.I,
    ),
    re.compile(r"^\s*Number\s*:?\s*(\d{4})\s*$", re.M),
    re.compile(r"\bMCG\s*#?\s*:?\s*(\d{2}-[A-Z0-9]{5}-\d{2})"),
)


def detect_policy_number(text: str) -> str | None:
    head = text[:HEAD_CHARS]
    for pattern in _NUMBER_PATTERNS:
        m = pattern.search(head)
        if m:
            return m.group(1).strip(".-")
    return None


# ---------------------------------------------------------------- title

_TITLE_LABEL = re.compile(
    r"^[ \t]*(?:Subject|Title|Policy\s+Title|Policy\s+Name|Medical\s+Policy\s+Title|Guideline\s+Title|Topic|"
    r"Clinical\s+Policy\s+Bulletin|LCD\s+Title|Article\s+Title|Coverage\s+Policy\s+Title)(?:(?:[ \t]*[:|]+)+[ \t]*|\t+)"
    r"([^\s|].*?)[\s|]*$",
    re.I | re.M,
)
_KIND_WORDS = re.compile(
    r"^(?:(?:medical|coverage|clinical|reimbursement|payment|drug|pharmacy|commercial|medicare|policy|policies|"
    r"guideline|guidelines|bulletin|determination|national|local|\(ncd\)|\(lcd\)|codes?|/|and|&|of|the|"
    r"form|logos?|logo|advantage|individual|exchange|cms|ub04|1500|home|page|print|search|menu)\W*)+$",
    re.I,
)
_HEADER_LABEL = re.compile(
    r"^(?:[A-Z][A-Za-z]+\s+){0,3}(?:Number|No\.|#|Date|Review|Reviewed|Revised|Effective|Status|Document|Subject|"
    r"Title|Published|Publish|Policy|Version|Section|Chapter|Category|Type|Replaces|ID)\s*[:|]",
    re.I,
)
_LABEL_LINE = re.compile(r"^[A-Z][A-Za-z./#()\- ]{1,40}:\s*\S")
_DATE_LABEL_LINE = re.compile(
    r"(?:date|effective|revised|review|updated|published|number|chapter|section|ref)", re.I
)
_FLAT_TITLE = re.compile(r"Medical\s+Policy\s+(?P<t>[A-Z][^•\n]{5,150}?)\s+Table\s+of\s+Contents")


_TITLE_LABEL_OWN_LINE = re.compile(
    r"^\s*(?:LCD|Article|Policy|Guideline|Document|NCD|Bulletin)\s+(?:Title|Name)\s*:?\s*\n(?:\s*\n)?\s*(\S[^\n]{2,200})$",
    re.I | re.M,
)


def detect_title(text: str, lines: list[Line], doc_type: str, payer: str | None) -> str | None:
    m = _TITLE_LABEL.search(text[:HEAD_CHARS])
    if m:
        return _with_continuation(m.group(1), lines, text, m.end(1))
    if doc_type == "other":
        for ln in lines[:15]:
            if _BULLETIN.search(ln.text):
                return ln.text
    if doc_type == "billing_article":
        art = re.search(r"^\s*(Billing\s+and\s+Coding:\s*\S.*)$", text[:3000], re.M)
        if art:
            return _with_continuation(art.group(1), lines, text, art.end(1))
    own = _TITLE_LABEL_OWN_LINE.search(text[:HEAD_CHARS])
    if own:
        return own.group(1).strip()
    m2 = _FLAT_TITLE.search(text[:HEAD_CHARS])
    if m2:
        return m2.group("t").strip()
    page_title = _page_title(lines, payer)
    if page_title:
        return page_title
    candidates: list[Line] = []
    for ln in lines[:80]:
        t = ln.text
        if ln.furniture or not t or not _title_like(t):
            continue
        candidates.append(ln)
        if len(candidates) >= 25:
            break
    if not candidates:
        return None
    payer_words = set(payer.lower().split()) - {"of", "and", "the"} if payer else set()

    def plain(c: Line) -> bool:
        words = set(re.findall(r"[a-z]+", c.text.lower()))
        return not (payer_words and payer_words <= words) and not find_payers(c.text)

    above_labels = [c for c in candidates if _before_label_block(lines, c.index)]
    chosen = next((c for c in above_labels if plain(c)), None) or next(iter(above_labels), None)
    chosen = chosen or next((c for c in candidates if plain(c)), candidates[0])
    return _strip_payer(chosen.text)


def _page_title(lines: list[Line], payer: str | None) -> str | None:
    """A web page's own title line, 'Acupuncture | Lakeshore Care Alliance': the part that is not the site."""
    first = next((ln.text for ln in lines[:3] if ln.text), "")
    parts = [p.strip() for p in re.split(r"\s+[|–—]\s+|\s+-\s+(?=[A-Z])", first) if p.strip()]
    if len(parts) != 2:
        return None
    site_words = _PLAN_WORDS.pattern
    for keep, site in ((parts[0], parts[1]), (parts[1], parts[0])):
        named_site = (
            (payer and canonical_payer(site) == payer)
            or find_payers(site)
            or re.search(site_words, site, re.I)
        )
        if (
            named_site
            and 4 <= len(keep) <= 160
            and sum(c.isalpha() for c in keep) >= 8
            and len(keep.split()) >= 2
            and not _KIND_WORDS.match(keep)
            and not re.search(r"skip to|main content|^home$", keep, re.I)
        ):
            return keep
    return None


def _title_like(t: str) -> bool:
    if len(t) > 160 or len(t) < 4:
        return False
    if _KIND_WORDS.match(t) or heading_kind(t):
        return False
    if (
        _LABEL_LINE.match(t)
        or "|" in t
        or "...." in t
        or t.startswith(("©", "(c)", "Copyright", "Proprietary", "http", "["))
    ):
        return False
    if re.search(
        r"copyright|all rights reserved|registered mark|log in|register|table of contents|skip to|"
        r"main content|^menu$|^home$|^search$|sign in|jump to",
        t,
        re.I,
    ):
        return False
    if (
        DATE_PATTERN.fullmatch(t.strip())
        or re.fullmatch(r"[\d\W]+", t)
        or re.fullmatch(r"[A-Z0-9.\-]{3,20}", t)
    ):
        return False
    if t.endswith((".", ":", ";")) and len(t.split()) > 6:
        return False
    if t.isupper() and len(t) > 60:
        return False
    letters = sum(c.isalpha() for c in t)
    return letters >= 4 and len(t.split()) >= 1 and not re.match(r"^policy\s+number", t, re.I)


def _before_label_block(lines: list[Line], index: int) -> bool:
    """True when the next non-blank lines are labelled header fields ('Effective Date: …')."""
    seen = 0
    for ln in lines[index + 1 : index + 8]:
        t = ln.text
        if not t:
            continue
        if _DATE_LABEL_LINE.search(t[:40]) and (":" in t[:45] or DATE_PATTERN.search(t)):
            seen += 1
            if seen >= 2:
                return True
            continue
        return seen >= 1 and bool(DATE_PATTERN.search(t))
    return seen >= 2


def _strip_payer(t: str) -> str:
    return t.strip(" -–|")


def _with_continuation(first: str, lines: list[Line], text: str, end_offset: int) -> str:
    """A labelled title wrapped over several lines ('Subject: Bevacizumab (Avastin), ...')."""
    parts = [first.strip()]
    idx = next((ln.index for ln in lines if ln.start <= end_offset <= ln.end), None)
    if idx is None:
        return parts[0]
    head = " ".join(text[:HEAD_CHARS].split())
    for ln in lines[idx + 1 : idx + 6]:
        t = ln.text
        if not t or (t.isupper() and len(t) > 20) or _HEADER_LABEL.match(t) or heading_kind(t):
            break
        joined = " ".join([*parts, t])
        wrapped = (
            re.search(r"[,(:]$|\b(?:and|or|for|of|to|with|in|the|a|an|by)$", parts[-1])
            or t[0].islower()
            or t.startswith("(")
            or head.count(joined) > 1
            or (len(t.split()) <= 3 and ":" not in t and len(parts[-1]) > 30)
        )
        if not wrapped:
            break
        parts.append(t)
    return " ".join(parts).strip(" |")


# ---------------------------------------------------------------- dates

_D = DATE_PATTERN.pattern
_LABELS: tuple[tuple[str, str], ...] = (
    ("next_review", r"Next\s+(?:Annual\s+|Scheduled\s+)?Review(?:\s+Date)?|Scheduled\s+Review(?:\s+Date)?"),
    (
        "original_effective",
        r"Original\s+(?:Policy\s+)?(?:Effective\s+)?Date|Original\s+Effective|Date\s+of\s+Origin|"
        r"Origination\s+Date|Policy\s+Origination",
    ),
    (
        "effective",
        r"(?:Current\s+|Revision\s+|Policy\s+|Latest\s+)?Effective\s+Date(?:\s+of\s+this\s+Version)?|"
        r"Effective(?=\s*:)|Date\s+Effective",
    ),
    (
        "published",
        r"Publish(?:ed)?\s+Date|Date\s+Published|Publication\s+Date|Published(?=\s*:)|Posted\s+Date",
    ),
    (
        "last_revised",
        r"Last\s+Revised(?:\s+Date)?|Last\s+Revision(?:\s+Date)?|Revised\s+Dates?|Revised(?=\s*:)|"
        r"Revision\s+Date|Date\s+(?:Last\s+)?Revised|Last\s+Updated|Last\s+Modified|Date\s+Updated",
    ),
    (
        "last_reviewed",
        r"Last\s+Review(?:ed)?(?:\s+Date)?|Reviewed(?=\s*:)|Review\s+Date|Date\s+(?:Last\s+)?Reviewed|"
        r"Annual\s+Review\s+Date",
    ),
)
_LABEL_RE = re.compile(
    r"(?:^|(?<=[|\t:])|(?<=\s\s)|(?<=\s)(?=[A-Z][A-Za-z \n]{2,40}(?:Date|Review|Revised|Updated|Effective)\s*:))"
    r"[ \t]*[•\-*]?[ \t]*(?:" + "|".join(f"(?P<{k}>{p})" for k, p in _LABELS) + r")"
    r"(?:[ \t]*[:|\-–]|[ \t]*\.{2,})*[ \t]*",
    re.I | re.M,
)
_SERVICES_ON_OR_AFTER = re.compile(
    r"^(?:for\s+services\s+(?:performed|rendered)\s+on\s+or\s+after|on\s+or\s+after)\s+", re.I
)
_VALUE_END = re.compile(r"\||\t|\s{3,}|\n\s*\n\s*\n|$", re.M)


_LABEL_WORD = re.compile(r"date|review|revis|updat|effective|publish|posted|origin", re.I)


def _label_line(line: str) -> bool:
    """A line that can carry a dated label: a short line, a table row or a 'Label: value' line naming one."""
    found = _LABEL_WORD.search(line, 0, 80)
    return found is not None and (len(line) < 120 or any(mark in line for mark in (":", "|", "\t", "..")))


def _label_windows(head: str) -> list[str]:
    """The stretches of the head that can hold a dated label: lines naming one, with the lines after
    them (values printed below their label). Scanning only these keeps the label pattern cheap."""
    lines = head.split("\n")
    windows: list[str] = []
    i = 0
    while i < len(lines):
        if _label_line(lines[i]):
            end = i + 1
            while end < len(lines) and (end - i < 4 or _label_line(lines[end])):
                end += 1
            windows.append("\n".join(lines[i:end]))
            i = end
        else:
            i += 1
    return windows


def _value_after(text: str, start: int, limit: int) -> str:
    """A label's value: up to three lines down (values on the next line), ending at a cell break."""
    rest = text[start : min(limit, start + 120)].lstrip(" \t")
    rest = rest.lstrip("\n \t") if rest.startswith("\n") and rest.count("\n", 0, 12) <= 3 else rest
    end = _VALUE_END.search(rest)
    return rest[: end.start() if end else len(rest)].strip()


def detect_dates(text: str, history: list[HistoryEntry], multi_policy: bool) -> Dates:
    """The five contract dates, each from its own label; history only says when a policy was implemented."""
    dates = Dates()
    if multi_policy:
        return dates
    found: dict[str, str] = {}
    for window in _label_windows(text[: max(HEAD_CHARS, 12000)]):
        labels = list(_LABEL_RE.finditer(window))
        for i, m in enumerate(labels):
            field = next(k for k, _ in _LABELS if m.group(k))
            if field in found:
                continue
            limit = labels[i + 1].start() if i + 1 < len(labels) else len(window)
            value_text = _SERVICES_ON_OR_AFTER.sub("", _value_after(window, m.end(), limit))
            first = DATE_PATTERN.match(value_text)
            if not first or not match_to_iso(first):
                continue
            values = [iso for d in DATE_PATTERN.finditer(value_text) if (iso := match_to_iso(d))]
            found[field] = max(values) if field in ("last_revised", "last_reviewed") else values[0]
    dates.effective = found.get("effective")
    dates.original_effective = found.get("original_effective")
    dates.published = found.get("published")
    dates.next_review = found.get("next_review")
    dates.last_revised = found.get("last_revised") or found.get("last_reviewed")
    implemented = sorted(e.date for e in history if e.date and re.search(r"\bimplemented\b", e.text, re.I))
    if implemented:
        dates.effective = dates.effective or implemented[-1]
        dates.original_effective = dates.original_effective or implemented[0]
    return dates
