"""Issuing through the REST API and the VC-API, end to end: compose from the catalog, sign,
store, show, download, verify; keys, rotation and retirement; who may do what; bad input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.conftest import Person, microcredential_payload

from tessera.accounts.roles import Role
from tessera.catalog import services as catalog
from tessera.credentials.baking import extract
from tessera.credentials.models import IssuedCredential, IssuerKey
from tessera.credentials.schemas import schema_validator

LEARNER = {"recipient_name": "Ana Ribeiro", "recipient_email": "Ana.Ribeiro@example.org"}


@dataclass
class Setup:
    staff: Person
    admin: Person
    mc: int
    draft: int


@pytest.fixture
def setup(db: Session, make_org, make_person, skill_uris: list[str]) -> Setup:  # type: ignore[no-untyped-def]
    make_org("aurora")
    make_org("industria")
    staff = make_person("staff@aurora.eu", Role.ISSUER_STAFF, "aurora")
    admin = make_person("admin@aurora.eu", Role.ORG_ADMIN, "aurora")
    published = catalog.create_microcredential(
        db, staff.actor, microcredential_payload("aurora", skill_uris, partners=["industria"])
    )
    catalog.publish_microcredential(db, staff.actor, published.microcredential_id)
    draft = catalog.create_microcredential(
        db, staff.actor, microcredential_payload("aurora", skill_uris, title="Still a draft")
    )
    return Setup(staff, admin, published.microcredential_id, draft.microcredential_id)


def _issue(client: TestClient, person: Person, mc: int, **changes: Any) -> Any:
    return client.post(
        "/api/v1/credentials",
        json={"microcredential_id": mc, **LEARNER, **changes},
        headers=person.auth,
    )


def _verify(client: TestClient, credential: Any) -> dict[str, Any]:
    response = client.post("/credentials/verify", json={"verifiableCredential": credential})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(IssuedCredential)) or 0


def test_issue_show_download_and_verify(client: TestClient, setup: Setup) -> None:
    response = _issue(client, setup.staff, setup.mc)
    assert response.status_code == 201, response.text
    issued = response.json()
    assert response.headers["location"] == issued["url"]
    assert issued["issuer_did"].endswith(":orgs:aurora")
    assert issued["verification_method"].startswith(issued["issuer_did"] + "#z6Mk")

    # The machine-readable page is the signed credential: OB 3.0, composed from the catalog.
    page = client.get(f"/credentials/{issued['id']}", headers={"Accept": "application/vc+ld+json"})
    assert page.headers["content-type"].startswith("application/vc+ld+json")
    credential = page.json()
    assert credential["id"] == issued["url"]
    assert credential["issuer"]["id"] == issued["issuer_did"]
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "MicroCredential"
    assert achievement["name"] == "Applied Data Analysis"
    assert achievement["creator"]["id"].endswith(":orgs:industria")  # the co-issuer
    assert {a["targetName"] for a in achievement["alignment"]} >= {"Python", "EQF level 6"}
    assert achievement["euMicroCredential"]["workloadHours"] == 60
    # The email is only ever a salted hash.
    assert "ana.ribeiro" not in page.text.lower()
    assert credential["credentialSubject"]["identifier"][0]["hashed"] is True
    assert not list(schema_validator("AchievementCredential").iter_errors(credential))

    # Every download verifies: the JSON-LD, the VC-JWT and both baked images.
    downloads = {kind: client.get(url) for kind, url in issued["downloads"].items()}
    assert {kind: r.status_code for kind, r in downloads.items()} == dict.fromkeys(downloads, 200)
    assert downloads["json"].json() == credential
    assert _verify(client, credential)["verified"] is True
    assert _verify(client, downloads["jwt"].text)["verified"] is True
    for kind in ("png", "svg"):
        assert downloads[kind].headers["content-type"].startswith(f"image/{kind}")
        assert _verify(client, extract(downloads[kind].content))["verified"] is True

    # The HTML page verifies it live and shows what was achieved.
    html = client.get(f"/credentials/{issued['id']}")
    assert html.status_code == 200
    assert "Verified" in html.text
    assert "Ana Ribeiro" in html.text
    assert "Applied Data Analysis" in html.text
    assert "Python" in html.text
    assert client.get(f"/api/v1/credentials/{issued['id']}").json() == issued


def test_issuing_is_idempotent_per_version_learner_and_key(
    client: TestClient, db: Session, setup: Setup
) -> None:
    first = _issue(client, setup.staff, setup.mc, idempotency_key="enrol-17")
    again = _issue(
        client, setup.staff, setup.mc, idempotency_key="enrol-17",
        recipient_email="ana.ribeiro@EXAMPLE.org",
    )  # fmt: skip
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    other = _issue(client, setup.staff, setup.mc, idempotency_key="enrol-18")
    assert other.status_code == 201
    assert other.json()["id"] != first.json()["id"]
    assert _count(db) == 2


def test_rotation_keeps_old_credentials_verifying(
    client: TestClient, db: Session, setup: Setup
) -> None:
    old = _issue(client, setup.staff, setup.mc).json()
    rotated = client.post("/api/v1/organisations/aurora/keys", headers=setup.admin.auth)
    assert rotated.status_code == 201, rotated.text
    new = _issue(client, setup.staff, setup.mc, idempotency_key="second").json()
    assert new["verification_method"] == rotated.json()["verification_method"]
    assert new["verification_method"] != old["verification_method"]

    document = client.get("/orgs/aurora/did.json").json()
    assert document["assertionMethod"] == [
        old["verification_method"], new["verification_method"]
    ]
    for issued in (old, new):
        assert _verify(client, client.get(issued["downloads"]["json"]).json())["verified"]

    keys = client.get("/api/v1/organisations/aurora/keys").json()
    assert [k["current"] for k in keys] == [True, False]
    # Never a secret: not in any answer, and only encrypted in the database.
    assert all(set(k) == set(keys[0]) and "secret" not in str(k).lower() for k in keys)
    for key in db.scalars(select(IssuerKey)):
        assert key.encrypted_secret.startswith(b"v1")
        assert len(key.encrypted_secret) == 2 + 12 + 48


def test_a_retired_key_fails_proofs_made_after_it_was_retired(
    client: TestClient, setup: Setup
) -> None:
    issued = _issue(client, setup.staff, setup.mc).json()
    public_key = issued["verification_method"].partition("#")[2]
    credential = client.get(issued["downloads"]["json"]).json()

    # Retired (compromised) an hour before it signed: the credential no longer verifies.
    before = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    retired = client.post(
        f"/api/v1/organisations/aurora/keys/{public_key}/retire",
        json={"reason": "Laptop stolen", "retired_at": before},
        headers=setup.admin.auth,
    )
    assert retired.status_code == 200, retired.text
    assert retired.json()["retired_reason"] == "Laptop stolen"
    report = _verify(client, credential)
    assert report["verified"] is False
    assert any(error.startswith("verification_method: ") for error in report["errors"])
    document = client.get("/orgs/aurora/did.json").json()
    assert "revoked" in document["verificationMethod"][0]

    # The next credential gets a fresh key and verifies.
    fresh = _issue(client, setup.staff, setup.mc, idempotency_key="after").json()
    assert fresh["verification_method"] != issued["verification_method"]
    assert _verify(client, client.get(fresh["downloads"]["json"]).json())["verified"] is True
    again = client.post(
        f"/api/v1/organisations/aurora/keys/{public_key}/retire",
        json={"reason": "twice"}, headers=setup.admin.auth,
    )  # fmt: skip
    assert again.status_code == 409


def test_a_key_retired_later_leaves_earlier_proofs_standing_with_a_warning(
    client: TestClient, setup: Setup
) -> None:
    issued = _issue(client, setup.staff, setup.mc).json()
    public_key = issued["verification_method"].partition("#")[2]
    later = (datetime.now(UTC) + timedelta(seconds=5)).isoformat()
    client.post(
        f"/api/v1/organisations/aurora/keys/{public_key}/retire",
        json={"reason": "Routine retirement", "retired_at": later}, headers=setup.admin.auth,
    )  # fmt: skip
    report = _verify(client, client.get(issued["downloads"]["json"]).json())
    assert report["verified"] is True
    assert any("was retired on" in warning for warning in report["warnings"])


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("learner", 403), ("other_staff", 403), ("assessor", 403)],
)
def test_only_the_providers_issuers_issue(
    client: TestClient, db: Session, setup: Setup, make_org, make_person, who: str, expected: int
) -> None:  # type: ignore[no-untyped-def]
    make_org("rival")
    people = {
        "learner": make_person("learner@aurora.eu", Role.LEARNER, "aurora"),
        "other_staff": make_person("staff@rival.eu", Role.ISSUER_STAFF, "rival"),
        "assessor": make_person("assessor@aurora.eu", Role.ASSESSOR, "aurora"),
    }
    headers = people[who].auth if who in people else {}
    response = client.post(
        "/api/v1/credentials", json={"microcredential_id": setup.mc, **LEARNER}, headers=headers
    )
    assert response.status_code == expected, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    rotate = client.post("/api/v1/organisations/aurora/keys", headers=headers)
    assert rotate.status_code == expected
    assert _count(db) == 0
    assert db.scalar(select(func.count()).select_from(IssuerKey)) == 0


def test_issuer_staff_may_issue_but_not_manage_keys(client: TestClient, setup: Setup) -> None:
    assert client.post("/api/v1/organisations/aurora/keys", headers=setup.staff.auth).status_code == 403


def test_drafts_cannot_be_issued(client: TestClient, db: Session, setup: Setup) -> None:
    response = _issue(client, setup.staff, setup.draft)
    assert response.status_code == 409
    assert "published" in response.json()["detail"]
    assert _count(db) == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"recipient_email": "not-an-email"}, "recipient_email"),
        ({"recipient_name": ""}, "recipient_name"),
        ({"recipient_name": "x" * 201}, "recipient_name"),
        ({"recipient_did": "mailto:ana@example.org"}, "recipient_did"),
        ({"suite": "rsa-2048"}, "suite"),
        ({"valid_until": "2001-01-01T00:00:00Z"}, "valid_until"),
        ({"idempotency_key": "has spaces"}, "idempotency_key"),
        ({"microcredential_id": "one"}, "microcredential_id"),
        ({"unexpected": True}, "unexpected"),
    ],
)
def test_bad_input_is_a_problem_and_writes_nothing(
    client: TestClient, db: Session, setup: Setup, changes: dict[str, Any], field: str
) -> None:
    response = _issue(client, setup.staff, setup.mc, **changes)
    assert response.status_code == 422, response.text
    assert field in {error["field"] for error in response.json()["errors"]}
    assert _count(db) == 0


def test_a_learner_did_becomes_the_subject_id(client: TestClient, setup: Setup) -> None:
    did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    issued = _issue(client, setup.staff, setup.mc, recipient_did=did).json()
    credential = client.get(issued["downloads"]["json"]).json()
    assert credential["credentialSubject"]["id"] == did
    assert "identifier" not in credential["credentialSubject"]


def test_staff_list_their_issued_credentials(
    client: TestClient, setup: Setup, make_person
) -> None:  # type: ignore[no-untyped-def]
    issued = _issue(client, setup.staff, setup.mc).json()
    listed = client.get("/api/v1/credentials?provider=aurora", headers=setup.staff.auth)
    assert [c["id"] for c in listed.json()] == [issued["id"]]
    outsider = make_person("someone@example.org")
    assert client.get("/api/v1/credentials?provider=aurora", headers=outsider.auth).status_code == 403


def test_unknown_credentials_are_404(client: TestClient) -> None:
    assert client.get("/credentials/00000000-0000-4000-8000-000000000000").status_code == 404
    assert client.get("/api/v1/credentials/not-a-uuid").status_code == 404
    assert client.get("/orgs/nobody/did.json").status_code == 404


def test_did_documents_and_the_extension_context_are_served(
    client: TestClient, setup: Setup
) -> None:
    platform = client.get("/.well-known/did.json")
    assert platform.status_code == 200
    assert platform.headers["content-type"].startswith("application/did+json")
    assert platform.json()["id"].startswith("did:web:")
    context = client.get("/ns/microcredential/v1")
    assert context.headers["content-type"].startswith("application/ld+json")
    assert "EUMicroCredentialDetails" in context.json()["@context"]


# --- VC-API issue -------------------------------------------------------------------------


def _unsigned(issuer: str) -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:6a1b7f3e-9b0f-4f59-8d6c-0c5a2f7d9e11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Aurora"},
        "validFrom": "2026-01-01T00:00:00Z",
        "name": "Teamwork",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "urn:uuid:2b7c4d51-0f7e-4b8a-9f55-3f0f1c6d2a77",
                "type": ["Achievement"],
                "name": "Teamwork",
                "description": "Works well in a team.",
                "criteria": {"narrative": "Observed in a group project."},
            },
        },
    }


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_vc_api_issue_signs_as_the_provider(
    client: TestClient, setup: Setup, suite: str
) -> None:
    issuer = client.get("/orgs/aurora/did.json").json()["id"]
    response = client.post(
        "/credentials/issue",
        json={"credential": _unsigned(issuer), "options": {"cryptosuite": suite}},
        headers=setup.staff.auth,
    )
    assert response.status_code == 201, response.text
    signed = response.json()["verifiableCredential"]
    assert signed["proof"]["cryptosuite"] == suite
    assert _verify(client, signed)["verified"] is True


def test_vc_api_issue_refuses_other_issuers_and_bad_credentials(
    client: TestClient, setup: Setup
) -> None:
    rival = client.get("/.well-known/did.json").json()["id"] + ":orgs:rival"
    aurora = client.get("/orgs/aurora/did.json").json()["id"]
    no_token = client.post("/credentials/issue", json={"credential": _unsigned(aurora)})
    assert no_token.status_code == 401
    assert no_token.headers["content-type"].startswith("application/problem+json")
    cases = [
        (_unsigned("did:web:elsewhere.example"), 422),
        (_unsigned(rival), 422),  # no such organisation here
        ({**_unsigned(aurora), "favouriteColour": "blue"}, 422),  # an undefined term
    ]
    for credential, expected in cases:
        response = client.post(
            "/credentials/issue", json={"credential": credential}, headers=setup.staff.auth
        )
        assert response.status_code == expected, response.text
    undefined = client.post(
        "/credentials/issue",
        json={"credential": {**_unsigned(aurora), "favouriteColour": "blue"}},
        headers=setup.staff.auth,
    )
    assert "favouriteColour" in undefined.json()["detail"]


# --- verification of anything ---------------------------------------------------------------


def test_verifications_take_json_a_jwt_an_image_or_a_url(client: TestClient, setup: Setup) -> None:
    issued = _issue(client, setup.staff, setup.mc).json()
    credential = client.get(issued["downloads"]["json"]).json()
    jwt = client.get(issued["downloads"]["jwt"]).text
    png = client.get(issued["downloads"]["png"]).content
    for body in ({"credential": credential}, {"credential": jwt}, {"url": issued["url"]},
                 {"url": issued["downloads"]["svg"]}):  # fmt: skip
        response = client.post("/api/v1/verifications", json=body)
        assert response.status_code == 200, response.text
        assert response.json()["verified"] is True, response.json()
    image = client.post(
        "/api/v1/verifications", content=png, headers={"Content-Type": "image/png"}
    )
    assert image.json()["verified"] is True
    assert image.json()["report"]["format"] == "png+json-ld"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body"),
        ({"credential": {"a": 1}, "url": "https://x.example/c"}, "body"),
        ({"url": "http://plain.example/credential"}, "url"),
        ({"url": "https://elsewhere.example/credential"}, "url"),  # this server does not fetch
        ({"url": "http://127.0.0.1:8000/credentials/nothing-here"}, "url"),
        ({"credential": 42}, "credential"),
    ],
)
def test_bad_verification_requests_are_problems(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    response = client.post("/api/v1/verifications", json=body)
    assert response.status_code == 422, response.text
    assert field in {e["field"].split(".")[0] for e in response.json()["errors"]}


def test_other_sites_are_fetched_through_the_injected_fetcher(client: TestClient) -> None:
    from dataclasses import replace

    from tests.unit.credentials.support import make_credential

    from tessera.credentials.dataintegrity import add_proof
    from tessera.credentials.didkey import did_key_signer

    signer = did_key_signer()
    signed = add_proof(make_credential(signer.key_id.partition("#")[0]), signer)
    served = {"https://issuer.example/badges/1.json": orjson_bytes(signed)}

    def fetch(url: str) -> bytes:
        return served[url]

    app = client.app
    app.state.issuing = replace(app.state.issuing, fetch=fetch)  # type: ignore[attr-defined]
    found = client.post("/api/v1/verifications", json={"url": next(iter(served))})
    assert found.json()["verified"] is True
    missing = client.post("/api/v1/verifications", json={"url": "https://issuer.example/404"})
    assert missing.status_code == 422
    assert "could not fetch" in missing.json()["detail"]


def orjson_bytes(value: Any) -> bytes:
    import json

    return json.dumps(value).encode()
