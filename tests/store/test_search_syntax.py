"""The search language: parsed the same on every backend; any input is a query or a clear QueryError."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medpolicy.errors import QueryError
from medpolicy.store.fulltext import fts5_expression, tsquery_expression
from medpolicy.store.search_syntax import MAX_TERMS, Clause, SearchQuery, Term, parse_search
from store.backends import POSTGRES_URL, require_postgres

# Text rich in the characters search syntaxes give meaning to.
queries = st.text(
    alphabet=st.sampled_from(list('ab "-*():^+{}.,OR NDTEAXé\t')) | st.characters(), max_size=40
)


def test_words_are_anded() -> None:
    assert parse_search("natural killer") == SearchQuery((Clause((Term(("natural",)), Term(("killer",)))),))


def test_phrases_prefixes_and_inner_punctuation() -> None:
    query = parse_search('"natural killer" immuno* CAR-T')
    assert query.clauses[0].include == (
        Term(("natural", "killer")),
        Term(("immuno",), prefix=True),
        Term(("CAR", "T")),
    )


def test_or_splits_clauses_and_exclusions_stay_in_theirs() -> None:
    query = parse_search("a -b OR c NOT d AND e")
    assert query == SearchQuery(
        (Clause((Term(("a",)),), (Term(("b",)),)), Clause((Term(("c",)), Term(("e",))), (Term(("d",)),)))
    )


def test_lowercase_operator_words_are_words() -> None:
    assert parse_search("or and not").terms() == [Term(("or",)), Term(("and",)), Term(("not",))]


def test_too_many_words_are_refused() -> None:
    with pytest.raises(QueryError, match="too many words"):
        parse_search(" ".join(["w"] * (MAX_TERMS + 1)))


def test_fts5_expression_quotes_every_word() -> None:
    assert fts5_expression(parse_search('a* "b c" -d OR e')) == '(("a"* AND "b c") NOT "d") OR ("e")'


@settings(max_examples=300, deadline=None)
@given(queries)
def test_any_text_is_a_query_or_a_query_error(text: str) -> None:
    try:
        parse_search(text)
    except QueryError as exc:
        assert repr(text) in str(exc)


@pytest.fixture(scope="module")
def fts5() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='porter unicode61 remove_diacritics 2')")
    conn.execute("INSERT INTO t VALUES ('natural killer cells are lymphocytes')")
    yield conn
    conn.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(queries)
def test_every_parsed_query_runs_in_fts5(fts5: sqlite3.Connection, text: str) -> None:
    try:
        query = parse_search(text)
    except QueryError:
        return
    fts5.execute("SELECT count(*) FROM t WHERE t MATCH ?", (fts5_expression(query),)).fetchone()


@pytest.mark.postgres
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(queries)
def test_every_parsed_query_runs_in_postgresql(postgres: sa.Connection, text: str) -> None:
    try:
        query = parse_search(text)
    except QueryError:
        return
    postgres.execute(sa.select(tsquery_expression(query))).scalar()


@pytest.fixture(scope="module")
def postgres() -> Iterator[sa.Connection]:
    require_postgres()
    engine = sa.create_engine(POSTGRES_URL)
    with engine.connect() as conn:
        yield conn
    engine.dispose()
