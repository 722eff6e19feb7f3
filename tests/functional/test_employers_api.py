"""The employer view through the API: role profiles, invitations and consent, team reports
(JSON and CSV), who may do what, and bad input."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.conftest import PASSWORD, Person, microcredential_payload

from tessera.accounts import services as accounts
from tessera.accounts.roles import OrgKind, Role
from tessera.catalog import services as catalog
from tessera.employers import api as employers_api
from tessera.employers import pages as employers_pages
from tessera.employers.models import RoleProfile, RoleProfileSkill, TeamMember


def with_employer_routes(app: FastAPI) -> None:
    """Until create_app registers the employer routers, add them here (once)."""
    paths = {getattr(route, "path", "") for route in app.routes}
    if "/api/v1/team-invitations/{token}/consent" not in paths:
        app.include_router(employers_api.router)
    if "/employers/{slug}" not in paths:
        app.include_router(employers_pages.router)


@pytest.fixture
def client(client: TestClient) -> TestClient:
    with_employer_routes(client.app)  # type: ignore[arg-type]
    return client


@dataclass
class Team:
    python: str
    sql: str
    statistics: str
    admin: Person  # org admin of the employer
    verifier: Person  # employer verifier
    ana: Person  # holds a Python credential
    ben: Person  # holds nothing
    learner: Person  # not invited
    rival: Person  # admin of another employer
    staff: Person  # issuer staff of the provider
    ids: dict[str, int]


def build_team(
    client: TestClient, db: Session, make_org, make_person, skill_uris: list[str]
) -> Team:  # type: ignore[no-untyped-def]
    """A provider teaching three skills with three microcredentials; an employer with an admin
    and a verifier; two employees (Ana holds the Python credential); outsiders."""
    python, sql, statistics = skill_uris
    make_org("aurora")
    make_org("kestrel", OrgKind.EMPLOYER)
    make_org("osprey", OrgKind.EMPLOYER)
    staff = make_person("staff@aurora.eu", Role.ISSUER_STAFF, "aurora")
    ids = {}
    for title, skills, price in (
        ("Python basics", [python], "100.00"),
        ("SQL and statistics", [sql, statistics], "150.00"),
        ("Complete data science", [python, sql, statistics], "900.00"),
    ):
        version = catalog.create_microcredential(
            db, staff.actor, microcredential_payload("aurora", skills, title=title, price=price)
        )
        catalog.publish_microcredential(db, staff.actor, version.microcredential_id)
        ids[title] = version.microcredential_id
    ana = make_person("ana@example.org")
    issued = client.post(
        "/api/v1/credentials",
        json={"microcredential_id": ids["Python basics"], "recipient_name": "Ana",
              "recipient_email": ana.email},
        headers=staff.auth,
    )  # fmt: skip
    assert issued.status_code == 201, issued.text
    return Team(
        python, sql, statistics,
        admin=make_person("admin@kestrel.eu", Role.ORG_ADMIN, "kestrel"),
        verifier=make_person("verifier@kestrel.eu", Role.EMPLOYER_VERIFIER, "kestrel"),
        ana=ana,
        ben=make_person("ben@example.org"),
        learner=make_person("learner@example.org", Role.LEARNER, "kestrel"),
        rival=make_person("admin@osprey.eu", Role.ORG_ADMIN, "osprey"),
        staff=staff,
        ids=ids,
    )  # fmt: skip


@pytest.fixture
def team(client: TestClient, db: Session, make_org, make_person, skill_uris: list[str]) -> Team:  # type: ignore[no-untyped-def]
    return build_team(client, db, make_org, make_person, skill_uris)


def profile_body(team: Team, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Data analyst",
        "description": "Analyses data for the risk team.",
        "min_eqf_level": 6,
        "skills": [
            {"uri": team.python, "essential": True},
            {"uri": team.sql, "essential": True},
            {"uri": team.statistics, "essential": False},
        ],
    }
    body.update(changes)
    return body


def create_profile(client: TestClient, team: Team, **changes: Any) -> int:
    response = client.post(
        "/api/v1/organisations/kestrel/role-profiles",
        json=profile_body(team, **changes),
        headers=team.admin.auth,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def invite(client: TestClient, team: Team, email: str) -> str:
    response = client.post(
        "/api/v1/organisations/kestrel/team", json={"email": email}, headers=team.admin.auth
    )
    assert response.status_code == 201, response.text
    return str(response.json()["token"])


def join(client: TestClient, team: Team, person: Person) -> str:
    token = invite(client, team, person.email)
    response = client.post(f"/api/v1/team-invitations/{token}/consent", headers=person.auth)
    assert response.status_code == 200, response.text
    return token


def report(client: TestClient, team: Team, profile: int, query: str = "") -> Any:
    response = client.get(
        f"/api/v1/organisations/kestrel/role-profiles/{profile}/team-report{query}",
        headers=team.verifier.auth,
    )
    assert response.status_code == 200, response.text
    return response.json()


def counts(db: Session) -> tuple[int, int, int]:
    def count(model: type[Any]) -> int:
        return db.scalar(select(func.count()).select_from(model)) or 0

    return count(RoleProfile), count(RoleProfileSkill), count(TeamMember)


# --- role profiles -------------------------------------------------------------------------


def test_admins_and_verifiers_manage_role_profiles(client: TestClient, team: Team) -> None:
    created = client.post(
        "/api/v1/organisations/kestrel/role-profiles",
        json=profile_body(team),
        headers=team.verifier.auth,
    )
    assert created.status_code == 201, created.text
    profile = created.json()
    assert profile["organisation"] == "kestrel"
    assert profile["min_eqf_level"] == 6
    assert [(s["label"], s["essential"]) for s in profile["skills"]] == [
        ("Python", True), ("Sql", True), ("Statistics", False),
    ]  # fmt: skip
    base = f"/api/v1/organisations/kestrel/role-profiles/{profile['id']}"
    assert client.get(base, headers=team.admin.auth).json()["name"] == "Data analyst"
    listed = client.get("/api/v1/organisations/kestrel/role-profiles", headers=team.admin.auth)
    assert [p["name"] for p in listed.json()] == ["Data analyst"]

    patched = client.patch(
        base,
        json={"name": "Senior data analyst", "skills": [{"uri": team.sql}]},
        headers=team.admin.auth,
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["name"] == "Senior data analyst"
    assert [s["uri"] for s in patched.json()["skills"]] == [team.sql]
    assert patched.json()["description"] == "Analyses data for the risk team."  # untouched

    assert client.delete(base, headers=team.admin.auth).status_code == 204
    assert client.get(base, headers=team.admin.auth).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"skills": []}, "skills"),
        ({"skills": [{"uri": "https://tessera.eu/skills/unknown"}]}, "skills.0.uri"),
        ({"skills": [{"uri": "not a uri"}]}, "skills.0.uri"),
        ({"name": "   "}, "name"),
        ({"min_eqf_level": 9}, "min_eqf_level"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_role_profiles_are_refused_and_change_nothing(
    client: TestClient, db: Session, team: Team, changes: dict[str, Any], field: str
) -> None:
    before = counts(db)
    response = client.post(
        "/api/v1/organisations/kestrel/role-profiles",
        json=profile_body(team, **changes),
        headers=team.admin.auth,
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in {e["field"] for e in response.json()["errors"]}
    assert counts(db) == before


def test_a_skill_twice_or_a_name_twice_is_refused(
    client: TestClient, db: Session, team: Team
) -> None:
    twice = profile_body(team, skills=[{"uri": team.sql}, {"uri": team.sql, "essential": False}])
    response = client.post(
        "/api/v1/organisations/kestrel/role-profiles", json=twice, headers=team.admin.auth
    )
    assert response.status_code == 422
    assert "listed twice" in response.text
    profile = create_profile(client, team)
    before = counts(db)
    again = client.post(
        "/api/v1/organisations/kestrel/role-profiles",
        json=profile_body(team),
        headers=team.admin.auth,
    )
    assert again.status_code == 409
    unknown = client.patch(
        f"/api/v1/organisations/kestrel/role-profiles/{profile}",
        json={"skills": [{"uri": "https://tessera.eu/skills/unknown"}]},
        headers=team.admin.auth,
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "skills.0.uri"
    emptied = client.patch(
        f"/api/v1/organisations/kestrel/role-profiles/{profile}",
        json={"name": None}, headers=team.admin.auth,
    )  # fmt: skip
    assert emptied.status_code == 422
    assert counts(db) == before
    assert (
        client.get(
            f"/api/v1/organisations/kestrel/role-profiles/{profile}", headers=team.admin.auth
        ).json()["name"]
        == "Data analyst"
    )


# --- who may do what -------------------------------------------------------------------------


def test_outsiders_get_401_or_403_and_change_nothing(
    client: TestClient, db: Session, team: Team
) -> None:
    profile = create_profile(client, team)
    token = invite(client, team, team.ana.email)
    before = counts(db)
    base = "/api/v1/organisations/kestrel"
    calls: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", f"{base}/role-profiles", None),
        ("POST", f"{base}/role-profiles", profile_body(team, name="Other")),
        ("GET", f"{base}/role-profiles/{profile}", None),
        ("PATCH", f"{base}/role-profiles/{profile}", {"name": "Hijacked"}),
        ("DELETE", f"{base}/role-profiles/{profile}", None),
        ("GET", f"{base}/role-profiles/{profile}/team-report", None),
        ("GET", f"{base}/role-profiles/{profile}/team-report?format=csv", None),
        ("GET", f"{base}/team", None),
        ("POST", f"{base}/team", {"email": "someone@example.org"}),
        ("DELETE", f"{base}/team/1", None),
    ]
    for method, path, body in calls:
        anonymous = client.request(method, path, json=body)
        assert anonymous.status_code == 401, (method, path)
        for person in (team.learner, team.rival, team.staff, team.ana):
            refused = client.request(method, path, json=body, headers=person.auth)
            assert refused.status_code == 403, (method, path, person.email, refused.text)
    assert counts(db) == before
    # The invitation still works: nothing an outsider did replaced its token.
    assert client.get(f"/api/v1/team-invitations/{token}", headers=team.ana.auth).status_code == 200
    # Another employer's profile is not found through one's own organisation.
    rival_profile = client.post(
        "/api/v1/organisations/osprey/role-profiles", json=profile_body(team),
        headers=team.rival.auth,
    ).json()["id"]  # fmt: skip
    assert (
        client.get(f"{base}/role-profiles/{rival_profile}", headers=team.admin.auth).status_code
        == 404
    )
    assert (
        client.get(
            "/api/v1/organisations/nowhere/role-profiles", headers=team.admin.auth
        ).status_code
        == 404
    )


# --- invitations and consent -----------------------------------------------------------------


def test_only_consenting_members_are_reported(client: TestClient, db: Session, team: Team) -> None:
    profile = create_profile(client, team)
    created = client.post(
        "/api/v1/organisations/kestrel/team", json={"email": "Ana@Example.org"},
        headers=team.admin.auth,
    )  # fmt: skip
    assert created.status_code == 201, created.text
    token = created.json()["token"]
    assert created.json()["link"].endswith(f"/team-invitations/{token}")
    assert created.json()["member"]["status"] == "invited"
    assert created.json()["member"]["name"] is None  # no name before consent
    # Only a hash of the token is kept.
    stored = db.scalars(select(TeamMember)).one()
    assert stored.email == "ana@example.org"
    assert token not in stored.token_hash

    assert report(client, team, profile)["members"] == []  # invited is not consent

    path = f"/api/v1/team-invitations/{token}"
    assert client.post(f"{path}/consent").status_code == 401
    assert client.post(f"{path}/consent", headers=team.ben.auth).status_code == 403
    assert client.post(f"{path}/consent", headers=team.admin.auth).status_code == 403
    wrong = client.post("/api/v1/team-invitations/" + "x" * 43 + "/consent", headers=team.ana.auth)
    assert wrong.status_code == 404
    assert report(client, team, profile)["members"] == []

    seen = client.get(path, headers=team.ana.auth).json()
    assert seen["organisation_name"] == "Kestrel"
    assert seen["invited_by"] == "admin"
    assert seen["role_profiles"] == ["Data analyst"]
    consented = client.post(f"{path}/consent", headers=team.ana.auth)
    assert consented.status_code == 200
    assert consented.json()["status"] == "consented"
    assert client.post(f"{path}/consent", headers=team.ana.auth).status_code == 200  # idempotent
    assert [m["email"] for m in report(client, team, profile)["members"]] == ["ana@example.org"]
    team_list = client.get("/api/v1/organisations/kestrel/team", headers=team.verifier.auth).json()
    assert [(m["name"], m["status"]) for m in team_list] == [("ana", "consented")]

    withdrawn = client.post(f"{path}/withdraw", headers=team.ana.auth)
    assert withdrawn.json()["status"] == "withdrawn"
    assert report(client, team, profile)["members"] == []
    team_list = client.get("/api/v1/organisations/kestrel/team", headers=team.verifier.auth).json()
    assert [(m["name"], m["status"]) for m in team_list] == [(None, "withdrawn")]


def test_inviting_again_replaces_the_link(client: TestClient, team: Team) -> None:
    first = invite(client, team, team.ben.email)
    second = invite(client, team, team.ben.email)
    assert first != second
    assert (
        client.post(f"/api/v1/team-invitations/{first}/consent", headers=team.ben.auth).status_code
        == 404
    )
    assert (
        client.post(f"/api/v1/team-invitations/{second}/consent", headers=team.ben.auth).status_code
        == 200
    )
    again = client.post(
        "/api/v1/organisations/kestrel/team",
        json={"email": team.ben.email},
        headers=team.admin.auth,
    )
    assert again.status_code == 409  # already on the team


def test_bad_invitations_are_refused(client: TestClient, db: Session, team: Team) -> None:
    before = counts(db)
    for body in ({"email": "not-an-email"}, {}, {"email": "a@b.org", "role": "x"}):
        response = client.post(
            "/api/v1/organisations/kestrel/team", json=body, headers=team.admin.auth
        )
        assert response.status_code == 422, body
        assert response.json()["errors"]
    assert counts(db) == before


def test_the_employer_removes_a_member(client: TestClient, db: Session, team: Team) -> None:
    profile = create_profile(client, team)
    token = join(client, team, team.ana)
    member = client.get("/api/v1/organisations/kestrel/team", headers=team.admin.auth).json()[0]
    assert (
        client.delete(
            f"/api/v1/organisations/kestrel/team/{member['id']}", headers=team.rival.auth
        ).status_code
        == 403
    )
    assert (
        client.delete(
            f"/api/v1/organisations/kestrel/team/{member['id']}", headers=team.admin.auth
        ).status_code
        == 204
    )
    assert report(client, team, profile)["members"] == []
    assert client.get(f"/api/v1/team-invitations/{token}", headers=team.ana.auth).status_code == 404


# --- the report ------------------------------------------------------------------------------


def test_the_team_report_adds_up(client: TestClient, team: Team) -> None:
    profile = create_profile(client, team)
    join(client, team, team.ana)
    join(client, team, team.ben)
    invite(client, team, team.learner.email)  # invited only: not in the report
    result = report(client, team, profile)

    members = {m["email"]: m for m in result["members"]}
    assert list(members) == ["ana@example.org", "ben@example.org"]
    ana, ben = members["ana@example.org"], members["ben@example.org"]
    assert [s["label"] for s in ana["held"]] == ["Python"]
    assert [s["label"] for s in ana["gap"]] == ["Sql", "Statistics"]
    assert sorted(i["title"] for i in ana["plan"]["items"]) == ["SQL and statistics"]
    assert sorted(i["title"] for i in ben["plan"]["items"]) == [
        "Python basics",
        "SQL and statistics",
    ]
    assert [c["state"] for c in ana["cells"]] == ["held", "planned", "planned"]
    assert [c["state"] for c in ben["cells"]] == ["planned", "planned", "planned"]
    assert ben["cells"][0]["microcredential"] == "Python basics"
    assert Decimal(ben["cells"][0]["price"]) == Decimal("100.00")

    totals = result["totals"]
    assert totals["members"] == 2
    assert Decimal(totals["price"]) == Decimal("400.00")  # 150 + 250
    assert totals["currency"] == "EUR"
    assert totals["hours"] == 60 + 120
    assert totals["weeks"] == max(ana["plan"]["weeks"], ben["plan"]["weeks"])
    assert totals["weeks"] == ben["plan"]["weeks"] > ana["plan"]["weeks"]
    assert totals["essential_missing"] == 0
    coverage = {
        row["label"]: (row["held"], row["planned"], row["missing"]) for row in result["coverage"]
    }
    assert coverage == {"Python": (1, 1, 0), "Sql": (0, 2, 0), "Statistics": (0, 2, 0)}


def test_a_budget_limits_each_plan(client: TestClient, team: Team) -> None:
    profile = create_profile(
        client, team, name="SQL only", skills=[{"uri": team.python}, {"uri": team.sql}]
    )
    join(client, team, team.ben)
    result = report(client, team, profile, "?budget=120")
    ben = result["members"][0]
    assert ben["explanation"] is not None  # 250 needed, 120 allowed
    states = [c["state"] for c in ben["cells"]]
    assert sorted(states) == ["planned", "unplanned"]
    assert result["totals"]["essential_missing"] == 1
    assert Decimal(result["totals"]["price"]) <= 120
    assert result["budget"] == "120"


def test_bad_report_limits_are_refused(client: TestClient, team: Team) -> None:
    profile = create_profile(client, team)
    base = f"/api/v1/organisations/kestrel/role-profiles/{profile}/team-report"
    for query, field in (
        ("?budget=-1", "budget"), ("?weekly_hours=0", "weekly_hours"),
        ("?currency=XYZ", "currency"), ("?format=xlsx", "format"), ("?budget=lots", "budget"),
    ):  # fmt: skip
        response = client.get(base + query, headers=team.admin.auth)
        assert response.status_code == 422, query
        assert field in {e["field"] for e in response.json()["errors"]}, query
    assert (
        client.get(
            "/api/v1/organisations/kestrel/role-profiles/999999/team-report",
            headers=team.admin.auth,
        ).status_code
        == 404
    )


def test_the_report_as_csv(client: TestClient, db: Session, team: Team) -> None:
    profile = create_profile(client, team)
    # A display name that a spreadsheet would run as a formula.
    accounts.create_user(
        db, accounts.OPERATOR,
        {"email": "eve@example.org", "password": PASSWORD, "display_name": '=HYPERLINK("x","y")'},
    )  # fmt: skip
    eve_token, _ = accounts.create_api_token(db, accounts.OPERATOR, "eve@example.org")
    token = invite(client, team, "eve@example.org")
    assert (
        client.post(
            f"/api/v1/team-invitations/{token}/consent",
            headers={"Authorization": f"Bearer {eve_token}"},
        ).status_code
        == 200
    )
    join(client, team, team.ana)
    response = client.get(
        f"/api/v1/organisations/kestrel/role-profiles/{profile}/team-report?format=csv",
        headers=team.admin.auth,
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 2 * 3  # members times skills
    ana = [r for r in rows if r["email"] == "ana@example.org"]
    assert [(r["skill"], r["essential"], r["held"], r["planned_microcredential"], r["price"])
            for r in ana] == [
        ("Python", "yes", "yes", "", ""),
        ("Sql", "yes", "no", "SQL and statistics", "150.00"),
        ("Statistics", "no", "no", "SQL and statistics", "150.00"),
    ]  # fmt: skip
    eve = [r for r in rows if r["email"] == "eve@example.org"]
    assert {r["member"] for r in eve} == {'\'=HYPERLINK("x","y")'}
