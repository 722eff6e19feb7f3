"""Input and output shapes of exchange rates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from tessera.exchange.conversion import future_date_problem
from tessera.validation import Line

ECB_SOURCE = "European Central Bank euro foreign exchange reference rates"
ADMIN_SOURCE = "Set by a platform administrator"

# Any ISO 4217-shaped code: the ECB publishes rates for more currencies than prices may be in.
RateCurrency = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z]{3}$")
]


class ExchangeRateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    currency: RateCurrency
    per_euro: Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=6)] = Field(
        description="Units of the currency one euro buys (the ECB convention)"
    )
    as_of: date
    source: Annotated[Line, StringConstraints(max_length=200)] = ADMIN_SOURCE

    @field_validator("as_of")
    @classmethod
    def _not_in_the_future(cls, value: date) -> date:
        problem = future_date_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value


class ExchangeRatePublic(BaseModel):
    currency: str
    per_euro: Decimal
    as_of: date
    source: str
    updated_at: datetime


class RatesImportSummary(BaseModel):
    """What an import did: rates added, changed, already so, and older ones not applied (the
    table already held a newer rate for the currency)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0
    suspended: list[str] = Field(default_factory=list)

    def __str__(self) -> str:
        text = (
            f"Exchange rates: {self.created} added, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )
        if self.older:
            text += f", {self.older} older than the rates held (kept those)"
        if self.suspended:
            text += f"; no rate (N/A) for {', '.join(self.suspended)}"
        return text + "."
