"""The team skill-coverage heat map: server-side SVG, pure string building.

Rows are the role's skills, columns the consenting members (names are short; skill labels
are long and read best horizontally), plus a last "team" column whose shade grows with the
share of members holding the skill. Every cell carries a glyph as well as a colour (for
colour-blind readers) and a <title> saying what it means. No JavaScript, every text escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final
from xml.sax.saxutils import escape

from tessera.employers.schemas import CellState, TeamReportOut

_CELL: Final = 26
_LABEL_WIDTH: Final = 250
_HEADER: Final = 110
_LEGEND: Final = 34
_LEGEND_STEP: Final = 135
STYLES: Final[dict[CellState, tuple[str, str, str, str]]] = {
    # state: (fill, glyph, legend, meaning in a cell's title)
    "held": ("#1b7f5a", "\u2713", "holds it", "holds it (verified credential)"),
    "planned": ("#1f5fa8", "P", "in their plan", "their plan covers it"),
    "unplanned": ("#b35c00", "!", "not in their plan", "their plan does not cover it"),
    "untaught": (
        "#b0245c",
        "\u00d7",
        "nobody teaches it",
        "no published microcredential teaches it",
    ),
}
# Characters XML 1.0 forbids (control characters): dropped, or the SVG would not parse.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Skill:
    label: str
    essential: bool


@dataclass(frozen=True)
class Cell:
    state: CellState
    detail: str = ""  # e.g. the microcredential that covers it


@dataclass(frozen=True)
class Member:
    name: str
    cells: Sequence[Cell]  # one per skill, in the skills' order


def _text(value: str, limit: int | None = None) -> str:
    clean = _NOT_XML.sub("", value)
    if limit is not None and len(clean) > limit:
        clean = clean[: limit - 1] + "\u2026"
    return escape(clean)


def heatmap_svg(skills: Sequence[Skill], members: Sequence[Member]) -> str:
    """The heat map; an empty team gives a chart with the skills and a note."""
    team_x = _LABEL_WIDTH + len(members) * _CELL
    width = max(team_x + _CELL * 2 + 10, _LEGEND_STEP * len(STYLES))
    height = _HEADER + _CELL * len(skills) + _LEGEND + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart heatmap" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>Team skill coverage: {len(members)} members, {len(skills)} skills</title>",
    ]
    for column, member in enumerate(members):
        x = _LABEL_WIDTH + column * _CELL + _CELL / 2
        parts.append(
            f'<text x="{x:.0f}" y="{_HEADER - 6}" font-size="11" '
            f'transform="rotate(-45 {x:.0f} {_HEADER - 6})">{_text(member.name, 18)}'
            f"<title>{_text(member.name)}</title></text>"
        )
    parts.append(
        f'<text x="{team_x + _CELL:.0f}" y="{_HEADER - 6}" font-size="11" '
        f'text-anchor="middle">team</text>'
    )
    for row, skill in enumerate(skills):
        y = _HEADER + row * _CELL
        name = skill.label + ("" if skill.essential else " (nice to have)")
        style = "" if skill.essential else ' font-style="italic"'
        parts.append(
            f'<text x="0" y="{y + 17}" font-size="12"{style}>{_text(name, 36)}'
            f"<title>{_text(name)}</title></text>"
        )
        for column, member in enumerate(members):
            parts.append(_cell(_LABEL_WIDTH + column * _CELL, y, member, skill, row))
        parts.append(_team_cell(team_x, y, skill, members, row))
    if not members:
        parts.append(
            f'<text x="{_LABEL_WIDTH}" y="{_HEADER - 30}" font-size="12" fill="#555">'
            "No consenting member yet</text>"
        )
    parts.append(_legend(height - _LEGEND))
    parts.append("</svg>")
    return "".join(parts)


def _cell(x: int, y: int, member: Member, skill: Skill, row: int) -> str:
    cell = member.cells[row] if row < len(member.cells) else Cell("untaught")
    fill, glyph, _label, meaning = STYLES[cell.state]
    tip = f"{member.name}: {skill.label} \u2014 {meaning}"
    if cell.detail:
        tip += f" ({cell.detail})"
    return (
        f'<g class="cell {cell.state}"><title>{_text(tip)}</title>'
        f'<rect x="{x + 2}" y="{y + 2}" width="{_CELL - 4}" height="{_CELL - 4}" rx="3" '
        f'fill="{fill}"/>'
        f'<text x="{x + _CELL / 2:.0f}" y="{y + 17}" font-size="12" fill="#fff" '
        f'text-anchor="middle">{glyph}</text></g>'
    )


def _team_cell(x: int, y: int, skill: Skill, members: Sequence[Member], row: int) -> str:
    holding = sum(1 for m in members if row < len(m.cells) and m.cells[row].state == "held")
    share = holding / len(members) if members else 0.0
    tip = f"{skill.label}: {holding} of {len(members)} members hold it"
    return (
        f"<g><title>{_text(tip)}</title>"
        f'<rect x="{x + 2}" y="{y + 2}" width="{_CELL * 2 - 4}" height="{_CELL - 4}" rx="3" '
        f'fill="#1b7f5a" fill-opacity="{0.1 + 0.9 * share:.2f}" stroke="#1b7f5a"/>'
        f'<text x="{x + _CELL:.0f}" y="{y + 17}" font-size="11" text-anchor="middle" '
        f'fill="{"#fff" if share > 0.5 else "#111"}">{holding}/{len(members)}</text></g>'
    )


def _legend(y: int) -> str:
    parts = []
    x = 0
    for state, (fill, glyph, legend, _meaning) in STYLES.items():
        parts.append(
            f'<g class="legend {state}"><rect x="{x}" y="{y + 8}" width="18" height="18" rx="3" '
            f'fill="{fill}"/><text x="{x + 9}" y="{y + 22}" font-size="12" fill="#fff" '
            f'text-anchor="middle">{glyph}</text>'
            f'<text x="{x + 24}" y="{y + 22}" font-size="11">{_text(legend)}</text></g>'
        )
        x += _LEGEND_STEP
    return "".join(parts)


def report_heatmap(report: TeamReportOut) -> str:
    """The heat map of a team report."""
    skills = [Skill(s.label, s.essential) for s in report.role_profile.skills]
    members = [
        Member(
            member.name,
            [Cell(c.state, c.microcredential or "") for c in member.cells],
        )
        for member in report.members
    ]
    return heatmap_svg(skills, members)
