"""Related policies: numbers (and titles) from related-policy lists, index pages and bulletins."""

from __future__ import annotations

import re

from medpolicy.extract.lines import Line, clean_inline
from medpolicy.model import RelatedPolicy

# Policy numbering schemes in use: BCBSA 8.01.63, Florida Blue 09-J0000-66, Anthem SURG.00045 / CG-MED-21,
# Triple-S 11.003.015, Medicare L35062 / A52370, Humana HUM-0381-026, Aetna CPB 0243, BCBSMA #455.
POLICY_NUMBER = re.compile(
    r"(?<![\w.])(?:"
    r"\d{1,2}\.\d{2,3}\.\d{2,3}"
    r"|\d{2}-[A-Z0-9]{5}-\d{2}"
    r"|[A-Z]{2,5}\.\d{3,5}"
    r"|[A-Z]{2,4}-[A-Z]{2,5}-\d{2,4}"
    r"|[LA]\d{5}"
    r"|HUM-\d{4}-\d{3}"
    r"|[A-Z]{2,4}-\d{4}-\d{3}"
    r"|20\d{2}[A-Z]\d{4}[A-Z0-9]{1,2}"
    r"|(?<=CPB\s)\d{4}"
    r"|(?<=\()\d{4}(?=\))"
    r"|(?<=#)\d{2,5}"
    r"|(?<=#\s)\d{2,5}"
    r")(?![\w]|\.\d)"
)
_SECTIONED = re.compile(r"\b([A-Z][A-Za-z &/]{2,40}?),\s+Policy\s+No\.?\s*(\d+(?:\.\d+)*)")
_FLAT_RELATED = re.compile(r"Related\s+(?:Medical\s+)?Policies\s*:?\s*((?:•[^•]{3,300})+)", re.I)


def _entry(number: str, line_text: str) -> RelatedPolicy:
    title = line_text.replace(number, " ")
    title = re.sub(r"(?:MCG|CPB|Policy|No\.?)\s*#?\s*$", "", title.strip(), flags=re.I)
    title = clean_inline(re.sub(r"^[\s•\-–,:|#]+|[\s•\-–,:|#]+$", "", title))
    return RelatedPolicy(number, title or None)


def related_in_section(lines: list[Line], indexes: list[int]) -> tuple[list[RelatedPolicy], list[str]]:
    """Numbered entries, and the titles of entries that carry no number."""
    out: list[RelatedPolicy] = []
    titles: list[str] = []
    for i in indexes:
        ln = lines[i]
        t = ln.text
        if ln.furniture or not t:
            continue
        numbers = POLICY_NUMBER.findall(t)
        if not numbers:
            if (
                3 <= len(t) <= 160
                and not t.endswith(".")
                and not t.lower().startswith(("none", "n/a", "not applicable"))
            ):
                titles.append(t.strip("•- "))
            continue
        for parts in re.split(r"\s+•\s+|\s+\|\s+", t):
            for number in POLICY_NUMBER.findall(parts):
                out.append(_entry(number, parts))
    return out, titles


def related_flat(text: str) -> list[RelatedPolicy]:
    """'Related Policies • Title #455 • Title #925' printed on one line (flattened PDF text)."""
    m = _FLAT_RELATED.search(text)
    if not m:
        return []
    out = []
    for item in m.group(1).split("•")[1:]:
        numbers = POLICY_NUMBER.findall(item)
        if not numbers:
            break
        out.append(_entry(numbers[0], item.split("#")[0] + "#" + numbers[0] if "#" in item else item))
    return out


def sectioned_numbers(text: str) -> list[RelatedPolicy]:
    """Bulletin rows that name policies as 'Medicine, Policy No. 170' → 'Medicine 170'."""
    return [RelatedPolicy(f"{m.group(1).strip()} {m.group(2)}", None) for m in _SECTIONED.finditer(text)]


def reference_policy(text: str) -> str | None:
    """The association reference policy a plan's policy follows ('BCBSA Ref. Policy: 8.01.01')."""
    m = re.search(
        r"BCBSA\s+Ref(?:erence)?\.?\s*(?:Policy|Number|No\.?)?\s*(?:#|:)?\s*(\d{1,2}\.\d{2}\.\d{2,3})", text
    )
    return m.group(1) if m else None
