"""Server-side SVG charts of a plan: a week-by-week timeline and a skill coverage grid.

Pure string building (no plotting library): the charts are small, must render without
JavaScript, and every text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final
from xml.sax.saxutils import escape, quoteattr

from tessera.planner.schemas import PlanOut, PlanResultOut, SkillOut

_ROW: Final = 28
_LABEL_WIDTH: Final = 260
_CHART_WIDTH: Final = 520
_PALETTE: Final = ("#1f5fa8", "#1b7f5a", "#8a4b08", "#6b3fa0", "#b0245c", "#4a5560")


def _short(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def timeline_svg(plan: PlanOut) -> str:
    """One bar per microcredential from its start week to its end week."""
    weeks = max(plan.weeks, 1)
    scale = _CHART_WIDTH / weeks
    height = _ROW * (len(plan.items) + 1) + 10
    width = _LABEL_WIDTH + _CHART_WIDTH + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>Timeline: {len(plan.items)} microcredentials over {weeks} weeks</title>",
    ]
    step = max(1, weeks // 10)
    for week in range(1, weeks + 1, step):
        x = _LABEL_WIDTH + (week - 1) * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 18}" stroke="#ddd"/>'
            f'<text x="{x + 2:.1f}" y="{height - 4}" font-size="11" fill="#555">w{week}</text>'
        )
    for row, item in enumerate(plan.items):
        y = row * _ROW + 4
        x = _LABEL_WIDTH + (item.start_week - 1) * scale
        bar = (item.end_week - item.start_week + 1) * scale
        colour = _PALETTE[row % len(_PALETTE)]
        tip = f"{item.title}: weeks {item.start_week}\u2013{item.end_week}, {item.hours} h"
        parts.append(
            f'<g><title>{escape(tip)}</title>'
            f'<text x="0" y="{y + 17}" font-size="12">{escape(_short(item.title))}</text>'
            f'<rect x="{x:.1f}" y="{y + 4}" width="{bar:.1f}" height="{_ROW - 10}" rx="3" '
            f'fill="{colour}"/></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def result_charts(result: PlanResultOut) -> dict[str, str | None]:
    """The charts of a planning result: the timeline of the plan shown (the plan, or the best
    partial one; None without items) and the coverage of the target's skills."""
    shown = result.plan or result.partial
    return {
        "timeline": timeline_svg(shown) if shown is not None and shown.items else None,
        "coverage": coverage_svg(
            result.target.skills, shown, [s.uri for s in result.already_held],
            declared=[s.uri for s in result.already_declared],
        ),
    }  # fmt: skip


def coverage_svg(
    skills: Sequence[SkillOut], plan: PlanOut | None, held: Sequence[str],
    declared: Sequence[str] = (),
) -> str:  # fmt: skip
    """Rows: the target's skills; columns: the plan's microcredentials; a filled cell where
    one covers the skill, a ring where the learner already holds it (dashed where they only
    declared it)."""
    items = plan.items if plan is not None else []
    cell = 22
    held_set = set(held)
    declared_set = set(declared)
    width = _LABEL_WIDTH + cell * (len(items) + 1) + 10
    height = cell * (len(skills) + 1) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart coverage" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>Coverage of {len(skills)} target skills by the plan</title>",
    ]
    for column, item in enumerate(items):
        x = _LABEL_WIDTH + column * cell + cell / 2
        parts.append(
            f'<text x="{x:.0f}" y="14" font-size="11" text-anchor="middle">{column + 1}'
            f"<title>{escape(item.title)}</title></text>"
        )
    held_x = _LABEL_WIDTH + len(items) * cell + cell / 2
    parts.append(f'<text x="{held_x:.0f}" y="14" font-size="11" text-anchor="middle">held</text>')
    for row, skill in enumerate(skills):
        y = (row + 1) * cell
        name = skill.label + ("" if skill.essential else " (nice to have)")
        parts.append(
            f'<text x="0" y="{y + 15}" font-size="12"'
            f'{" font-style=" + quoteattr("italic") if not skill.essential else ""}>'
            f"{escape(_short(name))}</text>"
        )
        for column, item in enumerate(items):
            if any(covered.uri == skill.uri for covered in item.covers):
                x = _LABEL_WIDTH + column * cell
                parts.append(
                    f'<rect x="{x + 3}" y="{y + 3}" width="{cell - 6}" height="{cell - 6}" '
                    f'fill="{_PALETTE[column % len(_PALETTE)]}"><title>'
                    f"{escape(item.title)} covers {escape(skill.label)}</title></rect>"
                )
        if skill.uri in held_set:
            only_declared = skill.uri in declared_set
            dashes = ' stroke-dasharray="3 2"' if only_declared else ""
            verb = "declared" if only_declared else "hold"
            parts.append(
                f'<circle cx="{held_x:.0f}" cy="{y + cell / 2}" r="7" fill="none" '
                f'stroke="#1b7f5a" stroke-width="3"{dashes}><title>You {verb} '
                f"{escape(skill.label)}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)
