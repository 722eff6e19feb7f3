"""The team report as CSV: one row per member and skill, inert in spreadsheets."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tessera.employers.export import HEADER, defuse, team_report_csv
from tessera.employers.schemas import (
    MemberGapOut,
    RoleProfilePublic,
    RoleSkillOut,
    SkillCellOut,
    TeamReportOut,
    TeamTotalsOut,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+33 6 12", "'+33 6 12"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("Ana", "Ana"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_starts_are_defused(value: str, expected: str) -> None:
    assert defuse(value) == expected


def _report(name: str, email: str) -> TeamReportOut:
    skills = [
        RoleSkillOut(uri="https://t.test/python", label='Python, "advanced"', essential=True),
        RoleSkillOut(uri="https://t.test/sql", label="SQL", essential=False),
    ]
    profile = RoleProfilePublic(
        id=1, organisation="kestrel", name="Analyst", description=None, min_eqf_level=None,
        created_at=datetime(2026, 1, 1, tzinfo=UTC), skills=skills,
    )  # fmt: skip
    member = MemberGapOut(
        member_id=1, name=name, email=email, held=[], gap=[], plan=None, explanation=None,
        cells=[
            SkillCellOut(uri=skills[0].uri, state="held"),
            SkillCellOut(uri=skills[1].uri, state="planned", microcredential_id=7,
                         microcredential="=SQL\nbasics", price=Decimal("99.50")),
        ],
    )  # fmt: skip
    totals = TeamTotalsOut(
        members=1, price=Decimal("99.50"), currency="EUR", hours=10, weeks=1, essential_missing=0
    )
    return TeamReportOut(
        role_profile=profile, members=[member], coverage=[], totals=totals, budget=None,
        weekly_hours=10,
    )  # fmt: skip


def test_one_row_per_member_and_skill_round_trips() -> None:
    text = team_report_csv(_report('@Ana, "the boss"', "-ana@example.org"))
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == HEADER
    assert rows[1:] == [
        ["'@Ana, \"the boss\"", "'-ana@example.org", "Python, \"advanced\"",
         "https://t.test/python", "yes", "yes", "held", "", "", ""],
        ["'@Ana, \"the boss\"", "'-ana@example.org", "SQL", "https://t.test/sql", "no", "no",
         "planned", "'=SQL\nbasics", "99.50", "EUR"],
    ]  # fmt: skip


def test_an_empty_team_is_a_header_only() -> None:
    report = _report("Ana", "ana@example.org")
    report.members = []
    assert team_report_csv(report) == ",".join(HEADER) + "\r\n"
