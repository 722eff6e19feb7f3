"""The catalog REST API end to end: create, edit, publish, version, retire; problem details."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.conftest import microcredential_payload

from tessera.accounts.roles import Role
from tessera.catalog.models import Microcredential, VersionPrerequisite


def test_staff_create_edit_publish_and_version(
    client: TestClient, make_org, make_person, skill_uris
):  # type: ignore[no-untyped-def]
    make_org("aurora")
    staff = make_person("staff@aurora.eu", Role.ISSUER_STAFF, "aurora")

    created = client.post(
        "/api/v1/microcredentials",
        json=microcredential_payload("aurora", skill_uris),
        headers=staff.auth,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "draft"
    assert body["version"] == 1
    assert body["country"] == "PT"
    assert [s["uri"] for s in body["skills"]] == skill_uris
    mc = body["id"]

    # Drafts are invisible to the public.
    assert client.get(f"/api/v1/microcredentials/{mc}").status_code == 404

    patched = client.patch(
        f"/api/v1/microcredentials/{mc}",
        json={"title": "Applied Data Analysis I"},
        headers=staff.auth,
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["version"] == 1

    published = client.post(f"/api/v1/microcredentials/{mc}/publish", headers=staff.auth)
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert client.get(f"/api/v1/microcredentials/{mc}").json()["title"] == "Applied Data Analysis I"

    # Editing the published version creates version 2 as a draft; the public still sees v1.
    edited = client.patch(
        f"/api/v1/microcredentials/{mc}", json={"workload_hours": 75}, headers=staff.auth
    )
    assert edited.json()["version"] == 2
    assert edited.json()["status"] == "draft"
    assert client.get(f"/api/v1/microcredentials/{mc}").json()["workload_hours"] == 60
    client.post(f"/api/v1/microcredentials/{mc}/publish", headers=staff.auth)
    public = client.get(f"/api/v1/microcredentials/{mc}").json()
    assert (public["version"], public["workload_hours"]) == (2, 75)
    assert client.get(f"/api/v1/microcredentials/{mc}?version=1").json()["status"] == "superseded"

    retired = client.post(f"/api/v1/microcredentials/{mc}/retire", headers=staff.auth)
    assert retired.json()["status"] == "retired"
    again = client.patch(
        f"/api/v1/microcredentials/{mc}", json={"title": "x y"}, headers=staff.auth
    )
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")


def test_invalid_payload_is_a_problem_with_field_errors(
    client: TestClient, make_org, make_person, skill_uris
):  # type: ignore[no-untyped-def]
    make_org("aurora")
    staff = make_person("staff@aurora.eu", Role.ISSUER_STAFF, "aurora")
    bad = microcredential_payload("aurora", skill_uris, eqf_level=9, workload_hours=-5)
    response = client.post("/api/v1/microcredentials", json=bad, headers=staff.auth)
    assert response.status_code == 422
    problem = response.json()
    assert problem["status"] == 422
    assert problem["type"] == "/problems/invalid-input"
    fields = {e["field"] for e in problem["errors"]}
    assert {"eqf_level", "workload_hours"} <= fields


def test_endorsements_and_co_issuers(client: TestClient, make_org, make_person, skill_uris):  # type: ignore[no-untyped-def]
    from tessera.accounts.roles import OrgKind

    make_org("aurora")
    make_org("helix", OrgKind.EMPLOYER, "NL")
    staff = make_person("staff@aurora.eu", Role.ISSUER_STAFF, "aurora")
    helix_admin = make_person("admin@helix.eu", Role.ORG_ADMIN, "helix")
    payload = microcredential_payload("aurora", skill_uris, partners=["helix"])
    mc = client.post("/api/v1/microcredentials", json=payload, headers=staff.auth).json()
    assert [p["slug"] for p in mc["partners"]] == ["helix"]

    endorsement = {"endorser": "helix", "comment": "Exactly what our robotics teams need."}
    # Not yet published: nothing to endorse.
    early = client.post(f"/api/v1/microcredentials/{mc['id']}/endorsements", json=endorsement, headers=helix_admin.auth)
    assert early.status_code == 409
    client.post(f"/api/v1/microcredentials/{mc['id']}/publish", headers=staff.auth)
    # Aurora's staff may not endorse on Helix's behalf, nor Aurora endorse itself.
    assert client.post(f"/api/v1/microcredentials/{mc['id']}/endorsements", json=endorsement, headers=staff.auth).status_code == 403
    done = client.post(f"/api/v1/microcredentials/{mc['id']}/endorsements", json=endorsement, headers=helix_admin.auth)
    assert done.status_code == 201
    assert done.json()["endorsements"][0]["endorser"]["slug"] == "helix"
    again = client.post(f"/api/v1/microcredentials/{mc['id']}/endorsements", json=endorsement, headers=helix_admin.auth)
    assert again.status_code == 409

    providers = {p["slug"]: p for p in client.get("/api/v1/providers").json()}
    assert providers["aurora"]["published_microcredentials"] == 1
    assert client.get("/api/v1/providers/aurora").json()["country"] == "PT"
    assert client.get("/api/v1/providers/nope").status_code == 404


def test_provider_cannot_be_its_own_partner(client: TestClient, make_org, make_person, skill_uris):  # type: ignore[no-untyped-def]
    make_org("aurora")
    staff = make_person("staff@aurora.eu", Role.ISSUER_STAFF, "aurora")
    payload = microcredential_payload("aurora", skill_uris, partners=["aurora"])
    response = client.post("/api/v1/microcredentials", json=payload, headers=staff.auth)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "partners"


def test_clearing_the_country_falls_back_to_the_providers(client: TestClient, make_org, make_person, skill_uris):  # type: ignore[no-untyped-def]
    make_org("aurora")
    staff = make_person("staff@aurora.eu", Role.ISSUER_STAFF, "aurora")
    mc = client.post("/api/v1/microcredentials", json=microcredential_payload("aurora", skill_uris, country="ES"), headers=staff.auth).json()
    assert mc["country"] == "ES"
    patched = client.patch(f"/api/v1/microcredentials/{mc['id']}", json={"country": None}, headers=staff.auth)
    assert patched.status_code == 200
    assert patched.json()["country"] == "PT"


def test_publish_needs_skills_and_a_draft(client: TestClient, make_org, make_person, skill_uris):  # type: ignore[no-untyped-def]
    make_org("aurora")
    staff = make_person("staff@aurora.eu", Role.ISSUER_STAFF, "aurora")
    mc = client.post("/api/v1/microcredentials", json=microcredential_payload("aurora", []), headers=staff.auth).json()
    refused = client.post(f"/api/v1/microcredentials/{mc['id']}/publish", headers=staff.auth)
    assert refused.status_code == 409
    assert "skill" in refused.json()["detail"]
    client.patch(f"/api/v1/microcredentials/{mc['id']}", json={"skills": skill_uris[:1]}, headers=staff.auth)
    assert client.post(f"/api/v1/microcredentials/{mc['id']}/publish", headers=staff.auth).status_code == 200
    assert client.post(f"/api/v1/microcredentials/{mc['id']}/publish", headers=staff.auth).status_code == 409


def test_required_microcredentials_are_taken_returned_and_versioned(
    client: TestClient, db: Session, make_org: Any, make_person: Any, skill_uris: list[str]
) -> None:
    make_org("aurora")
    make_org("helix")
    staff = make_person("staff@aurora.eu", Role.ISSUER_STAFF, "aurora")
    helix = make_person("staff@helix.eu", Role.ISSUER_STAFF, "helix")

    def published(person: Any, provider: str, title: str) -> int:
        payload = microcredential_payload(provider, skill_uris, title=title)
        mc = client.post("/api/v1/microcredentials", json=payload, headers=person.auth).json()
        assert client.post(f"/api/v1/microcredentials/{mc['id']}/publish", headers=person.auth).status_code == 200
        return int(mc["id"])

    intro = published(staff, "aurora", "Intro to Data")
    robots = published(helix, "helix", "Robot Safety")
    payload = microcredential_payload("aurora", skill_uris, title="Advanced Data",
                                      required_microcredentials=[intro, robots])  # fmt: skip
    created = client.post("/api/v1/microcredentials", json=payload, headers=staff.auth)
    assert created.status_code == 201, created.text
    expected = [{"id": intro, "title": "Intro to Data"}, {"id": robots, "title": "Robot Safety"}]
    assert created.json()["required_microcredentials"] == expected
    mc = created.json()["id"]
    client.post(f"/api/v1/microcredentials/{mc}/publish", headers=staff.auth)
    assert client.get(f"/api/v1/microcredentials/{mc}").json()["required_microcredentials"] == expected

    # Other edits keep the list in the new draft; replacing it leaves version 1 alone.
    draft = client.patch(f"/api/v1/microcredentials/{mc}", json={"title": "Advanced Data II"},
                         headers=staff.auth).json()  # fmt: skip
    assert (draft["version"], draft["required_microcredentials"]) == (2, expected)
    replaced = client.patch(f"/api/v1/microcredentials/{mc}",
                            json={"required_microcredentials": [robots]}, headers=staff.auth)  # fmt: skip
    assert replaced.json()["required_microcredentials"] == expected[1:]
    assert client.get(f"/api/v1/microcredentials/{mc}").json()["required_microcredentials"] == expected
    assert client.get(f"/api/v1/microcredentials/{mc}?version=1").json()["version"] == 1


def test_bad_required_microcredentials_are_a_problem_and_change_nothing(
    client: TestClient, db: Session, make_org: Any, make_person: Any, skill_uris: list[str]
) -> None:
    make_org("aurora")
    staff = make_person("staff@aurora.eu", Role.ISSUER_STAFF, "aurora")
    mc = client.post("/api/v1/microcredentials", json=microcredential_payload("aurora", skill_uris),
                     headers=staff.auth).json()["id"]  # fmt: skip
    before = [db.scalar(select(func.count()).select_from(t)) for t in (Microcredential, VersionPrerequisite)]

    itself = client.patch(f"/api/v1/microcredentials/{mc}",
                          json={"required_microcredentials": [mc]}, headers=staff.auth)  # fmt: skip
    assert itself.status_code == 422
    assert itself.headers["content-type"].startswith("application/problem+json")
    assert itself.json()["errors"] == [
        {"field": "required_microcredentials.0", "message": "a microcredential cannot require itself"}
    ]
    unknown = client.post(
        "/api/v1/microcredentials",
        json=microcredential_payload("aurora", skill_uris, required_microcredentials=[mc + 1000]),
        headers=staff.auth,
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"] == [
        {"field": "required_microcredentials.0", "message": f"no published microcredential {mc + 1000}"}
    ]
    after = [db.scalar(select(func.count()).select_from(t)) for t in (Microcredential, VersionPrerequisite)]
    assert after == before

    # An own draft may be required, but the one requiring it waits until it is published.
    advanced = client.post(
        "/api/v1/microcredentials",
        json=microcredential_payload("aurora", skill_uris, title="Advanced", required_microcredentials=[mc]),
        headers=staff.auth,
    ).json()["id"]
    refused = client.post(f"/api/v1/microcredentials/{advanced}/publish", headers=staff.auth)
    assert refused.status_code == 409
    assert "publish it first" in refused.json()["detail"]
    assert client.post(f"/api/v1/microcredentials/{mc}/publish", headers=staff.auth).status_code == 200
    assert client.post(f"/api/v1/microcredentials/{advanced}/publish", headers=staff.auth).status_code == 200
