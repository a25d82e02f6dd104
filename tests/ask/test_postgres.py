"""The same questions get the same answers from a PostgreSQL store as from SQLite."""

from __future__ import annotations

import pytest

import medpolicy
from medpolicy.api import Store
from medpolicy.ask import ask
from store.backends import postgres_schema, require_postgres

from .conftest import TODAY
from .documents import (
    CODE_PAGE,
    NK_ORCHARD,
    NK_RIVERSTONE,
    SLEEP_ORCHARD_V1,
    SLEEP_ORCHARD_V2,
    TMS_MEADOWLARK_2014,
    add,
)

QUESTIONS = (
    "Is 86357 covered?",
    "Does Meadowlark cover TMS?",
    "What ICD-10 codes support medical necessity for 86357 at Riverstone?",
    "What changed this year?",
    "What is 86357?",
    "Does Aetna cover 86356?",
)


@pytest.mark.postgres
def test_postgres_answers_match_sqlite(store: Store) -> None:
    require_postgres()
    with postgres_schema() as url, medpolicy.open(url) as pg_store:
        for spec in (
            NK_ORCHARD,
            NK_RIVERSTONE,
            TMS_MEADOWLARK_2014,
            SLEEP_ORCHARD_V1,
            SLEEP_ORCHARD_V2,
            CODE_PAGE,
        ):
            add(pg_store, spec)
        for question in QUESTIONS:
            on_sqlite = ask(store, question, today=TODAY, rephrase=False)
            on_postgres = ask(pg_store, question, today=TODAY, rephrase=False)
            assert on_postgres.answer == on_sqlite.answer, question
            assert on_postgres.status == on_sqlite.status
            assert [(e.statement, e.span) for e in on_postgres.evidence] == [
                (e.statement, e.span) for e in on_sqlite.evidence
            ]
