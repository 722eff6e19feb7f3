"""Required microcredentials reach the planner: a real plan through `plan_path` takes the
prerequisite first, skips it when held, and leaves out what cannot be reached."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests.conftest import Person, microcredential_payload

from tessera.accounts.roles import Role
from tessera.catalog import services as catalog
from tessera.credentials import services as credentials
from tessera.credentials.payloads import CredentialIssue
from tessera.credentials.services import Issuing
from tessera.planner import services as planner
from tessera.planner.model import Candidate, Constraints, GapSkill, Target
from tessera.planner.planning import plan_skill_gap
from tessera.planner.schemas import PlanRequest, PlanResultOut


@dataclass
class Chain:
    """"SQL for analysts" requires "Python basics"; only the former teaches SQL."""

    staff: Person
    learner: Person
    python: str
    sql: str
    basics: int
    advanced: int


@pytest.fixture
def chain(db: Session, make_org: Any, make_person: Any, skill_uris: list[str]) -> Chain:
    python, sql, _statistics = skill_uris
    make_org("aurora")
    staff = make_person("staff@aurora.eu", Role.ISSUER_STAFF, "aurora")
    learner = make_person("learner@example.org")

    def publish(title: str, skills: list[str], **changes: Any) -> int:
        version = catalog.create_microcredential(
            db, staff.actor, microcredential_payload("aurora", skills, title=title, **changes)
        )
        catalog.publish_microcredential(db, staff.actor, version.microcredential_id)
        return version.microcredential_id

    basics = publish("Python basics", [python], price="100.00", languages=["de"])
    advanced = publish(
        "SQL for analysts", [sql], price="200.00", required_microcredentials=[basics]
    )
    return Chain(staff, learner, python, sql, basics, advanced)


def _plan(db: Session, issuing: Issuing, actor: Any, uri: str, **limits: Any) -> PlanResultOut:
    request = PlanRequest(skills=[{"uri": uri}], **limits)
    return planner.plan_path(db, issuing, actor, request)


def test_a_plan_takes_the_required_microcredential_first(
    db: Session, issuing: Issuing, chain: Chain
) -> None:
    result = _plan(db, issuing, chain.learner.actor, chain.sql)
    assert result.plan is not None
    items = {item.microcredential_id: item for item in result.plan.items}
    assert set(items) == {chain.basics, chain.advanced}
    assert items[chain.basics].stage == 1
    assert items[chain.advanced].stage == 2
    assert items[chain.basics].end_week < items[chain.advanced].start_week
    assert result.plan.price == Decimal("300.00")


def test_a_held_prerequisite_is_not_planned_again(
    db: Session, issuing: Issuing, chain: Chain
) -> None:
    request = CredentialIssue(
        microcredential_id=chain.basics, recipient_name="Lee", recipient_email=chain.learner.email
    )
    credentials.issue_credential(db, issuing, chain.staff.actor, request)
    result = _plan(db, issuing, chain.learner.actor, chain.sql)
    assert result.plan is not None
    assert [item.microcredential_id for item in result.plan.items] == [chain.advanced]
    assert result.plan.items[0].stage == 1


def test_a_prerequisite_the_learner_filters_out_makes_its_dependant_unreachable(
    db: Session, issuing: Issuing, chain: Chain
) -> None:
    """"Python basics" is taught in German only: planning in English cannot meet the
    requirement, so the SQL course cannot be planned and its skill is uncoverable."""
    result = _plan(db, issuing, chain.learner.actor, chain.sql, languages=["en"])
    assert [skill.uri for skill in result.uncoverable] == [chain.sql]
    assert result.plan is not None
    assert result.plan.items == []


def _course(i: int, skill: str, needs: frozenset[int] = frozenset(), **values: Any) -> Candidate:
    return Candidate(
        id=i, title=f"course {i}", skills=frozenset({skill}), price=Decimal(100), hours=10,
        weeks=1, languages=frozenset({"en"}), mode="online", provider="uni",
        prerequisites=needs, **values,
    )  # fmt: skip


def test_prerequisites_missing_from_the_candidates_count_only_when_held() -> None:
    """A prerequisite may be absent from the candidates (another currency, a retired one):
    the dependant is then eligible only for a learner who holds it."""
    candidates = [_course(1, "sql", needs=frozenset({7})), _course(2, "python")]
    goal = (GapSkill("sql"), GapSkill("python"))
    limits = Constraints(weekly_hours=10)
    unmet = plan_skill_gap(candidates, Target(goal), limits)
    assert [g.skill for g in unmet.uncoverable] == ["sql"]
    assert unmet.plan is not None
    assert unmet.plan.ids == {2}
    held = plan_skill_gap(candidates, Target(goal, held_credentials=frozenset({7})), limits)
    assert held.uncoverable == ()
    assert held.plan is not None
    assert held.plan.ids == {1, 2}
