"""Input and output shapes of the catalog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from tessera.accounts.roles import OrgKind
from tessera.catalog.vocab import (
    LANGUAGES,
    AssessmentType,
    Pacing,
    ParticipationMode,
    Supervision,
    VersionStatus,
)
from tessera.catalog.vocab import Field as StudyField
from tessera.validation import (
    CountryCode,
    CurrencyCode,
    HttpUrlStr,
    Line,
    LongText,
    Name,
    Paragraph,
    ParagraphOrEmpty,
    Slug,
)


def _language(value: str) -> str:
    code = value.strip().lower()
    if code not in LANGUAGES:
        raise ValueError(f"'{value}' is not a supported ISO 639-1 language code")
    return code


T = TypeVar("T", str, int)


def _unique(values: list[T]) -> list[T]:
    if len(set(values)) != len(values):
        raise ValueError("must not repeat an entry")
    return values


Language = Annotated[str, AfterValidator(_language)]
Outcomes = Annotated[list[Line], Field(min_length=1, max_length=30), AfterValidator(_unique)]
SkillUri = Annotated[str, Field(min_length=8, max_length=500, pattern=r"^https?://\S+$")]
MAX_REQUIRED = 20
# Ids of other microcredentials a learner must hold first (the structured prerequisites).
MicrocredentialId = Annotated[int, Field(ge=1, le=2**31 - 1)]
RequiredIds = Annotated[
    list[MicrocredentialId],
    Field(max_length=MAX_REQUIRED),
    AfterValidator(_unique),
]


class ModuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Name
    summary: ParagraphOrEmpty = ""
    learning_outcomes: Annotated[list[Line], Field(max_length=20)] = []
    estimated_hours: int = Field(ge=1, le=1000)


class _Description(BaseModel):
    """Fields shared by create and full-update; the EU mandatory elements are required."""

    model_config = ConfigDict(extra="forbid")

    title: Name
    short_description: Line
    learning_outcomes: Outcomes
    workload_hours: int = Field(ge=1, le=3000, description="Notional workload in hours")
    ects_credits: Decimal | None = Field(default=None, ge=0, le=60, decimal_places=1)
    eqf_level: int | None = Field(default=None, ge=1, le=8)
    assessment_type: AssessmentType
    assessment_description: Paragraph | None = None
    participation_mode: ParticipationMode
    pacing: Pacing = Pacing.SELF_PACED
    quality_assurance: Paragraph
    prerequisites: Paragraph | None = None
    supervision: Supervision | None = None
    grading_scheme: Paragraph | None = None
    stackable: bool = False
    stackable_towards: Annotated[list[Name], Field(max_length=20)] = []
    further_information: LongText | None = None
    field: StudyField
    languages: Annotated[
        list[Language], Field(min_length=1, max_length=10), AfterValidator(_unique)
    ]
    price: Decimal = Field(ge=0, le=1_000_000, decimal_places=2)
    currency: CurrencyCode = "EUR"
    duration_weeks: int = Field(ge=1, le=156)
    image_url: HttpUrlStr | None = None
    country: CountryCode | None = Field(
        default=None, description="Country of the issuer; defaults to the provider's"
    )
    region: Name | None = None
    modules: Annotated[list[ModuleIn], Field(max_length=50)] = []
    skills: Annotated[list[SkillUri], Field(max_length=60), AfterValidator(_unique)] = []
    partners: Annotated[list[Slug], Field(max_length=10), AfterValidator(_unique)] = []
    required_microcredentials: RequiredIds = Field(
        default=[],
        description="Ids of microcredentials a learner must hold (or take) first: published "
        "ones, or drafts of the same provider (which must be published before this one is)",
    )

    @field_validator("stackable_towards")
    @classmethod
    def _only_when_stackable(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if value and not info.data.get("stackable", False):
            raise ValueError("name qualifications only when the microcredential is stackable")
        return value

    @field_validator("modules")
    @classmethod
    def _modules_fit_workload(cls, value: list[ModuleIn], info: ValidationInfo) -> list[ModuleIn]:
        workload = info.data.get("workload_hours")
        module_hours = sum(m.estimated_hours for m in value)
        if workload is not None and module_hours > workload:
            raise ValueError(
                f"modules add up to {module_hours} hours, more than the workload of "
                f"{workload} hours"
            )
        return value


class MicrocredentialCreate(_Description):
    provider: Slug


class MicrocredentialUpdate(BaseModel):
    """A partial update: only the fields given change (in a draft version)."""

    model_config = ConfigDict(extra="forbid")

    title: Name | None = None
    short_description: Line | None = None
    learning_outcomes: Outcomes | None = None
    workload_hours: int | None = Field(default=None, ge=1, le=3000)
    ects_credits: Decimal | None = Field(default=None, ge=0, le=60, decimal_places=1)
    eqf_level: int | None = Field(default=None, ge=1, le=8)
    assessment_type: AssessmentType | None = None
    assessment_description: Paragraph | None = None
    participation_mode: ParticipationMode | None = None
    pacing: Pacing | None = None
    quality_assurance: Paragraph | None = None
    prerequisites: Paragraph | None = None
    supervision: Supervision | None = None
    grading_scheme: Paragraph | None = None
    stackable: bool | None = None
    stackable_towards: Annotated[list[Name], Field(max_length=20)] | None = None
    further_information: LongText | None = None
    field: StudyField | None = None
    languages: (
        Annotated[list[Language], Field(min_length=1, max_length=10), AfterValidator(_unique)]
        | None
    ) = None
    price: Decimal | None = Field(default=None, ge=0, le=1_000_000, decimal_places=2)
    currency: CurrencyCode | None = None
    duration_weeks: int | None = Field(default=None, ge=1, le=156)
    image_url: HttpUrlStr | None = None
    country: CountryCode | None = None
    region: Name | None = None
    modules: Annotated[list[ModuleIn], Field(max_length=50)] | None = None
    skills: Annotated[list[SkillUri], Field(max_length=60), AfterValidator(_unique)] | None = None
    partners: Annotated[list[Slug], Field(max_length=10), AfterValidator(_unique)] | None = None
    required_microcredentials: RequiredIds | None = None


class EndorsementCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    endorser: Slug
    comment: Paragraph
    endorsed_on: date | None = None


class OrganisationRef(BaseModel):
    slug: str
    name: str
    kind: OrgKind
    country: str


class SkillRef(BaseModel):
    uri: str
    label: str
    framework: str


class ModulePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    position: int
    title: str
    summary: str
    learning_outcomes: list[str]
    estimated_hours: int


class MicrocredentialRef(BaseModel):
    """Another microcredential named by a description (e.g. one it requires)."""

    id: int
    title: str


class EndorsementPublic(BaseModel):
    endorser: OrganisationRef
    comment: str
    endorsed_on: date


class MicrocredentialPublic(BaseModel):
    id: int
    version: int
    version_id: int
    status: VersionStatus
    provider: OrganisationRef
    partners: list[OrganisationRef]
    title: str
    short_description: str
    country: str
    region: str | None
    learning_outcomes: list[str]
    workload_hours: int
    ects_credits: Decimal | None
    eqf_level: int | None
    assessment_type: AssessmentType
    assessment_description: str | None
    participation_mode: ParticipationMode
    pacing: Pacing
    quality_assurance: str
    prerequisites: str | None
    required_microcredentials: list[MicrocredentialRef]
    supervision: Supervision | None
    grading_scheme: str | None
    stackable: bool
    stackable_towards: list[str]
    further_information: str | None
    field: StudyField
    languages: list[str]
    price: Decimal
    currency: str
    duration_weeks: int
    image_url: str | None
    modules: list[ModulePublic]
    skills: list[SkillRef]
    endorsements: list[EndorsementPublic]
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    retired_at: datetime | None


class MicrocredentialSummary(BaseModel):
    """A search hit: what a result card shows."""

    id: int
    title: str
    short_description: str
    provider: OrganisationRef
    field: StudyField
    eqf_level: int | None
    workload_hours: int
    ects_credits: Decimal | None
    price: Decimal
    currency: str
    languages: list[str]
    participation_mode: ParticipationMode
    duration_weeks: int


class FacetValue(BaseModel):
    value: str
    label: str
    count: int


class SearchResults(BaseModel):
    items: list[MicrocredentialSummary]
    total: int
    page: int
    page_size: int
    facets: dict[str, list[FacetValue]]


@dataclass(frozen=True, slots=True)
class PublicHeading:
    """What anyone sees of a microcredential in a list of them: the title and status of its
    public version (published, else the last retired one) and its provider."""

    id: int
    title: str
    status: VersionStatus
    provider: str  # slug
    provider_name: str


@dataclass(frozen=True, slots=True)
class PublishedOffer:
    """A published microcredential as a planner weighs it (a plain dataclass: thousands are
    loaded at once)."""

    id: int
    title: str
    provider: str  # slug
    provider_name: str
    skills: frozenset[str]  # URIs
    price: Decimal
    currency: str
    workload_hours: int
    duration_weeks: int
    languages: frozenset[str]
    participation_mode: str
    eqf_level: int | None
    ects_credits: Decimal | None
    stackable_towards: frozenset[str]
    prerequisites: frozenset[int] = frozenset()  # microcredential ids the version requires
