"""Parser of the O*NET database files (text, CSV or Excel form of each file).

Required: `Occupation Data` and `Skills`; used when present: `Technology Skills`.

Identifiers. O*NET publishes no URIs, so stable ones are built from its own stable codes:
- occupations: `https://www.onetonline.org/link/summary/<O*NET-SOC code>`, the permalink
  O*NET OnLine documents for an occupation; it resolves and survives releases, since O*NET-SOC
  codes are kept until the taxonomy itself is revised;
- skills (content model elements, e.g. 2.A.1.a Reading Comprehension):
  `https://www.onetcenter.org/id/element/<Element ID>`;
- technologies (the `Example` column, e.g. "Microsoft Excel"; O*NET gives them no code):
  `https://www.onetcenter.org/id/technology/<percent-encoded name>`. The commodity (UNSPSC)
  code and title of the first row naming it become the skill's code and description.

Relations.
- Skills: every occupation rates all 35 skills on the Importance scale (IM, 1-5). O*NET's
  anchors are 1 not important, 2 somewhat, 3 important, 4 very, 5 extremely important, so
  importance >= 3.0 ("important" or more) is essential and below is optional; the value is kept
  in `importance`. Pairs whose Level is flagged Not Relevant (all have importance <= 1.5) are
  left out: O*NET itself says the skill plays no part in that occupation.
- Technologies: "In Demand" marks a technology that employers' job postings for *this*
  occupation ask for, so it is essential; other listed technologies are optional. "Hot
  Technology" describes the technology across all occupations, not the pair, and is not used.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from urllib.parse import quote

from tessera.errors import ImportFileError
from tessera.taxonomy.parsers.records import (
    ESSENTIAL,
    OPTIONAL,
    GroupRecord,
    OccupationRecord,
    RelationRecord,
    SkillRecord,
    Taxonomy,
    check_code,
    check_label,
    merge_relation,
    unique,
)
from tessera.taxonomy.parsers.tables import (
    Progress,
    counted,
    find_file,
    no_progress,
    read_rows,
    require_file,
)

OCCUPATION_DATA = "Occupation Data"
SKILLS = "Skills"
TECHNOLOGY_SKILLS = "Technology Skills"

OCCUPATION_URI = "https://www.onetonline.org/link/summary/"
ELEMENT_URI = "https://www.onetcenter.org/id/element/"
TECHNOLOGY_URI = "https://www.onetcenter.org/id/technology/"
GROUP_URI = "https://www.bls.gov/soc/2018/major_groups.htm#"
ESSENTIAL_IMPORTANCE = 3.0

_SOC = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
_ELEMENT = re.compile(r"^\d+(?:\.[A-Za-z0-9]+)+$")

# SOC 2018 major groups, on which the O*NET-SOC 2019 taxonomy is built (the files name none).
MAJOR_GROUPS = {
    "11": "Management Occupations",
    "13": "Business and Financial Operations Occupations",
    "15": "Computer and Mathematical Occupations",
    "17": "Architecture and Engineering Occupations",
    "19": "Life, Physical, and Social Science Occupations",
    "21": "Community and Social Service Occupations",
    "23": "Legal Occupations",
    "25": "Educational Instruction and Library Occupations",
    "27": "Arts, Design, Entertainment, Sports, and Media Occupations",
    "29": "Healthcare Practitioners and Technical Occupations",
    "31": "Healthcare Support Occupations",
    "33": "Protective Service Occupations",
    "35": "Food Preparation and Serving Related Occupations",
    "37": "Building and Grounds Cleaning and Maintenance Occupations",
    "39": "Personal Care and Service Occupations",
    "41": "Sales and Related Occupations",
    "43": "Office and Administrative Support Occupations",
    "45": "Farming, Fishing, and Forestry Occupations",
    "47": "Construction and Extraction Occupations",
    "49": "Installation, Maintenance, and Repair Occupations",
    "51": "Production Occupations",
    "53": "Transportation and Material Moving Occupations",
    "55": "Military Specific Occupations",
}


def occupation_uri(soc_code: str) -> str:
    return OCCUPATION_URI + soc_code


def element_uri(element_id: str) -> str:
    return ELEMENT_URI + element_id


def technology_uri(example: str) -> str:
    return TECHNOLOGY_URI + quote(example, safe="")


def parse_onet(directory: Path, progress: Progress = no_progress) -> Taxonomy:
    """Read and cross-check O*NET files; raise ImportFileError on any problem."""
    occupations_path = require_file(directory, OCCUPATION_DATA)
    skills_path = require_file(directory, SKILLS)
    technology_path = find_file(directory, TECHNOLOGY_SKILLS)

    data = Taxonomy()
    data.occupations = _occupations(occupations_path, progress)
    codes = {o.code for o in data.occupations if o.code}
    used = sorted({code[:2] for code in codes if code[:2] in MAJOR_GROUPS})
    data.groups = [
        GroupRecord(code=f"{major}-0000", uri=f"{GROUP_URI}{major}-0000", label=MAJOR_GROUPS[major])
        for major in used
    ]
    relations: dict[tuple[str, str], RelationRecord] = {}
    data.skills = _skills(skills_path, codes, relations, progress)
    if technology_path is not None:
        data.skills += _technologies(technology_path, codes, relations, progress)
    data.relations = list(relations.values())
    return data


def _check_soc(file: str, line: int, code: str, known: set[str] | None = None) -> str:
    if not _SOC.match(code):
        raise ImportFileError(file, line, f"O*NET-SOC Code is not like 15-2051.00: {code!r}")
    if known is not None and code not in known:
        raise ImportFileError(file, line, f"occupation {code} is not in {OCCUPATION_DATA}")
    return code


def _occupations(path: Path, progress: Progress) -> list[OccupationRecord]:
    file = str(path)
    seen: dict[str, int] = {}
    records = []
    rows = read_rows(path, ["O*NET-SOC Code", "Title", "Description"])
    for line, (code, title, description) in counted(rows, f"Reading {path.name}", progress):
        _check_soc(file, line, code)
        unique(file, line, seen, code, "O*NET-SOC Code")
        major = code[:2]
        records.append(
            OccupationRecord(
                uri=occupation_uri(code),
                label=check_label(file, line, "Title", title),
                code=code,
                group_code=f"{major}-0000" if major in MAJOR_GROUPS else None,
                description=description,
            )
        )
    return records


def _importance(file: str, line: int, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not 1.0 <= number <= 5.0:  # also refuses NaN
        raise ImportFileError(file, line, f"importance must be a number from 1 to 5: {value!r}")
    return number


def _skills(
    path: Path,
    codes: set[str],
    relations: dict[tuple[str, str], RelationRecord],
    progress: Progress,
) -> list[SkillRecord]:
    file = str(path)
    elements: dict[str, SkillRecord] = {}
    importance: dict[tuple[str, str], float] = {}
    not_relevant: set[tuple[str, str]] = set()
    rows = read_rows(
        path, ["O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value"],
        ["Not Relevant"],
    )
    for line, (code, element, name, scale, value, irrelevant) in counted(
        rows, f"Reading {path.name}", progress
    ):
        _check_soc(file, line, code, codes)
        if not _ELEMENT.match(element):
            raise ImportFileError(file, line, f"Element ID is not like 2.A.1.a: {element!r}")
        if element not in elements:
            elements[element] = SkillRecord(
                uri=element_uri(element),
                label=check_label(file, line, "Element Name", name),
                skill_type="skill",
                code=check_code(file, line, "Element ID", element),
            )
        if scale == "IM":
            importance[(code, element)] = _importance(file, line, value)
        elif scale == "LV" and irrelevant == "Y":
            not_relevant.add((code, element))
    for (code, element), rating in importance.items():
        if (code, element) not in not_relevant:
            relation = ESSENTIAL if rating >= ESSENTIAL_IMPORTANCE else OPTIONAL
            merge_relation(
                relations,
                RelationRecord(occupation_uri(code), element_uri(element), relation, rating),
            )
    return list(elements.values())


def _flag(file: str, line: int, column: str, value: str) -> bool:
    if value not in ("Y", "N", ""):
        raise ImportFileError(file, line, f"{column} must be Y or N, not {value!r}")
    return value == "Y"


def _technologies(
    path: Path,
    codes: set[str],
    relations: dict[tuple[str, str], RelationRecord],
    progress: Progress,
) -> list[SkillRecord]:
    file = str(path)
    technologies: dict[str, SkillRecord] = {}
    rows = read_rows(
        path, ["O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title"], ["In Demand"]
    )
    for line, (code, example, commodity, commodity_title, in_demand) in counted(
        rows, f"Reading {path.name}", progress
    ):
        _check_soc(file, line, code, codes)
        check_label(file, line, "Example", example)
        uri = technology_uri(example)
        if uri not in technologies:
            technologies[uri] = SkillRecord(
                uri=uri,
                label=example,
                skill_type="technology",
                description=commodity_title,
                code=check_code(file, line, "Commodity Code", commodity),
            )
        essential = _flag(file, line, "In Demand", in_demand)
        merge_relation(
            relations,
            RelationRecord(occupation_uri(code), uri, ESSENTIAL if essential else OPTIONAL),
        )
    return list(technologies.values())
