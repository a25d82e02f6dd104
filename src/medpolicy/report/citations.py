"""Citations: numbering the documents a report cites and locating a span in one of them.

A report cites current versions (what the policies say now) and, in its Changes
section, the versions a change led to. Each distinct version gets one number in the
report's Sources list, in the order the report first cites it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from medpolicy.api import Store
from medpolicy.errors import QueryError
from medpolicy.model import Span
from medpolicy.query.results import StoredSection, VersionSummary
from medpolicy.report.loader import CurrentVersion, Page, load_current, load_histories
from medpolicy.report.model import Citation, SourceDocument


def section_at(sections: Sequence[StoredSection], offset: int) -> str | None:
    """The heading of the innermost section whose span holds `offset`."""
    best: tuple[int, str] | None = None
    for section in sections:
        for start, end in section.spans:
            if start <= offset < end and (best is None or end - start < best[0]):
                best = (end - start, section.heading)
    return best[1] if best else None


def page_at(pages: Sequence[Page], offset: int) -> int | None:
    """The PDF page holding `offset`."""
    for start, end, page, _element in pages:
        if start <= offset < end:
            return page
    return None


def citation_label(
    payer: str | None,
    policy_number: str | None,
    title: str | None,
    version_no: int,
    section: str | None = None,
    page: int | None = None,
    span: Span | None = None,
) -> str:
    """E.g. `Aetna, policy 0999 “NK Cell Therapy”, version 2, section “Policy”, p. 3, chars 120–180`."""
    parts = [payer or "Payer not stated"]
    named = f"policy {policy_number}" if policy_number else "no policy number"
    parts.append(f"{named} “{title}”" if title else named)
    parts.append(f"version {version_no}")
    if section:
        parts.append(f"section “{section}”")
    if page is not None:
        parts.append(f"p. {page}")
    if span is not None:
        parts.append(f"chars {span[0]}–{span[1]}")
    return ", ".join(parts)


class SourceRegistry:
    """Loads the policies a report cites (in bulk, once each) and numbers the versions it cites."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._current: dict[int, CurrentVersion] = {}
        self._histories: dict[int, dict[int, VersionSummary]] = {}
        self._numbers: dict[tuple[int, int], int] = {}
        self._sources: list[SourceDocument] = []

    def load(self, policy_ids: Iterable[int]) -> None:
        """Fetch the current versions of these policies in a few queries (before citing them)."""
        missing = set(policy_ids) - self._current.keys()
        if missing:
            self._current.update(load_current(self._store.engine, missing))

    def load_versions(self, policy_ids: Iterable[int]) -> None:
        """Fetch every version of these policies in a few queries (before citing versions of them)."""
        wanted = set(policy_ids)
        self.load(wanted)
        missing = wanted - self._histories.keys()
        if missing:
            self._histories.update(load_histories(self._store.engine, missing))

    def version(self, policy_id: int) -> CurrentVersion:
        """The policy's current version, with the facts reports cite."""
        if policy_id not in self._current:
            self.load([policy_id])
            if policy_id not in self._current:
                raise QueryError(f"no policy with id {policy_id}")
        return self._current[policy_id]

    def cite(self, policy_id: int, span: Span | None) -> Citation:
        """A citation of `span` in the current version of the policy."""
        current = self.version(policy_id)
        number = self._number(current, current.summary)
        section = section_at(current.sections, span[0]) if span else None
        page = page_at(current.pages, span[0]) if span else None
        version_no = current.summary.version_no
        return Citation(
            source=number,
            policy_id=policy_id,
            payer=current.payer,
            policy_number=current.policy_number,
            title=current.title,
            version_no=version_no,
            section=section,
            page=page,
            span=span,
            label=citation_label(
                current.payer, current.policy_number, current.title, version_no, section, page, span
            ),
        )

    def cite_version(self, policy_id: int, version_no: int) -> Citation:
        """A citation of a whole version (any version, current or not)."""
        current = self.version(policy_id)
        self.load_versions([policy_id])
        summary = self._histories[policy_id][version_no]
        title = summary.title or current.title
        return Citation(
            source=self._number(current, summary),
            policy_id=policy_id,
            payer=current.payer,
            policy_number=current.policy_number,
            title=title,
            version_no=version_no,
            section=None,
            page=None,
            span=None,
            label=citation_label(current.payer, current.policy_number, title, version_no),
        )

    def sources(self) -> list[SourceDocument]:
        """Every version cited so far, numbered in the order first cited."""
        return list(self._sources)

    def _number(self, current: CurrentVersion, summary: VersionSummary) -> int:
        key = (current.policy_id, summary.version_no)
        if key not in self._numbers:
            self._numbers[key] = len(self._sources) + 1
            self._sources.append(source_document(self._numbers[key], current, summary))
        return self._numbers[key]


def source_document(number: int, policy: CurrentVersion, summary: VersionSummary) -> SourceDocument:
    """The Sources entry for one version (`policy` gives the fields all its versions share)."""
    return SourceDocument(
        number=number,
        policy_id=policy.policy_id,
        payer=policy.payer,
        policy_number=policy.policy_number,
        title=summary.title or policy.title,
        doc_type=policy.doc_type,
        version_no=summary.version_no,
        is_current=summary.is_current,
        effective=summary.effective,
        last_revised=summary.last_revised,
        ingested_at=summary.ingested_at,
        source_path=summary.source_path,
        sha256=summary.sha256,
    )
