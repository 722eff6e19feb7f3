"""The team heat map: one cell per member and skill with a title, escaped text, valid XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tessera.employers.heatmap import Cell, Member, Skill, heatmap_svg

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to prove it is well-formed


def _cells(root: ET.Element, state: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == f"cell {state}"]


def test_each_member_and_skill_has_a_cell_with_a_title() -> None:
    skills = [Skill("Python", True), Skill("SQL", True), Skill("Statistics", False)]
    members = [
        Member("Ana", [Cell("held"), Cell("planned", "SQL and statistics"), Cell("unplanned")]),
        Member("Ben", [Cell("planned", "Python basics"), Cell("untaught"), Cell("held")]),
    ]
    root = _parse(heatmap_svg(skills, members))
    assert len(_cells(root, "held")) == 2
    assert len(_cells(root, "planned")) == 2
    assert len(_cells(root, "unplanned")) == 1
    assert len(_cells(root, "untaught")) == 1
    titles = [
        g.findtext(f"{SVG}title") for g in root.iter(f"{SVG}g") if "cell" in (g.get("class") or "")
    ]
    assert "Ana: SQL \u2014 their plan covers it (SQL and statistics)" in titles
    assert "Ben: SQL \u2014 no published microcredential teaches it" in titles
    # The team column counts holders per skill.
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts.count("1/2") == 2  # Python (Ana) and Statistics (Ben)
    assert "0/2" in texts
    assert "Statistics (nice to have)" in texts


def test_text_is_escaped_and_nothing_runs() -> None:
    hostile = '<script>alert("x")</script> & "quotes"\x01'
    svg = heatmap_svg([Skill(hostile, True)], [Member(hostile, [Cell("planned", hostile)])])
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    assert "\x01" not in svg  # XML forbids control characters
    root = _parse(svg)  # well-formed despite the input
    assert root.tag == f"{SVG}svg"
    # No script element and no event-handler attribute anywhere.
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert not [a for e in root.iter() for a in e.attrib if a.lower().startswith("on")]
    assert hostile.replace("\x01", "") in "".join(root.itertext())


def test_an_empty_team_still_draws_the_skills() -> None:
    root = _parse(heatmap_svg([Skill("Python", True)], []))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Python" in texts
    assert "No consenting member yet" in texts
    assert "0/0" in texts


def test_long_names_are_shortened_but_kept_whole_in_the_title() -> None:
    long_name = "Maria Fernanda de Albuquerque e Vasconcelos"
    root = _parse(heatmap_svg([Skill("Python", True)], [Member(long_name, [Cell("held")])]))
    header = next(t for t in root.iter(f"{SVG}text") if t.get("transform"))
    assert (header.text or "").endswith("\u2026")
    assert header.findtext(f"{SVG}title") == long_name
