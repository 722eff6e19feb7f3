"""Reading the ECB's daily reference-rates file: the real layout, and every kind of problem
reported with its line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tessera.errors import ImportFileError
from tessera.exchange.ecb import parse_reference_rates

FIXTURE = Path(__file__).parent / "data" / "eurofxref.csv"


def _error(text: str) -> ImportFileError:
    with pytest.raises(ImportFileError) as raised:
        parse_reference_rates(text, "rates.csv")
    return raised.value


def test_the_daily_file() -> None:
    rates = parse_reference_rates(FIXTURE.read_text("utf-8"))
    assert rates.as_of == date(2026, 11, 27)
    assert rates.per_euro["USD"] == Decimal("1.0567")
    assert rates.per_euro["GBP"] == Decimal("0.83425")
    assert rates.per_euro["IDR"] == Decimal("16812.11")
    assert len(rates.per_euro) == 30
    assert rates.suspended == ["RUB"]  # N/A: skipped, not an error


def test_a_date_in_the_future_is_refused() -> None:
    error = _error("Date,USD\n2999-01-01,1.05\n")
    assert error.detail == "rates.csv, line 2: the date 2999-01-01 is in the future"


def test_iso_dates_and_no_trailing_column() -> None:
    rates = parse_reference_rates("Date,USD,GBP\n2026-11-27,1.05,0.83\n")
    assert rates.as_of == date(2026, 11, 27)
    assert rates.per_euro == {"USD": Decimal("1.05"), "GBP": Decimal("0.83")}


def test_a_bad_number_names_line_and_currency() -> None:
    error = _error("Date, USD, GBP, \n27 November 2026, 1,0567, 0.83, \n")
    assert error.line == 2
    assert "GBP" not in error.detail or "rates.csv, line 2" in error.detail
    error = _error("Date, USD, GBP, \n27 November 2026, abc, 0.83, \n")
    assert error.detail == "rates.csv, line 2: USD: not a number: 'abc'"


def test_every_problem_is_reported_at_once() -> None:
    error = _error("Date, USD, GBP, CHF, \n27 November 2026, abc, -1, 0, \n")
    assert error.line is None
    assert [p.field for p in error.problems] == ["line 2", "line 2", "line 2"]
    assert "USD: not a number" in error.detail
    assert "GBP: must be a positive number" in error.detail
    assert "CHF: must be a positive number" in error.detail


def test_missing_header() -> None:
    error = _error("27 November 2026, 1.0567, \n")
    assert error.line == 1
    assert "header line starting with 'Date'" in error.detail


def test_duplicate_currency_and_bad_codes_in_the_header() -> None:
    error = _error("Date, USD, USD, us dollar, EUR, \n27 November 2026, 1, 1, 1, 1, \n")
    assert error.line is None
    assert "line 1: currency USD appears twice" in error.detail
    assert "line 1: not a currency code: 'us dollar'" in error.detail
    assert "line 1: EUR is the base" in error.detail


@pytest.mark.parametrize("text", ["", "\n\n", "\ufeff"])
def test_empty_file(text: str) -> None:
    error = _error(text)
    assert (error.line, error.problem) == (
        1, "empty file: expected a header line and a line of rates",
    )  # fmt: skip


def test_header_without_rates() -> None:
    assert "no line of rates" in _error("Date, USD, \n").detail


def test_more_than_one_day() -> None:
    error = _error("Date,USD\n2026-11-27,1.05\n2026-11-26,1.04\n")
    assert error.line == 3
    assert "more than one line of rates" in error.detail


def test_a_bad_date_and_a_short_line() -> None:
    error = _error("Date, USD, GBP, \nyesterday, 1.05, \n")
    assert "line 2: not a date like '27 November 2026': 'yesterday'" in error.detail
    assert "line 2: 1 rate(s) for 2 currencies in the header" in error.detail


def test_too_many_decimals_or_too_large() -> None:
    assert "more than 6 decimal places" in _error("Date,USD\n2026-11-27,1.0000001\n").detail
    assert "too large" in _error("Date,USD\n2026-11-27,1e13\n").detail
    assert "positive" in _error("Date,USD\n2026-11-27,NaN\n").detail


def test_all_suspended() -> None:
    assert "no currency has a rate" in _error("Date,USD\n2026-11-27,N/A\n").detail


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_any_line_ending_is_read(newline: str) -> None:
    text = newline.join(["Date, USD, ", "27 November 2026, 1.05, ", ""])
    assert parse_reference_rates(text).per_euro == {"USD": Decimal("1.05")}


@pytest.mark.parametrize(
    "text", ["Date, USD,\n27 November 2026, 1.05\x00,\n", 'Date, USD,\n27 November 2026, "1.05,\n']
)
def test_odd_bytes_and_unclosed_quotes_are_file_problems(text: str) -> None:
    assert "USD: not a number" in str(_error(text))
