"""Use cases of exchange rates: read the current ones, import the ECB's reference rates, set
rates by hand (platform administrators), and convert prices.

Rates are public reference data: anyone may read them; only platform administrators change
them. An import either applies whole or, on any problem, writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from tessera.accounts.roles import Actor
from tessera.db import utcnow
from tessera.errors import AuthenticationRequired, FieldProblem, InvalidInput, PermissionDenied
from tessera.exchange import conversion
from tessera.exchange.ecb import parse_reference_rates
from tessera.exchange.models import ExchangeRate
from tessera.exchange.schemas import (
    ECB_SOURCE,
    ExchangeRateIn,
    ExchangeRatePublic,
    RatesImportSummary,
)
from tessera.validation import CURRENCIES, field_problems

BASE = conversion.BASE
RateMissing = conversion.RateMissing
MAX_RATES = 500  # ISO 4217 has fewer than 200 codes


def require_rates_admin(actor: Actor) -> None:
    """Raise unless the actor may change rates (a platform administrator)."""
    if actor.is_platform_admin:
        return
    if not actor.is_authenticated:
        raise AuthenticationRequired("Sign in as a platform administrator to change rates")
    raise PermissionDenied("Only platform administrators may change exchange rates")


# --- reading -------------------------------------------------------------------------------


def _public(row: ExchangeRate) -> ExchangeRatePublic:
    return ExchangeRatePublic(
        currency=row.currency, per_euro=row.per_euro, as_of=row.as_of, source=row.source,
        updated_at=row.updated_at,
    )  # fmt: skip


def current_rates(db: Session) -> list[ExchangeRatePublic]:
    """Every rate held, by currency code (the euro, always 1, is not listed)."""
    rows = db.scalars(select(ExchangeRate).order_by(ExchangeRate.currency))
    return [_public(row) for row in rows]


@dataclass(frozen=True)
class RateTable:
    """The rates as conversions use them: per euro by currency, with each one's date and
    source, so a result can say what it was priced at."""

    rates: Mapping[str, ExchangeRatePublic]
    per_euro: Mapping[str, Decimal]

    @classmethod
    def of(cls, rates: Iterable[ExchangeRatePublic]) -> RateTable:
        by_code = {rate.currency: rate for rate in rates}
        return cls(by_code, {code: rate.per_euro for code, rate in by_code.items()})

    def knows(self, currency: str) -> bool:
        return currency == BASE or currency in self.rates

    def convert(self, amount: Decimal, source: str, target: str) -> Decimal:
        """RateMissing when either currency has no rate."""
        return conversion.convert(amount, source, target, self.per_euro)

    def oldest(self, currencies: Iterable[str]) -> date | None:
        dates = [self.rates[c].as_of for c in currencies if c in self.rates]
        return min(dates, default=None)

    def sources(self, currencies: Iterable[str]) -> str | None:
        names = sorted({self.rates[c].source for c in currencies if c in self.rates})
        return "; ".join(names) or None


def rate_table(db: Session) -> RateTable:
    return RateTable.of(current_rates(db))


def convert(amount: Decimal, source: str, target: str, rates: Mapping[str, Decimal]) -> Decimal:
    """`amount` in `source` converted to `target` through the euro, to the cent."""
    return conversion.convert(amount, source, target, rates)


def priceable_currencies(db: Session) -> list[str]:
    """Currencies a plan can be priced in: the euro, then those with a rate that prices may
    be given in."""
    held = {rate.currency for rate in current_rates(db)} & CURRENCIES
    return [BASE, *sorted(held - {BASE})]


# --- changing ------------------------------------------------------------------------------


def _store(db: Session, rates: Sequence[ExchangeRateIn], *, replace: bool) -> RatesImportSummary:
    """Upsert: a rate replaces the one held unless that one is newer (an old file imported
    late must not undo a newer import); with `replace` False, held rates are left alone."""
    summary = RatesImportSummary()
    held = {
        row.currency: row
        for row in db.scalars(
            select(ExchangeRate).where(ExchangeRate.currency.in_([r.currency for r in rates]))
        )
    }
    for rate in rates:
        row = held.get(rate.currency)
        if row is None:
            db.add(ExchangeRate(
                currency=rate.currency, per_euro=rate.per_euro, as_of=rate.as_of,
                source=rate.source,
            ))  # fmt: skip
            summary.created += 1
        elif not replace or (row.per_euro, row.as_of, row.source) == (
            rate.per_euro, rate.as_of, rate.source,
        ):  # fmt: skip
            summary.unchanged += 1
        elif row.as_of > rate.as_of:
            summary.older += 1
        else:
            row.per_euro, row.as_of, row.source = rate.per_euro, rate.as_of, rate.source
            row.updated_at = utcnow()
            summary.updated += 1
    db.flush()
    return summary


def import_ecb_csv(
    db: Session, actor: Actor, text: str, file: str = "eurofxref.csv"
) -> RatesImportSummary:
    """Import the ECB's daily reference rates (eurofxref.csv); platform administrators only.
    ImportFileError names every bad line and value; nothing is written then."""
    require_rates_admin(actor)
    parsed = parse_reference_rates(text, file)
    rates = [
        ExchangeRateIn(currency=code, per_euro=value, as_of=parsed.as_of, source=ECB_SOURCE)
        for code, value in parsed.per_euro.items()
    ]
    summary = _store(db, rates, replace=True)
    summary.suspended = parsed.suspended
    return summary


_RATE_LIST = TypeAdapter(list[ExchangeRateIn])


def _rate_list(items: object) -> list[ExchangeRateIn]:
    try:
        rates = _RATE_LIST.validate_python(items)
    except ValidationError as error:
        problems = field_problems(error, root="body")
    else:
        problems = []
        seen: set[str] = set()
        for number, rate in enumerate(rates):
            if rate.currency == BASE:
                problems.append(FieldProblem(
                    f"{number}.currency", f"{BASE} is the base of the rates (always 1)"
                ))  # fmt: skip
            elif rate.currency in seen:
                problems.append(
                    FieldProblem(f"{number}.currency", f"{rate.currency} is given twice")
                )
            seen.add(rate.currency)
        if len(rates) > MAX_RATES:
            problems.append(FieldProblem("body", f"at most {MAX_RATES} rates at once"))
    if problems:
        summary = "; ".join(f"{p.field}: {p.message}" for p in problems[:5])
        raise InvalidInput(f"Invalid exchange rates: {summary}", problems)
    return rates


def set_rates(
    db: Session, actor: Actor, items: Sequence[ExchangeRateIn] | object, *, replace: bool = True
) -> RatesImportSummary:
    """Set rates given as a list (`currency`, `per_euro`, `as_of`, optional `source`);
    platform administrators only. With `replace` False, rates already held are kept (the
    demo loader). Any invalid item: InvalidInput, nothing written."""
    require_rates_admin(actor)
    return _store(db, _rate_list(items), replace=replace)
