"""The team report as CSV: one row per member and skill of the role.

Cells that a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage
return that some spreadsheets skip before one) get a leading apostrophe: names and emails
are typed by other people, and a CSV opened in Excel must not execute them (OWASP "CSV
injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from tessera.employers.schemas import TeamReportOut

HEADER = (
    "member", "email", "skill", "skill_uri", "essential", "held", "state",
    "planned_microcredential", "price", "currency",
)  # fmt: skip
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: str) -> str:
    """The value, made inert for spreadsheets."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _row(values: Sequence[object]) -> list[str]:
    return [defuse("" if value is None else str(value)) for value in values]


def team_report_csv(report: TeamReportOut) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    currency = report.totals.currency
    skills = report.role_profile.skills
    for member in report.members:
        for skill, cell in zip(skills, member.cells, strict=True):
            planned = cell.state == "planned"
            writer.writerow(
                _row((
                    member.name, member.email, skill.label, skill.uri,
                    "yes" if skill.essential else "no",
                    "yes" if cell.state == "held" else "no",
                    cell.state,
                    cell.microcredential if planned else "",
                    cell.price if planned else "",
                    currency if planned else "",
                ))
            )  # fmt: skip
    return buffer.getvalue()
