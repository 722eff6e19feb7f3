"""Bad input to the catalog API: a 422 problem naming the field, and nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.conftest import microcredential_payload

from tessera.accounts.roles import Role
from tessera.catalog.models import Microcredential

BAD = [
    ({"eqf_level": 9}, "eqf_level"),
    ({"eqf_level": 0}, "eqf_level"),
    ({"eqf_level": "six"}, "eqf_level"),
    ({"workload_hours": -1}, "workload_hours"),
    ({"workload_hours": 0}, "workload_hours"),
    ({"workload_hours": "lots"}, "workload_hours"),
    ({"ects_credits": "-1"}, "ects_credits"),
    ({"ects_credits": "61"}, "ects_credits"),
    ({"price": "-5"}, "price"),
    ({"price": "1.234"}, "price"),
    ({"currency": "EURO"}, "currency"),
    ({"title": ""}, "title"),
    ({"title": "   "}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"title": 42}, "title"),
    ({"short_description": "x" * 501}, "short_description"),
    ({"learning_outcomes": []}, "learning_outcomes"),
    ({"learning_outcomes": "one outcome"}, "learning_outcomes"),
    ({"learning_outcomes": ["same", "same"]}, "learning_outcomes"),
    ({"assessment_type": "vibes"}, "assessment_type"),
    ({"participation_mode": "telepathy"}, "participation_mode"),
    ({"supervision": "sometimes"}, "supervision"),
    ({"field": "astrology"}, "field"),
    ({"languages": []}, "languages"),
    ({"languages": ["klingon"]}, "languages"),
    ({"country": "XX"}, "country"),
    ({"duration_weeks": 0}, "duration_weeks"),
    ({"image_url": "javascript:alert(1)"}, "image_url"),
    ({"modules": [{"title": "No hours"}]}, "modules.0.estimated_hours"),
    ({"modules": [{"title": "Too long", "estimated_hours": 500}]}, "modules"),
    ({"stackable": False, "stackable_towards": ["MSc"]}, "stackable_towards"),
    ({"unknown_field": 1}, "unknown_field"),
    ({"skills": ["not a uri"]}, "skills.0"),
    ({"skills": ["https://tessera.eu/skills/does-not-exist"]}, "skills"),
    ({"partners": ["no-such-org"]}, "partners"),
    ({"partners": ["aurora"]}, "partners"),
    ({"required_microcredentials": [7, 7]}, "required_microcredentials"),
    ({"required_microcredentials": list(range(1, 22))}, "required_microcredentials"),
    ({"required_microcredentials": [0]}, "required_microcredentials.0"),
    ({"required_microcredentials": ["intro"]}, "required_microcredentials.0"),
    ({"required_microcredentials": [999_999]}, "required_microcredentials.0"),
    ({"provider": "no-such-provider"}, None),
]


@pytest.mark.parametrize(("changes", "field"), BAD)
def test_bad_create_payloads(
    client: TestClient,
    db: Session,
    make_org: Any,
    make_person: Any,
    skill_uris: list[str],
    changes: dict[str, Any],
    field: str | None,
) -> None:
    make_org("aurora")
    staff = make_person("staff@aurora.eu", Role.ISSUER_STAFF, "aurora")
    response = client.post(
        "/api/v1/microcredentials",
        json=microcredential_payload("aurora", skill_uris) | changes,
        headers=staff.auth,
    )
    assert response.status_code in (404, 422), response.text
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["status"] == response.status_code
    assert problem["detail"]
    if field is not None:
        fields = {e["field"] for e in problem["errors"]}
        assert any(f == field or f.startswith(field) for f in fields), fields
    assert db.scalar(select(func.count()).select_from(Microcredential)) == 0


def test_missing_required_fields(client: TestClient, make_org: Any, make_person: Any) -> None:
    make_org("aurora")
    staff = make_person("staff@aurora.eu", Role.ISSUER_STAFF, "aurora")
    response = client.post(
        "/api/v1/microcredentials", json={"provider": "aurora"}, headers=staff.auth
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    for required in (
        "title",
        "learning_outcomes",
        "workload_hours",
        "assessment_type",
        "participation_mode",
        "quality_assurance",
        "field",
        "languages",
        "price",
        "duration_weeks",
        "short_description",
    ):
        assert required in fields


def test_body_that_is_not_json(client: TestClient, make_org: Any, make_person: Any) -> None:
    make_org("aurora")
    staff = make_person("staff@aurora.eu", Role.ISSUER_STAFF, "aurora")
    response = client.post(
        "/api/v1/microcredentials",
        content=b"{not json",
        headers={**staff.auth, "content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["type"] == "/problems/invalid-input"


def test_bad_patch_changes_nothing(
    client: TestClient, make_org: Any, make_person: Any, skill_uris: list[str]
) -> None:
    make_org("aurora")
    staff = make_person("staff@aurora.eu", Role.ISSUER_STAFF, "aurora")
    created = client.post(
        "/api/v1/microcredentials",
        json=microcredential_payload("aurora", skill_uris),
        headers=staff.auth,
    ).json()
    # Valid on its own, but the modules would then exceed the workload.
    response = client.patch(
        f"/api/v1/microcredentials/{created['id']}", json={"workload_hours": 10}, headers=staff.auth
    )
    assert response.status_code == 422
    after = client.get(
        f"/api/v1/microcredentials/{created['id']}?latest=true", headers=staff.auth
    ).json()
    assert after["workload_hours"] == 60


@pytest.mark.parametrize(
    "query",
    [
        "eqf_level=9",
        "eqf_level=abc",
        "page=0",
        "page_size=1000",
        "field=astrology",
        "min_hours=-1",
        "provider_kind=castle",
        "q=" + "x" * 201,
        "sort=random",
    ],
)
def test_bad_search_parameters(client: TestClient, query: str) -> None:
    response = client.get(f"/api/v1/microcredentials?{query}")
    assert response.status_code == 422
    assert response.json()["errors"]


def test_html_in_text_is_stored_verbatim_as_data(
    client: TestClient, make_org: Any, make_person: Any, skill_uris: list[str]
) -> None:
    make_org("aurora")
    staff = make_person("staff@aurora.eu", Role.ISSUER_STAFF, "aurora")
    title = "<script>alert('x')</script> Data"
    created = client.post(
        "/api/v1/microcredentials",
        json=microcredential_payload("aurora", skill_uris, title=title),
        headers=staff.auth,
    )
    assert created.status_code == 201
    assert created.json()["title"] == title  # JSON is data; the pages escape it when rendering
