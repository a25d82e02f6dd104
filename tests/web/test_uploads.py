"""Uploading documents: only with the operator's token, within the size cap, only documents medpolicy reads."""

from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medpolicy.api import Store
from medpolicy.web.uploads import upload_name
from web.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
POLICY = (
    "Evergreen Mutual\nMedical Policy\n\nNatural Killer Cell Testing\n\nPolicy Number: EM-100\n"
    "Effective Date: 2024-03-01\n\nPolicy Coverage Criteria\n"
    "Natural killer cell testing is considered investigational.\n\n"
    "Coding\nCPT codes:\n86357  Natural killer cells, total count\n"
)


def _upload(client: TestClient, data: bytes, name: str = "policy.txt", headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/documents", files={"file": (name, data)}, headers=AUTH if headers is None else headers
    )


def test_uploads_are_refused_when_the_server_has_no_token(client: TestClient, sample_store: Store) -> None:
    before = sample_store.stats().versions
    response = _upload(client, POLICY.encode())
    assert response.status_code == 403
    assert "disabled" in response.json()["error"]
    assert sample_store.stats().versions == before


def test_uploads_need_the_right_token(writer: TestClient, writable_store: Store) -> None:
    missing = _upload(writer, POLICY.encode(), headers={})
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert _upload(writer, POLICY.encode(), headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert _upload(writer, POLICY.encode(), headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    assert writable_store.stats().versions == 0


def test_an_uploaded_document_is_read_extracted_and_stored(writer: TestClient, writable_store: Store) -> None:
    response = _upload(writer, POLICY.encode(), name="../../etc/nk-testing.txt")
    assert response.status_code == 201, response.text
    stored = response.json()
    assert (stored["outcome"], stored["version_no"], stored["media_type"]) == ("new", 1, "text/plain")
    assert stored["name"] == "nk-testing.txt"
    detail = writable_store.policy(stored["policy_id"])
    assert detail.policy_number == "EM-100"
    assert detail.version.summary.source_path == "upload:nk-testing.txt"
    assert [code.code for code in detail.version.codes] == ["86357"]
    again = _upload(writer, POLICY.encode(), name="nk-testing.txt").json()
    assert (again["outcome"], again["policy_id"]) == ("unchanged", stored["policy_id"])
    revised = _upload(writer, POLICY.replace("2024-03-01", "2025-03-01").encode()).json()
    assert (revised["outcome"], revised["policy_id"], revised["version_no"]) == (
        "updated",
        stored["policy_id"],
        2,
    )


def test_the_type_is_sniffed_from_the_content_not_the_name(writer: TestClient) -> None:
    html = b"<!doctype html><html><body><h1>Evergreen Mutual</h1><p>CPT 86357 is investigational.</p></body></html>"
    response = _upload(writer, html, name="looks-like.pdf")
    assert response.status_code == 201, response.text
    assert response.json()["media_type"] == "text/html"


def test_files_that_are_not_documents_are_415(writer: TestClient) -> None:
    binary = _upload(writer, bytes(range(256)) * 8, name="policy.txt")
    assert binary.status_code == 415
    assert binary.json()["detail"] == {"sniffed": "application/octet-stream"}
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("notes.txt", "hello")
    assert _upload(writer, archive.getvalue(), name="bundle.docx").status_code == 415
    assert _upload(writer, archive.getvalue(), name="bundle.zip").status_code == 415
    not_form = writer.post(
        "/api/v1/documents", content=POLICY.encode(), headers=AUTH | {"content-type": "text/plain"}
    )
    assert not_form.status_code == 415


def test_uploads_over_the_cap_are_413(writer: TestClient, writable_store: Store) -> None:
    response = _upload(writer, b"x" * (64 * 1024 + 1))
    assert response.status_code == 413
    assert response.json()["detail"] == {"max_bytes": 64 * 1024}
    huge = _upload(writer, b"x" * (512 * 1024))
    assert huge.status_code == 413
    assert writable_store.stats().versions == 0


def test_a_streamed_upload_without_a_length_is_cut_off_at_the_cap(writer: TestClient) -> None:
    def body():  # type: ignore[no-untyped-def]
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n'
        for _ in range(64):
            yield b"x" * 4096
        yield b"\r\n--b--\r\n"

    response = writer.post(
        "/api/v1/documents",
        content=body(),
        headers=AUTH | {"content-type": "multipart/form-data; boundary=b"},
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413


def test_unreadable_or_missing_files_are_422(writer: TestClient) -> None:
    assert _upload(writer, b"%PDF-1.7\nthis is not really a pdf", name="broken.pdf").status_code == 422
    assert _upload(writer, b"").status_code == 422
    no_file = writer.post("/api/v1/documents", files={"other": (None, "x")}, headers=AUTH)
    assert no_file.status_code == 422
    assert "'file'" in no_file.json()["error"]
    garbage = writer.post(
        "/api/v1/documents",
        content=b"--x\r\nnonsense",
        headers=AUTH | {"content-type": "multipart/form-data; boundary=x"},
    )
    assert garbage.status_code == 422


@pytest.mark.parametrize(
    ("given_name", "kept"),
    [
        ("policy.pdf", "policy.pdf"),
        ("C:\\Users\\me\\policy.docx", "policy.docx"),
        ("/etc/passwd", "passwd"),
        ("..", "upload"),
        ("", "upload"),
        (None, "upload"),
        ("bad\x00name\n.txt", "badname.txt"),
        ("x" * 500, "x" * 200),
    ],
)
def test_upload_names_are_base_names_only(given_name: str | None, kept: str) -> None:
    assert upload_name(given_name) == kept


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(min_size=0, max_size=2048), name=st.text(max_size=40))
def test_any_upload_is_answered_without_a_server_error(writer: TestClient, data: bytes, name: str) -> None:
    response = _upload(writer, data, name=name or "f")
    assert response.status_code in (201, 413, 415, 422), response.text
    assert set(response.json()) >= ({"error", "detail"} if response.status_code != 201 else {"policy_id"})
