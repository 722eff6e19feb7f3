"""Tables of the skills taxonomy: frameworks, skills, occupations and occupation -> skill links."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Enum, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tessera.db import Base, utcnow


class Relation(StrEnum):
    ESSENTIAL = "essential"
    OPTIONAL = "optional"


class SkillFramework(Base):
    __tablename__ = "skill_frameworks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(32), unique=True)  # esco, onet, tessera
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(32))
    uri: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Skill(Base):
    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("skill_frameworks.id"), index=True)
    uri: Mapped[str] = mapped_column(String(500), unique=True)
    label: Mapped[str] = mapped_column(String(300), index=True)
    # Alternative labels, one per line: searched and matched, never shown as the name.
    alt_labels: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # ESCO: "skill/competence" or "knowledge"; O*NET: "skill" or "technology".
    skill_type: Mapped[str] = mapped_column(String(40), default="")
    code: Mapped[str | None] = mapped_column(String(64))


class SkillBroader(Base):
    """Skill hierarchy: `skill` is narrower than `broader`."""

    __tablename__ = "skill_broader"

    skill_id: Mapped[int] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True
    )
    broader_id: Mapped[int] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class OccupationGroup(Base):
    """ISCO-08 groups (ESCO) or O*NET-SOC major groups."""

    __tablename__ = "occupation_groups"
    __table_args__ = (
        Index("ix_occupation_groups_framework_code", "framework_id", "code", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("skill_frameworks.id"))
    code: Mapped[str] = mapped_column(String(16))
    uri: Mapped[str] = mapped_column(String(500))
    label: Mapped[str] = mapped_column(String(300))
    parent_code: Mapped[str | None] = mapped_column(String(16))


class Occupation(Base):
    __tablename__ = "occupations"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("skill_frameworks.id"), index=True)
    uri: Mapped[str] = mapped_column(String(500), unique=True)
    code: Mapped[str | None] = mapped_column(String(32))  # ESCO occupation code / O*NET-SOC code
    group_code: Mapped[str | None] = mapped_column(String(16))  # ISCO-08 unit group
    label: Mapped[str] = mapped_column(String(300), index=True)
    alt_labels: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")


class OccupationSkill(Base):
    __tablename__ = "occupation_skills"

    occupation_id: Mapped[int] = mapped_column(
        ForeignKey("occupations.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    relation: Mapped[Relation] = mapped_column(
        Enum(Relation, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    # O*NET importance (1-5) where the source gives one.
    importance: Mapped[float | None] = mapped_column(Float)
