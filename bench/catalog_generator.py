"""A realistic, reproducible catalog of published microcredentials for benchmarks.

`generate(engine, size)` bulk-inserts ~50 providers of every kind, a 500-skill framework and
`size` published microcredentials (titles, descriptions, outcomes and modules built from word
lists per field, some in Spanish, German or French with accents), straight into the tables
(Core executemany in chunks: fast), then builds the search index with `rebuild_index`.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session

from tessera.accounts.roles import OrgKind
from tessera.catalog.search import rebuild_index
from tessera.catalog.vocab import AssessmentType, Field, Pacing, ParticipationMode, VersionStatus
from tessera.db import Base, import_all_models

SKILL_BASE = "https://bench.tessera.eu/skills/"
CHUNK = 5_000  # microcredentials per executemany round
Progress = Callable[[str, int, int], None]  # (stage, done, total)

TOPICS: dict[Field, list[str]] = {
    Field.TECHNOLOGY: [
        "Python", "Data Analysis", "Machine Learning", "Cloud Security", "Cybersecurity",
        "DevOps", "Kubernetes", "SQL Databases", "JavaScript", "Web Development",
        "Network Engineering", "Artificial Intelligence", "Data Engineering", "Cloud Computing",
        "Software Testing", "Mobile Apps", "Blockchain", "Data Visualisation", "Linux",
        "Embedded Systems", "Quantum Computing", "Robotics", "Deep Learning", "API Design",
    ],
    Field.HEALTHCARE: [
        "Nursing", "Patient Care", "Clinical Research", "Public Health", "Pharmacology",
        "Mental Health", "Elderly Care", "Health Informatics", "Midwifery", "First Aid",
        "Infection Control", "Nutrition", "Physiotherapy", "Medical Imaging", "Palliative Care",
        "Emergency Medicine", "Epidemiology", "Healthcare Management",
    ],
    Field.BUSINESS: [
        "Project Management", "Leadership", "Digital Marketing", "Finance", "Accounting",
        "Supply Chain", "Entrepreneurship", "Human Resources", "Negotiation", "Sales",
        "Business Analytics", "Agile Methods", "Risk Management", "Sustainability Reporting",
        "Change Management", "Customer Experience", "Procurement", "Strategy",
    ],
    Field.EDUCATION: [
        "Online Teaching", "Curriculum Design", "Inclusive Education", "Assessment Design",
        "Educational Technology", "Early Childhood Education", "Mentoring", "Adult Learning",
        "Classroom Management", "Instructional Design", "Special Needs Education", "Coaching",
    ],
    Field.CREATIVE: [
        "Graphic Design", "UX Design", "Photography", "Video Production", "Creative Writing",
        "Game Design", "Music Production", "Animation", "Illustration", "Fashion Design",
        "Interior Design", "Storytelling", "3D Modelling", "Sound Design",
    ],
    Field.OTHER: [
        "Sustainable Agriculture", "Renewable Energy", "Logistics", "Tourism", "Law",
        "Journalism", "Public Administration", "Circular Economy", "Hospitality", "Urban Planning",
    ],
}
FIELD_WEIGHTS = {
    Field.TECHNOLOGY: 30, Field.HEALTHCARE: 20, Field.BUSINESS: 20, Field.EDUCATION: 12,
    Field.CREATIVE: 10, Field.OTHER: 8,
}
FOREIGN = {  # titles in other languages (accents on purpose)
    "es": ["Gestión de proyectos ágiles", "Análisis de datos", "Enfermería geriátrica",
           "Programación en Python", "Diseño gráfico", "Educación inclusiva", "Gestión financiera"],
    "de": ["Pflege für ältere Menschen", "Künstliche Intelligenz", "Führung und Teamarbeit",
           "Datenanalyse mit Python", "Öffentliche Gesundheit", "Qualitätsmanagement"],
    "fr": ["Éducation numérique", "Santé publique", "Gestion de projet", "Sécurité du cloud",
           "Conception graphique", "Médiation culturelle"],
}
PREFIXES = ["Applied", "Introduction to", "Foundations of", "Advanced", "Practical",
            "Professional", "Essentials of", "Hands-on", "Modern", "Strategic"]
AUDIENCES = ["Beginners", "Managers", "Professionals", "Teachers", "Nurses", "Engineers",
             "Start-ups", "the Public Sector", "SMEs", "Researchers"]
VERBS = ["Apply", "Evaluate", "Explain", "Implement", "Analyse", "Build", "Plan", "Assess",
         "Communicate", "Document", "Compare", "Justify"]
SKILL_VERBS = ["apply", "manage", "analyse", "teach", "develop", "evaluate", "communicate",
               "plan", "use", "document"]
INTROS = ["Learn", "Master", "Get started with", "Deepen your knowledge of", "Put into practice",
          "Understand", "Build confidence in"]
LINKS = ["alongside", "with an eye on", "and its links to", "together with", "applied to"]
ASPECTS = ["fundamentals", "tools", "best practices", "regulation", "ethics", "quality",
           "teamwork", "communication", "evaluation", "planning", "documentation", "workflows",
           "reporting", "safety", "innovation", "history", "theory", "standards", "metrics",
           "governance", "risk", "budgeting", "stakeholders", "research methods", "case work"]
METHODS = ["case studies", "live projects", "peer review", "guided labs", "simulations",
           "mentoring sessions", "real data sets", "field work"]
CITIES = ["Lisboa", "Porto", "Madrid", "Málaga", "Zürich", "München", "Berlin", "Kraków",
          "Łódź", "Göteborg", "Dublin", "Lyon", "Milano", "Tallinn", "Ghent", "Leuven",
          "Bologna", "Aarhus", "Tartu", "Coimbra"]
BRANDS = ["Skillforge", "LearnHub", "Codecraft", "Brightpath", "OpenCampus", "Upskill",
          "Nexus", "Futurelab", "Mentora", "Kursio", "Academia Viva", "Bildungswerk"]
KINDS = [OrgKind.UNIVERSITY] * 8 + [OrgKind.ONLINE_PLATFORM] * 4 + [OrgKind.EMPLOYER] * 3 + [
    OrgKind.PROFESSIONAL_BODY] * 2 + [OrgKind.TRAINING_PROVIDER] * 3


def skill_uri(label: str) -> str:
    return SKILL_BASE + label.lower().replace(" ", "-")


def _providers(rng: random.Random) -> list[dict[str, Any]]:
    names = set()
    rows = []
    while len(rows) < 50:
        kind = rng.choice(KINDS)
        city, brand = rng.choice(CITIES), rng.choice(BRANDS)
        name = {
            OrgKind.UNIVERSITY: rng.choice([f"University of {city}", f"{city} Technical University",
                                            f"Universidade de {city}"]),
            OrgKind.ONLINE_PLATFORM: f"{brand} Online",
            OrgKind.EMPLOYER: f"{brand} {rng.choice(['Group', 'Systems', 'Health'])} Academy",
            OrgKind.PROFESSIONAL_BODY: (
                f"{city} Institute of {rng.choice(['Nursing', 'Engineers', 'Accountants'])}"
            ),
            OrgKind.TRAINING_PROVIDER: f"{brand} Training {city}",
        }[kind]
        if name in names:
            continue
        names.add(name)
        ascii_name = name.lower().encode("ascii", "ignore").decode()
        slug = "".join(c if c.isalnum() else "-" for c in ascii_name)
        rows.append({
            "id": len(rows) + 1, "slug": f"{slug}-{len(rows) + 1}"[:64], "name": name,
            "kind": kind, "country": rng.choice(["PT", "ES", "DE", "FR", "IE", "PL", "IT", "SE"]),
            "created_at": datetime(2024, 1, 1, tzinfo=UTC),
        })
    return rows


def _skills(rng: random.Random) -> list[tuple[str, Field]]:
    """~500 (label, field): every topic as a skill, then verb + topic combinations."""
    skills: dict[str, Field] = {}
    for field, topics in TOPICS.items():
        for topic in topics:
            skills[topic.lower()] = field
    combos = [(f"{verb} {topic.lower()}", field) for field, topics in TOPICS.items()
              for topic in topics for verb in SKILL_VERBS]
    rng.shuffle(combos)
    for label, field in combos:
        if len(skills) >= 500:
            break
        skills[label] = field
    return sorted(skills.items())


def _text(
    rng: random.Random, field: Field
) -> tuple[str, str, str, list[str], list[str], list[str]]:
    """(main topic, title, short description, outcomes, module titles, languages).

    Like a real catalog, an entry is about one topic (plus a related one): its outcomes and
    modules talk about that topic, so a topic word matches a few percent of the catalog.
    """
    topic, other = rng.sample(TOPICS[field], 2)
    languages = ["en"]
    if rng.random() < 0.12:
        language = rng.choice(list(FOREIGN))
        title = rng.choice(FOREIGN[language])
        languages = [language] + (["en"] if rng.random() < 0.3 else [])
    else:
        title = rng.choice([
            f"{rng.choice(PREFIXES)} {topic}", f"{topic} for {rng.choice(AUDIENCES)}",
            f"{topic} and {other}", f"{rng.choice(PREFIXES)} {topic} for {rng.choice(AUDIENCES)}",
        ])
        if rng.random() < 0.2:
            languages.append(rng.choice(["de", "fr", "es", "it", "pt", "nl", "pl"]))
    description = (
        f"{rng.choice(INTROS)} {topic.lower()} {rng.choice(LINKS)} {other.lower()} through "
        f"{rng.choice(METHODS)}, for {rng.choice(AUDIENCES).lower()}."
    )
    outcomes = [f"{verb} the {rng.choice(ASPECTS)} of {topic.lower()}"
                for verb in rng.sample(VERBS, rng.randint(2, 4))]
    modules = [f"{topic}: {aspect}" for aspect in rng.sample(ASPECTS, rng.randint(2, 3))]
    return topic, title, description, outcomes, modules, languages


def _copy_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | dict):
        return json.dumps(value)
    return value


def _insert(connection: Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """Bulk insert: COPY on PostgreSQL (several times faster), executemany on SQLite."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(Base.metadata.tables[table].insert(), rows)
        return
    columns = list(rows[0])
    raw: Any = connection.connection.dbapi_connection
    with raw.cursor() as cursor, cursor.copy(
        f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    ) as copy:
        for row in rows:
            copy.write_row([_copy_value(row[column]) for column in columns])


def generate(engine: Engine, size: int, seed: int = 42, progress: Progress | None = None) -> int:
    """Insert `size` published microcredentials and index them; returns how many were indexed."""
    import_all_models()
    rng = random.Random(seed)
    report = progress or (lambda stage, done, total: None)
    providers = _providers(rng)
    skills = _skills(rng)
    by_field: dict[Field, list[int]] = {field: [] for field in TOPICS}
    by_topic: dict[str, list[int]] = {}
    for skill_id, (label, field) in enumerate(skills, start=1):
        by_field[field].append(skill_id)
        for topic in TOPICS[field]:
            if label.endswith(topic.lower()):
                by_topic.setdefault(topic, []).append(skill_id)
    now = datetime(2026, 11, 1, tzinfo=UTC)

    with engine.begin() as connection:
        _insert(connection, "organisations", providers)
        _insert(connection, "skill_frameworks", [{
            "id": 1, "slug": "bench", "name": "Benchmark skills", "version": "1",
            "uri": SKILL_BASE, "created_at": now,
        }])
        _insert(connection, "skills", [
            {"id": i, "framework_id": 1, "uri": skill_uri(label), "label": label,
             "alt_labels": "", "description": "", "skill_type": "skill/competence", "code": None}
            for i, (label, _field) in enumerate(skills, start=1)
        ])

        def rows() -> Iterator[tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]],
                                     list[dict[str, Any]]]]:
            fields, weights = zip(*FIELD_WEIGHTS.items(), strict=True)
            for n in range(1, size + 1):
                field = rng.choices(fields, weights)[0]
                provider = rng.choice(providers)
                topic, title, description, outcomes, modules, languages = _text(rng, field)
                hours = rng.choice([8, 12, 20, 24, 30, 40, 45, 60, 75, 90, 120, 150, 200, 300])
                free = rng.random() < 0.25
                published = now - timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
                related = by_topic[topic]
                chosen = rng.sample(related, min(len(related), rng.randint(1, 3)))
                chosen += rng.sample(by_field[field], rng.randint(1, 2))
                if rng.random() < 0.3:
                    chosen.append(rng.randint(1, len(skills)))
                version = {
                    "id": n, "microcredential_id": n, "number": 1,
                    "status": VersionStatus.PUBLISHED,
                    "title": title, "country": provider["country"], "region": None,
                    "learning_outcomes": outcomes, "workload_hours": hours,
                    "ects_credits": Decimal(hours // 25) if hours >= 25 else None,
                    "eqf_level": rng.choice([None, 4, 5, 5, 6, 6, 6, 7, 7, 8]),
                    "assessment_type": rng.choice(list(AssessmentType)),
                    "assessment_description": None,
                    "participation_mode": rng.choices(list(ParticipationMode), [60, 15, 25])[0],
                    "pacing": rng.choice(list(Pacing)), "quality_assurance": "Internal QA",
                    "prerequisites": None, "supervision": None, "grading_scheme": None,
                    "stackable": False, "stackable_towards": [], "further_information": None,
                    "short_description": description, "field": field, "languages": languages,
                    "price": Decimal(0) if free else Decimal(rng.randrange(50, 2000, 5)),
                    "currency": "EUR", "duration_weeks": max(1, hours // 10),
                    "image_url": None, "created_at": published, "updated_at": published,
                    "published_at": published, "retired_at": None,
                }
                module_rows = [
                    {"version_id": n, "position": p, "title": m, "summary": "",
                     "learning_outcomes": [], "estimated_hours": 1}
                    for p, m in enumerate(modules, start=1)
                ]
                links = [{"version_id": n, "skill_id": s, "position": p}
                         for p, s in enumerate(dict.fromkeys(chosen))]
                yield {"id": n, "provider_id": provider["id"], "created_at": published}, version, \
                    module_rows, links

        done = 0
        batch: list[Any] = []
        for item in rows():
            batch.append(item)
            if len(batch) == CHUNK or done + len(batch) == size:
                _insert(connection, "microcredentials", [b[0] for b in batch])
                _insert(connection, "microcredential_versions", [b[1] for b in batch])
                _insert(connection, "modules", [m for b in batch for m in b[2]])
                _insert(connection, "version_skills", [s for b in batch for s in b[3]])
                done += len(batch)
                batch = []
                report("catalog", done, size)
        if connection.dialect.name == "postgresql":
            for table in ("organisations", "skill_frameworks", "skills", "microcredentials",
                          "microcredential_versions", "modules"):
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table}))"
                ))

    report("index", 0, size)
    with Session(bind=engine) as db:
        count = rebuild_index(db)
        db.commit()
    if engine.dialect.name == "postgresql":
        # What autovacuum does soon after a bulk load anyway: the visibility map lets
        # index-only scans skip the table.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    report("index", count, size)
    return count

