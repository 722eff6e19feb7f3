"""The ESCO, O*NET and built-in parsers: good files, and each malformed case named by file,
line and problem."""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from pathlib import Path

import pytest
from taxonomy_files import OCCUPATION, SKILL, EscoBuilder, skill_row, tiny_esco, write_csv

from tessera.errors import ImportFileError
from tessera.taxonomy.importers import BUILTIN_FILE
from tessera.taxonomy.parsers import parse_builtin, parse_esco, parse_onet
from tessera.taxonomy.parsers.onet import element_uri, occupation_uri, technology_uri


def esco_error(directory: Path) -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        parse_esco(directory)
    return caught.value


def test_tiny_esco_export_is_parsed(tmp_path: Path) -> None:
    data = parse_esco(tiny_esco(tmp_path / "esco"))
    python = data.skills[0]
    assert (python.uri, python.label, python.skill_type) == (SKILL + "1", "Python (computer programming)", "knowledge")
    assert python.alt_labels == ("Python", "python coding")
    assert python.description == "A description."
    (occupation,) = data.occupations
    assert (occupation.code, occupation.group_code, occupation.alt_labels) == ("2511.4", "2511", ("data analyst",))
    assert [(r.skill_uri, r.relation) for r in data.relations] == [(SKILL + "1", "essential"), (SKILL + "2", "optional")]
    assert data.groups == []
    assert data.broader is None  # no hierarchy file: the stored hierarchy is left alone


def test_sample_export_with_official_files(esco_dir: EscoBuilder) -> None:
    data = parse_esco(esco_dir(sample=True))
    assert len(data.occupations) == 3
    assert len(data.relations) == 229
    assert Counter(r.relation for r in data.relations) == {"essential": 87, "optional": 142}
    assert len(data.groups) == 619  # ISCO-08
    isco = {g.code: g for g in data.groups}
    assert isco["2511"].parent_code == "251"
    assert isco["2"].parent_code is None
    groups = [s for s in data.skills if s.skill_type == "skill group"]
    assert len(groups) == 640
    assert data.broader  # skill -> group links whose two ends were imported
    known = {s.uri for s in data.skills}
    assert all(a in known and b in known for a, b in data.broader)


@pytest.mark.parametrize(
    ("file", "row", "problem"),
    [
        ("skills_en.csv", skill_row("data.europa.eu/esco/skill/3", "x"), "conceptUri is not an http(s) URI"),
        ("skills_en.csv", skill_row(SKILL + "3", ""), "preferredLabel is empty"),
        ("skills_en.csv", skill_row(SKILL + "1", "again"), "duplicate skill"),
        ("skills_en.csv", skill_row(SKILL + "3", "x" * 301), "longer than 300"),
        ("occupationSkillRelations_en.csv", [OCCUPATION + "1", "required", "", SKILL + "1"], "relationType must be essential or optional"),
        ("occupationSkillRelations_en.csv", [OCCUPATION + "1", "essential", "", SKILL + "99"], f"skill {SKILL}99 is not in skills_en"),
        ("occupationSkillRelations_en.csv", [OCCUPATION + "9", "essential", "", SKILL + "1"], "is not in occupations_en"),
        ("occupationSkillRelations_en.csv", [OCCUPATION + "1", "essential", ""], "expected 4 fields, found 3"),
        ("occupationSkillRelations_en.csv", [OCCUPATION + "1", "essential", "", "skill 1"], "skillUri is not an http(s) URI"),
        ("occupationSkillRelations_en.csv", ["", "essential", "", SKILL + "1"], "occupationUri is empty"),
    ],
)
def test_malformed_rows_name_file_line_and_problem(
    tmp_path: Path, file: str, row: list[str], problem: str
) -> None:
    directory = tiny_esco(tmp_path / "esco")
    with (directory / file).open("a", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerow(row)
    error = esco_error(directory)
    assert error.file == str(directory / file)
    # The first skill's alternative labels span three lines.
    line = 6 if file == "skills_en.csv" else 4
    assert error.line == line
    assert problem in error.problem
    assert str(error).startswith(f"{directory / file}, line {line}: ")


def test_line_numbers_count_multi_line_records(tmp_path: Path) -> None:
    directory = tiny_esco(tmp_path / "esco")
    with (directory / "skills_en.csv").open("a", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerow(skill_row(SKILL + "3", "", "a\nb"))
    # Header, a record over three lines, one on one line: the new record starts on line 6
    # (and spans two lines, so a count of records or of lines read would both be wrong).
    assert esco_error(directory).line == 6


def test_missing_required_file_and_column(tmp_path: Path) -> None:
    directory = tiny_esco(tmp_path / "esco")
    (directory / "occupationSkillRelations_en.csv").unlink()
    error = esco_error(directory)
    assert error.file.endswith("occupationSkillRelations_en.csv")
    assert error.line is None
    write_csv(directory / "occupationSkillRelations_en.csv", ["occupationUri", "skillUri"], [])
    assert "missing column(s) relationType" in esco_error(directory).problem


def test_binary_skills_file(tmp_path: Path) -> None:
    directory = tiny_esco(tmp_path / "esco")
    (directory / "skills_en.csv").write_bytes(b"conceptUri,preferredLabel\n\xff\xfe\x00\x01")
    error = esco_error(directory)
    assert error.file.endswith("skills_en.csv")
    assert "missing column" in error.problem or "not UTF-8" in error.problem


def test_conflicting_duplicate_relation_keeps_the_stronger(tmp_path: Path) -> None:
    directory = tiny_esco(tmp_path / "esco")
    with (directory / "occupationSkillRelations_en.csv").open("a", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerow([OCCUPATION + "1", "essential", "", SKILL + "2"])
    relations = {r.skill_uri: r.relation for r in parse_esco(directory).relations}
    assert relations == {SKILL + "1": "essential", SKILL + "2": "essential"}


# ------------------------------------------------------------------ O*NET


def write_gz(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with gzip.open(path, "wt", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter="\t")
        writer.writerow(header)
        writer.writerows(rows)


ONET_SKILLS = ["O*NET-SOC Code", "Title", "Element ID", "Element Name", "Scale ID", "Data Value",
               "N", "Not Relevant"]


def tiny_onet(directory: Path, skills: list[list[str]]) -> Path:
    directory.mkdir()
    (directory / "Occupation Data.txt").write_text(
        "O*NET-SOC Code\tTitle\tDescription\n15-2051.00\tData Scientists\tDevelop models.\n",
        encoding="utf-8",
    )
    write_gz(directory / "Skills.txt.gz", ONET_SKILLS, skills)
    return directory


def skill(element: str, scale: str, value: str, not_relevant: str = "") -> list[str]:
    return ["15-2051.00", "Data Scientists", element, "Programming", scale, value, "8", not_relevant]


def test_onet_importance_decides_the_relation(tmp_path: Path) -> None:
    data = parse_onet(tiny_onet(tmp_path / "onet", [
        skill("2.B.3.e", "IM", "3.00"), skill("2.B.3.e", "LV", "4.1", "N"),
        skill("2.A.1.a", "IM", "2.99"),
        skill("2.A.1.b", "IM", "1.25"), skill("2.A.1.b", "LV", "0", "Y"),
    ]))
    (occupation,) = data.occupations
    assert occupation.uri == occupation_uri("15-2051.00") == "https://www.onetonline.org/link/summary/15-2051.00"
    assert occupation.group_code == "15-0000"
    assert [g.label for g in data.groups] == ["Computer and Mathematical Occupations"]
    relations = {r.skill_uri: (r.relation, r.importance) for r in data.relations}
    assert relations == {
        element_uri("2.B.3.e"): ("essential", 3.0),
        element_uri("2.A.1.a"): ("optional", 2.99),
        # 2.A.1.b is flagged Not Relevant: no relation at all.
    }


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (["15-2051", "x", "2.A.1.a", "Reading", "IM", "3", "8", ""], "O*NET-SOC Code is not like"),
        (["11-1011.00", "x", "2.A.1.a", "Reading", "IM", "3", "8", ""], "occupation 11-1011.00 is not in Occupation Data"),
        (["15-2051.00", "x", "2.A.1.a", "Reading", "IM", "6", "8", ""], "importance must be a number from 1 to 5"),
        (["15-2051.00", "x", "2.A.1.a", "Reading", "IM", "high", "8", ""], "importance must be"),
        (["15-2051.00", "x", "Reading", "Reading", "IM", "3", "8", ""], "Element ID is not like"),
        (["15-2051.00", "x", "2.A.1.a", "", "IM", "3", "8", ""], "Element Name is empty"),
    ],
)
def test_onet_malformed_skills(tmp_path: Path, row: list[str], problem: str) -> None:
    directory = tiny_onet(tmp_path / "onet", [skill("2.B.3.e", "IM", "3"), row])
    with pytest.raises(ImportFileError) as caught:
        parse_onet(directory)
    assert caught.value.file == str(directory / "Skills.txt.gz")
    assert caught.value.line == 3
    assert problem in caught.value.problem


def test_onet_technologies_are_essential_when_in_demand(tmp_path: Path) -> None:
    directory = tiny_onet(tmp_path / "onet", [skill("2.B.3.e", "IM", "4")])
    header = ["O*NET-SOC Code", "Title", "Example", "Commodity Code", "Commodity Title",
              "Hot Technology", "In Demand"]
    write_gz(directory / "Technology Skills.txt.gz", header, [
        ["15-2051.00", "Data Scientists", "Python", "43232402", "Development software", "Y", "Y"],
        ["15-2051.00", "Data Scientists", "C++", "43232402", "Development software", "Y", "N"],
    ])
    data = parse_onet(directory)
    technologies = {s.uri: s for s in data.skills if s.skill_type == "technology"}
    assert technology_uri("C++") == "https://www.onetcenter.org/id/technology/C%2B%2B"
    assert technologies[technology_uri("C++")].code == "43232402"
    relations = {r.skill_uri: r.relation for r in data.relations}
    assert relations[technology_uri("Python")] == "essential"
    assert relations[technology_uri("C++")] == "optional"

    write_gz(directory / "Technology Skills.txt.gz", header, [
        ["15-2051.00", "Data Scientists", "Python", "43232402", "Development software", "Y", "maybe"],
    ])
    with pytest.raises(ImportFileError, match="line 2: In Demand must be Y or N"):
        parse_onet(directory)


def test_onet_shared_files(onet_dir) -> None:  # type: ignore[no-untyped-def]
    data = parse_onet(onet_dir())
    assert len(data.occupations) == 1016
    assert len([s for s in data.skills if s.skill_type == "skill"]) == 35
    assert len(data.groups) == 23


# ------------------------------------------------------------------ built-in


def test_builtin_file_parses() -> None:
    if not BUILTIN_FILE.exists():
        pytest.skip("taxonomy/data/tessera_skills.csv is not written yet")
    records = parse_builtin(BUILTIN_FILE)
    assert len(records) == len({r.uri for r in records}) >= 100
    assert all(r.skill_type in ("skill/competence", "knowledge") for r in records)


def test_builtin_alt_labels_and_bad_rows(tmp_path: Path) -> None:
    header = ["uri", "label", "field", "skill_type", "alt_labels", "description"]
    path = write_csv(tmp_path / "skills.csv", header, [
        ["https://tessera.eu/skills/docker", "Docker", "technology", "knowledge", "containers| Docker CE |", "Containers."],
    ])
    (record,) = parse_builtin(path)
    assert record.alt_labels == ("containers", "Docker CE")
    write_csv(path, header, [["https://tessera.eu/skills/x", "X", "technology", "talent", "", ""]])
    with pytest.raises(ImportFileError, match="line 2: skill_type must be one of"):
        parse_builtin(path)
