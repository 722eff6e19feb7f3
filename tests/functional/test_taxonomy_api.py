"""The taxonomy REST API: search, look-ups, frameworks, and bad or unknown input as problems."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tessera.taxonomy.importers import ESCO, ONET, write_taxonomy
from tessera.taxonomy.parsers import (
    GroupRecord,
    OccupationRecord,
    RelationRecord,
    SkillRecord,
    Taxonomy,
    no_progress,
)

SKILL = "http://data.europa.eu/esco/skill/"
OCCUPATION = "http://data.europa.eu/esco/occupation/"
PROBLEM = "application/problem+json"


@pytest.fixture
def taxonomy(db: Session) -> dict[str, int]:
    """A few ESCO skills and occupations and one O*NET occupation; returns occupation ids."""
    esco = Taxonomy(
        skills=[
            SkillRecord(SKILL + "sql", "SQL", "knowledge", ("Structured Query Language",)),
            SkillRecord(SKILL + "nosql", "NoSQL", "knowledge"),
            SkillRecord(SKILL + "sqlserver", "SQL Server", "knowledge", (), "A database."),
            SkillRecord(SKILL + "data", "manage databases", "skill/competence", ("SQL databases",)),
            SkillRecord(SKILL + "dql", "database query languages", "knowledge", ("SQL", "QL")),
            SkillRecord(SKILL + "pct", "100% effort_", "skill/competence"),
        ],
        occupations=[
            OccupationRecord(OCCUPATION + "dba", "database administrator", "2521.1", "2521",
                             ("DBA",), "Keeps databases running."),
            OccupationRecord(OCCUPATION + "dev", "database developer", "2521.2", "2521"),
        ],
        groups=[GroupRecord("2521", "http://data.europa.eu/esco/isco/C2521",
                            "Database designers and administrators", "252")],
        relations=[
            RelationRecord(OCCUPATION + "dba", SKILL + "sql", "essential"),
            RelationRecord(OCCUPATION + "dba", SKILL + "data", "essential"),
            RelationRecord(OCCUPATION + "dba", SKILL + "nosql", "optional"),
        ],
    )
    write_taxonomy(db, ESCO, "1.2.0", esco, no_progress)
    onet = Taxonomy(
        skills=[SkillRecord("https://www.onetcenter.org/id/technology/MySQL", "MySQL", "technology")],
        occupations=[OccupationRecord("https://www.onetonline.org/link/summary/15-1242.00",
                                      "Database Administrators", "15-1242.00", "15-0000")],
        relations=[RelationRecord("https://www.onetonline.org/link/summary/15-1242.00",
                                  "https://www.onetcenter.org/id/technology/MySQL", "optional", 2.5)],
    )
    write_taxonomy(db, ONET, "29.2", onet, no_progress)
    from tessera.taxonomy import services

    return {
        "dba": services.get_occupation(db, OCCUPATION + "dba").id,
        "onet": services.get_occupation(db, "https://www.onetonline.org/link/summary/15-1242.00").id,
    }


def labels(response_json: dict[str, object]) -> list[str]:
    items = response_json["items"]
    assert isinstance(items, list)
    return [item["label"] for item in items]


def test_skill_search_ranks_exact_then_prefix_then_the_rest(
    client: TestClient, taxonomy: dict[str, int]
) -> None:
    response = client.get("/api/v1/skills", params={"q": "SQL"})
    assert response.status_code == 200
    body = response.json()
    # Exact label, then label prefix, then an exact alternative label, then label contains.
    assert labels(body) == [
        "SQL", "SQL Server", "database query languages", "MySQL", "NoSQL", "manage databases",
    ]
    assert (body["total"], body["page"], body["page_size"]) == (6, 1, 20)
    first = body["items"][0]
    assert first == {
        "uri": SKILL + "sql", "label": "SQL", "framework": "esco", "skill_type": "knowledge",
        "alt_labels": ["Structured Query Language"], "description": "",
    }


def test_skill_search_filters_and_pages(client: TestClient, taxonomy: dict[str, int]) -> None:
    onet = client.get("/api/v1/skills", params={"q": "sql", "framework": "onet"}).json()
    assert labels(onet) == ["MySQL"]
    page = client.get("/api/v1/skills", params={"q": "sql", "page": 2, "page_size": 2}).json()
    assert page["total"] == 6
    assert labels(page) == ["database query languages", "MySQL"]
    # Every word must match, in the label or an alternative label, in any case.
    assert labels(client.get("/api/v1/skills", params={"q": "query structured"}).json()) == ["SQL"]
    # LIKE wildcards are taken literally.
    assert labels(client.get("/api/v1/skills", params={"q": "100%"}).json()) == ["100% effort_"]
    assert client.get("/api/v1/skills", params={"q": "_"}).json()["total"] == 1
    assert client.get("/api/v1/skills").json()["total"] == 7


@pytest.mark.parametrize(
    "params",
    [{"q": "x" * 201}, {"page_size": 101}, {"page_size": 0}, {"page": 0}, {"framework": "x" * 33}],
)
def test_bad_search_parameters_are_problems(
    client: TestClient, taxonomy: dict[str, int], params: dict[str, object]
) -> None:
    for path in ("/api/v1/skills", "/api/v1/occupations"):
        response = client.get(path, params=params)
        assert response.status_code == 422
        assert response.headers["content-type"] == PROBLEM


def test_unknown_framework_is_named(client: TestClient, taxonomy: dict[str, int]) -> None:
    response = client.get("/api/v1/skills", params={"framework": "isco"})
    assert response.status_code == 422
    body = response.json()
    assert "isco" in body["detail"]
    assert "esco, onet" in body["detail"]
    assert body["errors"][0]["field"] == "framework"


def test_skill_lookup(client: TestClient, taxonomy: dict[str, int]) -> None:
    response = client.get("/api/v1/skills/lookup", params={"uri": SKILL + "sqlserver"})
    assert response.status_code == 200
    assert response.json()["description"] == "A database."
    missing = client.get("/api/v1/skills/lookup", params={"uri": SKILL + "cobol"})
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM
    assert missing.json()["type"] == "/problems/not-found"
    assert client.get("/api/v1/skills/lookup").status_code == 422


def test_occupation_search_and_detail(client: TestClient, taxonomy: dict[str, int]) -> None:
    found = client.get("/api/v1/occupations", params={"q": "database"}).json()
    assert found["total"] == 3
    assert client.get("/api/v1/occupations", params={"q": "dba"}).json()["items"][0]["id"] == taxonomy["dba"]

    response = client.get(f"/api/v1/occupations/{taxonomy['dba']}")
    assert response.status_code == 200
    dba = response.json()
    assert (dba["label"], dba["framework"], dba["code"]) == ("database administrator", "esco", "2521.1")
    assert dba["group_label"] == "Database designers and administrators"
    assert [s["label"] for s in dba["essential_skills"]] == ["manage databases", "SQL"]
    assert [s["label"] for s in dba["optional_skills"]] == ["NoSQL"]

    onet = client.get(f"/api/v1/occupations/{taxonomy['onet']}").json()
    assert onet["optional_skills"] == [{
        "uri": "https://www.onetcenter.org/id/technology/MySQL", "label": "MySQL",
        "framework": "onet", "skill_type": "technology", "importance": 2.5,
    }]
    by_uri = client.get("/api/v1/occupations/lookup", params={"uri": OCCUPATION + "dba"})
    assert by_uri.json()["id"] == taxonomy["dba"]


@pytest.mark.parametrize(("path", "status"), [
    ("/api/v1/occupations/999999", 404),
    ("/api/v1/occupations/0", 422),
    ("/api/v1/occupations/99999999999", 422),
    ("/api/v1/occupations/dba", 422),
])
def test_unknown_occupations(
    client: TestClient, taxonomy: dict[str, int], path: str, status: int
) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM


def test_frameworks(client: TestClient, taxonomy: dict[str, int]) -> None:
    response = client.get("/api/v1/skill-frameworks")
    assert response.status_code == 200
    frameworks = {f["slug"]: f for f in response.json()}
    assert (frameworks["esco"]["skills"], frameworks["esco"]["occupations"]) == (6, 2)
    assert frameworks["onet"]["version"] == "29.2"
