"""The app over a PostgreSQL store: the same answers as over SQLite (a smoke test of every read path)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

import medpolicy
from medpolicy.web import create_app
from store.backends import postgres_schema, require_postgres
from web.sample import fill

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg() -> Iterator[tuple[TestClient, dict[str, int]]]:
    require_postgres()
    with postgres_schema() as url, medpolicy.open(url) as store:
        ids = fill(store)
        with TestClient(create_app(store)) as client:
            yield client, ids


def test_api_and_pages_answer_from_postgresql(pg: tuple[TestClient, dict[str, int]]) -> None:
    client, ids = pg
    assert client.get("/api/v1/stats").json()["backend"] == "postgresql"
    lookup = client.get("/api/v1/codes/86357").json()
    assert {p["payer"] for p in lookup["policies"]} == {"Premera Blue Cross", "Aetna", "Evergreen Mutual"}
    hits = client.get("/api/v1/search", params={"q": "natural killer", "payer": "Aetna"}).json()["hits"]
    assert [hit["policy_id"] for hit in hits] == [ids["aetna"]]
    assert client.get("/api/v1/suggest", params={"q": "863"}).json()[0]["label"] == "86357"
    assert client.get("/api/v1/suggest", params={"q": "100%_"}).json() == []
    view = client.get(f"/api/v1/policies/{ids['premera']}").json()
    assert [c["code"] for c in view["changes"][0]["codes_added"]] == ["0537T"]
    csv_text = client.get("/api/v1/matrix", params={"codes": "86357", "format": "csv"}).text
    assert csv_text.splitlines()[0] == "code,Aetna,Evergreen Mutual,Premera Blue Cross"
    assert client.get("/api/v1/policies/999999").status_code == 404
    pages = (
        "/",
        "/codes/86357",
        f"/policies/{ids['hostile']}",
        "/matrix?codes=86357",
        "/changes",
        "/search?q=x",
    )
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        assert "<script>alert" not in page.text
