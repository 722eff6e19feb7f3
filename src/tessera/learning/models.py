"""Tables of the learner's record: declared skills, saved plans and enrolments.

Declared skills name skills by URI, as role profiles do (ESCO URIs are stable; re-importing
the taxonomy never breaks a learner's list). A saved plan keeps the request and the result as
JSON, so it shows later exactly as it was planned, even after the catalog has changed.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tessera.db import Base, utcnow


class EnrolmentStatus(StrEnum):
    ENROLLED = "enrolled"
    WITHDRAWN = "withdrawn"


class DeclaredSkill(Base):
    """A skill the learner says they have: weak evidence, never verified."""

    __tablename__ = "declared_skills"
    __table_args__ = (UniqueConstraint("user_id", "skill_uri"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    skill_uri: Mapped[str] = mapped_column(String(500))
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)


class SavedPlan(Base):
    __tablename__ = "saved_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    target_label: Mapped[str] = mapped_column(String(300))
    request: Mapped[dict[str, Any]] = mapped_column(JSON)  # the PlanRequest
    result: Mapped[dict[str, Any]] = mapped_column(JSON)  # the PlanResultOut, as planned
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Enrolment(Base):
    """A learner enrolled in a microcredential (one row per pair: re-enrolling after a
    withdrawal re-activates it)."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("user_id", "microcredential_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    microcredential_id: Mapped[int] = mapped_column(
        ForeignKey("microcredentials.id", ondelete="CASCADE"), index=True
    )
    # The plan it was enrolled from; deleting the plan keeps the enrolment.
    saved_plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("saved_plans.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[EnrolmentStatus] = mapped_column(
        # Plain strings (no native ENUM type), as elsewhere, so a new status needs no DDL.
        Enum(
            EnrolmentStatus,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=EnrolmentStatus.ENROLLED,
    )
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column()
