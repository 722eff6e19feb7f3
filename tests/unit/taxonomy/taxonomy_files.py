"""Taxonomy test data: official-format ESCO and O*NET directories built from ../shared.

The shared ESCO data lacks `skills_en.csv` and `occupationSkillRelations_en.csv`; they are
rebuilt here from the derived relations file (see ../shared/taxonomies/SOURCES.md) into a
temporary directory, beside links to the official files that are there. Nothing is copied
into the project. Tests needing the data skip, saying why, where ../shared is absent.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[4] / "shared"
ESCO = SHARED / "taxonomies" / "esco-1.2.0"
ONET = SHARED / "taxonomies" / "onet-29.2"
DERIVED = "esco_1.2.0_occupation_skill_relations_derived.csv.gz"
SAMPLE = "SAMPLE_esco_occupation_skills_3_occupations.csv"

SKILL_HEADER = (
    "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,hiddenLabels,"
    "status,modifiedDate,scopeNote,definition,inScheme,description"
).split(",")
RELATION_HEADER = ["occupationUri", "relationType", "skillType", "skillUri"]
LINKED = ("ISCOGroups_en.csv", "broaderRelationsSkillPillar_en.csv", "skillGroups_en.csv")

EscoBuilder = Callable[..., Path]
OnetBuilder = Callable[..., Path]


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"taxonomy test data not found at {path} (../shared/taxonomies is absent)")
    return path


def _derived_rows(source: Path, limit: int | None) -> list[dict[str, str]]:
    opener = gzip.open if source.suffix == ".gz" else open
    with opener(source, "rt", encoding="utf-8", newline="") as stream:
        rows = []
        for index, row in enumerate(csv.DictReader(stream)):
            if limit is not None and index >= limit:
                break
            rows.append(row)
    return rows


def build_esco_dir(
    target: Path, *, sample: bool = False, limit: int | None = None, hierarchy: bool = True
) -> Path:
    """An official-format ESCO export in `target`: skills and relations rebuilt from the
    derived file (or the 3-occupation sample), occupations filtered to those related, and
    links to the other official files."""
    source = _need(ESCO / (SAMPLE if sample else DERIVED))
    rows = [r for r in _derived_rows(source, limit) if r["skill_uri"]]  # 13 are unresolved
    target.mkdir(parents=True, exist_ok=True)
    skills: dict[str, str] = {}
    for row in rows:
        skills.setdefault(row["skill_uri"], row["skill_label"])
    with (target / "skills_en.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(SKILL_HEADER)
        for uri, label in skills.items():
            writer.writerow(
                ["KnowledgeSkillCompetence", uri, "skill/competence", "", label, "", "",
                 "released", "", "", "", "", ""]
            )
    with (target / "occupationSkillRelations_en.csv").open(
        "w", encoding="utf-8", newline=""
    ) as stream:
        writer = csv.writer(stream)
        writer.writerow(RELATION_HEADER)
        for row in rows:
            writer.writerow([row["occupation_uri"], row["relation_type"], "", row["skill_uri"]])
    wanted = {row["occupation_uri"] for row in rows}
    everything = limit is None and not sample
    with (ESCO / "occupations_en.csv").open(encoding="utf-8", newline="") as source_stream, (
        target / "occupations_en.csv"
    ).open("w", encoding="utf-8", newline="") as stream:
        reader, writer = csv.reader(source_stream), csv.writer(stream)
        writer.writerow(next(reader))
        writer.writerows(r for r in reader if everything or r[1] in wanted)
    for name in LINKED if hierarchy else LINKED[:1]:
        (target / name).symlink_to(ESCO / name)
    return target


def build_onet_dir(target: Path, occupations: int | None = None) -> Path:
    """O*NET files in `target`: the real workbook and, for the first `occupations` codes
    only (all when None), the Skills and Technology Skills rows, gzipped CSV as shared."""
    target.mkdir(parents=True, exist_ok=True)
    (target / "Occupation_Data.xlsx").symlink_to(_need(ONET / "Occupation_Data.xlsx"))
    for name in ("Skills.csv.gz", "Technology_Skills.csv.gz"):
        source = _need(ONET / name)
        if occupations is None:
            (target / name).symlink_to(source)
            continue
        with gzip.open(source, "rt", encoding="utf-8", newline="") as stream, gzip.open(
            target / name, "wt", encoding="utf-8", newline=""
        ) as out:
            reader, writer = csv.reader(stream), csv.writer(out)
            writer.writerow(next(reader))
            codes: list[str] = []
            for row in reader:
                if row[0] not in codes:
                    if len(codes) == occupations:
                        break
                    codes.append(row[0])
                writer.writerow(row)
    return target


SKILL = "http://data.europa.eu/esco/skill/"
OCCUPATION = "http://data.europa.eu/esco/occupation/"


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def skill_row(uri: str, label: str, alt: str = "") -> list[str]:
    return ["KnowledgeSkillCompetence", uri, "knowledge", "", label, alt, "", "released",
            "", "", "", "", "A description."]


def tiny_esco(directory: Path) -> Path:
    """Two skills, one occupation, two relations: the smallest complete export."""
    directory.mkdir()
    write_csv(directory / "skills_en.csv", SKILL_HEADER, [
        skill_row(SKILL + "1", "Python (computer programming)", "Python\npython coding\n"),
        skill_row(SKILL + "2", "SQL"),
    ])
    write_csv(
        directory / "occupations_en.csv",
        ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels",
         "description", "code"],
        [["Occupation", OCCUPATION + "1", "2511", "data scientist", "data analyst",
          "Finds things in data.", "2511.4"]],
    )
    write_csv(directory / "occupationSkillRelations_en.csv", RELATION_HEADER, [
        [OCCUPATION + "1", "essential", "knowledge", SKILL + "1"],
        [OCCUPATION + "1", "optional", "knowledge", SKILL + "2"],
    ])
    return directory
