"""REST API of the employer view: role profiles, team invitations, consent and team reports.

/api/v1/organisations/{slug}/role-profiles[/{id}]          list, create, read, edit, delete
/api/v1/organisations/{slug}/role-profiles/{id}/team-report  JSON, or ?format=csv
/api/v1/organisations/{slug}/team[/{member_id}]            list, invite, remove
/api/v1/team-invitations/{token}[/consent|/withdraw]       the invited person answers
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response, status

from tessera.credentials.deps import IssuingDep
from tessera.employers import services
from tessera.employers.export import team_report_csv
from tessera.employers.schemas import (
    InvitationCreated,
    InvitationPublic,
    ReportOptions,
    RoleProfileCreate,
    RoleProfilePublic,
    RoleProfileUpdate,
    TeamInvite,
    TeamMemberPublic,
    TeamReportOut,
)
from tessera.web.deps import DB, ApiActor, AppSettings
from tessera.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1", tags=["employers"])

Slug = Annotated[str, Path(min_length=2, max_length=64)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Token = Annotated[str, Path(min_length=20, max_length=100)]
PROFILES = "/organisations/{slug}/role-profiles"


# --- role profiles -------------------------------------------------------------------------


@router.get(PROFILES, response_model=list[RoleProfilePublic], responses=PROBLEM_RESPONSES)
def list_role_profiles(slug: Slug, db: DB, actor: ApiActor) -> list[RoleProfilePublic]:
    """The organisation's role profiles (its admins and employer verifiers)."""
    return services.list_role_profiles(db, actor, slug)


@router.post(
    PROFILES,
    response_model=RoleProfilePublic,
    status_code=status.HTTP_201_CREATED,
    responses=PROBLEM_RESPONSES,
)
def create_role_profile(
    slug: Slug, data: RoleProfileCreate, db: DB, actor: ApiActor
) -> RoleProfilePublic:
    """A role and the skills it needs (taxonomy URIs), each essential or nice to have."""
    profile = services.create_role_profile(db, actor, slug, data)
    return services.role_profile_public(db, profile, slug)


@router.get(
    PROFILES + "/{profile_id}", response_model=RoleProfilePublic, responses=PROBLEM_RESPONSES
)
def get_role_profile(slug: Slug, profile_id: Id, db: DB, actor: ApiActor) -> RoleProfilePublic:
    profile = services.access_role_profile(db, actor, slug, profile_id)
    return services.role_profile_public(db, profile, slug)


@router.patch(
    PROFILES + "/{profile_id}", response_model=RoleProfilePublic, responses=PROBLEM_RESPONSES
)
def update_role_profile(
    slug: Slug, profile_id: Id, data: RoleProfileUpdate, db: DB, actor: ApiActor
) -> RoleProfilePublic:
    """Change the fields given; `skills` replaces the whole list."""
    profile = services.update_role_profile(db, actor, slug, profile_id, data)
    return services.role_profile_public(db, profile, slug)


@router.delete(
    PROFILES + "/{profile_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=PROBLEM_RESPONSES,
)
def delete_role_profile(slug: Slug, profile_id: Id, db: DB, actor: ApiActor) -> Response:
    services.delete_role_profile(db, actor, slug, profile_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    PROFILES + "/{profile_id}/team-report",
    response_model=TeamReportOut,
    responses={
        **PROBLEM_RESPONSES,
        200: {"content": {"application/json": {}, "text/csv": {}}},
    },
)
def team_report(
    slug: Slug,
    profile_id: Id,
    db: DB,
    actor: ApiActor,
    issuing: IssuingDep,
    budget: Annotated[Decimal | None, Query(ge=0, le=1_000_000)] = None,
    weekly_hours: Annotated[int, Query(ge=1, le=80)] = 10,
    currency: Annotated[str, Query(min_length=3, max_length=3)] = "EUR",
    nice_to_have_value: Annotated[float, Query(ge=0, le=1_000_000)] = 0.0,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> TeamReportOut | Response:
    """For each consenting team member: the role's skills their verified credentials do not
    prove, and the optimal plan closing that gap within the limits (per member); the team's
    coverage per skill; totals (the sum of the plans' prices and hours, the longest plan's
    weeks). `format=csv` gives one row per member and skill."""
    options = services.parse_report_options(
        {"budget": budget, "weekly_hours": weekly_hours, "currency": currency,
         "nice_to_have_value": nice_to_have_value}
    )  # fmt: skip
    report = services.team_report(db, issuing, actor, slug, profile_id, options)
    if format == "csv":
        name = f"team-report-{slug}-{profile_id}.csv"
        return Response(
            team_report_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return report


# --- the team ------------------------------------------------------------------------------


@router.get(
    "/organisations/{slug}/team",
    response_model=list[TeamMemberPublic],
    responses=PROBLEM_RESPONSES,
)
def list_team(slug: Slug, db: DB, actor: ApiActor) -> list[TeamMemberPublic]:
    """Everyone invited, with the state of their consent (names only once they consented)."""
    return services.list_team(db, actor, slug)


@router.post(
    "/organisations/{slug}/team",
    response_model=InvitationCreated,
    status_code=status.HTTP_201_CREATED,
    responses=PROBLEM_RESPONSES,
)
def invite(
    slug: Slug, data: TeamInvite, db: DB, actor: ApiActor, settings: AppSettings
) -> InvitationCreated:
    """Invite someone by email. The link is returned this once (only a hash of its token is
    stored): send it to them. Inviting again makes a new link and retires the old one."""
    token, member = services.invite_member(db, actor, slug, data)
    link = services.invitation_link(settings.effective_base_url, token)
    return InvitationCreated(member=member, token=token, link=link)


@router.delete(
    "/organisations/{slug}/team/{member_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=PROBLEM_RESPONSES,
)
def remove_member(slug: Slug, member_id: Id, db: DB, actor: ApiActor) -> Response:
    services.remove_member(db, actor, slug, member_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- the invited person ---------------------------------------------------------------------


@router.get(
    "/team-invitations/{token}", response_model=InvitationPublic, responses=PROBLEM_RESPONSES
)
def read_invitation(token: Token, db: DB, actor: ApiActor) -> InvitationPublic:
    """Who invites you and what they would see (the invited person only)."""
    return services.read_invitation(db, actor, token)


@router.post(
    "/team-invitations/{token}/consent",
    response_model=InvitationPublic,
    responses=PROBLEM_RESPONSES,
)
def consent(token: Token, db: DB, actor: ApiActor) -> InvitationPublic:
    """Agree that the employer sees your verified skills, gap and plan for its roles."""
    return services.consent(db, actor, token)


@router.post(
    "/team-invitations/{token}/withdraw",
    response_model=InvitationPublic,
    responses=PROBLEM_RESPONSES,
)
def withdraw(token: Token, db: DB, actor: ApiActor) -> InvitationPublic:
    """Decline, or withdraw consent given: the employer no longer sees your gap."""
    return services.withdraw(db, actor, token)


__all__ = ["ReportOptions", "router"]
