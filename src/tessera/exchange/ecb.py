"""Reading the ECB's euro foreign exchange reference rates (pure: no database, no web).

The ECB publishes them each working day as `eurofxref.csv` (inside eurofxref.zip): a header
line naming the currencies and one data line with the date and each currency's rate per euro:

    Date, USD, JPY, BGN, CZK, ...,
    27 November 2026, 1.0567, 161.84, 1.9558, 25.283, ...,

Cells carry spaces after the commas and each line ends with an empty column; a currency whose
rate is suspended reads `N/A` and is skipped. Every problem in the file is reported, with its
line, in one ImportFileError, so a file is fixed in one go.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from tessera.errors import FieldProblem, ImportFileError
from tessera.exchange.conversion import BASE, future_date_problem

CODE = re.compile(r"^[A-Z]{3}$")
# The table's column is Numeric(18, 6): twelve digits before the point, six after.
MAX_RATE = Decimal(10) ** 12
RATE_PLACES = 6
SUSPENDED = "N/A"
DATE_FORMATS = ("%d %B %Y", "%Y-%m-%d")  # the daily file, and the ISO form of the history file
MAX_CHARS = 64 * 1024  # the daily file is under 1 kB; anything this long is something else


@dataclass(frozen=True)
class ReferenceRates:
    as_of: date
    per_euro: dict[str, Decimal]
    suspended: list[str] = field(default_factory=list)


class _Problems:
    def __init__(self, file: str) -> None:
        self.file = file
        self.found: list[tuple[int, str]] = []

    def add(self, line: int, problem: str) -> None:
        self.found.append((line, problem))

    def raise_any(self) -> None:
        if not self.found:
            return
        if len(self.found) == 1:
            line, problem = self.found[0]
            error = ImportFileError(self.file, line, problem)
        else:
            listed = "; ".join(f"line {line}: {problem}" for line, problem in self.found)
            error = ImportFileError(self.file, None, listed)
        error.problems = [FieldProblem(f"line {line}", problem) for line, problem in self.found]
        raise error


def parse_rate(text: str) -> Decimal | str:
    """The rate in a cell, or what is wrong with it."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return f"not a number: {text[:40]!r}"
    if not value.is_finite() or value <= 0:
        return f"must be a positive number, not {text[:40]!r}"
    if value >= MAX_RATE:
        return f"too large: {text[:40]!r}"
    if -value.as_tuple().exponent > RATE_PLACES:  # type: ignore[operator]  # finite: an int
        return f"more than {RATE_PLACES} decimal places: {text[:40]!r}"
    return value


def _date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            # A calendar date: the zone only satisfies the aware-datetime rule.
            return datetime.strptime(text, pattern).replace(tzinfo=UTC).date()
        except ValueError:
            continue
    return None


def _header(cells: list[str], problems: _Problems) -> list[str]:
    if not cells or cells[0] != "Date":
        shown = cells[0][:40] if cells else ""
        problems.add(1, f"expected a header line starting with 'Date', not {shown!r}")
        return []
    codes = cells[1:]
    seen: set[str] = set()
    for code in codes:
        if not CODE.match(code):
            problems.add(1, f"not a currency code: {code[:40]!r}")
        elif code == BASE:
            problems.add(1, f"{BASE} is the base of the rates (always 1), not a column")
        elif code in seen:
            problems.add(1, f"currency {code} appears twice")
        seen.add(code)
    return codes


def parse_reference_rates(text: str, file: str = "eurofxref.csv") -> ReferenceRates:
    """The rates of an ECB daily reference-rates file; ImportFileError listing every problem."""
    problems = _Problems(file)
    if len(text) > MAX_CHARS:
        raise ImportFileError(file, None, "too large for a reference-rates file")
    # newline=None: lines may end in \n, \r\n or a bare \r (csv refuses a bare \r otherwise).
    lines = io.StringIO(text.lstrip("\ufeff"), newline=None)
    try:
        rows = [
            (number, [cell.strip() for cell in row])
            for number, row in enumerate(csv.reader(lines), start=1)
        ]
    except csv.Error as error:  # e.g. a quoted cell running off the end, in strict dialects
        raise ImportFileError(file, None, f"not a CSV file: {error}") from None
    rows = [(number, cells[:-1] if cells and not cells[-1] else cells) for number, cells in rows]
    rows = [(number, cells) for number, cells in rows if any(cells)]
    if not rows:
        raise ImportFileError(file, 1, "empty file: expected a header line and a line of rates")
    header_line, header = rows[0]
    if header_line != 1:
        raise ImportFileError(file, 1, "empty line: expected the header line")
    codes = _header(header, problems)
    problems.raise_any()  # the data line means nothing under a wrong header
    data = rows[1:]
    if not data:
        problems.add(1, "no line of rates after the header")
    elif len(data) > 1:
        problems.add(data[1][0], "more than one line of rates: expected the daily file")
    problems.raise_any()
    line, cells = data[0]
    as_of = _date(cells[0])
    if as_of is None:
        problems.add(line, f"not a date like '27 November 2026': {cells[0][:40]!r}")
    elif (future := future_date_problem(as_of)) is not None:
        problems.add(line, future)
    if len(cells) - 1 != len(codes):
        problems.add(line, f"{len(cells) - 1} rate(s) for {len(codes)} currencies in the header")
    rates: dict[str, Decimal] = {}
    suspended: list[str] = []
    for code, cell in zip(codes, cells[1:], strict=False):
        if cell.upper() == SUSPENDED:
            suspended.append(code)
            continue
        parsed = parse_rate(cell)
        if isinstance(parsed, str):
            problems.add(line, f"{code}: {parsed}")
        else:
            rates[code] = parsed
    problems.raise_any()
    assert as_of is not None  # reported above otherwise
    if not rates:
        raise ImportFileError(file, line, "no currency has a rate (all N/A)")
    return ReferenceRates(as_of=as_of, per_euro=rates, suspended=suspended)
