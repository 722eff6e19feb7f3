"""Input and output shapes of the employer view (API, pages and CSV export)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

from tessera.catalog.schemas import SkillUri
from tessera.planner.schemas import ExplanationOut, PlanOut, SkillOut
from tessera.validation import CurrencyCode, Name, Paragraph

MemberStatusName = Literal["invited", "consented", "withdrawn"]
# What one member's plan does for one skill of the role.
CellState = Literal["held", "planned", "unplanned", "untaught"]


class RoleSkillIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    uri: SkillUri
    essential: bool = True


def _distinct(skills: list[RoleSkillIn]) -> list[RoleSkillIn]:
    seen: set[str] = set()
    for skill in skills:
        if skill.uri in seen:
            raise ValueError(f"{skill.uri} is listed twice")
        seen.add(skill.uri)
    return skills


RoleSkills = Annotated[
    list[RoleSkillIn], Field(min_length=1, max_length=100), AfterValidator(_distinct)
]
EqfLevel = Annotated[int, Field(ge=1, le=8)]


class RoleProfileCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    description: Paragraph | None = None
    min_eqf_level: EqfLevel | None = Field(
        default=None, description="The EQF level the role expects (shown with the report)"
    )
    skills: RoleSkills


class RoleProfileUpdate(BaseModel):
    """Only the fields given change; `skills` replaces the whole list."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    description: Paragraph | None = None
    min_eqf_level: EqfLevel | None = None
    skills: RoleSkills | None = None


class RoleSkillOut(BaseModel):
    uri: str
    label: str
    essential: bool


class RoleProfilePublic(BaseModel):
    id: int
    organisation: str  # slug
    name: str
    description: str | None
    min_eqf_level: int | None
    created_at: datetime
    skills: list[RoleSkillOut]


class PlannableRoleProfile(BaseModel):
    """A role profile someone may plan towards: of an organisation they belong to, or of an
    employer whose team they consented to join."""

    id: int
    name: str
    organisation: str  # slug
    organisation_name: str
    min_eqf_level: int | None
    skills: list[RoleSkillOut]  # those the taxonomy still knows


class TeamInvite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr


class TeamMemberPublic(BaseModel):
    """A member as the employer sees them: the name only once they have consented."""

    id: int
    email: str
    status: MemberStatusName
    name: str | None
    invited_at: datetime
    consented_at: datetime | None
    withdrawn_at: datetime | None


class InvitationCreated(BaseModel):
    member: TeamMemberPublic
    token: str = Field(description="Shown once: only its SHA-256 is stored")
    link: str = Field(description="The page where the invited person consents or declines")


class InvitationPublic(BaseModel):
    """What the invited person is asked: by whom, and what the employer will see."""

    organisation: str
    organisation_name: str
    invited_by: str | None
    email: str
    status: MemberStatusName
    role_profiles: list[str] = Field(description="The roles the employer compares you with")
    invited_at: datetime
    consented_at: datetime | None
    withdrawn_at: datetime | None


class ReportOptions(BaseModel):
    """Limits applied to every member's plan."""

    model_config = ConfigDict(extra="forbid")

    budget: Annotated[Decimal, Field(ge=0, le=1_000_000)] | None = None
    weekly_hours: Annotated[int, Field(ge=1, le=80)] = 10
    currency: CurrencyCode = "EUR"
    nice_to_have_value: Annotated[float, Field(ge=0, le=1_000_000)] = Field(
        default=0.0,
        description="What covering one nice-to-have skill is worth, in currency; "
        "0 plans essential skills only",
    )


class SkillCellOut(BaseModel):
    uri: str
    state: CellState
    microcredential_id: int | None = None
    microcredential: str | None = None
    price: Decimal | None = None


class MemberGapOut(BaseModel):
    member_id: int
    name: str
    email: str
    held: list[SkillOut]
    gap: list[SkillOut]
    plan: PlanOut | None = Field(description="The optimal plan, or the best partial one")
    explanation: ExplanationOut | None
    cells: list[SkillCellOut] = Field(description="One per skill of the role, in its order")


class SkillCoverageOut(BaseModel):
    uri: str
    label: str
    essential: bool
    held: int = Field(description="Members who hold it")
    planned: int = Field(description="Members whose plan covers it")
    missing: int = Field(description="Members for whom nothing within limits covers it")


class TeamTotalsOut(BaseModel):
    members: int
    price: Decimal = Field(description="Sum of every member's plan")
    currency: str
    hours: int = Field(description="Sum of every member's study hours")
    weeks: int = Field(description="The longest plan: members study side by side")
    essential_missing: int = Field(description="(member, essential skill) pairs left open")


class TeamReportOut(BaseModel):
    role_profile: RoleProfilePublic
    members: list[MemberGapOut]
    coverage: list[SkillCoverageOut]
    totals: TeamTotalsOut
    budget: Decimal | None
    weekly_hours: int
    # As in a plan: prices in other currencies converted at these rates, or left out for
    # want of a rate.
    converted: bool = False
    rates_as_of: date | None = None
    rates_source: str | None = None
    left_out_no_rate: int = 0
