from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from medpolicy.ask.bm25 import BM25
from medpolicy.ask.synonyms import SYNONYM_GROUPS
from medpolicy.ask.text import concept_term, query_terms, stem, terms


def test_stem_conflates_inflections() -> None:
    assert stem("testing") == stem("tests") == stem("tested") == stem("test")
    assert stem("stimulation") == stem("stimulator") == stem("stimulators")
    assert stem("therapies") == stem("therapy")
    assert stem("86357") == "86357"
    assert stem("pass") == "pass"  # no "s" stripped from -ss


def test_abbreviation_and_long_form_are_one_query() -> None:
    assert query_terms("NK cells") == query_terms("natural killer cells")
    assert query_terms("CAR-T") == query_terms("chimeric antigen receptor")
    assert query_terms("TMS") == query_terms("transcranial magnetic stimulation")
    assert query_terms("HSAT") == query_terms("home sleep apnea testing")
    assert query_terms("ESG") == query_terms("endoscopic sleeve gastroplasty")


def test_documents_carry_words_and_concepts() -> None:
    found = terms("Natural killer (NK) cell testing for recurrent pregnancy loss")
    assert concept_term("natural killer") in found
    assert concept_term("recurrent pregnancy loss") in found
    assert stem("testing") in found
    assert "for" not in found  # stopword


def test_every_synonym_phrase_reads_as_its_group() -> None:
    for group in SYNONYM_GROUPS:
        concept = concept_term(group[0])
        for phrase in group:
            assert concept in query_terms(phrase) or concept in terms(phrase), phrase


def test_bm25_ranks_and_measures_the_share_of_query_weight() -> None:
    docs = [
        terms("acupuncture for chronic low back pain"),
        terms("acupuncture for chronic neck pain"),
        terms("spinal cord stimulation for chronic pain"),
        terms("chronic pain management"),
    ]
    index = BM25(docs)
    query = query_terms("acupuncture for neck pain")
    scores = index.scores(query)
    assert max(scores, key=lambda d: scores[d]) == 1
    assert index.match_ratio(1, query) == 1.0
    assert index.match_ratio(0, query) < index.match_ratio(1, query)
    assert 2 not in index.scores(query_terms("acupuncture"))


@given(st.text(max_size=200))
def test_query_terms_never_fail_and_never_repeat(text: str) -> None:
    found = query_terms(text)
    assert len(found) == len(set(found))
    assert query_terms(text) == found


@given(st.text(alphabet=st.characters(min_codepoint=97, max_codepoint=122), min_size=1, max_size=20))
def test_stem_is_a_prefix_of_the_word_or_ends_in_y(word: str) -> None:
    stemmed = stem(word)
    assert word.startswith(stemmed) or (stemmed.endswith("y") and word.startswith(stemmed[:-1]))
