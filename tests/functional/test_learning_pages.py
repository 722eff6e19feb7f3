"""The learner's record in the pages (no JavaScript): My skills, planning towards a role at the
employer, saving a plan, enrolling in its first step, My plans; sign-in, CSRF and messages
beside the fields."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.functional.test_catalog_pages import csrf_token, sign_in, sign_out
from tests.functional.test_employers_api import Team, build_team, create_profile, join

from tessera.learning.models import DeclaredSkill, Enrolment, SavedPlan


@pytest.fixture
def team(client: TestClient, db: Session, make_org, make_person, skill_uris: list[str]) -> Team:  # type: ignore[no-untyped-def]
    return build_team(client, db, make_org, make_person, skill_uris)


def _count(db: Session, model: Any) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def _hidden(page: str, form_action: str) -> list[tuple[str, str]]:
    """The hidden fields of the form posting to `form_action`."""
    form = re.search(
        rf'<form method="post" action="{re.escape(form_action)}".*?</form>', page, re.S
    )
    assert form, f"no form posting to {form_action}"
    return [
        (name, html.unescape(value))
        for name, value in re.findall(
            r'type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0)
        )
    ]


def test_my_pages_need_sign_in(client: TestClient, team: Team) -> None:
    for path in ("/me/skills", "/me/plans", "/me/plans/1"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == f"/login?next={path}"
    assert 'href="/me/plans"' not in client.get("/").text
    sign_in(client, team.ana.email)
    home = client.get("/").text
    assert 'href="/me/plans"' in home
    assert 'href="/me/skills"' in home


def test_declare_skills_from_a_search_or_a_uri_and_remove_them(
    client: TestClient, db: Session, team: Team
) -> None:
    sign_in(client, team.ana.email)
    search = client.get("/me/skills", params={"q": "sql"})
    assert search.status_code == 200
    assert f'name="skill" value="{team.sql}"' in search.text
    token = csrf_token(client, "/me/skills")
    added = client.post(
        "/me/skills", data={"csrf_token": token, "skill": [team.sql], "skill_uri": team.python},
        follow_redirects=False,
    )  # fmt: skip
    assert added.status_code == 303
    page = client.get(added.headers["location"]).text
    assert "Added to the skills you declared." in page
    assert '<th scope="row">Python <span' in page
    assert '<th scope="row">Sql <span' in page
    # A skill already declared is not offered again.
    assert f'name="skill" value="{team.sql}"' not in client.get("/me/skills?q=sql").text

    removed = client.post(
        "/me/skills/remove", data={"csrf_token": token, "uri": team.sql}, follow_redirects=False
    )
    assert removed.status_code == 303
    assert _count(db, DeclaredSkill) == 1


def test_refused_skills_say_why_beside_the_field(
    client: TestClient, db: Session, team: Team
) -> None:
    sign_in(client, team.ana.email)
    token = csrf_token(client, "/me/skills")
    unknown = client.post(
        "/me/skills", data={"csrf_token": token, "skill_uri": "https://unknown.example/x"}
    )
    assert unknown.status_code == 400
    assert 'id="skill_uri-error"' in unknown.text
    assert "unknown skill URI: https://unknown.example/x" in unknown.text
    assert 'value="https://unknown.example/x"' in unknown.text  # kept for correction
    empty = client.post("/me/skills", data={"csrf_token": token})
    assert empty.status_code == 400
    assert "Choose a skill from the search, or give its URI" in empty.text
    forged = client.post("/me/skills", data={"csrf_token": "forged", "skill_uri": team.sql})
    assert forged.status_code == 403
    assert _count(db, DeclaredSkill) == 0
    sign_out(client)
    anonymous = client.post(
        "/me/skills", data={"csrf_token": csrf_token(client), "skill_uri": team.sql},
        follow_redirects=False,
    )  # fmt: skip
    assert anonymous.headers["location"].startswith("/login")
    assert _count(db, DeclaredSkill) == 0


def test_plan_towards_a_role_save_enrol_and_withdraw(
    client: TestClient, db: Session, team: Team
) -> None:
    profile = create_profile(client, team)
    join(client, team, team.ben)
    sign_in(client, team.ben.email)
    start = client.get("/plan").text
    assert "A role at my employer" in start
    assert f'<option value="{profile}">Data analyst (Kestrel)</option>' in start

    token = csrf_token(client, "/plan")
    review = client.post(
        "/plan/skills",
        data={"csrf_token": token, "target": "role", "role_profile": str(profile),
              "weekly_hours": "10", "objective": "cost"},
    )  # fmt: skip
    assert review.status_code == 200, review.text
    assert "Check the skills for Data analyst at Kestrel" in review.text
    assert set(re.findall(r'name="skill" value="([^"]+)"', review.text)) == {
        team.python,
        team.sql,
        team.statistics,
    }
    assert 'name="min_eqf" value="6"' in review.text
    fields = dict(_hidden(review.text, "/plan"))
    plan = client.post(
        "/plan",
        data={**fields, "skill": [team.python, team.sql], "essential": [team.python, team.sql]},
    )
    assert plan.status_code == 200, plan.text
    assert "Your plan towards Data analyst at Kestrel" in plan.text
    assert "Save this plan" in plan.text
    assert "Sign in to save this plan" not in plan.text
    carried = _hidden(plan.text, "/plan/save")
    assert ("min_eqf", "6") in carried
    assert ("target_label", "Data analyst at Kestrel") in carried

    saved = client.post("/plan/save", data=dict(_listed(carried)), follow_redirects=False)
    assert saved.status_code == 303, saved.text
    location = saved.headers["location"]
    assert re.fullmatch(r"/me/plans/\d+\?notice=saved", location)
    plan_id = int(location.split("/")[3].split("?")[0])
    page = client.get(location).text
    assert "<h1>Data analyst at Kestrel</h1>" in page
    assert page.count("<svg") == 2
    assert "Plan saved." in page
    enrol_fields = dict(_hidden(page, "/me/enrolments"))
    assert enrol_fields["saved_plan_id"] == str(plan_id)

    enrolled = client.post("/me/enrolments", data=enrol_fields, follow_redirects=False)
    assert enrolled.headers["location"] == f"/me/plans/{plan_id}?notice=enrolled"
    again = client.post("/me/enrolments", data=enrol_fields, follow_redirects=False)
    assert again.status_code == 303  # idempotent
    page = client.get(f"/me/plans/{plan_id}").text
    assert "You are enrolled in the first step" in page
    replanned = client.post("/plan", data=_listed(carried))
    assert "You are enrolled in the first step" in replanned.text
    mine = client.get("/me/plans").text
    assert f'href="/me/plans/{plan_id}">Data analyst at Kestrel</a>' in mine
    assert '<span class="status enrolled">Enrolled</span>' in mine
    assert _count(db, Enrolment) == 1

    enrolment = db.scalars(select(Enrolment)).one()
    withdraw = f"/me/enrolments/{enrolment.id}/withdraw"
    assert withdraw in mine
    done = client.post(withdraw, data={"csrf_token": token}, follow_redirects=False)
    assert done.headers["location"] == "/me/plans?notice=withdrawn"
    assert '<span class="status withdrawn">Withdrawn</span>' in client.get("/me/plans").text

    # Someone else sees no such plan, and cannot withdraw or delete.
    sign_out(client)
    sign_in(client, team.ana.email)
    token = csrf_token(client, "/me/plans")
    assert client.get(f"/me/plans/{plan_id}").status_code == 404
    assert client.post(withdraw, data={"csrf_token": token}).status_code == 404
    assert client.post(f"/me/plans/{plan_id}/delete", data={"csrf_token": token}).status_code == 404
    sign_out(client)
    sign_in(client, team.ben.email)
    token = csrf_token(client, "/me/plans")
    deleted = client.post(
        f"/me/plans/{plan_id}/delete", data={"csrf_token": token}, follow_redirects=False
    )
    assert deleted.headers["location"] == "/me/plans?notice=deleted"
    assert _count(db, SavedPlan) == 0
    assert _count(db, Enrolment) == 1  # the enrolment outlives the plan


def _listed(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in fields:
        grouped.setdefault(name, []).append(value)
    return grouped


def test_roles_are_offered_only_to_those_who_may_plan_towards_them(
    client: TestClient, team: Team
) -> None:
    profile = create_profile(client, team)
    assert "A role at my employer" not in client.get("/plan").text  # anonymous
    sign_in(client, team.ben.email)  # not on the team
    assert "A role at my employer" not in client.get("/plan").text
    token = csrf_token(client, "/plan")
    forged = client.post(
        "/plan/skills",
        data={"csrf_token": token, "target": "role", "role_profile": str(profile),
              "weekly_hours": "10", "objective": "cost"},
    )  # fmt: skip
    assert forged.status_code == 400
    assert 'id="role_profile-error"' not in forged.text  # no select to show it beside
    assert "Please choose one of the roles listed" in forged.text
    sign_out(client)
    sign_in(client, team.learner.email)  # a member of Kestrel
    token = csrf_token(client, "/plan")
    empty = client.post(
        "/plan/skills",
        data={"csrf_token": token, "target": "role", "role_profile": "", "weekly_hours": "10",
              "objective": "cost"},
    )  # fmt: skip
    assert empty.status_code == 400
    assert 'id="role_profile-error"' in empty.text


def test_anonymous_results_offer_sign_in_and_forged_saves_are_refused(
    client: TestClient, db: Session, team: Team
) -> None:
    token = csrf_token(client, "/plan")
    data = {"csrf_token": token, "skill": [team.sql], "essential": [team.sql],
            "weekly_hours": "10", "objective": "cost"}  # fmt: skip
    plan = client.post("/plan", data=data)
    assert plan.status_code == 200
    assert "Sign in to save this plan" in plan.text
    assert 'action="/plan/save"' not in plan.text
    anonymous = client.post("/plan/save", data=data, follow_redirects=False)
    assert anonymous.headers["location"].startswith("/login")

    sign_in(client, team.ana.email)
    token = csrf_token(client, "/plan")
    bad = client.post(
        "/plan/save", data={**data, "csrf_token": token, "skill": ["https://unknown.example/x"]}
    )
    assert bad.status_code == 400
    assert "unknown skill URI" in bad.text
    forged = client.post("/plan/save", data={**data, "csrf_token": "forged"})
    assert forged.status_code == 403
    unknown = client.post(
        "/me/enrolments", data={"csrf_token": token, "microcredential_id": "999999"}
    )
    assert unknown.status_code == 422
    assert "Traceback" not in unknown.text
    assert _count(db, SavedPlan) == 0
    assert _count(db, Enrolment) == 0


def _field_error(page: str, control: str) -> str:
    """The message shown beside the control (empty when none)."""
    found = re.search(rf'<p class="field-error" id="{control}-error">(.*?)</p>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else ""


def test_tampered_limits_and_names_get_a_message_beside_the_field(
    client: TestClient, db: Session, team: Team
) -> None:
    sign_in(client, team.ana.email)
    token = csrf_token(client, "/plan")
    assert 'id="min_eqf"' in client.get("/plan").text
    data = {"csrf_token": token, "skill": [team.sql], "essential": [team.sql],
            "weekly_hours": "10", "objective": "cost"}  # fmt: skip
    for path in ("/plan", "/plan/save"):
        for min_eqf in ("0", "9", "abc"):
            response = client.post(path, data={**data, "min_eqf": min_eqf})
            assert response.status_code == 400, (path, min_eqf)
            assert _field_error(response.text, "min_eqf"), (path, min_eqf)
            assert "Traceback" not in response.text
        unknown = client.post(path, data={**data, "currency": "XXX"})
        assert "not a supported ISO 4217 currency code" in _field_error(unknown.text, "currency")

    long_name = client.post("/plan/save", data={**data, "title": "<b>" + "x" * 300})
    assert long_name.status_code == 400
    assert "at most 200 characters" in _field_error(long_name.text, "title")
    assert "Your plan towards" in long_name.text  # the plan again, not the start page
    assert "<b>xxx" not in long_name.text  # the name typed comes back escaped
    assert _count(db, SavedPlan) == 0
