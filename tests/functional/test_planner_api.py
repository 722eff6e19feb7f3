"""The skill-gap planner through the API: targets (skills, occupation, posting), what the
learner holds, limits that cannot be met, and bad input."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.conftest import Person, microcredential_payload

from tessera.accounts.roles import Role
from tessera.catalog import services as catalog
from tessera.taxonomy.models import Occupation, OccupationSkill, Relation, Skill, SkillFramework


@dataclass
class Catalog:
    python: str
    sql: str
    statistics: str
    learner: Person
    staff: Person
    ids: dict[str, int]


@pytest.fixture
def offered(db: Session, make_org, make_person, skill_uris: list[str]) -> Catalog:  # type: ignore[no-untyped-def]
    """Three skills; four microcredentials: a cheap pair covering them separately, an
    expensive one covering all three, and one in German."""
    python, sql, statistics = skill_uris
    make_org("aurora")
    staff = make_person("staff@aurora.eu", Role.ISSUER_STAFF, "aurora")
    learner = make_person("learner@example.org")
    ids = {}
    for title, skills, price, languages in (
        ("Python basics", [python], "100.00", ["en"]),
        ("SQL and statistics", [sql, statistics], "150.00", ["en"]),
        ("Complete data science", [python, sql, statistics], "900.00", ["en"]),
        ("Statistik", [statistics], "10.00", ["de"]),
    ):
        version = catalog.create_microcredential(
            db, staff.actor,
            microcredential_payload("aurora", skills, title=title, price=price, languages=languages),
        )  # fmt: skip
        catalog.publish_microcredential(db, staff.actor, version.microcredential_id)
        ids[title] = version.microcredential_id
    framework = db.scalars(select(SkillFramework).where(SkillFramework.slug == "test")).one()
    occupation = Occupation(
        framework_id=framework.id, uri="https://tessera.eu/occupations/data-analyst",
        label="Data analyst", alt_labels="", description="Analyses data.",
    )  # fmt: skip
    db.add(occupation)
    db.flush()
    for uri, relation in ((python, Relation.ESSENTIAL), (sql, Relation.ESSENTIAL),
                          (statistics, Relation.OPTIONAL)):  # fmt: skip
        skill = db.scalars(select(Skill).where(Skill.uri == uri)).one()
        db.add(OccupationSkill(occupation_id=occupation.id, skill_id=skill.id, relation=relation))
    db.flush()
    return Catalog(python, sql, statistics, learner, staff, ids)


def _plan(client: TestClient, body: dict[str, Any], person: Person | None = None) -> Any:
    headers = person.auth if person else {}
    return client.post("/api/v1/plans", json=body, headers=headers)


def _titles(plan: dict[str, Any]) -> list[str]:
    return sorted(item["title"] for item in plan["items"])


def test_the_cheapest_cover_of_explicit_skills(client: TestClient, offered: Catalog) -> None:
    body = {"skills": [{"uri": offered.python}, {"uri": offered.sql}, {"uri": offered.statistics}]}
    response = _plan(client, body)
    assert response.status_code == 200, response.text
    result = response.json()
    assert _titles(result["plan"]) == ["Python basics", "SQL and statistics"]
    assert result["plan"]["price"] == "250.00"
    assert result["plan"]["currency"] == "EUR"
    assert {(i["provider"], i["provider_name"]) for i in result["plan"]["items"]} == {
        ("aurora", "Aurora")
    }
    assert {s["label"] for s in result["plan"]["essential_covered"]} == {
        "Python", "Sql", "Statistics"
    }
    # The alternatives differ from the optimum and cost no less.
    assert result["alternatives"]
    for alternative in result["alternatives"]:
        assert _titles(alternative) != _titles(result["plan"])
        assert float(alternative["price"]) >= 250

    german = _plan(client, {**body, "languages": ["de", "en"]}).json()
    assert _titles(german["plan"]) == ["Python basics", "SQL and statistics"]  # still cheapest
    assert "Statistik" not in _titles(_plan(client, {**body, "languages": ["en"]}).json()["plan"])


def test_an_occupation_by_name_targets_its_essential_and_optional_skills(
    client: TestClient, offered: Catalog
) -> None:
    result = _plan(client, {"occupation": "data analyst", "objective": "hours"}).json()
    assert result["target"]["label"] == "Data analyst"
    assert {(s["label"], s["essential"]) for s in result["target"]["skills"]} == {
        ("Python", True), ("Sql", True), ("Statistics", False),
    }


def test_what_the_learner_holds_is_not_planned_again(
    client: TestClient, offered: Catalog
) -> None:
    issued = client.post(
        "/api/v1/credentials",
        json={"microcredential_id": offered.ids["Python basics"],
              "recipient_name": "Lee", "recipient_email": offered.learner.email},
        headers=offered.staff.auth,
    )  # fmt: skip
    assert issued.status_code == 201, issued.text
    body = {"skills": [{"uri": offered.python}, {"uri": offered.sql}]}
    result = _plan(client, body, offered.learner).json()
    assert [s["label"] for s in result["already_held"]] == ["Python"]
    assert _titles(result["plan"]) == ["SQL and statistics"]
    declared = _plan(client, {**body, "declared_skills": [offered.sql]}, offered.learner).json()
    assert declared["plan"]["items"] == []


def test_limits_that_cannot_be_met_are_explained_not_refused(
    client: TestClient, offered: Catalog
) -> None:
    body = {"skills": [{"uri": offered.python}, {"uri": offered.sql}], "budget": 50}
    response = _plan(client, body)
    assert response.status_code == 200
    result = response.json()
    assert result["plan"] is None
    assert "budget" in result["explanation"]["message"].lower()
    assert [limit["limit"] for limit in result["explanation"]["binding"]] == ["budget"]


def test_skills_nothing_teaches_are_reported(
    client: TestClient, db: Session, offered: Catalog
) -> None:
    framework = db.scalars(select(SkillFramework).where(SkillFramework.slug == "test")).one()
    db.add(Skill(framework_id=framework.id, uri="https://tessera.eu/skills/test-juggling",
                 label="Juggling"))  # fmt: skip
    db.flush()
    body = {"skills": [{"uri": offered.python}, {"uri": "https://tessera.eu/skills/test-juggling"}]}
    result = _plan(client, body).json()
    assert [s["label"] for s in result["uncoverable"]] == ["Juggling"]
    assert _titles(result["plan"]) == ["Python basics"]


def test_a_posting_is_read_for_skills(client: TestClient, offered: Catalog) -> None:
    posting = "We need an analyst fluent in Python and SQL, with a good grasp of statistics."
    extracted = client.post("/api/v1/skills/extract", json={"text": posting})
    assert extracted.status_code == 200, extracted.text
    found = {skill["label"]: skill for skill in extracted.json()}
    assert {"Python", "Sql", "Statistics"} <= set(found)
    assert posting[found["Python"]["start"] : found["Python"]["end"]] == found["Python"]["phrase"]
    result = _plan(client, {"posting": posting}).json()
    assert result["target"]["source"] == "posting"
    assert result["plan"]["price"] == "250.00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"skills": [{"uri": "https://tessera.eu/skills/test-python"}], "budget": -1}, "budget"),
        ({"occupation": "astronaut"}, "occupation"),
        ({"posting": ""}, "posting"),
        ({"posting": "x" * 10_000_001}, "posting"),
        ({}, "body"),
        ({"occupation": "data analyst", "posting": "Python"}, "body"),
        ({"skills": [{"uri": "https://unknown.example/skill"}]}, "skills"),
        ({"occupation": "data analyst", "weekly_hours": 0}, "weekly_hours"),
        ({"occupation": "data analyst", "objective": "fun"}, "objective"),
    ],
)
def test_bad_plan_requests_are_problems(
    client: TestClient, offered: Catalog, body: dict[str, Any], field: str
) -> None:
    response = _plan(client, body)
    assert response.status_code == 422, response.text
    fields = {error["field"].split(".")[0] for error in response.json().get("errors", [])}
    assert field in fields or (field == "body" and fields <= {"body", "__root__"}), fields


def test_bad_extract_requests_are_problems(client: TestClient) -> None:
    for body in ({"text": ""}, {"text": "   "}, {}, {"text": "x" * 200_001}):
        response = client.post("/api/v1/skills/extract", json=body)
        assert response.status_code == 422, (body.keys(), response.text)
