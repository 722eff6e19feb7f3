"""The exchange-rate table: one row per currency, its latest rate per euro (ECB convention).

The euro has no row: it is the base, always 1. Only the latest rate is kept; plans record the
date of the rates they were priced at.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from tessera.db import Base, utcnow


class ExchangeRate(Base):
    __tablename__ = "exchange_rates"
    __table_args__ = (CheckConstraint("per_euro > 0", name="per_euro_positive"),)

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    # Units of the currency one euro buys.
    per_euro: Mapped[Decimal] = mapped_column(Numeric(18, 6))
    as_of: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
