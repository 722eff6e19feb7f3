"""The employer view in the browser's pages (no JavaScript): role profiles and team, the team
report with its heat map and CSV, and the invited person's consent page."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.functional.test_catalog_pages import csrf_token, sign_in, sign_out
from tests.functional.test_employers_api import (
    Team,
    build_team,
    counts,
    create_profile,
    join,
    with_employer_routes,
)


@pytest.fixture
def client(client: TestClient) -> TestClient:
    with_employer_routes(client.app)  # type: ignore[arg-type]
    return client


@pytest.fixture
def team(client: TestClient, db: Session, make_org, make_person, skill_uris: list[str]) -> Team:  # type: ignore[no-untyped-def]
    return build_team(client, db, make_org, make_person, skill_uris)


LINK = re.compile(r'<code id="invitation-link">[^<]*/team-invitations/([^<]+)</code>')


def test_managing_pages_need_sign_in_and_a_role(client: TestClient, team: Team) -> None:
    profile = create_profile(client, team)
    for path in ("/employers/kestrel", f"/employers/kestrel/role-profiles/{profile}",
                 f"/employers/kestrel/role-profiles/{profile}/team-report.csv"):  # fmt: skip
        anonymous = client.get(path, follow_redirects=False)
        assert anonymous.status_code == 303
        assert anonymous.headers["location"].startswith("/login?next=")
    sign_in(client, team.rival.email)
    assert client.get("/employers/kestrel").status_code == 403
    assert client.get(f"/employers/kestrel/role-profiles/{profile}").status_code == 403
    sign_out(client)
    sign_in(client, team.verifier.email)
    assert 'href="/employers/kestrel"' in client.get("/dashboard").text
    page = client.get("/employers/kestrel")
    assert page.status_code == 200
    assert "Data analyst" in page.text
    assert client.get("/employers/osprey").status_code == 403
    assert client.get("/employers/kestrel/role-profiles/999999").status_code == 404


def test_create_a_role_profile_from_uri_lines_and_the_skill_search(
    client: TestClient, db: Session, team: Team
) -> None:
    sign_in(client, team.admin.email)
    search = client.get("/employers/kestrel", params={"skill_q": "statistics"})
    assert f'value="nice|{team.statistics}"' in search.text
    token = csrf_token(client, "/employers/kestrel")
    created = client.post(
        "/employers/kestrel/role-profiles",
        data={"csrf_token": token, "name": "Risk analyst", "min_eqf_level": "5",
              "essential_skills": f"{team.python}\n\n{team.sql}\n", "nice_skills": "",
              "pick": ["", f"nice|{team.statistics}", f"nice|{team.python}"]},
        follow_redirects=False,
    )  # fmt: skip
    assert created.status_code == 303, created.text
    report = client.get(created.headers["location"])
    assert report.status_code == 200
    assert "Team report: Risk analyst" in report.text
    assert "EQF level 5" in report.text
    assert 'Statistics <span class="meta">(nice to have)</span>' in report.text
    assert "Python <span" not in report.text  # given as essential too: essential wins


def test_a_refused_role_profile_shows_messages_beside_fields(
    client: TestClient, db: Session, team: Team
) -> None:
    sign_in(client, team.admin.email)
    token = csrf_token(client, "/employers/kestrel")
    before = counts(db)
    refused = client.post(
        "/employers/kestrel/role-profiles",
        data={"csrf_token": token, "name": "<b>Bold</b>",
              "essential_skills": "https://tessera.eu/skills/unknown"},
    )  # fmt: skip
    assert refused.status_code == 400
    assert 'id="skills-error"' in refused.text
    assert "unknown skill URI" in refused.text
    assert "&lt;b&gt;Bold&lt;/b&gt;" in refused.text  # typed again, escaped
    no_skills = client.post(
        "/employers/kestrel/role-profiles", data={"csrf_token": token, "name": ""}
    )
    assert no_skills.status_code == 400
    assert 'id="name-error"' in no_skills.text
    assert 'id="skills-error"' in no_skills.text
    forged = client.post(
        "/employers/kestrel/role-profiles",
        data={"csrf_token": "forged", "name": "X", "essential_skills": team.python},
    )
    assert forged.status_code == 403
    assert counts(db) == before


def test_invite_consent_report_and_withdraw(client: TestClient, db: Session, team: Team) -> None:
    profile = create_profile(client, team)
    sign_in(client, team.admin.email)
    token = csrf_token(client, "/employers/kestrel")
    bad = client.post("/employers/kestrel/team", data={"csrf_token": token, "email": "nope"})
    assert bad.status_code == 400
    assert 'id="email-error"' in bad.text
    invited = client.post(
        "/employers/kestrel/team", data={"csrf_token": token, "email": team.ana.email}
    )
    assert invited.status_code == 200
    found = LINK.search(invited.text)
    assert found, "the invitation link is shown once"
    invitation = found.group(1)
    assert "Invited, no answer yet" in invited.text
    report_path = f"/employers/kestrel/role-profiles/{profile}"
    assert "No team member has consented yet" in client.get(report_path).text
    sign_out(client)

    page = f"/team-invitations/{invitation}"
    assert client.get(page, follow_redirects=False).headers["location"] == f"/login?next={page}"
    sign_in(client, team.ben.email)
    assert client.get(page).status_code == 403  # for Ana only
    sign_out(client)
    sign_in(client, team.ana.email)
    shown = client.get(page)
    assert "Kestrel invites you to its team" in shown.text
    assert "What they will see if you agree" in shown.text
    forged = client.post(f"{page}/consent", data={"csrf_token": "forged"})
    assert forged.status_code == 403
    agreed = client.post(f"{page}/consent", data={"csrf_token": csrf_token(client, page)})
    assert "you are on the team" in agreed.text
    assert "Withdraw my consent" in agreed.text
    sign_out(client)

    sign_in(client, team.verifier.email)
    report = client.get(report_path)
    assert report.status_code == 200
    assert "ana@example.org" in report.text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart heatmap"' in report.text
    assert "<script" not in report.text.split("<main", 1)[1]
    assert "150.00 EUR" in report.text
    assert "Plan for ana" in report.text
    csv_link = f"{report_path}/team-report.csv"
    assert csv_link in report.text
    download = client.get(csv_link)
    assert download.status_code == 200
    assert download.text.splitlines()[0].startswith("member,email,skill")
    sign_out(client)

    sign_in(client, team.ana.email)
    withdrawn = client.post(f"{page}/withdraw", data={"csrf_token": csrf_token(client, page)})
    assert "no longer sees" in withdrawn.text
    sign_out(client)
    sign_in(client, team.verifier.email)
    assert "ana@example.org" not in client.get(report_path).text


def test_report_limits_with_messages_beside_fields(client: TestClient, team: Team) -> None:
    profile = create_profile(client, team)
    join(client, team, team.ben)
    sign_in(client, team.admin.email)
    path = f"/employers/kestrel/role-profiles/{profile}"
    refused = client.get(path, params={"budget": "-5", "weekly_hours": "many"})
    assert refused.status_code == 400
    assert 'id="budget-error"' in refused.text
    assert 'id="weekly_hours-error"' in refused.text
    limited = client.get(path, params={"budget": "120"})
    assert limited.status_code == 200
    assert "budget=120" in limited.text  # the CSV link keeps the limits
    assert "essential skill gap" in limited.text


def test_the_employer_removes_members_and_profiles_in_the_page(
    client: TestClient, db: Session, team: Team
) -> None:
    profile = create_profile(client, team)
    join(client, team, team.ana)
    sign_in(client, team.admin.email)
    page = client.get("/employers/kestrel")
    member = re.search(r'action="/employers/kestrel/team/(\d+)/remove"', page.text)
    assert member
    token = csrf_token(client, "/employers/kestrel")
    removed = client.post(
        f"/employers/kestrel/team/{member.group(1)}/remove", data={"csrf_token": token}
    )
    assert "Removed from the team" in removed.text
    deleted = client.post(
        f"/employers/kestrel/role-profiles/{profile}/delete", data={"csrf_token": token}
    )
    assert "Role profile deleted" in deleted.text
    assert counts(db) == (0, 0, 0)
