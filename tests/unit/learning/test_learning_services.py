"""The learner's record through its services: who may read and change what (owner, another
learner, anonymous), declared skills in plans, role profiles as targets with their access rules
and minimum EQF level, saved plans and idempotent enrolment."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.conftest import microcredential_payload
from tests.functional.test_employers_api import Team, build_team

from tessera.accounts.roles import ANONYMOUS
from tessera.catalog import services as catalog
from tessera.credentials.services import Issuing
from tessera.employers import services as employers
from tessera.errors import AuthenticationRequired, InvalidInput, NotFound
from tessera.learning import services
from tessera.learning.models import DeclaredSkill, Enrolment, SavedPlan
from tessera.planner.schemas import PlanRequest


@pytest.fixture
def team(client: TestClient, db: Session, make_org, make_person, skill_uris: list[str]) -> Team:  # type: ignore[no-untyped-def]
    """Kestrel (an employer) with an admin, a verifier and a learner member; Ana (holds the
    Python credential) and Ben; Aurora publishing three microcredentials at EQF level 6."""
    return build_team(client, db, make_org, make_person, skill_uris)


def _count(db: Session, model: Any) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def _skills(team: Team, *uris: str, essential: bool = True) -> PlanRequest:
    return PlanRequest(skills=[{"uri": uri, "essential": essential} for uri in uris])  # type: ignore[misc]


def _profile(db: Session, team: Team, **changes: Any) -> int:
    data: dict[str, Any] = {
        "name": "Data analyst",
        "min_eqf_level": 6,
        "skills": [
            {"uri": team.python},
            {"uri": team.sql},
            {"uri": team.statistics, "essential": False},
        ],
        **changes,
    }
    return employers.create_role_profile(db, team.admin.actor, "kestrel", data).id


def _join(db: Session, team: Team, person: Any) -> str:
    token, _member = employers.invite_member(
        db, team.admin.actor, "kestrel", {"email": person.email}
    )
    employers.consent(db, person.actor, token)
    return token


# --- declared skills -------------------------------------------------------------------------


def test_each_learner_declares_their_own_skills(db: Session, team: Team) -> None:
    ana, ben = team.ana.actor, team.ben.actor
    declared = services.replace_declared_skills(db, ana, {"skills": [team.python, team.sql]})
    assert [(s.uri, s.label) for s in declared] == [(team.python, "Python"), (team.sql, "Sql")]
    assert services.list_declared_skills(db, ben) == []
    assert services.declared_skill_uris(db, ben) == frozenset()
    assert services.declared_skill_uris(db, ANONYMOUS) == frozenset()
    for call in (
        lambda: services.list_declared_skills(db, ANONYMOUS),
        lambda: services.replace_declared_skills(db, ANONYMOUS, {"skills": [team.sql]}),
        lambda: services.declare_skills(db, ANONYMOUS, [team.sql]),
        lambda: services.remove_declared_skill(db, ANONYMOUS, team.sql),
    ):
        with pytest.raises(AuthenticationRequired):
            call()

    # Replacing keeps what stays (with its date), drops the rest, adds the new; twice is once.
    first = {s.uri: s.declared_at for s in declared}
    again = services.replace_declared_skills(
        db, ana, {"skills": [team.sql, team.statistics, team.statistics]}
    )
    assert [s.uri for s in again] == [team.sql, team.statistics]
    assert again[0].declared_at == first[team.sql]
    services.declare_skills(db, ana, [team.python, team.sql])
    services.remove_declared_skill(db, ben, team.python)  # Ben's list only: nothing to remove
    services.remove_declared_skill(db, ana, team.statistics)
    assert services.declared_skill_uris(db, ana) == {team.python, team.sql}
    assert _count(db, DeclaredSkill) == 2


def test_unknown_skill_uris_are_refused_and_nothing_is_written(db: Session, team: Team) -> None:
    ana = team.ana.actor
    services.replace_declared_skills(db, ana, {"skills": [team.python]})
    unknown = "https://unknown.example/skill"
    with pytest.raises(InvalidInput) as raised:
        services.replace_declared_skills(db, ana, {"skills": [team.sql, unknown]})
    assert [(p.field, p.message) for p in raised.value.problems] == [
        ("skills.1", f"unknown skill URI: {unknown}")
    ]
    with pytest.raises(InvalidInput):
        services.declare_skills(db, ana, [unknown])
    with pytest.raises(InvalidInput):
        services.declare_skills(db, ana, [])
    with pytest.raises(InvalidInput) as raised:
        services.replace_declared_skills(db, ana, {"skills": ["not a uri"], "extra": 1})
    assert {p.field for p in raised.value.problems} == {"skills.0", "extra"}
    assert services.declared_skill_uris(db, ana) == {team.python}


# --- planning with what the learner holds ----------------------------------------------------


def test_plans_count_declared_skills_and_say_they_are_only_declared(
    db: Session, team: Team, issuing: Issuing
) -> None:
    request = _skills(team, team.python, team.sql, team.statistics)
    ben = team.ben.actor
    services.replace_declared_skills(db, ben, {"skills": [team.sql]})
    result = services.plan_for_learner(db, issuing, ben, request)
    assert [s.uri for s in result.already_held] == [team.sql]
    assert [s.uri for s in result.already_declared] == [team.sql]

    # Ana's Python credential proves Python; her declared SQL is only declared.
    services.replace_declared_skills(db, team.ana.actor, {"skills": [team.sql, team.python]})
    result = services.plan_for_learner(db, issuing, team.ana.actor, request)
    assert {s.uri for s in result.already_held} == {team.python, team.sql}
    assert [s.uri for s in result.already_declared] == [team.sql]
    assert result.plan is not None
    assert [item.title for item in result.plan.items] == ["SQL and statistics"]

    anonymous = services.plan_for_learner(db, issuing, ANONYMOUS, request)
    assert anonymous.already_held == []


def test_the_team_report_counts_verified_credentials_only(
    db: Session, team: Team, issuing: Issuing
) -> None:
    profile = _profile(db, team)
    _join(db, team, team.ana)
    services.replace_declared_skills(db, team.ana.actor, {"skills": [team.sql]})
    report = employers.team_report(db, issuing, team.verifier.actor, "kestrel", profile)
    (member,) = report.members
    assert [s.uri for s in member.held] == [team.python]
    assert team.sql in {s.uri for s in member.gap}


# --- role profiles as targets ----------------------------------------------------------------


def test_who_may_plan_towards_a_role_profile(db: Session, team: Team, make_person) -> None:  # type: ignore[no-untyped-def]
    profile = _profile(db, team)
    _join(db, team, team.ana)
    token = _join(db, team, team.ben)
    employers.withdraw(db, team.ben.actor, token)
    carla = make_person("carla@example.org")
    employers.invite_member(db, team.admin.actor, "kestrel", {"email": carla.email})

    allowed = {
        "org admin": team.admin,
        "employer verifier": team.verifier,
        "learner member": team.learner,
        "consenting team member": team.ana,
    }
    for who, person in allowed.items():
        found = services.build_target(db, person.actor, PlanRequest(role_profile=profile))
        assert found.target.label == "Data analyst at Kestrel", who
        assert found.target.source == "role_profile"
        assert [(s.uri, s.essential) for s in found.target.skills] == [
            (team.python, True), (team.sql, True), (team.statistics, False),
        ]  # fmt: skip
        assert found.min_eqf == 6
        assert [r.id for r in services.role_profiles_to_plan(db, person.actor)] == [profile], who
    refused = {
        "withdrawn": team.ben, "only invited": carla, "other employer": team.rival,
        "provider staff": team.staff,
    }  # fmt: skip
    for who, person in refused.items():
        with pytest.raises(NotFound):
            services.build_target(db, person.actor, PlanRequest(role_profile=profile))
        assert services.role_profiles_to_plan(db, person.actor) == [], who
    with pytest.raises(NotFound):
        services.build_target(db, team.ana.actor, PlanRequest(role_profile=profile + 1000))
    with pytest.raises(AuthenticationRequired):
        services.build_target(db, ANONYMOUS, PlanRequest(role_profile=profile))
    with pytest.raises(AuthenticationRequired):
        services.role_profiles_to_plan(db, ANONYMOUS)


def test_a_roles_minimum_level_leaves_out_lower_levels(
    db: Session, team: Team, issuing: Issuing
) -> None:
    version = catalog.create_microcredential(
        db, team.staff.actor,
        microcredential_payload("aurora", [team.sql, team.statistics], title="Intro to SQL",
                                price="20.00", eqf_level=4),
    )  # fmt: skip
    catalog.publish_microcredential(db, team.staff.actor, version.microcredential_id)
    profile = _profile(db, team)
    ben = team.learner.actor  # a member of Kestrel

    result = services.plan_for_learner(db, issuing, ben, PlanRequest(role_profile=profile))
    assert result.target.label == "Data analyst at Kestrel"
    assert result.plan is not None
    assert {i.title for i in result.plan.items} == {"Python basics", "SQL and statistics"}
    # The learner may set another minimum; the profile's applies otherwise.
    lower = services.plan_for_learner(
        db, issuing, ben, PlanRequest(role_profile=profile, min_eqf=4)
    )
    assert lower.plan is not None
    assert {i.title for i in lower.plan.items} == {"Python basics", "Intro to SQL"}
    with pytest.raises(InvalidInput) as raised:
        services.plan_for_learner(db, issuing, ben, PlanRequest(role_profile=profile, max_eqf=5))
    assert [p.field for p in raised.value.problems] == ["max_eqf"]

    # The team report applies the role's minimum too.
    _join(db, team, team.ben)
    report = employers.team_report(db, issuing, team.verifier.actor, "kestrel", profile)
    (member,) = report.members
    assert member.plan is not None
    assert "Intro to SQL" not in {i.title for i in member.plan.items}


# --- saved plans -----------------------------------------------------------------------------


def test_a_saved_plan_is_planned_again_and_kept_for_its_owner_only(
    db: Session, team: Team, issuing: Issuing
) -> None:
    ana, ben = team.ana.actor, team.ben.actor
    request = _skills(team, team.python, team.sql)
    saved = services.save_plan(
        db, issuing, ana, {"request": request.model_dump(mode="json")}, target_label="Analyst"
    )
    assert saved.title == "Analyst"
    assert saved.target_label == "Analyst"
    assert saved.result.target.label == "Analyst"
    assert saved.result == services.plan_for_learner(db, issuing, ana, request).model_copy(
        update={"target": saved.result.target}
    )
    assert saved.result.plan is not None
    assert [i.title for i in saved.result.plan.items] == ["SQL and statistics"]
    titled = services.save_plan(db, issuing, ana, {"title": "Plan B", "request": request})
    assert titled.title == "Plan B"
    assert titled.target_label == "Chosen skills"

    assert [p.id for p in services.list_saved_plans(db, ana)] == [titled.id, saved.id]
    summary = services.list_saved_plans(db, ana)[1]
    assert (summary.items, summary.price, summary.currency) == (1, 150, "EUR")
    assert services.get_saved_plan(db, ana, saved.id) == saved
    assert services.list_saved_plans(db, ben) == []
    for call in (
        lambda: services.get_saved_plan(db, ben, saved.id),
        lambda: services.delete_saved_plan(db, ben, saved.id),
        lambda: services.get_saved_plan(db, ana, saved.id + 1000),
    ):
        with pytest.raises(NotFound):
            call()
    for call in (
        lambda: services.get_saved_plan(db, ANONYMOUS, saved.id),
        lambda: services.list_saved_plans(db, ANONYMOUS),
        lambda: services.save_plan(db, issuing, ANONYMOUS, {"request": request}),
        lambda: services.delete_saved_plan(db, ANONYMOUS, saved.id),
    ):
        with pytest.raises(AuthenticationRequired):
            call()
    services.delete_saved_plan(db, ana, saved.id)
    with pytest.raises(NotFound):
        services.get_saved_plan(db, ana, saved.id)
    assert _count(db, SavedPlan) == 1


def test_bad_plans_to_save_are_refused_and_nothing_is_written(
    db: Session, team: Team, issuing: Issuing
) -> None:
    ana = team.ana.actor
    for data in (
        {"request": {"skills": [{"uri": "https://unknown.example/skill"}]}},
        {"request": {"occupation": "data analyst", "posting": "Python"}},
        {"request": {"skills": [{"uri": team.sql}]}, "result": {"plan": None}},
        {"title": "x" * 201, "request": {"skills": [{"uri": team.sql}]}},
    ):
        with pytest.raises(InvalidInput):
            services.save_plan(db, issuing, ana, data)  # type: ignore[arg-type]
    assert _count(db, SavedPlan) == 0


# --- enrolments ------------------------------------------------------------------------------


def test_enrolling_is_idempotent_and_re_enrolling_reactivates(
    db: Session, team: Team, issuing: Issuing
) -> None:
    ana = team.ana.actor
    python_basics = team.ids["Python basics"]
    first, created = services.enrol(db, ana, python_basics)
    assert created
    assert (first.title, first.provider, first.status) == ("Python basics", "aurora", "enrolled")
    again, created = services.enrol(db, ana, python_basics)
    assert not created
    assert again == first

    withdrawn = services.withdraw_enrolment(db, ana, first.id)
    assert withdrawn.status == "withdrawn"
    assert withdrawn.withdrawn_at is not None
    assert services.withdraw_enrolment(db, ana, first.id) == withdrawn  # no change

    saved = services.save_plan(db, issuing, ana, {"request": _skills(team, team.python)})
    back, created = services.enrol(db, ana, python_basics, saved.id)
    assert not created
    assert back.id == first.id
    assert (back.status, back.withdrawn_at, back.saved_plan_id) == ("enrolled", None, saved.id)
    assert back.enrolled_at >= first.enrolled_at - timedelta(seconds=1)
    assert [e.id for e in services.list_enrolments(db, ana)] == [first.id]
    assert _count(db, Enrolment) == 1

    # Deleting the plan keeps the enrolment.
    services.delete_saved_plan(db, ana, saved.id)
    db.expire_all()
    assert services.list_enrolments(db, ana)[0].saved_plan_id is None


def test_enrolment_needs_a_signed_in_learner_a_published_microcredential_and_own_plan(
    db: Session, team: Team, issuing: Issuing
) -> None:
    ana, ben = team.ana.actor, team.ben.actor
    draft = catalog.create_microcredential(
        db, team.staff.actor, microcredential_payload("aurora", [team.sql], title="Draft")
    )
    bens_plan = services.save_plan(db, issuing, ben, {"request": _skills(team, team.sql)})
    with pytest.raises(AuthenticationRequired):
        services.enrol(db, ANONYMOUS, team.ids["Python basics"])
    for microcredential_id, plan_id, field in (
        (999_999, None, "microcredential_id"),
        (draft.microcredential_id, None, "microcredential_id"),
        (team.ids["Python basics"], bens_plan.id, "saved_plan_id"),
        (team.ids["Python basics"], bens_plan.id + 1000, "saved_plan_id"),
    ):
        with pytest.raises(InvalidInput) as raised:
            services.enrol(db, ana, microcredential_id, plan_id)
        assert [p.field for p in raised.value.problems] == [field]
    assert _count(db, Enrolment) == 0

    catalog.retire_microcredential(db, team.staff.actor, team.ids["Python basics"])
    with pytest.raises(InvalidInput):
        services.enrol(db, ana, team.ids["Python basics"])


def test_learners_see_and_withdraw_their_own_enrolments_only(db: Session, team: Team) -> None:
    ana, ben = team.ana.actor, team.ben.actor
    enrolment, _created = services.enrol(db, ana, team.ids["Python basics"])
    assert services.list_enrolments(db, ben) == []
    with pytest.raises(NotFound):
        services.withdraw_enrolment(db, ben, enrolment.id)
    with pytest.raises(AuthenticationRequired):
        services.withdraw_enrolment(db, ANONYMOUS, enrolment.id)
    with pytest.raises(AuthenticationRequired):
        services.list_enrolments(db, ANONYMOUS)
    assert services.list_enrolments(db, ana)[0].status == "enrolled"


def test_listing_enrolments_takes_the_same_queries_for_one_or_many(db: Session, team: Team) -> None:
    from sqlalchemy import event

    ana = team.ana.actor
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    def listing() -> int:
        db.expire_all()
        statements.clear()
        bind = db.connection()
        event.listen(bind, "before_cursor_execute", count)
        try:
            services.list_enrolments(db, ana)
        finally:
            event.remove(bind, "before_cursor_execute", count)
        return len(statements)

    ids = list(team.ids.values())
    assert len(ids) >= 3
    services.enrol(db, ana, ids[0])
    one = listing()
    for microcredential_id in ids[1:]:
        services.enrol(db, ana, microcredential_id)
    catalog.retire_microcredential(db, team.staff.actor, ids[1])  # still listed, by its title
    assert listing() == one
    listed = services.list_enrolments(db, ana)
    assert {e.title for e in listed} == set(team.ids)
    assert {(e.provider, e.provider_name) for e in listed} == {("aurora", "Aurora")}


def test_declaring_skills_is_bounded(db: Session, team: Team) -> None:
    ana = team.ana.actor
    for uris, field in (
        ([f"https://unknown.example/{n}" for n in range(301)], "skills"),
        (["https://x.example/" + "a" * 600], "skills.0"),
        (["not a uri"], "skills.0"),
    ):
        with pytest.raises(InvalidInput) as raised:
            services.declare_skills(db, ana, uris)
        assert [p.field for p in raised.value.problems] == [field]
    assert _count(db, DeclaredSkill) == 0
