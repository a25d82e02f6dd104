"""The JSON API under /api/v1 answers what the Python API answers, with errors as JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from medpolicy.api import Store


def _error(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "detail"}
    assert isinstance(body["error"], str) and body["error"]
    return body


def test_code_lookup_matches_the_python_api(client: TestClient, sample_store: Store) -> None:
    response = client.get("/api/v1/codes/86357")
    assert response.status_code == 200
    assert response.json() == json.loads(json.dumps(sample_store.code("86357").to_dict()))
    assert {p["payer"] for p in response.json()["policies"]} == {
        "Premera Blue Cross",
        "Aetna",
        "Evergreen Mutual",
    }


def test_code_lookup_gives_each_policy_status_and_statement(client: TestClient) -> None:
    found = {p["payer"]: p for p in client.get("/api/v1/codes/86357").json()["policies"]}
    assert found["Aetna"]["status"] == "not_covered"
    assert found["Premera Blue Cross"]["status"] == "medically_necessary"
    assert "relapsed lymphoma" in found["Premera Blue Cross"]["statement"]
    start, end = found["Premera Blue Cross"]["statement_span"]
    text = client.get(f"/api/v1/policies/{found['Premera Blue Cross']['policy_id']}/text").json()["text"]
    assert text[start:end] == found["Premera Blue Cross"]["statement"]


def test_a_code_inside_a_listed_range_is_found_through_the_range(client: TestClient) -> None:
    found = client.get("/api/v1/codes/C83.30").json()
    assert found["system"] == "ICD-10-CM"
    assert [(p["payer"], p["matched"], p["range"]) for p in found["policies"]] == [
        ("Aetna", "range", "C81.00-C96.9")
    ]


def test_a_string_that_is_not_a_code_is_a_422(client: TestClient) -> None:
    body = _error(client.get("/api/v1/codes/not a code"), 422)
    assert body["error"].startswith("invalid path parameter 'code': String should match pattern")
    assert body["detail"][0]["loc"] == ["path", "code"]


def test_matrix_as_json_and_csv(client: TestClient) -> None:
    matrix = client.get("/api/v1/matrix", params={"codes": "86357,0537T", "payers": "Aetna,Premera"}).json()
    assert matrix["codes"] == ["86357", "0537T"]
    assert matrix["payers"] == ["Aetna", "Premera Blue Cross"]
    assert [[cell["status"] for cell in row] for row in matrix["rows"]] == [
        ["not_covered", "medically_necessary"],
        ["no policy found", "medically_necessary"],
    ]
    response = client.get(
        "/api/v1/matrix", params=[("codes", "86357"), ("codes", "0537T"), ("format", "csv")]
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["code", "Aetna", "Evergreen Mutual", "Premera Blue Cross"]
    assert rows[1][0] == "86357" and rows[2] == [
        "0537T",
        "no policy found",
        "no policy found",
        "medically_necessary",
    ]


def test_matrix_needs_codes(client: TestClient) -> None:
    _error(client.get("/api/v1/matrix"), 422)
    _error(client.get("/api/v1/matrix", params={"codes": " , "}), 422)


def test_search_ranks_words_and_filters(client: TestClient) -> None:
    found = client.get("/api/v1/search", params={"q": "natural killer"}).json()
    assert found["code"] is None
    titles = {hit["title"] for hit in found["hits"]}
    assert {"Natural Killer Cell Therapy", "Adoptive Immunotherapy"} <= titles
    assert all(any(hot for _, hot in hit["snippet_parts"]) for hit in found["hits"])
    only_aetna = client.get("/api/v1/search", params={"q": "natural killer", "payer": "Aetna"}).json()
    assert [hit["payer"] for hit in only_aetna["hits"]] == ["Aetna"]
    bulletins = client.get(
        "/api/v1/search", params={"q": "killer", "doc_type": "clinical_policy_bulletin"}
    ).json()
    assert [hit["title"] for hit in bulletins["hits"]] == ["Natural Killer Cell Therapy"]


def test_search_for_a_code_is_a_code_lookup(client: TestClient) -> None:
    found = client.get("/api/v1/search", params={"q": "86357"}).json()
    assert found["hits"] == [] and found["code"]["code"] == "86357"


def test_search_rejects_unknown_filters(client: TestClient) -> None:
    body = _error(client.get("/api/v1/search", params={"q": "x", "status": "maybe"}), 422)
    assert body["detail"][0]["loc"] == ["query", "status"]
    _error(client.get("/api/v1/search", params={"q": "x", "limit": 0}), 422)
    _error(client.get("/api/v1/search"), 422)


def test_suggest_offers_codes_by_prefix_and_policies_by_title(
    client: TestClient, ids: dict[str, int]
) -> None:
    codes = client.get("/api/v1/suggest", params={"q": "863"}).json()
    assert [(s["kind"], s["label"], s["url"]) for s in codes] == [("code", "86357", "/codes/86357")]
    titles = client.get("/api/v1/suggest", params={"q": "killer cell"}).json()
    assert [(s["kind"], s["url"]) for s in titles] == [("policy", f"/policies/{ids['aetna']}")]
    assert client.get("/api/v1/suggest", params={"q": "   "}).json() == []
    assert client.get("/api/v1/suggest", params={"q": "%"}).json() == []


def test_policy_has_versions_and_the_changes_between_them(client: TestClient, ids: dict[str, int]) -> None:
    view = client.get(f"/api/v1/policies/{ids['premera']}").json()
    policy = view["policy"]
    assert policy["policy_number"] == "8.01.01"
    assert [v["version_no"] for v in policy["versions"]] == [1, 2]
    assert policy["version"]["summary"]["version_no"] == 2
    assert policy["version"]["text"] is None
    [change] = view["changes"]
    assert (change["before"]["version_no"], change["after"]["version_no"]) == (1, 2)
    assert [c["code"] for c in change["codes_added"]] == ["0537T"]
    earlier = client.get(f"/api/v1/policies/{ids['premera']}", params={"version": 1}).json()
    assert earlier["policy"]["version"]["summary"]["is_current"] is False


def test_policy_text_as_json_and_as_plain_text(client: TestClient, ids: dict[str, int]) -> None:
    as_json = client.get(f"/api/v1/policies/{ids['aetna']}/text").json()
    assert as_json["policy_id"] == ids["aetna"] and as_json["version_no"] == 1
    assert as_json["text"].startswith("Aetna Inc.\nPolicy Number: 0999\n")
    plain = client.get(f"/api/v1/policies/{ids['aetna']}/text", params={"format": "text"})
    assert plain.headers["content-type"].startswith("text/plain")
    assert plain.text == as_json["text"]


def test_unknown_policies_and_versions_are_404(client: TestClient, ids: dict[str, int]) -> None:
    assert "no policy with id 9999" in _error(client.get("/api/v1/policies/9999"), 404)["error"]
    _error(client.get("/api/v1/policies/9999/text"), 404)
    _error(client.get(f"/api/v1/policies/{ids['aetna']}", params={"version": 7}), 404)
    _error(client.get("/api/v1/policies/abc"), 422)


def test_policies_list(client: TestClient) -> None:
    listed = client.get("/api/v1/policies").json()
    assert [(p["payer"], p["versions"]) for p in listed] == [
        ("Aetna", 1),
        ("Evergreen Mutual", 1),
        ("Premera Blue Cross", 2),
    ]
    assert [p["payer"] for p in client.get("/api/v1/policies", params={"payer": "premera"}).json()] == [
        "Premera Blue Cross"
    ]


def test_changes_filter_by_date_and_payer(client: TestClient) -> None:
    assert len(client.get("/api/v1/changes").json()) == 1
    assert len(client.get("/api/v1/changes", params={"since": "2025-01"}).json()) == 1
    assert client.get("/api/v1/changes", params={"since": "2026"}).json() == []
    assert client.get("/api/v1/changes", params={"payer": "Aetna"}).json() == []
    assert "'since'" in _error(client.get("/api/v1/changes", params={"since": "soon"}), 422)["error"]
    assert "not a date" in _error(client.get("/api/v1/changes", params={"since": "2023-02-30"}), 422)["error"]


def test_payers_and_stats(client: TestClient) -> None:
    payers = {p["payer"]: p for p in client.get("/api/v1/payers").json()}
    assert payers["Premera Blue Cross"]["versions"] == 2
    stats = client.get("/api/v1/stats").json()
    assert (stats["backend"], stats["policies"], stats["versions"], stats["payers"]) == ("sqlite", 3, 4, 3)


def test_unknown_routes_and_methods_answer_json(client: TestClient) -> None:
    _error(client.get("/api/v1/nothing-here"), 404)
    _error(client.put("/api/v1/stats"), 405)


def test_openapi_schema_documents_the_api(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/codes/{code}",
        "/api/v1/matrix",
        "/api/v1/search",
        "/api/v1/suggest",
        "/api/v1/policies/{policy_id}",
        "/api/v1/policies/{policy_id}/text",
        "/api/v1/changes",
        "/api/v1/reports/{code}",
        "/api/v1/ask",
        "/api/v1/check",
        "/api/v1/payers",
        "/api/v1/stats",
        "/api/v1/documents",
    ):
        assert path in paths, path
    assert not any(path.startswith(("/codes", "/policies/", "/static")) for path in paths)
    policy = paths["/api/v1/policies/{policy_id}"]["get"]["responses"]
    assert policy["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"
    }
    assert policy["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PolicyView"
    }
    statuses = schema["paths"]["/api/v1/search"]["get"]["parameters"]
    status_param = next(p for p in statuses if p["name"] == "status")
    assert "investigational" in str(status_param["schema"])
    upload = paths["/api/v1/documents"]["post"]
    assert {"401", "403", "413", "415"} <= set(upload["responses"])
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert client.get("/api/v1/docs").status_code == 200


def test_report_endpoint_renders_each_format_or_says_it_is_missing(client: TestClient) -> None:
    from medpolicy.web import features

    if not features.available(features.REPORT):
        body = _error(client.get("/api/v1/reports/86357"), 501)
        assert "reports" in body["error"]
        return
    expected_types = {
        "md": "text/markdown",
        "html": "text/html",
        "json": "application/json",
        "pdf": "application/pdf",
    }
    bodies = {}
    for fmt, media_type in expected_types.items():
        response = client.get("/api/v1/reports/86357", params={"format": fmt})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(media_type)
        assert f'filename="medpolicy-report-86357.{fmt}"' in response.headers["content-disposition"]
        bodies[fmt] = response.content
    assert bodies["pdf"].startswith(b"%PDF-")
    assert b"86357" in bodies["md"] and b"Aetna" in bodies["html"]
    assert json.loads(bodies["json"])
    _error(client.get("/api/v1/reports/86357", params={"format": "docx"}), 422)


def test_ask_endpoint_answers_with_evidence_or_says_it_is_missing(client: TestClient) -> None:
    from medpolicy.web import features

    response = client.get("/api/v1/ask", params={"q": "Does Aetna cover 86357?"})
    if not features.available(features.ASK):
        _error(response, 501)
        return
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["question"] == "Does Aetna cover 86357?"
    assert answer["answer"]
    _error(client.get("/api/v1/ask"), 422)


def test_check_endpoint_determines_each_line_or_says_it_is_missing(client: TestClient) -> None:
    from medpolicy.web import features

    lines = {"lines": [{"payer": "Aetna", "code": "86357", "dx": ["C83.30"], "date": "2024-05-01"}]}
    response = client.post("/api/v1/check", json=lines)
    if not features.available(features.CHECK):
        _error(response, 501)
        return
    assert response.status_code == 200, response.text
    [determination] = response.json()
    assert determination["code"] == "86357"
    assert determination["outcome"] == "not_covered"
    _error(client.post("/api/v1/check", json={"lines": []}), 422)
    _error(client.post("/api/v1/check", json={"lines": [{"payer": "Aetna"}]}), 422)
    _error(
        client.post("/api/v1/check", content=b"not json", headers={"content-type": "application/json"}), 422
    )


def test_features_not_installed_answer_501_and_their_links_are_hidden(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from medpolicy.web import features

    monkeypatch.setattr(features, "REPORT", ("medpolicy.no_such_module", "code_report", "reports"))
    monkeypatch.setattr(features, "ASK", ("medpolicy.model", "no_such_function", "questions"))
    monkeypatch.setattr(features, "CHECK", ("medpolicy.no_such_module", "check_claims", "claim checks"))
    body = _error(client.get("/api/v1/reports/86357"), 501)
    assert body == {
        "error": "reports are not available in this installation of medpolicy",
        "detail": "medpolicy.no_such_module.code_report is not installed",
    }
    _error(client.get("/api/v1/ask", params={"q": "anything"}), 501)
    _error(client.post("/api/v1/check", json={"lines": [{"payer": "Aetna", "code": "86357"}]}), 501)
    code_page = client.get("/codes/86357").text
    assert "/api/v1/reports/" not in code_page
    assert 'href="/ask"' not in code_page and 'href="/check"' not in code_page
    assert client.get("/ask").status_code == 501


def test_the_api_vocabulary_is_the_contract_vocabulary() -> None:
    from typing import get_args

    from medpolicy.model import DOC_TYPES, STATUSES
    from medpolicy.web.api_v1 import DocType, Status

    assert get_args(DocType) == DOC_TYPES
    assert get_args(Status) == STATUSES
