"""The learner's record through the API: declared skills, role profiles as plan targets, saved
plans and enrolments; who may do what, and bad input that changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.conftest import microcredential_payload
from tests.functional.test_employers_api import Team, build_team, create_profile, join

from tessera.catalog import services as catalog
from tessera.learning.models import DeclaredSkill, Enrolment, SavedPlan

UNKNOWN = "https://unknown.example/skill"


@pytest.fixture
def team(client: TestClient, db: Session, make_org, make_person, skill_uris: list[str]) -> Team:  # type: ignore[no-untyped-def]
    return build_team(client, db, make_org, make_person, skill_uris)


def _count(db: Session, model: Any) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    return body


def _fields(response: Any) -> list[str]:
    return [error["field"] for error in _problem(response, 422).get("errors", [])]


# --- declared skills -------------------------------------------------------------------------


def test_declared_skills_are_read_and_replaced_by_their_owner(
    client: TestClient, db: Session, team: Team
) -> None:
    assert client.get("/api/v1/me/skills", headers=team.ana.auth).json() == []
    put = client.put(
        "/api/v1/me/skills", json={"skills": [team.sql, team.statistics]}, headers=team.ana.auth
    )
    assert put.status_code == 200, put.text
    assert [s["label"] for s in put.json()] == ["Sql", "Statistics"]
    assert client.get("/api/v1/me/skills", headers=team.ben.auth).json() == []
    read = client.get("/api/v1/me/skills", headers=team.ana.auth).json()
    assert [s["uri"] for s in read] == [team.sql, team.statistics]

    anonymous = client.get("/api/v1/me/skills")
    assert _problem(anonymous, 401)["type"] == "/problems/authentication-required"
    assert anonymous.headers["www-authenticate"] == "Bearer"
    _problem(client.put("/api/v1/me/skills", json={"skills": [team.sql]}), 401)
    assert _count(db, DeclaredSkill) == 2


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"skills": ["https://tessera.eu/skills/test-sql", UNKNOWN]}, ["skills.1"]),
        ({"skills": ["not a uri"]}, ["skills.0"]),
        ({"skills": "https://tessera.eu/skills/test-sql"}, ["skills"]),
        ({}, ["skills"]),
        ({"skills": [], "label": "mine"}, ["label"]),
    ],
)
def test_bad_declared_skills_are_problems_and_change_nothing(
    client: TestClient, db: Session, team: Team, body: dict[str, Any], fields: list[str]
) -> None:
    client.put("/api/v1/me/skills", json={"skills": [team.python]}, headers=team.ana.auth)
    response = client.put("/api/v1/me/skills", json=body, headers=team.ana.auth)
    assert _fields(response) == fields
    assert [s["uri"] for s in client.get("/api/v1/me/skills", headers=team.ana.auth).json()] == [
        team.python
    ]


def test_plans_count_stored_declared_skills(client: TestClient, team: Team) -> None:
    client.put("/api/v1/me/skills", json={"skills": [team.sql]}, headers=team.ben.auth)
    body = {"skills": [{"uri": team.python}, {"uri": team.sql}]}
    planned = client.post("/api/v1/plans", json=body, headers=team.ben.auth)
    assert planned.status_code == 200, planned.text
    result = planned.json()
    assert [s["uri"] for s in result["already_held"]] == [team.sql]
    assert [s["uri"] for s in result["already_declared"]] == [team.sql]
    assert [i["title"] for i in result["plan"]["items"]] == ["Python basics"]
    # Ana's credential proves Python: held, not declared.
    result = client.post("/api/v1/plans", json=body, headers=team.ana.auth).json()
    assert [s["uri"] for s in result["already_held"]] == [team.python]
    assert result["already_declared"] == []


# --- role profiles as targets ----------------------------------------------------------------


def test_members_and_consenting_team_members_plan_towards_a_role(
    client: TestClient, db: Session, team: Team
) -> None:
    profile = create_profile(client, team)
    join(client, team, team.ana)
    body = {"role_profile": profile}
    for person in (team.ana, team.learner, team.verifier):
        planned = client.post("/api/v1/plans", json=body, headers=person.auth)
        assert planned.status_code == 200, planned.text
        target = planned.json()["target"]
        assert (target["source"], target["label"]) == ("role_profile", "Data analyst at Kestrel")
        assert [(s["uri"], s["essential"]) for s in target["skills"]] == [
            (team.python, True), (team.sql, True), (team.statistics, False),
        ]  # fmt: skip
        listed = client.get("/api/v1/me/role-profiles", headers=person.auth).json()
        assert [(r["id"], r["organisation"], r["min_eqf_level"]) for r in listed] == [
            (profile, "kestrel", 6)
        ]
    # Ben is not on the team, Rival admins another employer: the profile does not exist.
    for person in (team.ben, team.rival, team.staff):
        missing = client.post("/api/v1/plans", json=body, headers=person.auth)
        assert _problem(missing, 404)["type"] == "/problems/not-found"
        assert client.get("/api/v1/me/role-profiles", headers=person.auth).json() == []
    # An existing profile and a missing one answer alike.
    hidden = client.post("/api/v1/plans", json=body, headers=team.ben.auth)
    missing = client.post("/api/v1/plans", json={"role_profile": 999_999}, headers=team.ana.auth)
    assert _problem(hidden, 404)["detail"] == f"No role profile {profile}"
    assert _problem(missing, 404)["detail"] == "No role profile 999999"
    _problem(client.post("/api/v1/plans", json=body), 401)
    _problem(client.get("/api/v1/me/role-profiles"), 401)
    both = client.post(
        "/api/v1/plans", json={**body, "occupation": "data analyst"}, headers=team.ana.auth
    )
    _problem(both, 422)
    _problem(client.post("/api/v1/plans", json={"role_profile": 0}, headers=team.ana.auth), 422)
    _problem(
        client.post("/api/v1/plans", json={**body, "max_eqf": 4}, headers=team.ana.auth), 422
    )
    reversed_levels = {"skills": [{"uri": team.sql}], "min_eqf": 6, "max_eqf": 4}
    _problem(client.post("/api/v1/plans", json=reversed_levels), 422)


def test_a_roles_minimum_eqf_level_applies(client: TestClient, db: Session, team: Team) -> None:
    version = catalog.create_microcredential(
        db, team.staff.actor,
        microcredential_payload("aurora", [team.sql, team.statistics], title="Intro to SQL",
                                price="20.00", eqf_level=4),
    )  # fmt: skip
    catalog.publish_microcredential(db, team.staff.actor, version.microcredential_id)
    profile = create_profile(client, team)
    plan = client.post("/api/v1/plans", json={"role_profile": profile}, headers=team.learner.auth)
    titles = {i["title"] for i in plan.json()["plan"]["items"]}
    assert titles == {"Python basics", "SQL and statistics"}
    lower = client.post(
        "/api/v1/plans", json={"role_profile": profile, "min_eqf": 3}, headers=team.learner.auth
    )
    assert "Intro to SQL" in {i["title"] for i in lower.json()["plan"]["items"]}


# --- saved plans -----------------------------------------------------------------------------


def test_save_read_list_and_delete_a_plan(client: TestClient, db: Session, team: Team) -> None:
    request = {"skills": [{"uri": team.python}, {"uri": team.sql}], "budget": "1000"}
    created = client.post(
        "/api/v1/plans/saved", json={"title": "My way", "request": request}, headers=team.ben.auth
    )
    assert created.status_code == 201, created.text
    saved = created.json()
    assert saved["title"] == "My way"
    assert saved["request"]["budget"] == "1000"
    assert sorted(i["title"] for i in saved["result"]["plan"]["items"]) == [
        "Python basics", "SQL and statistics",
    ]  # fmt: skip
    path = f"/api/v1/plans/saved/{saved['id']}"
    assert client.get(path, headers=team.ben.auth).json() == saved
    listed = client.get("/api/v1/plans/saved", headers=team.ben.auth).json()
    assert [(p["id"], p["items"], p["price"]) for p in listed] == [(saved["id"], 2, "250.00")]

    assert client.get("/api/v1/plans/saved", headers=team.ana.auth).json() == []
    _problem(client.get(path, headers=team.ana.auth), 404)
    _problem(client.delete(path, headers=team.ana.auth), 404)
    _problem(client.get(path), 401)
    _problem(client.get("/api/v1/plans/saved"), 401)
    _problem(client.post("/api/v1/plans/saved", json={"request": request}), 401)
    _problem(client.get("/api/v1/plans/saved/0", headers=team.ben.auth), 422)

    deleted = client.delete(path, headers=team.ben.auth)
    assert deleted.status_code == 204
    _problem(client.get(path, headers=team.ben.auth), 404)
    assert _count(db, SavedPlan) == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"request": {"skills": [{"uri": UNKNOWN}]}}, "skills"),
        ({"request": {"skills": [{"uri": "https://tessera.eu/skills/test-sql"}]},
          "result": {"plan": None}}, "result"),
        ({"title": "", "request": {"occupation": "data analyst"}}, "title"),
        ({"request": {"occupation": "astronaut"}}, "occupation"),
        ({}, "request"),
    ],
)
def test_bad_plans_to_save_are_problems_and_nothing_is_saved(
    client: TestClient, db: Session, team: Team, body: dict[str, Any], field: str
) -> None:
    response = client.post("/api/v1/plans/saved", json=body, headers=team.ana.auth)
    assert field in {f.split(".")[0] for f in _fields(response)} | {
        f.split(".")[1] for f in _fields(response) if f.startswith("request.")
    }
    assert _count(db, SavedPlan) == 0


# --- enrolments ------------------------------------------------------------------------------


def test_enrol_twice_withdraw_and_enrol_again(client: TestClient, db: Session, team: Team) -> None:
    saved = client.post(
        "/api/v1/plans/saved", json={"request": {"skills": [{"uri": team.sql}]}},
        headers=team.ben.auth,
    ).json()  # fmt: skip
    body = {"microcredential_id": team.ids["SQL and statistics"], "saved_plan_id": saved["id"]}
    first = client.post("/api/v1/enrolments", json=body, headers=team.ben.auth)
    assert first.status_code == 201, first.text
    enrolment = first.json()
    assert (enrolment["title"], enrolment["status"], enrolment["saved_plan_id"]) == (
        "SQL and statistics", "enrolled", saved["id"],
    )  # fmt: skip
    again = client.post("/api/v1/enrolments", json=body, headers=team.ben.auth)
    assert again.status_code == 200
    assert again.json() == enrolment
    assert client.get("/api/v1/enrolments", headers=team.ben.auth).json() == [enrolment]
    assert client.get("/api/v1/enrolments", headers=team.ana.auth).json() == []

    path = f"/api/v1/enrolments/{enrolment['id']}/withdraw"
    _problem(client.post(path, headers=team.ana.auth), 404)
    _problem(client.post(path), 401)
    withdrawn = client.post(path, headers=team.ben.auth)
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    back = client.post(
        "/api/v1/enrolments", json={"microcredential_id": body["microcredential_id"]},
        headers=team.ben.auth,
    )  # fmt: skip
    assert back.status_code == 200
    assert (back.json()["id"], back.json()["status"]) == (enrolment["id"], "enrolled")
    assert _count(db, Enrolment) == 1


def test_bad_enrolments_are_problems_and_nothing_is_written(
    client: TestClient, db: Session, team: Team
) -> None:
    draft = catalog.create_microcredential(
        db, team.staff.actor, microcredential_payload("aurora", [team.sql], title="Draft")
    )
    anas_plan = client.post(
        "/api/v1/plans/saved", json={"request": {"skills": [{"uri": team.sql}]}},
        headers=team.ana.auth,
    ).json()  # fmt: skip
    python = team.ids["Python basics"]
    for body, field in (
        ({"microcredential_id": 999_999}, "microcredential_id"),
        ({"microcredential_id": draft.microcredential_id}, "microcredential_id"),
        ({"microcredential_id": python, "saved_plan_id": anas_plan["id"]}, "saved_plan_id"),
        ({"microcredential_id": "python"}, "microcredential_id"),
        ({"microcredential_id": 0}, "microcredential_id"),
        ({}, "microcredential_id"),
        ({"microcredential_id": python, "status": "completed"}, "status"),
    ):
        response = client.post("/api/v1/enrolments", json=body, headers=team.ben.auth)
        assert _fields(response) == [field], body
    _problem(client.post("/api/v1/enrolments", json={"microcredential_id": python}), 401)
    assert _count(db, Enrolment) == 0


def test_the_openapi_document_lists_the_new_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/me/skills", "/api/v1/me/role-profiles", "/api/v1/plans/saved",
                 "/api/v1/plans/saved/{plan_id}", "/api/v1/enrolments",
                 "/api/v1/enrolments/{enrolment_id}/withdraw"):  # fmt: skip
        assert path in paths
