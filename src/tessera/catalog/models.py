"""Tables of the catalog: microcredentials, versions, modules, skills, partners, endorsements.

A `Microcredential` is the stable identity; what it says lives in `MicrocredentialVersion`.
A published version is never edited: editing creates a new draft version, and publishing it
supersedes the previous one.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tessera.catalog.vocab import (
    AssessmentType,
    Field,
    Pacing,
    ParticipationMode,
    Supervision,
    VersionStatus,
)
from tessera.db import Base, utcnow


def _enum(cls: Any) -> Enum:
    return Enum(cls, native_enum=False, length=48, values_callable=lambda e: [m.value for m in e])


class Microcredential(Base):
    __tablename__ = "microcredentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[MicrocredentialVersion]] = relationship(
        back_populates="microcredential",
        order_by="MicrocredentialVersion.number",
        cascade="all, delete-orphan",
    )
    endorsements: Mapped[list[Endorsement]] = relationship(
        back_populates="microcredential",
        order_by="Endorsement.endorsed_on",
        cascade="all, delete-orphan",
    )


class MicrocredentialVersion(Base):
    """One version of a microcredential's description: every EU standard element lives here."""

    __tablename__ = "microcredential_versions"
    __table_args__ = (
        UniqueConstraint("microcredential_id", "number"),
        Index("ix_microcredential_versions_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    microcredential_id: Mapped[int] = mapped_column(
        ForeignKey("microcredentials.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[VersionStatus] = mapped_column(_enum(VersionStatus))

    # EU mandatory elements (learner identification and date of issuing belong to credentials).
    title: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(100))
    learning_outcomes: Mapped[list[str]] = mapped_column(JSON)
    workload_hours: Mapped[int] = mapped_column(Integer)
    ects_credits: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    eqf_level: Mapped[int | None] = mapped_column(SmallInteger)
    assessment_type: Mapped[AssessmentType] = mapped_column(_enum(AssessmentType))
    assessment_description: Mapped[str | None] = mapped_column(Text)
    participation_mode: Mapped[ParticipationMode] = mapped_column(_enum(ParticipationMode))
    pacing: Mapped[Pacing] = mapped_column(_enum(Pacing))
    quality_assurance: Mapped[str] = mapped_column(Text)

    # EU optional elements.
    prerequisites: Mapped[str | None] = mapped_column(Text)
    supervision: Mapped[Supervision | None] = mapped_column(_enum(Supervision))
    grading_scheme: Mapped[str | None] = mapped_column(Text)
    stackable: Mapped[bool] = mapped_column(default=False)
    stackable_towards: Mapped[list[str]] = mapped_column(JSON, default=list)
    further_information: Mapped[str | None] = mapped_column(Text)

    # Catalog description.
    short_description: Mapped[str] = mapped_column(String(500))
    field: Mapped[Field] = mapped_column(_enum(Field))
    languages: Mapped[list[str]] = mapped_column(JSON)
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    currency: Mapped[str] = mapped_column(String(3))
    duration_weeks: Mapped[int] = mapped_column(SmallInteger)
    image_url: Mapped[str | None] = mapped_column(String(500))

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column()
    retired_at: Mapped[datetime | None] = mapped_column()

    microcredential: Mapped[Microcredential] = relationship(back_populates="versions")
    modules: Mapped[list[Module]] = relationship(
        back_populates="version", order_by="Module.position", cascade="all, delete-orphan"
    )
    skill_links: Mapped[list[VersionSkill]] = relationship(cascade="all, delete-orphan")
    partner_links: Mapped[list[VersionPartner]] = relationship(cascade="all, delete-orphan")
    prerequisite_links: Mapped[list[VersionPrerequisite]] = relationship(
        order_by="VersionPrerequisite.position", cascade="all, delete-orphan"
    )


class Module(Base):
    __tablename__ = "modules"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("microcredential_versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    learning_outcomes: Mapped[list[str]] = mapped_column(JSON, default=list)
    estimated_hours: Mapped[int] = mapped_column(Integer)

    version: Mapped[MicrocredentialVersion] = relationship(back_populates="modules")


class VersionSkill(Base):
    """A skill taught by a version (aligned to a taxonomy skill)."""

    __tablename__ = "version_skills"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("microcredential_versions.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class VersionPartner(Base):
    """A co-issuing partner organisation (e.g. an industry partner of a university)."""

    __tablename__ = "version_partners"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("microcredential_versions.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)


class VersionPrerequisite(Base):
    """Another microcredential a learner must hold (or take first) before this version: the
    structured side of the EU "prerequisites" element, which the skill-gap planner obeys."""

    __tablename__ = "version_prerequisites"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("microcredential_versions.id", ondelete="CASCADE"), primary_key=True
    )
    required_id: Mapped[int] = mapped_column(
        ForeignKey("microcredentials.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class Endorsement(Base):
    """An organisation's endorsement of a microcredential (all versions), with its comment."""

    __tablename__ = "endorsements"
    __table_args__ = (UniqueConstraint("microcredential_id", "endorser_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    microcredential_id: Mapped[int] = mapped_column(
        ForeignKey("microcredentials.id", ondelete="CASCADE"), index=True
    )
    endorser_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    comment: Mapped[str] = mapped_column(Text)
    endorsed_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    microcredential: Mapped[Microcredential] = relationship(back_populates="endorsements")
