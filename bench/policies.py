"""What one synthetic policy version says, independent of layout and format.

`PolicyPlan` fixes a policy's identity (layout, payer, number, subject, format, size);
`build_version` turns a plan and a version number into the facts that version states.
Later versions move the effective date on, add one code, remove one (mentioned in the
history instead), and sometimes move a position from investigational to covered.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from codepools import COMMON_CODES, Condition, Service, conditions, describe, describe_diagnosis, services
from vocabulary import (
    ADVERSE,
    ALTERNATIVES,
    CRITERIA,
    DESIGNS,
    DISTRACTOR_SENTENCES,
    EXCLUSION_EXAMPLES,
    HISTORY_ACTIONS,
    JOURNALS,
    OUTCOMES,
    PLACES,
    POPULATIONS,
    QUALITY,
    SCALES,
    SENTENCES,
    STREETS,
    SURNAMES,
    TOWNS,
)

MEDICALLY_NECESSARY = "medically_necessary"
INVESTIGATIONAL = "investigational"
NOT_MEDICALLY_NECESSARY = "not_medically_necessary"
NOT_COVERED = "not_covered"
COSMETIC = "cosmetic"


@dataclass(frozen=True, slots=True)
class PolicyPlan:
    index: int
    layout: str
    payer: str
    number: str
    service: int  # index into codepools.services()
    condition: int  # index into codepools.conditions()
    versions: int
    format: str  # "txt" | "html" | "docx" | "pdf"
    target_chars: int
    code_count: int


@dataclass(frozen=True, slots=True)
class CodeEntry:
    system: str  # "CPT" | "HCPCS" | "ICD-10-CM"
    code: str
    description: str
    status: str  # the position the code is listed under


@dataclass(frozen=True, slots=True)
class Position:
    status: str
    statement: str
    criteria: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reference:
    text: str
    pmid: str | None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    date: dt.date
    text: str


@dataclass(frozen=True, slots=True)
class PolicyVersion:
    plan: PolicyPlan
    version: int  # 1-based
    title: str
    service_name: str
    condition_name: str
    kind: str
    effective: dt.date
    last_revised: dt.date
    original_effective: dt.date
    next_review: dt.date
    positions: tuple[Position, ...]
    codes: tuple[CodeEntry, ...]
    icd_ranges: tuple[tuple[str, str], ...]
    removed: tuple[CodeEntry, ...]  # codes an earlier version listed (named in the history)
    related: tuple[tuple[str, str], ...]  # (number, title)
    references: tuple[Reference, ...]
    history: tuple[HistoryEntry, ...]
    prose_seed: str


def build_version(seed: int, plan: PolicyPlan, version: int) -> PolicyVersion:
    """The facts version `version` (1-based) of the policy `plan` states."""
    rng = random.Random(f"{seed}/policy/{plan.index}")
    service = services(seed)[plan.service]
    condition = conditions(seed)[plan.condition]
    companion = conditions(seed)[(plan.condition + 7) % len(conditions(seed))]
    title = f"{service.name} for {condition.name}" if rng.random() < 0.75 else service.name
    original = dt.date(rng.randint(2008, 2021), rng.randint(1, 12), rng.randint(1, 28))
    first_effective = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 540))
    positions = _positions(rng, plan, service, condition)
    pool = _code_pool(rng, seed, plan, service, condition, companion, positions)
    chosen, spare = pool[: plan.code_count], pool[plan.code_count :]
    icd_ranges = _icd_ranges(rng, condition)
    related = _related(rng, seed, plan)
    references = tuple(_reference(rng) for _ in range(rng.randint(5, 30)))
    history = [
        HistoryEntry(original + dt.timedelta(days=400 * i + rng.randint(0, 200)), rng.choice(HISTORY_ACTIONS))
        for i in range(rng.randint(2, 8))
    ]
    history = [h for h in history if h.date < first_effective]
    history.append(HistoryEntry(first_effective, "Policy revised; coding section reviewed"))

    effective = first_effective
    removed: list[CodeEntry] = []
    for later in range(2, version + 1):
        change = random.Random(f"{seed}/policy/{plan.index}/version/{later}")
        effective = effective + dt.timedelta(days=change.randint(180, 420))
        notes = []
        removable = [i for i, entry in enumerate(chosen) if written_in(plan.layout, entry)]
        if len(removable) > 3:
            gone = chosen.pop(change.choice(removable))
            removed.append(gone)
            notes.append(f"Removed {gone.system} code {gone.code}")
        addable = [i for i, entry in enumerate(spare) if written_in(plan.layout, entry)]
        if addable:
            added = spare.pop(addable[0])
            chosen.append(added)
            notes.append(f"Added {added.system} code {added.code}")
        if change.random() < 0.35:
            positions = _promote(positions)
            notes.append(
                "Position on additional indications changed from investigational to medically necessary"
            )
        history.append(HistoryEntry(effective, "; ".join(notes) or "Annual review"))
    return PolicyVersion(
        plan=plan,
        version=version,
        title=title,
        service_name=service.name,
        condition_name=condition.name,
        kind=service.kind,
        effective=effective,
        last_revised=effective - dt.timedelta(days=rng.randint(10, 60)),
        original_effective=original,
        next_review=effective + dt.timedelta(days=365),
        positions=positions,
        codes=tuple(chosen),
        icd_ranges=icd_ranges,
        removed=tuple(removed),
        related=related,
        references=references,
        history=tuple(history),
        prose_seed=f"{seed}/prose/{plan.index}",
    )


def written_in(layout: str, entry: CodeEntry) -> bool:
    """True when documents in `layout` write the code out (LCDs name procedure codes, not diagnoses)."""
    return layout != "lcd" or entry.system != "ICD-10-CM"


def _positions(
    rng: random.Random, plan: PolicyPlan, service: Service, condition: Condition
) -> tuple[Position, ...]:
    lcd = plan.layout in ("lcd", "article")
    short = " ".join(plan.payer.split()[:2])
    subject = service.name.lower()
    found = []
    if rng.random() < 0.65:
        criteria = tuple(_fill(rng, text) for text in rng.sample(CRITERIA, rng.randint(2, 5)))
        if lcd:
            statement = (
                f"{service.name} is considered reasonable and necessary for {condition.name.lower()} "
                "when all of the following are met:"
            )
        else:
            population = rng.choice(POPULATIONS)
            statement = (
                f"{short} considers {subject} medically necessary for {population} with "
                f"{condition.name.lower()} when all of the following criteria are met:"
            )
        found.append(Position(MEDICALLY_NECESSARY, statement, criteria))
    if not found or rng.random() < 0.8:
        examples = " and ".join(_fill(rng, e) for e in rng.sample(EXCLUSION_EXAMPLES, 2))
        if lcd:
            statement = f"{service.name} is not reasonable and necessary for {examples}."
            found.append(Position(NOT_MEDICALLY_NECESSARY, statement, ()))
        else:
            statement = (
                f"{service.name} is considered investigational for all other indications, "
                f"including {examples}."
            )
            found.append(Position(INVESTIGATIONAL, statement, ()))
    if not lcd and rng.random() < 0.25:
        example = _fill(rng, rng.choice(EXCLUSION_EXAMPLES))
        found.append(
            Position(
                NOT_MEDICALLY_NECESSARY,
                f"{service.name} is considered not medically necessary for {example}.",
                (),
            )
        )
    if not lcd and rng.random() < 0.12:
        found.append(
            Position(
                NOT_COVERED,
                f"{service.name} for convenience or comfort is not covered (contract exclusion).",
                (),
            )
        )
    if service.kind == "surgery" and not lcd and rng.random() < 0.1:
        found.append(
            Position(
                COSMETIC,
                f"{service.name} performed primarily to improve appearance is considered cosmetic.",
                (),
            )
        )
    return tuple(found)


def _promote(positions: tuple[Position, ...]) -> tuple[Position, ...]:
    promoted = []
    for position in positions:
        if position.status == INVESTIGATIONAL:
            statement = position.statement.replace(
                "is considered investigational", "is considered medically necessary"
            )
            promoted.append(Position(MEDICALLY_NECESSARY, statement, position.criteria))
        else:
            promoted.append(position)
    return tuple(promoted)


def _code_pool(
    rng: random.Random,
    seed: int,
    plan: PolicyPlan,
    service: Service,
    condition: Condition,
    companion: Condition,
    positions: tuple[Position, ...],
) -> list[CodeEntry]:
    """Codes in the order a policy would list them (procedures, then diagnoses); extra ones at the end."""
    statuses = [p.status for p in positions]
    covered = MEDICALLY_NECESSARY if MEDICALLY_NECESSARY in statuses else statuses[0]
    uncovered = next((s for s in statuses if s != MEDICALLY_NECESSARY), covered)
    neighbour = services(seed)[(plan.service + 8) % len(services(seed))]
    procedures = [("CPT", c, covered) for c in service.cpt]
    procedures += [("CPT", c, uncovered) for c in service.category_iii]
    procedures += [("HCPCS", c, covered) for c in service.hcpcs]
    procedures += [("CPT", c, uncovered) for c in neighbour.cpt[:6]]
    if rng.random() < 0.3:
        procedures.append((*rng.choice(COMMON_CODES), covered))
    diagnoses = [
        ("ICD-10-CM", c, covered) for c in rng.sample(condition.icd10cm, min(40, len(condition.icd10cm)))
    ]
    diagnoses += [("ICD-10-CM", c, uncovered) for c in companion.icd10cm[:20]]
    rng.shuffle(procedures)
    share = 0.5 if plan.layout != "article" else 0.3
    wanted_procedures = max(3, round(plan.code_count * share))
    ordered = procedures[:wanted_procedures] + diagnoses + procedures[wanted_procedures:]
    seen: set[str] = set()
    entries = []
    for system, code, status in ordered:
        if code in seen:
            continue
        seen.add(code)
        description = (
            describe_diagnosis(rng, condition.name)
            if system == "ICD-10-CM"
            else describe(rng, service.kind, service.name)
        )
        entries.append(CodeEntry(system, code, description, status))
    return entries


def _icd_ranges(rng: random.Random, condition: Condition) -> tuple[tuple[str, str], ...]:
    if rng.random() >= 0.3:
        return ()
    first, last = sorted(rng.sample(condition.icd10cm, 2))
    return ((first, last),)


def _related(rng: random.Random, seed: int, plan: PolicyPlan) -> tuple[tuple[str, str], ...]:
    found = []
    for _ in range(rng.randint(1, 4)):
        other = rng.randrange(len(services(seed)))
        found.append((policy_number_like(plan.layout, rng.randint(0, 3000)), services(seed)[other].name))
    return tuple(found)


def policy_number_like(layout: str, serial: int) -> str:
    """A policy number in the style of `layout`; distinct serials give distinct numbers."""
    if layout == "bcbsa":
        serial += 10101
        return f"{serial // 10000}.{(serial // 100) % 100:02d}.{serial % 100:02d}"
    if layout == "aetna_cpb":
        return f"{serial + 12:04d}"
    if layout == "cigna":
        return f"{serial + 51:04d}"
    if layout == "uhc":
        return f"{2018 + serial % 7}T{serial + 100:04d}{'ABCDEFGH'[serial % 8]}"
    if layout == "lcd":
        return f"L{30000 + serial:05d}"
    return f"A{50000 + serial:05d}"


def _reference(rng: random.Random) -> Reference:
    authors = ", ".join(
        f"{rng.choice(SURNAMES)} {rng.choice('ABCDEFGHJKLMNPRST')}" for _ in range(rng.randint(1, 4))
    )
    if rng.random() < 0.4:
        authors += ", et al"
    year = rng.randint(1998, 2025)
    topic = rng.choice(OUTCOMES)
    words = f"{rng.choice(DESIGNS).split(' ', 1)[1].capitalize()} of {topic} after {rng.choice(ALTERNATIVES)}"
    volume, issue, page = rng.randint(1, 120), rng.randint(1, 12), rng.randint(1, 2400)
    pmid = str(rng.randint(10_000_000, 39_999_999)) if rng.random() < 0.65 else None
    last_page = page + rng.randint(3, 15)
    text = f"{authors}. {words}. {rng.choice(JOURNALS)}. {year};{volume}({issue}):{page}-{last_page}."
    if pmid:
        text += f" PMID: {pmid}."
    if rng.random() < 0.4:
        registrant, suffix = rng.randint(1000, 9999), rng.randint(100, 9999)
        text += f" doi:10.{registrant}/{rng.choice(SURNAMES).lower()}.{year}.{suffix}"
    return Reference(text, pmid)


_COUNT_FORMATS = ("{:,}", "{}")
_PLACEHOLDERS: dict[str, Callable[[random.Random], object]] = {
    "n": lambda rng: rng.randint(2, 24),
    "m": lambda rng: rng.randint(2, 60),
    "k": lambda rng: rng.randint(1, 3),
    "count": lambda rng: rng.choice(_COUNT_FORMATS).format(rng.randint(12, 48000)),
    "pct": lambda rng: rng.randint(3, 91),
    "year": lambda rng: rng.randint(1999, 2018),
    "year2": lambda rng: rng.randint(2019, 2024),
    "pval": lambda rng: f"0.{rng.randint(1, 99):02d}",
    "design": lambda rng: rng.choice(DESIGNS),
    "outcome": lambda rng: rng.choice(OUTCOMES),
    "outcome2": lambda rng: rng.choice(OUTCOMES),
    "scale": lambda rng: rng.choice(SCALES),
    "quality": lambda rng: rng.choice(QUALITY),
    "adverse": lambda rng: rng.choice(ADVERSE),
    "alternative": lambda rng: rng.choice(ALTERNATIVES),
    "place": lambda rng: rng.choice(PLACES),
    "phone": lambda rng: f"{rng.randint(100, 199):04d}",
    "street": lambda rng: rng.choice(STREETS),
    "town": lambda rng: ", ".join(rng.choice(TOWNS)),
    "zip": lambda rng: f"{rng.randint(10000, 99950):05d}",
    "nct": lambda rng: f"{rng.randint(1000000, 6999999):07d}",
}


class _Values(dict[str, object]):
    """Invented values for a template's placeholders, drawn only for the placeholders it has.

    Placeholders the caller fills itself ({Service}, {service}, {condition}) are kept for a second pass.
    """

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> object:
        draw = _PLACEHOLDERS.get(key)
        return "{" + key + "}" if draw is None else draw(self.rng)


def _fill(rng: random.Random, template: str) -> str:
    """`template` with its {placeholders} replaced by invented values."""
    return template.format_map(_Values(rng))


class _Subject(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def prose(version: PolicyVersion, section: str) -> Iterator[str]:
    """Endless paragraphs of invented narrative about the version's subject, the same for every version."""
    rng = random.Random(f"{version.prose_seed}/{section}")
    subject = _Subject(
        Service=version.service_name,
        service=version.service_name.lower(),
        condition=version.condition_name.lower(),
    )
    while True:
        sentences = [
            _fill(rng, rng.choice(DISTRACTOR_SENTENCES if rng.random() < 0.06 else SENTENCES))
            for _ in range(rng.randint(3, 7))
        ]
        yield " ".join(s.format_map(subject) for s in sentences)
