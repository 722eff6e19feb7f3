"""Importers against the test database: counts, idempotency, change detection, and a bad file
changing nothing."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from taxonomy_files import (
    OCCUPATION,
    SKILL,
    SKILL_HEADER,
    EscoBuilder,
    OnetBuilder,
    skill_row,
    tiny_esco,
    write_csv,
)

from tessera.errors import ImportFileError, InvalidInput
from tessera.taxonomy import services
from tessera.taxonomy.importers import BUILTIN_FILE
from tessera.taxonomy.models import (
    Occupation,
    OccupationGroup,
    OccupationSkill,
    Relation,
    Skill,
    SkillBroader,
    SkillFramework,
)

TABLES = (SkillFramework, OccupationGroup, Skill, SkillBroader, Occupation, OccupationSkill)


def snapshot(db: Session) -> dict[str, object]:
    """Row counts of every taxonomy table, and every label and relation: equal snapshots mean
    nothing observable changed."""
    counts = {t.__tablename__: db.scalar(select(func.count()).select_from(t)) for t in TABLES}
    labels = sorted(db.execute(select(Skill.uri, Skill.label, Skill.framework_id)))
    links = sorted(
        db.execute(
            select(OccupationSkill.occupation_id, OccupationSkill.skill_id, OccupationSkill.relation)
        )
    )
    return {"counts": counts, "labels": labels, "links": links}


def test_esco_subset_import_then_reimport_changes_nothing(
    db: Session, esco_dir: EscoBuilder
) -> None:
    directory = esco_dir(limit=3_000)
    first = services.import_esco(db, directory)
    skills, occupations = first.counts["skills"], first.counts["occupations"]
    assert first.counts["frameworks"].created == 1
    assert skills.created > 1_000
    assert skills.updated == 0
    assert 30 < occupations.created < 100
    with (directory / "occupationSkillRelations_en.csv").open(encoding="utf-8") as stream:
        pairs = {(row["occupationUri"], row["skillUri"]) for row in csv.DictReader(stream)}
    assert first.counts["relations"].created == len(pairs) > 2_900
    assert first.counts["groups"].created == 619
    assert first.counts["hierarchy"].created > 1_000
    before = snapshot(db)

    second = services.import_esco(db, directory)
    assert not second.changed, str(second)
    assert second.counts["relations"].unchanged == first.counts["relations"].created
    assert snapshot(db) == before


def test_changes_are_found_and_written(db: Session, tmp_path: Path) -> None:
    directory = tiny_esco(tmp_path / "esco")
    services.import_esco(db, directory)
    write_csv(directory / "skills_en.csv", SKILL_HEADER, [
        skill_row(SKILL + "1", "Python (computer programming)", "Python\npython coding"),
        skill_row(SKILL + "2", "Structured Query Language"),
        skill_row(SKILL + "3", "statistics"),
    ])
    write_csv(
        directory / "occupationSkillRelations_en.csv",
        ["occupationUri", "relationType", "skillType", "skillUri"],
        [[OCCUPATION + "1", "essential", "", SKILL + "2"],
         [OCCUPATION + "1", "optional", "", SKILL + "3"]],
    )
    summary = services.import_esco(db, directory, version="1.2.1")
    assert summary.counts["frameworks"].updated == 1  # the version
    skills = summary.counts["skills"]
    assert (skills.created, skills.updated, skills.unchanged) == (1, 1, 1)
    relations = summary.counts["relations"]
    assert (relations.created, relations.updated, relations.removed) == (1, 1, 1)
    occupation = services.get_occupation(db, OCCUPATION + "1")
    assert [s.label for s in occupation.essential_skills] == ["Structured Query Language"]
    assert [s.label for s in occupation.optional_skills] == ["statistics"]
    assert services.get_skill(db, SKILL + "2").label == "Structured Query Language"


def test_malformed_file_leaves_the_database_unchanged(db: Session, tmp_path: Path) -> None:
    directory = tiny_esco(tmp_path / "esco")
    services.import_esco(db, directory)
    before = snapshot(db)
    # A new label early in one file, a bad line late in another: nothing may be written.
    with (directory / "skills_en.csv").open("a", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerow(skill_row(SKILL + "3", "statistics"))
    with (directory / "occupationSkillRelations_en.csv").open("a", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerow([OCCUPATION + "1", "essential", "", SKILL + "404"])
    with pytest.raises(ImportFileError) as caught:
        services.import_esco(db, directory)
    assert caught.value.file.endswith("occupationSkillRelations_en.csv")
    assert caught.value.line == 4
    assert snapshot(db) == before


def test_malformed_first_import_creates_nothing(db: Session, tmp_path: Path) -> None:
    directory = tiny_esco(tmp_path / "esco")
    (directory / "occupations_en.csv").write_text("conceptUri;preferredLabel\n", encoding="utf-8")
    before = snapshot(db)
    with pytest.raises(ImportFileError, match=r"occupations_en\.csv, line 1: missing column"):
        services.import_esco(db, directory)
    assert snapshot(db) == before


def test_missing_directory_and_bad_version(db: Session, tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="no such directory"):
        services.import_onet(db, tmp_path / "nowhere")
    with pytest.raises(InvalidInput, match="version must be 1 to 32"):
        services.import_esco(db, tiny_esco(tmp_path / "esco"), version="x" * 33)


BUILTIN_HEADER = ["uri", "label", "field", "skill_type", "alt_labels", "description"]


def test_builtin_skills_give_way_to_esco(db: Session, tmp_path: Path) -> None:
    builtin = write_csv(tmp_path / "tessera_skills.csv", BUILTIN_HEADER, [
        [SKILL + "1", "Python programming", "technology", "knowledge", "Python 3", "Ours."],
        ["https://tessera.eu/skills/docker", "Docker", "technology", "knowledge", "", ""],
    ])
    assert services.load_builtin_taxonomy(db, builtin).created == 2
    assert services.get_skill(db, SKILL + "1").framework == "tessera"
    python_id = db.scalar(select(Skill.id).where(Skill.uri == SKILL + "1"))

    summary = services.import_esco(db, tiny_esco(tmp_path / "esco"))
    assert (summary.counts["skills"].created, summary.counts["skills"].updated) == (1, 1)
    python = services.get_skill(db, SKILL + "1")
    assert (python.framework, python.label) == ("esco", "Python (computer programming)")
    # Same row, so anything already aligned to the skill (microcredentials) stays aligned.
    assert db.scalar(select(Skill.id).where(Skill.uri == SKILL + "1")) == python_id

    # Loading the built-in taxonomy again takes nothing back from ESCO.
    again = services.load_builtin_taxonomy(db, builtin)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert services.get_skill(db, SKILL + "1").label == "Python (computer programming)"
    assert not services.import_esco(db, tmp_path / "esco").changed


def test_builtin_taxonomy_file_loads_idempotently(db: Session) -> None:
    if not BUILTIN_FILE.exists():
        pytest.skip("taxonomy/data/tessera_skills.csv is not written yet")
    first = services.load_builtin_taxonomy(db)
    assert first.created >= 100
    second = services.load_builtin_taxonomy(db)
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)
    assert any(f.slug == "tessera" and f.skills == first.created
               for f in services.list_frameworks(db))


def test_onet_shared_files_import_idempotently(db: Session, onet_dir: OnetBuilder) -> None:
    """The real files, with Skills and Technology Skills cut to their first 150 occupations
    (the whole set is timed by bench/bench_import.py)."""
    directory = onet_dir(occupations=150)
    first = services.import_onet(db, directory)
    assert first.counts["occupations"].created == 1016  # Occupation Data is whole
    assert first.counts["skills"].created > 35 + 1_000
    assert first.counts["relations"].created > 5_000
    second = services.import_onet(db, directory)
    assert not second.changed, str(second)
    dbas = services.get_occupation(db, "https://www.onetonline.org/link/summary/15-1242.00")
    assert (dbas.label, dbas.framework) == ("Database Administrators", "onet")
    assert dbas.group_label == "Computer and Mathematical Occupations"
    essential = [s for s in dbas.essential_skills if s.skill_type == "skill"]
    assert essential
    assert all((s.importance or 0) >= 3.0 for s in essential)
    assert essential == sorted(essential, key=lambda s: -(s.importance or 0))
    relation = db.scalar(select(OccupationSkill.relation).limit(1))
    assert isinstance(relation, Relation)


def test_full_esco_export_imports_within_a_minute(db: Session, esco_dir: EscoBuilder) -> None:
    """All 129k relations: the size the importer is built for (bench/bench_import.py times it)."""
    directory = esco_dir()
    started = time.perf_counter()
    first = services.import_esco(db, directory)
    elapsed = time.perf_counter() - started
    assert first.counts["relations"].created == 128_973  # 129,004 less 13 unresolved, 18 repeats
    assert first.counts["occupations"].created == 3_039
    assert elapsed < 60, f"first import took {elapsed:.1f} s"
    assert not services.import_esco(db, directory).changed
