"""Use cases of the learner's record: declared skills, planning with them, saved plans and
enrolments.

Who may do what (checked here, so the API, the pages and any CLI share it): a signed-in
learner reads and changes their own record only. Anonymous callers get
AuthenticationRequired; someone else's saved plan or enrolment is NotFound, so its existence
is not revealed. A role profile as a target follows the employer's rules
(`employers.services.plannable_role_profile`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tessera.accounts.roles import Actor
from tessera.catalog import services as catalog
from tessera.catalog.schemas import PublishedOffer
from tessera.catalog.vocab import VersionStatus
from tessera.credentials.services import Issuing
from tessera.employers import services as employers
from tessera.employers.schemas import PlannableRoleProfile
from tessera.errors import AuthenticationRequired, FieldProblem, InvalidInput, NotFound
from tessera.learning.models import DeclaredSkill, Enrolment, EnrolmentStatus, SavedPlan
from tessera.learning.schemas import (
    MAX_DECLARED,
    DeclaredSkillOut,
    DeclaredSkillsUpdate,
    EnrolmentPublic,
    SavedPlanCreate,
    SavedPlanPublic,
    SavedPlanSummary,
)
from tessera.planner import services as planner
from tessera.planner.schemas import PlanOut, PlanRequest, PlanResultOut, SkillOut, TargetOut
from tessera.taxonomy import services as taxonomy
from tessera.validation import parse


def _now() -> datetime:
    return datetime.now(UTC)


def _learner(actor: Actor, to: str) -> int:
    """The actor's user id; AuthenticationRequired ("Sign in to ...") for anonymous."""
    if actor.user_id is None:
        raise AuthenticationRequired(f"Sign in to {to}")
    return actor.user_id


# --- declared skills -------------------------------------------------------------------------


def _declared_rows(db: Session, user_id: int) -> list[DeclaredSkill]:
    return list(
        db.scalars(
            select(DeclaredSkill)
            .where(DeclaredSkill.user_id == user_id)
            .order_by(DeclaredSkill.declared_at, DeclaredSkill.id)
        )
    )


def list_declared_skills(db: Session, actor: Actor) -> list[DeclaredSkillOut]:
    """The skills the learner declared, oldest first (a URI the taxonomy no longer knows is
    shown as itself)."""
    rows = _declared_rows(db, _learner(actor, "see the skills you declared"))
    labels = taxonomy.skill_labels(db, (row.skill_uri for row in rows))
    return [
        DeclaredSkillOut(
            uri=row.skill_uri, label=labels.get(row.skill_uri, row.skill_uri),
            declared_at=row.declared_at,
        )
        for row in rows
    ]  # fmt: skip


def declared_skill_uris(db: Session, actor: Actor) -> frozenset[str]:
    """What the actor declared, for planning (nothing for anonymous)."""
    if actor.user_id is None:
        return frozenset()
    return frozenset(
        db.scalars(select(DeclaredSkill.skill_uri).where(DeclaredSkill.user_id == actor.user_id))
    )


def _check_known(db: Session, uris: Sequence[str], field: str) -> None:
    """InvalidInput naming `field.N` for each URI the taxonomy does not know."""
    known = taxonomy.skill_labels(db, uris)
    problems = [
        FieldProblem(f"{field}.{n}", f"unknown skill URI: {uri}")
        for n, uri in enumerate(uris)
        if uri not in known
    ]
    if problems:
        raise InvalidInput("Unknown skill URI(s); nothing was changed", problems)


def replace_declared_skills(
    db: Session, actor: Actor, data: DeclaredSkillsUpdate | dict[str, object]
) -> list[DeclaredSkillOut]:
    """Declare exactly these skills (a URI given twice counts once). Skills kept keep the
    date they were first declared."""
    user_id = _learner(actor, "declare your skills")
    data = parse(DeclaredSkillsUpdate, data) if isinstance(data, dict) else data
    _check_known(db, data.skills, "skills")
    wanted = set(data.skills)
    current = {row.skill_uri: row for row in _declared_rows(db, user_id)}
    for uri, row in current.items():
        if uri not in wanted:
            db.delete(row)
    db.add_all(
        DeclaredSkill(user_id=user_id, skill_uri=uri)
        for uri in dict.fromkeys(data.skills)
        if uri not in current
    )
    db.flush()
    return list_declared_skills(db, actor)


def declare_skills(db: Session, actor: Actor, uris: Sequence[str]) -> list[DeclaredSkillOut]:
    """Add skills to what the learner declared (those already there stay as they are)."""
    user_id = _learner(actor, "declare your skills")
    if not uris:
        raise InvalidInput("No skill given", [FieldProblem("skills", "choose at least one skill")])
    uris = parse(DeclaredSkillsUpdate, {"skills": list(uris)}).skills  # shapes and how many
    _check_known(db, uris, "skills")
    current = {row.skill_uri for row in _declared_rows(db, user_id)}
    if len(current | set(uris)) > MAX_DECLARED:
        raise InvalidInput(
            "Too many declared skills; nothing was changed",
            [FieldProblem("skills", f"at most {MAX_DECLARED} skills in all: remove some first")],
        )
    db.add_all(
        DeclaredSkill(user_id=user_id, skill_uri=uri)
        for uri in dict.fromkeys(uris)
        if uri not in current
    )
    db.flush()
    return list_declared_skills(db, actor)


def remove_declared_skill(db: Session, actor: Actor, uri: str) -> None:
    """Take a skill off the learner's list (nothing happens if it is not on it)."""
    user_id = _learner(actor, "change the skills you declared")
    row = db.scalar(
        select(DeclaredSkill).where(
            DeclaredSkill.user_id == user_id, DeclaredSkill.skill_uri == uri
        )
    )
    if row is not None:
        db.delete(row)
        db.flush()


# --- planning for a learner ------------------------------------------------------------------


@dataclass(frozen=True)
class LearnerTarget:
    target: TargetOut
    min_eqf: int | None  # the role's minimum EQF level (role profiles only)


def role_profiles_to_plan(db: Session, actor: Actor) -> list[PlannableRoleProfile]:
    """The role profiles the learner may plan towards."""
    _learner(actor, "plan towards a role at your employer")
    return employers.plannable_role_profiles(db, actor)


def _role_target(db: Session, actor: Actor, profile_id: int) -> LearnerTarget:
    profile = employers.plannable_role_profile(db, actor, profile_id)
    if not profile.skills:
        raise InvalidInput(
            "None of the role's skills is in the taxonomy any more",
            [FieldProblem("role_profile", "none of this role's skills is in the taxonomy")],
        )
    target = TargetOut(
        source="role_profile",
        label=f"{profile.name} at {profile.organisation_name}",
        skills=[SkillOut(uri=s.uri, label=s.label, essential=s.essential) for s in profile.skills],
    )
    return LearnerTarget(target, profile.min_eqf_level)


def build_target(db: Session, actor: Actor, request: PlanRequest) -> LearnerTarget:
    """The request's target as the actor may see it (a role profile, or the planner's)."""
    if request.role_profile is not None:
        return _role_target(db, actor, request.role_profile)
    return LearnerTarget(planner.build_target(db, request), None)


def plan_for_learner(
    db: Session, issuing: Issuing, actor: Actor, request: PlanRequest,
    offers: Sequence[PublishedOffer] | None = None,
) -> PlanResultOut:  # fmt: skip
    """`planner.plan_path` for the actor, counting the skills they declared and stored too,
    and towards a role profile of their employer when the request names one: the role's
    minimum EQF level applies unless the request sets `min_eqf` itself."""
    target = None
    if request.role_profile is not None:
        role = _role_target(db, actor, request.role_profile)
        target = role.target
        if request.min_eqf is None and role.min_eqf is not None:
            if request.max_eqf is not None and request.max_eqf < role.min_eqf:
                raise InvalidInput(
                    "The highest EQF level is below the role's minimum",
                    [FieldProblem("max_eqf", f"is below the role's minimum level, {role.min_eqf}")],
                )
            request = request.model_copy(update={"min_eqf": role.min_eqf})
    declared = declared_skill_uris(db, actor)
    return planner.plan_path(db, issuing, actor, request, offers, target=target, declared=declared)


# --- saved plans -----------------------------------------------------------------------------


def _shown(result: PlanResultOut) -> PlanOut | None:
    """The plan, or the best partial one when the limits could not all be met."""
    return result.plan or result.partial


def _saved_public(row: SavedPlan) -> SavedPlanPublic:
    return SavedPlanPublic(
        id=row.id,
        title=row.title,
        target_label=row.target_label,
        created_at=row.created_at,
        request=PlanRequest.model_validate(row.request),
        result=PlanResultOut.model_validate(row.result),
    )


def save_plan(
    db: Session, issuing: Issuing, actor: Actor, data: SavedPlanCreate | dict[str, object],
    *, target_label: str | None = None,
) -> SavedPlanPublic:  # fmt: skip
    """Plan the request again here (a result sent along is never trusted) and keep the request
    and the result. `target_label` names the target when the request cannot (the occupation a
    reviewed list of skills came from)."""
    user_id = _learner(actor, "save a plan")
    data = parse(SavedPlanCreate, data) if isinstance(data, dict) else data
    result = plan_for_learner(db, issuing, actor, data.request)
    if target_label and target_label.strip():
        result.target.label = target_label.strip()[:300]
    row = SavedPlan(
        user_id=user_id,
        title=(data.title or result.target.label)[:200],
        target_label=result.target.label[:300],
        request=data.request.model_dump(mode="json"),
        result=result.model_dump(mode="json"),
    )
    db.add(row)
    db.flush()
    return _saved_public(row)


def list_saved_plans(db: Session, actor: Actor) -> list[SavedPlanSummary]:
    """The learner's saved plans, newest first."""
    user_id = _learner(actor, "see your saved plans")
    rows = db.scalars(
        select(SavedPlan)
        .where(SavedPlan.user_id == user_id)
        .order_by(SavedPlan.created_at.desc(), SavedPlan.id.desc())
    )
    summaries = []
    for row in rows:
        result = PlanResultOut.model_validate(row.result)
        shown = _shown(result)
        summaries.append(SavedPlanSummary(
            id=row.id, title=row.title, target_label=row.target_label,
            created_at=row.created_at, items=len(shown.items) if shown else 0,
            price=shown.price if shown else None,
            currency=shown.currency if shown else str(row.request.get("currency", "EUR")),
            hours=shown.hours if shown else None, weeks=shown.weeks if shown else None,
        ))  # fmt: skip
    return summaries


def _own_plan(db: Session, actor: Actor, plan_id: int) -> SavedPlan:
    user_id = _learner(actor, "see your saved plans")
    row = db.get(SavedPlan, plan_id)
    if row is None or row.user_id != user_id:
        raise NotFound(f"No saved plan {plan_id}")
    return row


def get_saved_plan(db: Session, actor: Actor, plan_id: int) -> SavedPlanPublic:
    return _saved_public(_own_plan(db, actor, plan_id))


def delete_saved_plan(db: Session, actor: Actor, plan_id: int) -> None:
    """Delete a saved plan; enrolments made from it stay."""
    db.delete(_own_plan(db, actor, plan_id))
    db.flush()


# --- enrolments ------------------------------------------------------------------------------


def _enrolments_public(db: Session, rows: Sequence[Enrolment]) -> list[EnrolmentPublic]:
    """The enrolments as the learner sees them: titles and providers of what anyone sees of
    each microcredential, looked up together (never a query per enrolment)."""
    headings = catalog.public_headings(db, (row.microcredential_id for row in rows))
    result = []
    for row in rows:
        heading = headings.get(row.microcredential_id)
        result.append(EnrolmentPublic(
            id=row.id,
            microcredential_id=row.microcredential_id,
            title=heading.title if heading else f"Microcredential {row.microcredential_id}",
            provider=heading.provider if heading else "",
            provider_name=heading.provider_name if heading else "",
            status=row.status.value,
            saved_plan_id=row.saved_plan_id,
            enrolled_at=row.enrolled_at,
            withdrawn_at=row.withdrawn_at,
        ))  # fmt: skip
    return result


def _enrolment_public(db: Session, row: Enrolment) -> EnrolmentPublic:
    return _enrolments_public(db, [row])[0]


def _find_enrolment(db: Session, user_id: int, microcredential_id: int) -> Enrolment | None:
    return db.scalar(
        select(Enrolment).where(
            Enrolment.user_id == user_id, Enrolment.microcredential_id == microcredential_id
        )
    )


def enrol(
    db: Session, actor: Actor, microcredential_id: int, saved_plan_id: int | None = None
) -> tuple[EnrolmentPublic, bool]:
    """Enrol the learner in a published microcredential, optionally following one of their
    saved plans. Idempotent: enrolling again returns the same enrolment (re-activated after a
    withdrawal). Returns the enrolment and whether it was created now."""
    user_id = _learner(actor, "enrol")
    heading = catalog.public_headings(db, [microcredential_id]).get(microcredential_id)
    if heading is None or heading.status is not VersionStatus.PUBLISHED:
        raise InvalidInput(
            f"No published microcredential {microcredential_id}",
            [FieldProblem("microcredential_id", "no published microcredential has this id")],
        )
    if saved_plan_id is not None:
        plan = db.get(SavedPlan, saved_plan_id)
        if plan is None or plan.user_id != user_id:
            raise InvalidInput(
                f"No saved plan {saved_plan_id} of yours",
                [FieldProblem("saved_plan_id", "none of your saved plans has this id")],
            )
    row = _find_enrolment(db, user_id, microcredential_id)
    created = False
    if row is None:
        row = Enrolment(
            user_id=user_id, microcredential_id=microcredential_id, saved_plan_id=saved_plan_id,
            status=EnrolmentStatus.ENROLLED, enrolled_at=_now(),
        )  # fmt: skip
        try:
            with db.begin_nested():
                db.add(row)
                db.flush()
            created = True
        except IntegrityError:  # a concurrent request enrolled first: that one stands
            found = _find_enrolment(db, user_id, microcredential_id)
            if found is None:
                raise
            row = found
    if row.status is EnrolmentStatus.WITHDRAWN:
        row.status = EnrolmentStatus.ENROLLED
        row.enrolled_at = _now()
        row.withdrawn_at = None
        row.saved_plan_id = saved_plan_id if saved_plan_id is not None else row.saved_plan_id
        db.flush()
    return _enrolment_public(db, row), created


def _own_enrolment(db: Session, actor: Actor, enrolment_id: int) -> Enrolment:
    user_id = _learner(actor, "see your enrolments")
    row = db.get(Enrolment, enrolment_id)
    if row is None or row.user_id != user_id:
        raise NotFound(f"No enrolment {enrolment_id}")
    return row


def withdraw_enrolment(db: Session, actor: Actor, enrolment_id: int) -> EnrolmentPublic:
    """Withdraw from a microcredential (withdrawing twice changes nothing)."""
    row = _own_enrolment(db, actor, enrolment_id)
    if row.status is not EnrolmentStatus.WITHDRAWN:
        row.status = EnrolmentStatus.WITHDRAWN
        row.withdrawn_at = _now()
        db.flush()
    return _enrolment_public(db, row)


def enrolled_in(db: Session, actor: Actor) -> frozenset[int]:
    """The microcredentials the actor is enrolled in now (none for anonymous)."""
    if actor.user_id is None:
        return frozenset()
    return frozenset(
        db.scalars(
            select(Enrolment.microcredential_id).where(
                Enrolment.user_id == actor.user_id,
                Enrolment.status == EnrolmentStatus.ENROLLED,
            )
        )
    )


def list_enrolments(db: Session, actor: Actor) -> list[EnrolmentPublic]:
    """The learner's enrolments, current ones first, newest first."""
    user_id = _learner(actor, "see your enrolments")
    rows = db.scalars(
        select(Enrolment)
        .where(Enrolment.user_id == user_id)
        .order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc())
    ).all()
    enrolments = _enrolments_public(db, rows)
    return sorted(enrolments, key=lambda e: e.status != "enrolled")
