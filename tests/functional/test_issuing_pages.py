"""Issuing in the browser's pages (no JavaScript): the issue form, the issued list, keys."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.conftest import Person, microcredential_payload
from tests.functional.test_catalog_pages import csrf_token, sign_in

from tessera.accounts.roles import Role
from tessera.catalog import services as catalog
from tessera.credentials.models import IssuedCredential, IssuerKey


@pytest.fixture
def mc(db: Session, make_org, make_person, skill_uris: list[str]) -> int:  # type: ignore[no-untyped-def]
    make_org("aurora")
    staff: Person = make_person("staff@aurora.eu", Role.ISSUER_STAFF, "aurora")
    make_person("admin@aurora.eu", Role.ORG_ADMIN, "aurora")
    version = catalog.create_microcredential(
        db, staff.actor, microcredential_payload("aurora", skill_uris)
    )
    catalog.publish_microcredential(db, staff.actor, version.microcredential_id)
    return version.microcredential_id


def _issued(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(IssuedCredential)) or 0


def _form(client: TestClient, mc: int, **fields: str) -> dict[str, str]:
    page = client.get(f"/microcredentials/{mc}/issue")
    assert page.status_code == 200
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text)
    assert key is not None
    return {
        "csrf_token": csrf_token(client, f"/microcredentials/{mc}/issue"),
        "idempotency_key": key.group(1),
        "recipient_name": "Ana Ribeiro",
        "recipient_email": "ana@example.org",
        "suite": "eddsa-rdfc-2022",
        **fields,
    }


def test_staff_issue_from_the_form_once_even_if_submitted_twice(
    client: TestClient, db: Session, mc: int
) -> None:
    sign_in(client, "staff@aurora.eu")
    detail = client.get(f"/microcredentials/{mc}")
    assert f'href="/microcredentials/{mc}/issue"' in detail.text
    form = _form(client, mc, valid_until="2035-12-31")
    first = client.post(f"/microcredentials/{mc}/issue", data=form, follow_redirects=False)
    assert first.status_code == 303, first.text
    again = client.post(f"/microcredentials/{mc}/issue", data=form, follow_redirects=False)
    assert again.headers["location"] == first.headers["location"]
    assert _issued(db) == 1

    page = client.get(first.headers["location"])
    assert "Credential issued" in page.text
    assert "Verified" in page.text
    assert "31 December 2035" in page.text
    listing = client.get("/dashboard/aurora/credentials")
    assert "Ana Ribeiro" in listing.text


def test_a_refused_form_shows_each_message_beside_its_field(
    client: TestClient, db: Session, mc: int
) -> None:
    sign_in(client, "staff@aurora.eu")
    form = _form(client, mc, recipient_email="not-an-email", recipient_did="mailto:x",
                 recipient_name="<script>alert(1)</script>")  # fmt: skip
    response = client.post(f"/microcredentials/{mc}/issue", data=form)
    assert response.status_code == 400
    assert 'id="recipient_email-error"' in response.text
    assert 'id="recipient_did-error"' in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text  # shown again, escaped
    assert "<script>alert(1)" not in response.text
    assert _issued(db) == 0


def test_forms_need_csrf_and_sign_in(client: TestClient, db: Session, mc: int) -> None:
    anonymous = client.get(f"/microcredentials/{mc}/issue", follow_redirects=False)
    assert anonymous.status_code in (303, 401)
    sign_in(client, "staff@aurora.eu")
    form = _form(client, mc)
    form["csrf_token"] = "forged"
    assert client.post(f"/microcredentials/{mc}/issue", data=form).status_code == 403
    assert _issued(db) == 0


def test_admins_rotate_and_retire_keys_in_the_page(client: TestClient, db: Session, mc: int) -> None:
    sign_in(client, "staff@aurora.eu")
    page = client.get("/dashboard/aurora/keys")
    assert "Rotate" not in page.text  # issuer staff see the keys but do not manage them
    client.post("/logout", data={"csrf_token": csrf_token(client)})

    sign_in(client, "admin@aurora.eu")
    token = csrf_token(client, "/dashboard/aurora/keys")
    rotated = client.post("/dashboard/aurora/keys", data={"csrf_token": token}, follow_redirects=False)
    assert rotated.status_code == 303
    key = db.scalars(select(IssuerKey)).one()
    refused = client.post(
        "/dashboard/aurora/keys/retire",
        data={"csrf_token": token, "public_key": key.public_key, "reason": ""},
    )
    assert refused.status_code == 400
    assert 'id="reason-error"' in refused.text
    assert db.scalars(select(IssuerKey)).one().retired_at is None
    retired = client.post(
        "/dashboard/aurora/keys/retire",
        data={"csrf_token": token, "public_key": key.public_key, "reason": "Key leaked"},
        follow_redirects=False,
    )
    assert retired.status_code == 303
    assert "Retired" in client.get("/dashboard/aurora/keys").text


def test_anyone_verifies_by_pasting_uploading_or_linking(client: TestClient, mc: int) -> None:
    sign_in(client, "staff@aurora.eu")
    location = client.post(
        f"/microcredentials/{mc}/issue", data=_form(client, mc), follow_redirects=False
    ).headers["location"]
    credential_id = location.split("/")[-1].split("?")[0]
    json_text = client.get(f"/credentials/{credential_id}.json").text
    png = client.get(f"/credentials/{credential_id}.png").content
    client.post("/logout", data={"csrf_token": csrf_token(client)})

    token = csrf_token(client, "/verify")
    pasted = client.post("/verify", data={"csrf_token": token, "text": json_text})
    assert pasted.status_code == 200
    assert "Verified" in pasted.text
    assert "Applied Data Analysis" in pasted.text
    uploaded = client.post(
        "/verify", data={"csrf_token": token}, files={"file": ("badge.png", png, "image/png")}
    )
    assert "Verified" in uploaded.text
    assert "png+json-ld" in uploaded.text
    linked = client.post(
        "/verify", data={"csrf_token": token, "url": f"http://127.0.0.1:8000{location}"}
    )
    assert "Verified" in linked.text

    tampered = client.post(
        "/verify", data={"csrf_token": token, "text": json_text.replace("Applied", "Applled")}
    )
    assert tampered.status_code == 200
    assert "Not verified" in tampered.text
    nothing = client.post("/verify", data={"csrf_token": token})
    assert nothing.status_code == 400
    assert 'id="text-error"' in nothing.text
    both = client.post(
        "/verify", data={"csrf_token": token, "text": json_text, "url": "https://x.example/"}
    )
    assert both.status_code == 400
