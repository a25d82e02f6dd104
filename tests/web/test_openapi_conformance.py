"""Schemathesis drives each read-only endpoint with generated requests: no server errors, and every
response matches what the OpenAPI schema promises (status codes, content types, bodies)."""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from medpolicy.api import Store
from medpolicy.web import create_app
from medpolicy.web.api_v1 import router

READ_ONLY_PATHS = sorted(
    route.path for route in router.routes if isinstance(route, APIRoute) and route.methods == {"GET"}
)
# Fewer examples where each takes long: rendering PDFs, matrices of many codes.
SLOW_PATHS = {"/api/v1/reports/{code}": 6, "/api/v1/matrix": 12}
EXAMPLES = 25
# Where the schema cannot say everything the server checks, a schema-valid request may still be
# refused with 422 and an ErrorBody saying why: search syntax ("AND" with nothing after it), dates
# that do not exist (2023-02-30), payer names or codes nothing is known about. There the check that
# every schema-valid request is accepted is left out; every other check still applies.
SEMANTIC_422 = {"/api/v1/search", "/api/v1/changes", "/api/v1/matrix", "/api/v1/reports/{code}"}


@pytest.fixture(scope="module")
def api_schema(sample_store: Store) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(sample_store))


def test_every_read_endpoint_is_covered() -> None:
    assert "/api/v1/codes/{code}" in READ_ONLY_PATHS and "/api/v1/reports/{code}" in READ_ONLY_PATHS
    assert "/api/v1/documents" not in READ_ONLY_PATHS


@pytest.mark.parametrize("path", READ_ONLY_PATHS)
def test_read_endpoint_conforms_to_its_schema(api_schema: schemathesis.BaseSchema, path: str) -> None:
    [operation] = [result.ok() for result in api_schema.include(method="GET", path=path).get_all_operations()]

    @given(operation.as_strategy())
    @settings(
        max_examples=SLOW_PATHS.get(path, EXAMPLES), deadline=None, suppress_health_check=list(HealthCheck)
    )
    def conforms(case: schemathesis.Case) -> None:
        case.call_and_validate(excluded_checks=excluded)

    excluded = [positive_data_acceptance] if path in SEMANTIC_422 else []

    conforms()
