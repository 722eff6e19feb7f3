"""Converting prices through the euro: exact Decimal arithmetic, rounded once to the cent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tessera.exchange.conversion import RateMissing, can_convert, convert

RATES = {"USD": Decimal("1.0567"), "GBP": Decimal("0.83425"), "JPY": Decimal("161.84")}


def test_the_same_currency_is_the_amount_itself() -> None:
    assert convert(Decimal("199.99"), "USD", "USD", {}) == Decimal("199.99")
    assert convert(Decimal("0"), "XYZ", "XYZ", {}) == Decimal("0.00")


def test_from_and_to_the_euro() -> None:
    assert convert(Decimal("100"), "EUR", "USD", RATES) == Decimal("105.67")
    # 220 / 1.0567 = 208.1953...
    assert convert(Decimal("220.00"), "USD", "EUR", RATES) == Decimal("208.20")


def test_between_two_other_currencies_goes_through_the_euro() -> None:
    # 100 GBP = 100 / 0.83425 EUR = 119.868...; x 1.0567 = 126.664668...
    assert convert(Decimal("100.00"), "GBP", "USD", RATES) == Decimal("126.66")
    assert convert(Decimal("1000"), "JPY", "GBP", RATES) == Decimal("5.15")  # 5.154782...


def test_free_stays_free() -> None:
    assert convert(Decimal("0"), "USD", "EUR", RATES) == 0


def test_half_a_cent_rounds_to_even() -> None:
    rates = {"XTS": Decimal("0.5")}
    # 0.025 EUR and 0.035 EUR would be 0.05 and 0.07 XTS: exact; ask for halves instead.
    assert convert(Decimal("0.05"), "XTS", "EUR", rates) == Decimal("0.10")
    assert convert(Decimal("0.01"), "EUR", "XTS", rates) == Decimal("0.00")  # 0.005 -> 0.00
    assert convert(Decimal("0.03"), "EUR", "XTS", rates) == Decimal("0.02")  # 0.015 -> 0.02
    assert convert(Decimal("0.05"), "EUR", "XTS", rates) == Decimal("0.02")  # 0.025 -> 0.02


def test_the_result_is_exact_before_the_one_rounding() -> None:
    # A binary float would make 1/3 * 3 drift; Decimal with enough digits does not.
    rates = {"AAA": Decimal("3"), "BBB": Decimal("1")}
    assert convert(Decimal("1000000.00"), "AAA", "BBB", rates) == Decimal("333333.33")
    assert convert(Decimal("333333.33"), "BBB", "AAA", rates) == Decimal("999999.99")


def test_an_unknown_currency_is_named() -> None:
    with pytest.raises(RateMissing) as raised:
        convert(Decimal("10"), "CHF", "EUR", RATES)
    assert raised.value.currency == "CHF"
    with pytest.raises(RateMissing):
        convert(Decimal("10"), "EUR", "CHF", RATES)
    assert not can_convert("CHF", "EUR", RATES)
    assert can_convert("USD", "GBP", RATES)
    assert can_convert("CHF", "CHF", RATES)
