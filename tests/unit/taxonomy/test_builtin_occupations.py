"""The built-in occupations (taxonomy/data/tessera_occupations.csv): the file's content rules,
its parser's checks, and loading it beside the built-in skills, alone and after ESCO."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from taxonomy_files import ESCO, OCCUPATION, SKILL, tiny_esco, write_csv

from tessera.errors import ImportFileError
from tessera.taxonomy import services
from tessera.taxonomy.importers import BUILTIN_FILE, BUILTIN_OCCUPATIONS
from tessera.taxonomy.models import Occupation, OccupationSkill, Skill
from tessera.taxonomy.parsers import parse_builtin_occupations

OCCUPATIONS_FILE = BUILTIN_FILE.with_name(BUILTIN_OCCUPATIONS)
HEADER = [
    "uri", "label", "field", "group_code", "alt_labels", "description", "essential", "optional",
]
FIELDS = {"technology", "healthcare", "business_management", "education", "creative"}
OCCUPATION_URI = re.compile(
    r"^(http://data\.europa\.eu/esco/occupation/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}"
    r"|https://tessera\.eu/occupations/[a-z0-9]+(-[a-z0-9]+)*)$"
)
SKILL_HEADER = ["uri", "label", "field", "skill_type", "alt_labels", "description"]
DOCKER = "https://tessera.eu/skills/docker"


def rows() -> list[dict[str, str]]:
    with OCCUPATIONS_FILE.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def skills_file() -> dict[str, dict[str, str]]:
    with BUILTIN_FILE.open(encoding="utf-8", newline="") as stream:
        return {row["uri"]: row for row in csv.DictReader(stream)}


def split(value: str) -> list[str]:
    return value.split("|") if value else []


# ------------------------------------------------------------------ the shipped file


def test_file_is_well_formed() -> None:
    with OCCUPATIONS_FILE.open(encoding="utf-8", newline="") as stream:
        assert next(csv.reader(stream)) == HEADER
    occupations = rows()
    assert 20 <= len(occupations) <= 25
    for row in occupations:
        label = row["label"]
        assert OCCUPATION_URI.match(row["uri"]), label
        assert row["field"] in FIELDS, label
        assert row["description"].endswith("."), label
        assert all(alt.strip() == alt and alt for alt in split(row["alt_labels"])), label
        # Optional, but where given an ISCO-08 unit group (four digits).
        assert re.fullmatch(r"(\d{4})?", row["group_code"]), label
        essential, optional = split(row["essential"]), split(row["optional"])
        assert 6 <= len(essential) <= 14, label
        assert 3 <= len(optional) <= 8, label
        assert len(set(essential + optional)) == len(essential + optional), label
    # The parser (what the loader runs) agrees.
    records, relations = parse_builtin_occupations(OCCUPATIONS_FILE, set(skills_file()))
    assert len(records) == len(occupations)
    assert len(relations) == sum(
        len(split(r["essential"])) + len(split(r["optional"])) for r in occupations
    )


def test_every_skill_is_a_builtin_skill() -> None:
    skills = skills_file()
    for row in rows():
        for uri in split(row["essential"]) + split(row["optional"]):
            assert uri in skills, f"{row['label']}: {uri}"


def test_labels_are_unique_and_alt_labels_do_not_name_another_occupation() -> None:
    occupations = rows()
    labels = [row["label"].casefold() for row in occupations]
    assert len(set(labels)) == len(labels)
    for row in occupations:
        others = set(labels) - {row["label"].casefold()}
        assert not {alt.casefold() for alt in split(row["alt_labels"])} & others, row["label"]


def test_each_field_has_at_least_four_occupations() -> None:
    counts = Counter(row["field"] for row in rows())
    assert set(counts) == FIELDS
    assert min(counts.values()) >= 4, counts


def test_occupations_lean_on_skills_of_their_own_field() -> None:
    """A content check: at least half the essential skills of a role are of its own field
    (a data analyst also needs business skills such as KPI tracking)."""
    skills = skills_file()
    for row in rows():
        essential = split(row["essential"])
        own = sum(skills[uri]["field"] == row["field"] for uri in essential)
        assert own * 2 >= len(essential), row["label"]


def test_esco_uris_and_group_codes_match_the_official_export() -> None:
    official = ESCO / "occupations_en.csv"
    if not official.exists():
        pytest.skip(f"ESCO test data not found at {official} (../shared/taxonomies is absent)")
    with official.open(encoding="utf-8", newline="") as stream:
        groups = {row["conceptUri"]: row["iscoGroup"] for row in csv.DictReader(stream)}
    esco = [row for row in rows() if row["uri"].startswith(OCCUPATION)]
    assert len(esco) >= 10
    for row in esco:
        assert row["uri"] in groups, row["label"]
        assert row["group_code"] == groups[row["uri"]], row["label"]


# ------------------------------------------------------------------ loading


def test_load_is_idempotent(db: Session) -> None:
    occupations = rows()
    links = sum(len(split(r["essential"])) + len(split(r["optional"])) for r in occupations)
    first = services.load_builtin_taxonomy(db)
    assert first.occupations.created == len(occupations)
    assert first.relations.created == links
    assert f"occupations: {len(occupations)} created" in str(first)

    second = services.load_builtin_taxonomy(db)
    assert not second.changed, str(second)
    assert (second.created, second.updated) == (0, 0)  # the skills, as callers read them
    assert (second.occupations.created, second.occupations.updated) == (0, 0)
    assert second.occupations.unchanged == len(occupations)
    assert second.relations.unchanged == links
    assert db.scalar(select(func.count()).select_from(Occupation)) == len(occupations)
    assert db.scalar(select(func.count()).select_from(OccupationSkill)) == links
    tessera = next(f for f in services.list_frameworks(db) if f.slug == "tessera")
    assert tessera.occupations == len(occupations)


def test_get_occupation_has_its_essential_and_optional_skills(db: Session) -> None:
    services.load_builtin_taxonomy(db)
    for row in rows():
        occupation = services.get_occupation(db, row["uri"])
        assert (occupation.label, occupation.framework) == (row["label"], "tessera")
        assert occupation.group_code == (row["group_code"] or None)
        assert occupation.alt_labels == split(row["alt_labels"])
        assert {s.uri for s in occupation.essential_skills} == set(split(row["essential"]))
        assert {s.uri for s in occupation.optional_skills} == set(split(row["optional"]))
        assert all(s.importance is None for s in occupation.essential_skills)


def test_search_finds_occupations_by_label_and_alternative_label(db: Session) -> None:
    services.load_builtin_taxonomy(db)
    found, total = services.search_occupations(db, "data analyst")
    labels = [o.label for o in found]
    assert labels[0] == "data analyst"
    assert "healthcare data analyst" in labels
    assert total == len(found)
    analyst = services.get_occupation(db, found[0].id)
    skills = {s.label for s in analyst.essential_skills}
    assert {"SQL", "Statistical analysis", "Data visualisation tools"} <= skills
    assert analyst.optional_skills

    (nurse,), _ = services.search_occupations(db, "nurse responsible for general care")
    assert nurse.label == "registered nurse"
    (security, *_), _ = services.search_occupations(db, "SOC analyst")
    assert security.label == "cybersecurity analyst"
    _, tessera_total = services.search_occupations(db, "", framework="tessera")
    assert tessera_total == len(rows())


# ------------------------------------------------------------------ parser checks and ESCO


def write_builtin(directory: Path, occupations: list[list[str]]) -> Path:
    """A skills file and an occupations file beside it; the skills file's path."""
    directory.mkdir(exist_ok=True)
    write_csv(directory / BUILTIN_OCCUPATIONS, HEADER, occupations)
    return write_csv(directory / "tessera_skills.csv", SKILL_HEADER, [
        [SKILL + "1", "Python programming", "technology", "knowledge", "", ""],
        [SKILL + "2", "SQL", "technology", "knowledge", "", ""],
        [DOCKER, "Docker", "technology", "skill/competence", "", ""],
    ])


def occupation(uri: str, label: str, essential: str, optional: str = "", group: str = "") -> (
    list[str]
):
    return [uri, label, "technology", group, "", "A role.", essential, optional]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (occupation("https://tessera.eu/occupations/x", "x", SKILL + "9"),
         r"line 2: essential: not a built-in skill: .*/skill/9"),
        (occupation("https://tessera.eu/occupations/x", "x", SKILL + "1", SKILL + "1"),
         "line 2: skill both essential and optional"),
        (occupation("https://tessera.eu/occupations/x", "x", f"{SKILL}1|{SKILL}1"),
         "line 2: essential: skill listed twice"),
        (occupation("https://tessera.eu/occupations/x", "x", "", SKILL + "1"),
         "line 2: essential lists no skills"),
        (occupation("https://tessera.eu/occupations/x", "x", SKILL + "1", group="25x1"),
         "line 2: group_code is not an ISCO-08 code"),
        (occupation("not a uri", "x", SKILL + "1"), "line 2: uri is not an http"),
    ],
)
def test_bad_occupation_rows_are_refused_and_change_nothing(
    db: Session, tmp_path: Path, row: list[str], message: str
) -> None:
    path = write_builtin(tmp_path, [row])
    with pytest.raises(ImportFileError, match=message):
        services.load_builtin_taxonomy(db, path)
    # Both files are checked before anything is written: not even the skills are.
    assert db.scalar(select(func.count()).select_from(Skill)) == 0


def test_duplicate_labels_are_refused(tmp_path: Path) -> None:
    path = write_builtin(tmp_path, [
        occupation("https://tessera.eu/occupations/a", "Data analyst", SKILL + "1"),
        occupation("https://tessera.eu/occupations/b", "data analyst", SKILL + "2"),
    ])
    with pytest.raises(ImportFileError, match="line 3: duplicate occupation label"):
        parse_builtin_occupations(path.with_name(BUILTIN_OCCUPATIONS), {SKILL + "1", SKILL + "2"})


def test_skills_file_alone_loads_no_occupations(db: Session, tmp_path: Path) -> None:
    path = write_builtin(tmp_path, [])
    path.with_name(BUILTIN_OCCUPATIONS).unlink()
    summary = services.load_builtin_taxonomy(db, path)
    assert (summary.created, summary.occupations.created) == (3, 0)


def test_esco_keeps_its_occupations_and_their_skills(db: Session, tmp_path: Path) -> None:
    """An ESCO occupation imported over a built-in one takes it over with ESCO's skills; a
    later built-in load neither takes it back nor puts its own skills back."""
    devops = "https://tessera.eu/occupations/devops-engineer"
    path = write_builtin(tmp_path / "builtin", [
        occupation(OCCUPATION + "1", "data scientist", f"{SKILL}1|{DOCKER}", SKILL + "2", "2511"),
        occupation(devops, "DevOps engineer", f"{DOCKER}|{SKILL}1"),
    ])
    first = services.load_builtin_taxonomy(db, path)
    assert (first.occupations.created, first.relations.created) == (2, 5)
    ours = services.get_occupation(db, OCCUPATION + "1")
    assert (ours.framework, len(ours.essential_skills)) == ("tessera", 2)

    services.import_esco(db, tiny_esco(tmp_path / "esco"))
    again = services.load_builtin_taxonomy(db, path)
    assert not again.changed, str(again)
    assert again.relations.unchanged == 2  # only the DevOps engineer's are still ours
    theirs = services.get_occupation(db, OCCUPATION + "1")
    assert theirs.framework == "esco"
    assert [s.uri for s in theirs.essential_skills] == [SKILL + "1"]
    assert [s.uri for s in theirs.optional_skills] == [SKILL + "2"]
    # Our occupation keeps its link to a skill that ESCO now holds.
    kept = services.get_occupation(db, devops)
    assert {s.framework for s in kept.essential_skills} == {"esco", "tessera"}
