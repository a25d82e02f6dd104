"""Reference lists: numbered citations (wrapped lines joined), with PMID and DOI.

Inside a References/Bibliography section entries are numbered items, else blocks
separated by blank lines. A document that prints its citations with no heading is
recognised by a run of items numbered 1, 2, 3 … that read like citations.
"""

from __future__ import annotations

import re

from medpolicy.extract.dates import leading_date
from medpolicy.extract.lines import Line, clean_inline
from medpolicy.model import Reference

_NUMBERED = re.compile(r"^\s*(?:\[(\d{1,3})\]|(\d{1,3})[.)])(?:\s+|(?=[A-Z]))(\S.*)$")
_BULLET = re.compile(r"^[•·▪◦\-*–]\s+")
_PMID = re.compile(r"\bPMID:?\s*(\d{5,9})\b", re.I)
_DOI = re.compile(r"(?:\bdoi:?\s*|https?://(?:dx\.)?doi\.org/)(10\.\d{4,9}/[^\s\"<>\]]+)", re.I)
_CITATION_FEATURE = re.compile(
    r"\b(?:19|20)\d{2}\b.*(?:\d+\(\d+\)|:\s*\d+|;\s*\d+|accessed|available|pmid|doi|et al|journal|vol\.?)",
    re.I,
)


def _reference(n: int, text: str) -> Reference:
    text = clean_inline(text)
    pmid = _PMID.search(text)
    doi = _DOI.search(text)
    return Reference(n, text, pmid.group(1) if pmid else None, doi.group(1).rstrip(".,;)") if doi else None)


def _history_row_after(item_text: str, line_text: str) -> bool:
    """A dated row ('July 2013  New policy') right after a finished citation starts the history."""
    lead = leading_date(line_text)
    if not lead or not item_text.rstrip().endswith((".", ")")):
        return False
    rest = line_text[lead[1] :]
    return bool(re.match(r"\s+[A-Za-z]", rest))


def numbered_runs(lines: list[Line], indexes: list[int]) -> list[list[tuple[int, str, list[int]]]]:
    """Runs of items numbered from 1 upward: each item (n, text, line indexes).

    A wrapped line that happens to open with a number ('1. PMID: 30937874.') continues the
    current item when the next expected number follows shortly after.
    """
    runs: list[list[tuple[int, str, list[int]]]] = []
    current: list[tuple[int, str, list[int]]] = []
    usable = [i for i in indexes if not lines[i].furniture]
    numbers = {i: _NUMBERED.match(lines[i].raw) for i in usable}

    def expected_soon(pos: int, n: int) -> bool:
        for j in usable[pos + 1 : pos + 12]:
            m = numbers[j]
            if m and int(m.group(1) or m.group(2)) == n:
                return True
        return False

    for pos, i in enumerate(usable):
        ln = lines[i]
        m = numbers[i]
        n = int(m.group(1) or m.group(2)) if m else None
        if m and current and n == current[-1][0] + 1:
            current.append((n, m.group(3), [i]))
        elif m and n == 1 and not (current and expected_soon(pos, current[-1][0] + 1)):
            if current:
                runs.append(current)
            current = [(1, m.group(3), [i])]
        elif current and not m and _history_row_after(current[-1][1], ln.text):
            runs.append(current)
            current = []
        elif current and ln.text:
            num, txt, idxs = current[-1]
            current[-1] = (num, txt + " " + ln.text, [*idxs, i])
    if current:
        runs.append(current)
    return runs


def references_in_section(lines: list[Line], indexes: list[int]) -> list[Reference]:
    """Entries of a references section: numbered items, else blank-line separated blocks."""
    runs = numbered_runs(lines, indexes)
    if runs:
        best = max(runs, key=len)
        return [_reference(n, txt) for n, txt, _ in best]
    refs: list[Reference] = []
    block: list[str] = []
    for i in [*indexes, -1]:
        t = lines[i].text if i >= 0 and not lines[i].furniture else ""
        bullet = _BULLET.match(t)
        if block and (not t or bullet):
            refs.append(_reference(len(refs) + 1, " ".join(block)))
            block = []
        if t:
            block.append(t[bullet.end() :] if bullet else t)
    return refs


def references_without_heading(lines: list[Line], indexes: list[int]) -> tuple[list[Reference], set[int]]:
    """The longest numbered run that reads like citations (most items have a year and a source)."""
    best: list[tuple[int, str, list[int]]] = []
    for run in numbered_runs(lines, indexes):
        if len(run) < 3:
            continue
        citations = sum(1 for _, txt, _ in run if _CITATION_FEATURE.search(txt))
        if citations >= 0.6 * len(run) and len(run) > len(best):
            best = run
    used = {i for _, _, idxs in best for i in idxs}
    return [_reference(n, txt) for n, txt, _ in best], used
