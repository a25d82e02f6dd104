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

_NUMBERED = re.compile(r"^\s*(?:\[(\d{1,3})\]|(\d{1,3})[.)])\s+(\S.*)$")
_PMID = re.compile(r"\bPMID:?\s*(\d{5,9})\b", re.I)
_DOI = re.compile(r"(?:\bdoi:?\s*|https?://(?:dx\.)?doi\.org/)(10\.\d{4,9}/[^\s\"<>\]]+)", re.I)
_CITATION_FEATURE = re.compile(
    r"\b(?:19|20)\d{2}\b.*(?:\d+\(\d+\)|:\s*\d+|;\s*\d+|accessed|available|pmid|doi|et al|journal|vol\.?)", re.I
)


def _reference(n: int, text: str) -> Reference:
    text = clean_inline(text)
    pmid = _PMID.search(text)
    doi = _DOI.search(text)
    return Reference(n, text, pmid.group(1) if pmid else None, doi.group(1).rstrip(".,;)") if doi else None)


def numbered_runs(lines: list[Line], indexes: list[int]) -> list[list[tuple[int, str, list[int]]]]:
    """Runs of items numbered from 1 upward: each item (n, text, line indexes)."""
    runs: list[list[tuple[int, str, list[int]]]] = []
    current: list[tuple[int, str, list[int]]] = []
    for i in indexes:
        ln = lines[i]
        if ln.furniture:
            continue
        m = _NUMBERED.match(ln.raw)
        n = int(m.group(1) or m.group(2)) if m else None
        if m and n is not None and ((not current and n == 1) or (current and n == current[-1][0] + 1)):
            current.append((n, m.group(3), [i]))
        elif m and n == 1:
            if current:
                runs.append(current)
            current = [(1, m.group(3), [i])]
        elif current and ln.text and not m and leading_date(ln.text):
            runs.append(current)
            current = []
        elif current and ln.text and not m:
            num, txt, idxs = current[-1]
            current[-1] = (num, txt + " " + ln.text, [*idxs, i])
        elif current and m:
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
        if t:
            block.append(t)
        elif block:
            refs.append(_reference(len(refs) + 1, " ".join(block)))
            block = []
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
