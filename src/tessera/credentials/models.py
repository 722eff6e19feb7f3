"""Tables of issuing: the issuers' signing keys and the credentials issued with them.

A key belongs to an organisation (a provider's did:web) or, with no organisation, to the
platform's own did:web. Its secret is stored only encrypted (see `keystore`). A key is never
deleted: DID documents keep listing it so that credentials it signed keep verifying; retiring
it (compromise) records when.

An issued credential keeps the exact signed JSON-LD text and the VC-JWT of the same
credential, so that every download is byte for byte what was signed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tessera.db import Base, utcnow


class IssuerKey(Base):
    __tablename__ = "issuer_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL: the platform's own key (did:web:HOST).
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    key_type: Mapped[str] = mapped_column(String(16), default="Ed25519")
    public_key: Mapped[str] = mapped_column(String(100), unique=True)  # Multikey (z6Mk...)
    encrypted_secret: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column()
    retired_reason: Mapped[str | None] = mapped_column(Text)


class IssuedCredential(Base):
    __tablename__ = "issued_credentials"
    __table_args__ = (
        # Issuing is idempotent per (version, learner, idempotency key).
        UniqueConstraint("version_id", "recipient_email", "idempotency_key"),
        Index(None, "organisation_id", "issued_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # a UUID, public
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    microcredential_id: Mapped[int] = mapped_column(
        ForeignKey("microcredentials.id"), index=True
    )
    version_id: Mapped[int] = mapped_column(ForeignKey("microcredential_versions.id"))
    version_number: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(200))  # the achievement's name, for listings
    recipient_name: Mapped[str] = mapped_column(String(200))
    recipient_email: Mapped[str] = mapped_column(String(254))  # lower-case; never published
    recipient_did: Mapped[str | None] = mapped_column(String(500))
    learner_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    idempotency_key: Mapped[str] = mapped_column(String(100), default="")
    issued_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    issuer_key_id: Mapped[int] = mapped_column(ForeignKey("issuer_keys.id"))
    suite: Mapped[str] = mapped_column(String(32))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    valid_from: Mapped[datetime] = mapped_column()
    valid_until: Mapped[datetime | None] = mapped_column()
    document: Mapped[str] = mapped_column(Text)  # the signed JSON-LD, as signed
    jwt: Mapped[str] = mapped_column(Text)  # the same credential as a VC-JWT

    issuer_key: Mapped[IssuerKey] = relationship()
