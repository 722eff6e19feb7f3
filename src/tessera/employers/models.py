"""Tables of the employer view: role profiles with their skills, and team invitations.

A role profile names skills by URI (ESCO URIs are stable identifiers; re-importing the
taxonomy never breaks a profile). A team member is an invitation until the invited person
consents; only the SHA-256 of the invitation token is stored, like API tokens.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tessera.db import Base, utcnow


class MemberStatus(StrEnum):
    INVITED = "invited"
    CONSENTED = "consented"
    WITHDRAWN = "withdrawn"


class RoleProfile(Base):
    __tablename__ = "role_profiles"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    min_eqf_level: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    skills: Mapped[list[RoleProfileSkill]] = relationship(
        cascade="all, delete-orphan", order_by="RoleProfileSkill.position"
    )


class RoleProfileSkill(Base):
    __tablename__ = "role_profile_skills"
    __table_args__ = (UniqueConstraint("role_profile_id", "skill_uri"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role_profile_id: Mapped[int] = mapped_column(
        ForeignKey("role_profiles.id", ondelete="CASCADE"), index=True
    )
    skill_uri: Mapped[str] = mapped_column(String(500))
    essential: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class TeamMember(Base):
    """An invitation to an employer's team, and the invited person's consent."""

    __tablename__ = "team_members"
    __table_args__ = (UniqueConstraint("organisation_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))  # lower-case
    invited_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[MemberStatus] = mapped_column(
        # Plain strings (no native ENUM type), as elsewhere, so a new status needs no DDL.
        Enum(
            MemberStatus,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=MemberStatus.INVITED,
    )
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    consented_at: Mapped[datetime | None] = mapped_column()
    withdrawn_at: Mapped[datetime | None] = mapped_column()
    # Who consented; a deleted user takes their consent (and this row) with them.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
