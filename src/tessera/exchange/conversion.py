"""Converting money between currencies through the euro (pure: no database, no web).

Rates follow the ECB convention: `per_euro[code]` is how many units of the currency one euro
buys; the euro itself is implicit (1). Every conversion goes through the euro, so one table of
rates converts between any two currencies it names, and the arithmetic is exact Decimal
arithmetic rounded once, to cents, half to even (the banker's rounding of accounting).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Context, Decimal

BASE = "EUR"
CENT = Decimal("0.01")
# Enough digits that the one rounding, to cents, is the only one: a price (10 digits) times a
# rate (18 digits) divided by another rate never comes near 50 significant digits.
_EXACT = Context(prec=50)


def future_date_problem(as_of: date) -> str | None:
    """Why a rate's date cannot be taken, if it cannot: a rate is published, never
    forecast, and one dated in the future would make every later import look older than it
    (a day's grace covers time zones)."""
    if as_of > datetime.now(UTC).date() + timedelta(days=1):
        return f"the date {as_of.isoformat()} is in the future"
    return None


class RateMissing(LookupError):
    """No rate is known for a currency."""

    def __init__(self, currency: str) -> None:
        super().__init__(f"no exchange rate is known for {currency}")
        self.currency = currency


def per_euro(currency: str, rates: Mapping[str, Decimal]) -> Decimal:
    """Units of `currency` one euro buys; RateMissing if the table does not name it."""
    if currency == BASE:
        return Decimal(1)
    try:
        return rates[currency]
    except KeyError:
        raise RateMissing(currency) from None


def can_convert(source: str, target: str, rates: Mapping[str, Decimal]) -> bool:
    return source == target or all(c == BASE or c in rates for c in (source, target))


def convert(amount: Decimal, source: str, target: str, rates: Mapping[str, Decimal]) -> Decimal:
    """`amount` of `source` in `target`, to the cent; RateMissing for a currency without rate."""
    if source == target:
        return amount.quantize(CENT, rounding=ROUND_HALF_EVEN)
    from_rate, to_rate = per_euro(source, rates), per_euro(target, rates)
    exact = _EXACT.divide(_EXACT.multiply(amount, to_rate), from_rate)
    return exact.quantize(CENT, rounding=ROUND_HALF_EVEN)
