"""Every role against every catalog action through the REST API: allowed or refused, and a
refused action changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.conftest import Person, microcredential_payload

from tessera.accounts.roles import OrgKind, Role
from tessera.catalog import services as catalog
from tessera.catalog.models import MicrocredentialVersion

ROLES = [
    "anonymous",
    "learner",
    "employer_verifier",
    "assessor_a",
    "issuer_staff_a",
    "org_admin_a",
    "issuer_staff_b",
    "platform_admin",
]
EDITORS = {"issuer_staff_a", "org_admin_a", "platform_admin"}
READERS = EDITORS | {"assessor_a"}


@pytest.fixture
def world(db: Session, make_org: Any, make_person: Any, skill_uris: list[str]) -> dict[str, Any]:
    make_org("provider-a")
    make_org("provider-b", OrgKind.ONLINE_PLATFORM)
    make_org("hiring-co", OrgKind.EMPLOYER)
    people: dict[str, Person | None] = {
        "anonymous": None,
        "learner": make_person("learner@a.eu"),
        "employer_verifier": make_person("verifier@a.eu", Role.EMPLOYER_VERIFIER, "hiring-co"),
        "assessor_a": make_person("assessor@a.eu", Role.ASSESSOR, "provider-a"),
        "issuer_staff_a": make_person("staff@a.eu", Role.ISSUER_STAFF, "provider-a"),
        "org_admin_a": make_person("admin@a.eu", Role.ORG_ADMIN, "provider-a"),
        "issuer_staff_b": make_person("staff@b.eu", Role.ISSUER_STAFF, "provider-b"),
        "platform_admin": make_person("root@a.eu", platform_admin=True),
    }
    owner = people["issuer_staff_a"]
    assert owner is not None
    draft = catalog.create_microcredential(
        db, owner.actor, microcredential_payload("provider-a", skill_uris)
    )
    published = catalog.create_microcredential(
        db, owner.actor, microcredential_payload("provider-a", skill_uris, title="Published one")
    )
    catalog.publish_microcredential(db, owner.actor, published.microcredential_id)
    return {
        "people": people,
        "skills": skill_uris,
        "draft": draft.microcredential_id,
        "published": published.microcredential_id,
    }


def _headers(world: dict[str, Any], role: str) -> dict[str, str]:
    person = world["people"][role]
    return person.auth if person else {}


def _versions(db: Session) -> list[tuple[int, int, str, str]]:
    rows = db.execute(
        select(
            MicrocredentialVersion.microcredential_id,
            MicrocredentialVersion.number,
            MicrocredentialVersion.status,
            MicrocredentialVersion.title,
        ).order_by(MicrocredentialVersion.id)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def _refusal(role: str) -> int:
    return 401 if role == "anonymous" else 403


ACTIONS: dict[str, Callable[[TestClient, dict[str, Any], dict[str, str]], Any]] = {
    "create": lambda c, w, h: c.post(
        "/api/v1/microcredentials",
        json=microcredential_payload("provider-a", w["skills"]),
        headers=h,
    ),
    "update": lambda c, w, h: c.patch(
        f"/api/v1/microcredentials/{w['draft']}", json={"title": "Renamed title"}, headers=h
    ),
    "publish": lambda c, w, h: c.post(f"/api/v1/microcredentials/{w['draft']}/publish", headers=h),
    "retire": lambda c, w, h: c.post(
        f"/api/v1/microcredentials/{w['published']}/retire", headers=h
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_write_actions(
    client: TestClient, db: Session, world: dict[str, Any], role: str, action: str
) -> None:
    before = _versions(db)
    response = ACTIONS[action](client, world, _headers(world, role))
    if role in EDITORS:
        assert response.status_code in (200, 201), response.text
    else:
        assert response.status_code == _refusal(role), response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert _versions(db) == before


@pytest.mark.parametrize("role", ROLES)
def test_view_draft(client: TestClient, world: dict[str, Any], role: str) -> None:
    response = client.get(
        f"/api/v1/microcredentials/{world['draft']}?latest=true", headers=_headers(world, role)
    )
    if role in READERS:
        assert response.status_code == 200
        assert response.json()["status"] == "draft"
    else:
        assert response.status_code == 404  # a draft's existence is not revealed


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_published(client: TestClient, world: dict[str, Any], role: str) -> None:
    response = client.get(
        f"/api/v1/microcredentials/{world['published']}", headers=_headers(world, role)
    )
    assert response.status_code == 200
    assert response.json()["status"] == "published"


def test_published_count_unchanged_by_refused_publish(
    client: TestClient, db: Session, world: dict[str, Any]
) -> None:
    count = db.scalar(
        select(func.count())
        .select_from(MicrocredentialVersion)
        .where(MicrocredentialVersion.status == "published")
    )
    client.post(
        f"/api/v1/microcredentials/{world['draft']}/publish",
        headers=_headers(world, "issuer_staff_b"),
    )
    assert (
        db.scalar(
            select(func.count())
            .select_from(MicrocredentialVersion)
            .where(MicrocredentialVersion.status == "published")
        )
        == count
    )


def test_bad_bearer_token_is_401(client: TestClient) -> None:
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer tsr_nope"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/v1/me", headers={"Authorization": "Basic abc"}).status_code == 401
