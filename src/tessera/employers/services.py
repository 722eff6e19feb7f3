"""Use cases of the employer view: role profiles, team invitations and consent, and the team's
skill-gap report.

Who may do what (checked here, so the API and pages share it):
- org admins and employer verifiers of the organisation (or platform admins) manage its role
  profiles and team, and read team reports;
- the invited person, signed in with the invited email address and holding the invitation
  token, consents, declines or withdraws;
- members of the organisation (any role) and consenting team members plan their own path
  towards its role profiles; to anyone else a profile does not exist.

Only members who consented appear in a report: an invitation is not consent, and a withdrawn
consent hides the person again (their gap is private).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tessera.accounts import services as accounts
from tessera.accounts.roles import TEAM_MANAGERS, Actor, require_role
from tessera.catalog.schemas import PublishedOffer
from tessera.credentials.services import Issuing
from tessera.employers.models import MemberStatus, RoleProfile, RoleProfileSkill, TeamMember
from tessera.employers.schemas import (
    CellState,
    InvitationPublic,
    MemberGapOut,
    PlannableRoleProfile,
    ReportOptions,
    RoleProfileCreate,
    RoleProfilePublic,
    RoleProfileUpdate,
    RoleSkillIn,
    RoleSkillOut,
    SkillCellOut,
    SkillCoverageOut,
    TeamInvite,
    TeamMemberPublic,
    TeamReportOut,
    TeamTotalsOut,
)
from tessera.errors import (
    AuthenticationRequired,
    Conflict,
    FieldProblem,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from tessera.exchange import services as exchange
from tessera.planner import services as planner
from tessera.planner.schemas import (
    PlanItemOut,
    PlanRequest,
    PlanResultOut,
    SkillOut,
    TargetSkillIn,
)
from tessera.taxonomy import services as taxonomy
from tessera.validation import parse


def _now() -> datetime:
    return datetime.now(UTC)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- authorization -------------------------------------------------------------------------


def can_manage_team(actor: Actor, organisation_id: int) -> bool:
    return actor.is_platform_admin or actor.has_any_role(organisation_id, TEAM_MANAGERS)


@dataclass(frozen=True)
class Employer:
    """The organisation whose team is managed (any kind of organisation may have one)."""

    id: int
    slug: str
    name: str


def access_employer(db: Session, actor: Actor, slug: str) -> Employer:
    """The organisation, if the actor manages its team: 401 for nobody (before anything is
    looked up), 404 for an unknown slug, 403 for anyone else."""
    sign_in = "Sign in to manage an employer's team"
    if not actor.is_authenticated and not actor.is_platform_admin:
        raise AuthenticationRequired(sign_in)
    organisation = accounts.get_organisation(db, slug)
    require_role(
        actor, organisation.id, TEAM_MANAGERS, sign_in=sign_in,
        denied=f"Only admins and employer verifiers of {slug} may see or change its team",
    )  # fmt: skip
    return Employer(organisation.id, organisation.slug, organisation.name)


# --- role profiles -------------------------------------------------------------------------


def find_skills(db: Session, text: str, limit: int = 20) -> list[RoleSkillOut]:
    """Taxonomy skills matching `text`, to pick for a role profile (nothing for no text)."""
    if not text.strip():
        return []
    found, _total = taxonomy.search_skills(db, text.strip()[:200], page_size=limit)
    return [RoleSkillOut(uri=s.uri, label=s.label, essential=True) for s in found]


def _check_skills(db: Session, skills: Sequence[RoleSkillIn]) -> None:
    """InvalidInput naming `skills.N.uri` for each skill the taxonomy does not know."""
    known = taxonomy.skill_labels(db, (s.uri for s in skills))
    problems = [
        FieldProblem(f"skills.{n}.uri", f"unknown skill URI: {s.uri}")
        for n, s in enumerate(skills)
        if s.uri not in known
    ]
    if problems:
        raise InvalidInput("Unknown skill URI(s) in the role profile", problems)


def _set_skills(profile: RoleProfile, skills: Sequence[RoleSkillIn]) -> None:
    profile.skills = [
        RoleProfileSkill(skill_uri=s.uri, essential=s.essential, position=n)
        for n, s in enumerate(skills)
    ]


def _name_taken(db: Session, organisation_id: int, name: str, other_than: int | None) -> bool:
    query = select(RoleProfile.id).where(
        RoleProfile.organisation_id == organisation_id, RoleProfile.name == name
    )
    if other_than is not None:
        query = query.where(RoleProfile.id != other_than)
    return db.scalar(query) is not None


def role_profile_public(db: Session, profile: RoleProfile, slug: str) -> RoleProfilePublic:
    labels = taxonomy.skill_labels(db, (s.skill_uri for s in profile.skills))
    return RoleProfilePublic(
        id=profile.id,
        organisation=slug,
        name=profile.name,
        description=profile.description,
        min_eqf_level=profile.min_eqf_level,
        created_at=profile.created_at,
        skills=[
            RoleSkillOut(
                uri=s.skill_uri, label=labels.get(s.skill_uri, s.skill_uri), essential=s.essential
            )
            for s in profile.skills
        ],
    )


def list_role_profiles(db: Session, actor: Actor, slug: str) -> list[RoleProfilePublic]:
    organisation = access_employer(db, actor, slug)
    rows = db.scalars(
        select(RoleProfile)
        .where(RoleProfile.organisation_id == organisation.id)
        .order_by(RoleProfile.name, RoleProfile.id)
    )
    return [role_profile_public(db, row, slug) for row in rows]


def _profile_in(db: Session, organisation_id: int, profile_id: int) -> RoleProfile:
    profile = db.get(RoleProfile, profile_id)
    if profile is None or profile.organisation_id != organisation_id:
        raise NotFound(f"No role profile {profile_id}")
    return profile


def access_role_profile(db: Session, actor: Actor, slug: str, profile_id: int) -> RoleProfile:
    return _profile_in(db, access_employer(db, actor, slug).id, profile_id)


def create_role_profile(
    db: Session, actor: Actor, slug: str, data: RoleProfileCreate | dict[str, object]
) -> RoleProfile:
    organisation = access_employer(db, actor, slug)
    data = parse(RoleProfileCreate, data) if isinstance(data, dict) else data
    _check_skills(db, data.skills)
    if _name_taken(db, organisation.id, data.name, None):
        raise Conflict(f"{slug} already has a role profile named '{data.name}'")
    profile = RoleProfile(
        organisation_id=organisation.id,
        name=data.name,
        description=data.description,
        min_eqf_level=data.min_eqf_level,
    )
    _set_skills(profile, data.skills)
    db.add(profile)
    db.flush()
    return profile


def update_role_profile(
    db: Session, actor: Actor, slug: str, profile_id: int,
    data: RoleProfileUpdate | dict[str, object],
) -> RoleProfile:  # fmt: skip
    profile = access_role_profile(db, actor, slug, profile_id)
    data = parse(RoleProfileUpdate, data) if isinstance(data, dict) else data
    given = data.model_fields_set
    if "name" in given and data.name is None:
        raise InvalidInput("A role profile needs a name", [FieldProblem("name", "required")])
    if "skills" in given and data.skills is None:
        raise InvalidInput(
            "A role profile needs skills", [FieldProblem("skills", "give at least one skill")]
        )
    if data.skills is not None:
        _check_skills(db, data.skills)
    if data.name is not None:
        if _name_taken(db, profile.organisation_id, data.name, profile.id):
            raise Conflict(f"{slug} already has a role profile named '{data.name}'")
        profile.name = data.name
    if "description" in given:
        profile.description = data.description
    if "min_eqf_level" in given:
        profile.min_eqf_level = data.min_eqf_level
    if data.skills is not None:
        # Flush the removal first: the new rows may reuse URIs (unique per profile).
        profile.skills = []
        db.flush()
        _set_skills(profile, data.skills)
    db.flush()
    return profile


def delete_role_profile(db: Session, actor: Actor, slug: str, profile_id: int) -> None:
    db.delete(access_role_profile(db, actor, slug, profile_id))
    db.flush()


# --- role profiles as a learner's target ------------------------------------------------------


def _consented_organisations(db: Session, user_id: int) -> set[int]:
    return set(
        db.scalars(
            select(TeamMember.organisation_id).where(
                TeamMember.user_id == user_id, TeamMember.status == MemberStatus.CONSENTED
            )
        )
    )


def _plannable(db: Session, profile: RoleProfile) -> PlannableRoleProfile:
    organisation = accounts.get_organisation_by_id(db, profile.organisation_id)
    labels = taxonomy.skill_labels(db, (s.skill_uri for s in profile.skills))
    return PlannableRoleProfile(
        id=profile.id,
        name=profile.name,
        organisation=organisation.slug,
        organisation_name=organisation.name,
        min_eqf_level=profile.min_eqf_level,
        skills=[
            RoleSkillOut(uri=s.skill_uri, label=labels[s.skill_uri], essential=s.essential)
            for s in profile.skills
            if s.skill_uri in labels  # a plan cannot aim at a skill the taxonomy lost
        ],
    )


def plannable_role_profiles(db: Session, actor: Actor) -> list[PlannableRoleProfile]:
    """The role profiles the actor may plan towards: of the organisations they belong to and
    of the employers whose team they consented to join (nothing for anonymous)."""
    if actor.user_id is None:
        return []
    organisations = set(actor.roles_by_org) | _consented_organisations(db, actor.user_id)
    if not organisations:
        return []
    rows = db.scalars(
        select(RoleProfile)
        .where(RoleProfile.organisation_id.in_(organisations))
        .order_by(RoleProfile.name, RoleProfile.id)
    )
    return [_plannable(db, row) for row in rows]


def plannable_role_profile(db: Session, actor: Actor, profile_id: int) -> PlannableRoleProfile:
    """One role profile to plan towards: 401 for nobody; NotFound for anyone who is neither a
    member of its organisation nor a consenting member of its team (or a platform admin), so
    that outsiders cannot learn which profiles exist."""
    if not actor.is_authenticated and not actor.is_platform_admin:
        raise AuthenticationRequired("Sign in to plan towards a role at your employer")
    profile = db.get(RoleProfile, profile_id)
    allowed = profile is not None and (
        actor.is_platform_admin
        or bool(actor.roles_in(profile.organisation_id))
        or (
            actor.user_id is not None
            and profile.organisation_id in _consented_organisations(db, actor.user_id)
        )
    )
    if profile is None or not allowed:
        raise NotFound(f"No role profile {profile_id}")
    return _plannable(db, profile)


# --- the team ------------------------------------------------------------------------------


def _member_public(db: Session, member: TeamMember) -> TeamMemberPublic:
    name = None
    if member.status is MemberStatus.CONSENTED and member.user_id is not None:
        name = accounts.actor_for_user(db, member.user_id).display_name
    return TeamMemberPublic(
        id=member.id,
        email=member.email,
        status=member.status.value,
        name=name,
        invited_at=member.invited_at,
        consented_at=member.consented_at,
        withdrawn_at=member.withdrawn_at,
    )


def list_team(db: Session, actor: Actor, slug: str) -> list[TeamMemberPublic]:
    organisation = access_employer(db, actor, slug)
    rows = db.scalars(
        select(TeamMember)
        .where(TeamMember.organisation_id == organisation.id)
        .order_by(TeamMember.email)
    )
    return [_member_public(db, row) for row in rows]


def invitation_link(base_url: str, token: str) -> str:
    """Where the invited person answers (the page; the API takes the same token)."""
    return f"{base_url.rstrip('/')}/team-invitations/{token}"


def invite_member(
    db: Session, actor: Actor, slug: str, data: TeamInvite | dict[str, object]
) -> tuple[str, TeamMemberPublic]:
    """Invite an email address; the plain token comes back here once (send the link).

    Inviting again (someone who has not answered, or who withdrew) makes a new token: the
    old link stops working, and the person must consent again.
    """
    organisation = access_employer(db, actor, slug)
    data = parse(TeamInvite, data) if isinstance(data, dict) else data
    email = data.email.strip().lower()
    member = db.scalar(
        select(TeamMember).where(
            TeamMember.organisation_id == organisation.id, TeamMember.email == email
        )
    )
    if member is not None and member.status is MemberStatus.CONSENTED:
        raise Conflict(f"{email} is already on the team of {slug}")
    token = secrets.token_urlsafe(32)
    if member is None:
        member = TeamMember(organisation_id=organisation.id, email=email)
        db.add(member)
    member.token_hash = _token_hash(token)
    member.status = MemberStatus.INVITED
    member.invited_by_user_id = actor.user_id
    member.invited_at = _now()
    member.consented_at = member.withdrawn_at = None
    member.user_id = None
    db.flush()
    return token, _member_public(db, member)


def remove_member(db: Session, actor: Actor, slug: str, member_id: int) -> None:
    """The employer takes someone off the team (the invitation and any consent go)."""
    organisation = access_employer(db, actor, slug)
    member = db.get(TeamMember, member_id)
    if member is None or member.organisation_id != organisation.id:
        raise NotFound(f"No team member {member_id}")
    db.delete(member)
    db.flush()


# --- the invited person ---------------------------------------------------------------------


def _invitation(db: Session, actor: Actor, token: str) -> TeamMember:
    """The invitation behind a token, for the person it was sent to only."""
    if not actor.is_authenticated:
        raise AuthenticationRequired("Sign in to answer a team invitation")
    member = db.scalar(select(TeamMember).where(TeamMember.token_hash == _token_hash(token)))
    if member is None:
        raise NotFound("No such invitation: the link is wrong, or a newer one replaced it")
    if (actor.email or "").lower() != member.email:
        raise PermissionDenied(
            "This invitation was sent to another email address; sign in as that person"
        )
    return member


def invitation_public(db: Session, member: TeamMember) -> InvitationPublic:
    organisation = accounts.get_organisation_by_id(db, member.organisation_id)
    inviter = None
    if member.invited_by_user_id is not None:
        inviter = accounts.actor_for_user(db, member.invited_by_user_id).display_name
    profiles = db.scalars(
        select(RoleProfile.name)
        .where(RoleProfile.organisation_id == member.organisation_id)
        .order_by(RoleProfile.name)
    )
    return InvitationPublic(
        organisation=organisation.slug,
        organisation_name=organisation.name,
        invited_by=inviter,
        email=member.email,
        status=member.status.value,
        role_profiles=list(profiles),
        invited_at=member.invited_at,
        consented_at=member.consented_at,
        withdrawn_at=member.withdrawn_at,
    )


def read_invitation(db: Session, actor: Actor, token: str) -> InvitationPublic:
    return invitation_public(db, _invitation(db, actor, token))


def consent(db: Session, actor: Actor, token: str) -> InvitationPublic:
    """The invited person agrees that the employer sees their verified skills, gap and plan
    (again, after a withdrawal). Consenting twice changes nothing."""
    member = _invitation(db, actor, token)
    if member.status is not MemberStatus.CONSENTED:
        member.status = MemberStatus.CONSENTED
        member.consented_at = _now()
        member.withdrawn_at = None
        member.user_id = actor.user_id
        db.flush()
    return invitation_public(db, member)


def withdraw(db: Session, actor: Actor, token: str) -> InvitationPublic:
    """Decline an invitation or withdraw consent: the employer no longer sees the person's
    gap. Withdrawing twice changes nothing."""
    member = _invitation(db, actor, token)
    if member.status is not MemberStatus.WITHDRAWN:
        member.status = MemberStatus.WITHDRAWN
        member.withdrawn_at = _now()
        db.flush()
    return invitation_public(db, member)


def consenting_members(db: Session, organisation_id: int) -> list[TeamMember]:
    return list(
        db.scalars(
            select(TeamMember)
            .where(
                TeamMember.organisation_id == organisation_id,
                TeamMember.status == MemberStatus.CONSENTED,
                TeamMember.user_id.is_not(None),
            )
            .order_by(TeamMember.email)
        )
    )


# --- the team report -------------------------------------------------------------------------


def _cells(skills: Sequence[RoleSkillOut], result: PlanResultOut | None) -> list[SkillCellOut]:
    """What one member's plan does for each skill of the role."""
    if result is None:  # none of the role's skills is in the taxonomy any more
        return [SkillCellOut(uri=s.uri, state="untaught") for s in skills]
    held = {s.uri for s in result.already_held}
    untaught = {s.uri for s in result.uncoverable}
    shown = result.plan or result.partial
    covering: dict[str, PlanItemOut] = {}
    for item in shown.items if shown is not None else []:
        for covered in item.covers:
            covering.setdefault(covered.uri, item)
    cells = []
    for skill in skills:
        state: CellState = "unplanned"
        if skill.uri in held:
            state = "held"
        elif skill.uri in covering:
            item = covering[skill.uri]
            cells.append(SkillCellOut(
                uri=skill.uri, state="planned", microcredential_id=item.microcredential_id,
                microcredential=item.title, price=item.price,
            ))  # fmt: skip
            continue
        elif skill.uri in untaught:
            state = "untaught"
        cells.append(SkillCellOut(uri=skill.uri, state=state))
    return cells


def _member_gap(
    db: Session, issuing: Issuing, member: TeamMember, profile: RoleProfilePublic,
    known: set[str], options: ReportOptions, offers: Sequence[PublishedOffer],
    priced: planner.PricedOffers,
) -> MemberGapOut | None:  # fmt: skip
    assert member.user_id is not None  # consenting_members selects only these
    person = accounts.actor_for_user(db, member.user_id)
    if not person.is_authenticated:  # a deactivated account is not reported on
        return None
    targets = [TargetSkillIn(uri=s.uri, essential=s.essential)
               for s in profile.skills if s.uri in known]  # fmt: skip
    result = None
    if targets:
        request = PlanRequest(
            skills=targets, budget=options.budget, weekly_hours=options.weekly_hours,
            currency=options.currency, nice_to_have_value=options.nice_to_have_value,
            min_eqf=profile.min_eqf_level, alternatives=0,
        )  # fmt: skip
        # Verified credentials only: skills a member declared stay private to them.
        result = planner.plan_path(db, issuing, person, request, offers, priced=priced)
    cells = _cells(profile.skills, result)
    by_uri = {s.uri: s for s in profile.skills}

    def skill(uri: str) -> SkillOut:
        s = by_uri[uri]
        return SkillOut(uri=s.uri, label=s.label, essential=s.essential)

    return MemberGapOut(
        member_id=member.id,
        name=person.display_name or member.email,
        email=member.email,
        held=[skill(c.uri) for c in cells if c.state == "held"],
        gap=[skill(c.uri) for c in cells if c.state != "held"],
        plan=(result.plan or result.partial) if result is not None else None,
        explanation=result.explanation if result is not None else None,
        cells=cells,
    )


def _coverage(
    profile: RoleProfilePublic, members: Sequence[MemberGapOut]
) -> list[SkillCoverageOut]:
    rows = []
    for n, skill in enumerate(profile.skills):
        states = [m.cells[n].state for m in members]
        rows.append(SkillCoverageOut(
            uri=skill.uri, label=skill.label, essential=skill.essential,
            held=states.count("held"), planned=states.count("planned"),
            missing=states.count("unplanned") + states.count("untaught"),
        ))  # fmt: skip
    return rows


def _totals(
    profile: RoleProfilePublic, members: Sequence[MemberGapOut], currency: str
) -> TeamTotalsOut:
    plans = [m.plan for m in members if m.plan is not None]
    essential = [n for n, s in enumerate(profile.skills) if s.essential]
    open_pairs = sum(
        1 for m in members for n in essential if m.cells[n].state in ("unplanned", "untaught")
    )
    return TeamTotalsOut(
        members=len(members),
        price=sum((p.price for p in plans), Decimal(0)),
        currency=currency,
        hours=sum(p.hours for p in plans),
        weeks=max((p.weeks for p in plans), default=0),
        essential_missing=open_pairs,
    )


def team_report(
    db: Session, issuing: Issuing, actor: Actor, slug: str, profile_id: int,
    options: ReportOptions | dict[str, object] | None = None,
) -> TeamReportOut:  # fmt: skip
    """For each consenting member: what the role needs that their verified credentials do not
    prove, and their optimal plan to close it; the team's coverage per skill; the total cost
    (the sum of the plans) and time (the longest plan: members study side by side)."""
    employer = access_employer(db, actor, slug)
    if not isinstance(options, ReportOptions):
        options = parse(ReportOptions, options or {})
    profile = role_profile_public(db, _profile_in(db, employer.id, profile_id), slug)
    known = set(taxonomy.skill_labels(db, (s.uri for s in profile.skills)))
    offers = planner.candidate_offers(db)  # once for the whole team
    # Priced once for the whole team; also refuses a currency without a rate when nobody has
    # consented yet.
    pricing = planner.price_offers(offers, options.currency, exchange.rate_table(db))
    members = [
        gap
        for member in consenting_members(db, employer.id)
        if (gap := _member_gap(db, issuing, member, profile, known, options, offers, pricing))
        is not None
    ]
    return TeamReportOut(
        role_profile=profile,
        members=members,
        coverage=_coverage(profile, members),
        totals=_totals(profile, members, options.currency),
        budget=options.budget,
        weekly_hours=options.weekly_hours,
        converted=pricing.converted,
        rates_as_of=pricing.rates_as_of,
        rates_source=pricing.rates_source,
        left_out_no_rate=pricing.left_out,
    )


def parse_report_options(values: dict[str, object]) -> ReportOptions:
    """ReportOptions from query or form values; InvalidInput names each bad field."""
    return parse(ReportOptions, {k: v for k, v in values.items() if v not in (None, "")})
