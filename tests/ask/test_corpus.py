from __future__ import annotations

from medpolicy.api import Store
from medpolicy.ask.corpus import snapshot, with_antecedent
from medpolicy.ask.retrieval import matching_positions, related_policies
from medpolicy.ask.text import query_terms

from .documents import NK_ORCHARD, Spec, add


def test_the_snapshot_is_cached_until_the_store_changes(store: Store) -> None:
    first = snapshot(store)
    assert snapshot(store) is first
    add(
        store,
        Spec(
            "Orchard Valley Health",
            "OV-9.99",
            "Acupuncture",
            positions=[
                (
                    "investigational",
                    "Acupuncture for neck pain is considered investigational.",
                    "acupuncture for neck pain",
                ),
            ],
        ),
    )
    second = snapshot(store)
    assert second is not first
    assert any(r.policy_number == "OV-9.99" for r in second.records)
    assert matching_positions(second, query_terms("acupuncture neck pain"))


def test_current_versions_only(store: Store) -> None:
    records = [r for r in snapshot(store).records if r.policy_number == "OV-5.10"]
    assert len(records) == 1 and records[0].version_no == 2


def test_sections_locate_offsets(store: Store) -> None:
    record = next(r for r in snapshot(store).records if r.policy_number == NK_ORCHARD.number)
    position = record.positions[0]
    assert position.span is not None
    assert record.section_at(position.span[0]) == "Policy"
    assert record.section_at(10_000) is None


def test_matching_needs_most_of_the_query_weight(store: Store) -> None:
    snap = snapshot(store)
    matches = matching_positions(snap, query_terms("NK cell testing recurrent pregnancy loss"))
    assert {m.record.policy_number for m in matches} == {"OV-2.01", "RS-118"}
    assert all(m.position.status == "investigational" for m in matches)
    assert matching_positions(snap, query_terms("proton beam therapy")) == []
    assert matching_positions(snap, []) == []
    assert related_policies(snap, query_terms("home sleep apnea"))[0].record.policy_number == "OV-5.10"


def test_a_statement_pointing_back_takes_its_antecedent() -> None:
    text = "Limits\n\nMembers may NOT be eligible for dry needling. This service is experimental.\n"
    start = text.index("This service")
    end = text.index("\n", start)
    quote, span = with_antecedent(text, text[start:end], (start, end))
    assert quote == "Members may NOT be eligible for dry needling. This service is experimental."
    assert span is not None and text[span[0] : span[1]] == quote
    plain = text.index("Members")
    assert with_antecedent(text, "Members may", (plain, plain + 11)) == ("Members may", (plain, plain + 11))
