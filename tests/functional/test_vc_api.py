"""VC-API `POST /credentials/verify`: JSON-LD and JWT credentials, failures as reports, bad
bodies as RFC 9457 problems."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.unit.credentials.support import make_credential

from tessera.credentials.dataintegrity import add_proof
from tessera.credentials.didkey import did_key_signer
from tessera.credentials.jwt import sign_jwt
from tessera.credentials.keys import Ed25519Signer

URL = "/credentials/verify"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def signer() -> Ed25519Signer:
    key = did_key_signer(Ed25519Signer(bytes(range(32))))
    assert isinstance(key, Ed25519Signer)
    return key


@pytest.fixture(scope="module")
def unsigned(signer: Ed25519Signer) -> dict[str, Any]:
    return make_credential(signer.key_id.partition("#")[0])


def test_verifies_a_json_ld_credential(
    client: TestClient, signer: Ed25519Signer, unsigned: dict[str, Any]
) -> None:
    signed = add_proof(unsigned, signer, suite="eddsa-rdfc-2022")
    response = client.post(URL, json={"verifiableCredential": signed, "options": {}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["verified"] is True
    assert {"parse", "proof", "verification_method", "validity"} <= set(body["checks"])
    assert body["errors"] == []
    assert body["warnings"] == []
    assert body["report"]["format"] == "json-ld"
    assert {c["id"] for c in body["report"]["checks"]} >= {"status", "issuer_trust"}


def test_verifies_a_jwt_without_options(
    client: TestClient, signer: Ed25519Signer, unsigned: dict[str, Any]
) -> None:
    response = client.post(URL, json={"verifiableCredential": sign_jwt(unsigned, signer)})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["verified"] is True
    assert body["report"]["format"] == "jwt"


def test_a_tampered_credential_is_a_200_with_errors(
    client: TestClient, signer: Ed25519Signer, unsigned: dict[str, Any]
) -> None:
    signed = add_proof(unsigned, signer, suite="eddsa-jcs-2022")
    signed["name"] = "Tampered"
    response = client.post(URL, json={"verifiableCredential": signed})
    assert response.status_code == 200
    body = response.json()
    assert body["verified"] is False
    assert "proof" not in body["checks"]
    assert any(error.startswith("proof: ") for error in body["errors"])


def test_an_unsigned_or_unreadable_credential_is_not_verified(
    client: TestClient, unsigned: dict[str, Any]
) -> None:
    body = client.post(URL, json={"verifiableCredential": unsigned}).json()
    assert body["verified"] is False
    body = client.post(URL, json={"verifiableCredential": "not.a.jwt"}).json()
    assert body["verified"] is False
    assert any(error.startswith("parse: ") for error in body["errors"])


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "verifiableCredential"),
        ({"verifiableCredential": 42}, "verifiableCredential"),
        ({"verifiableCredential": [1, 2]}, "verifiableCredential"),
        ({"verifiableCredential": ""}, "verifiableCredential"),
        ({"verifiableCredential": {}, "options": "fast"}, "options"),
        ({"verifiableCredential": {}, "unexpected": 1}, "unexpected"),
        ([1, 2, 3], "body"),
    ],
)
def test_bad_bodies_are_problems(client: TestClient, payload: Any, field: str) -> None:
    response = client.post(URL, json=payload)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM)
    problem = response.json()
    assert problem["type"] == "/problems/invalid-input"
    assert problem["status"] == 422
    assert problem["instance"] == URL
    assert any(e["field"].startswith(field) for e in problem["errors"]), problem


def test_not_json_is_a_problem(client: TestClient) -> None:
    response = client.post(
        URL, content=b"{verifiableCredential", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["errors"] == [{"field": "body", "message": "not valid JSON"}]


def test_the_endpoint_is_documented(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"][URL]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert "verifiableCredential" in schema["properties"]
    assert "$defs" not in str(schema)  # inline: a $ref into $defs would not resolve here
