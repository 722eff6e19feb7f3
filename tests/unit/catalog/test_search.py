"""Catalog search on both backends (SQLite FTS5, PostgreSQL full text): text, filters, facets,
sorting, paging and keeping the index in step with publishing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session
from tests.conftest import microcredential_payload

from tessera.accounts.roles import Actor, OrgKind
from tessera.catalog import search as search_index
from tessera.catalog import services as catalog
from tessera.catalog.search.query import SearchQuery, Sort
from tessera.catalog.search.text import fts5_query, terms
from tessera.catalog.vocab import VersionStatus


@dataclass
class Catalog:
    """Five published microcredentials (ids by nickname) and the actor that made them."""

    ids: dict[str, int]
    actor: Actor
    skills: dict[str, str]


def _one(**values: object) -> dict[str, object]:
    """Overrides that keep the default payload's distinctive words out of other entries."""
    return {
        "learning_outcomes": ["Work safely"],
        "modules": [],
        **values,
    }


@pytest.fixture
def cat(db: Session, make_org, make_person, skill_uris: list[str]) -> Catalog:  # type: ignore[no-untyped-def]
    make_org("lisbon-university", OrgKind.UNIVERSITY)
    make_org("code-academy", OrgKind.ONLINE_PLATFORM)
    make_org("berlin-academy", OrgKind.TRAINING_PROVIDER, country="DE")
    admin = make_person("search-admin@example.com", platform_admin=True)
    python, sql, statistics = skill_uris
    entries = {
        # Default payload: "Applied Data Analysis", technology, EQF 6, 60 h, 250 EUR, en, online.
        "data": microcredential_payload(
            "lisbon-university", [python, sql],
            modules=[{"title": "Cleaning data", "estimated_hours": 20},
                     {"title": "Visualisation workshop", "estimated_hours": 30}],
        ),
        "nursing": microcredential_payload(
            "berlin-academy", [statistics], **_one(
                title="Clinical Nursing Practice", field="healthcare", eqf_level=5,
                short_description="Care for patients on the ward.", workload_hours=20,
                price="0.00", languages=["en", "de"], participation_mode="onsite",
                learning_outcomes=["Care for patients safely"],
            ),
        ),
        "agile": microcredential_payload(
            "code-academy", [sql], **_one(
                title="Gestión de proyectos ágiles", field="business_management", eqf_level=4,
                short_description="Planificación con métodos ágiles.", workload_hours=120,
                price="90.00", languages=["es"], participation_mode="blended",
            ),
        ),
        "medical": microcredential_payload(
            "berlin-academy", [statistics], **_one(
                title="Medical Statistics für Ärzte", field="healthcare", eqf_level=7,
                short_description="Evidence for doctors.", workload_hours=300,
                price="1200.00", languages=["de"], participation_mode="online",
                duration_weeks=20,
            ),
        ),
        "ml": microcredential_payload(
            "code-academy", [python, statistics], **_one(
                title="Machine Learning Foundations", field="technology", eqf_level=6,
                short_description="Models that learn from examples.", workload_hours=40,
                price="0.00", languages=["en", "fr"], participation_mode="online",
            ),
        ),
    }
    ids = {}
    for nickname, payload in entries.items():
        version = catalog.create_microcredential(db, admin.actor, payload)
        catalog.publish_microcredential(db, admin.actor, version.microcredential_id)
        ids[nickname] = version.microcredential_id
    return Catalog(
        ids=ids, actor=admin.actor,
        skills={"python": python, "sql": sql, "statistics": statistics},
    )


def _find(db: Session, **query: object) -> list[int]:
    return [item.id for item in search_index.search(db, SearchQuery(**query)).items]


def _names(cat: Catalog, ids: list[int]) -> set[str]:
    by_id = {value: key for key, value in cat.ids.items()}
    return {by_id[i] for i in ids}


# --- text ----------------------------------------------------------------------------------


def test_terms_are_words_only() -> None:
    assert terms('  "Gestión"  (AND) NEAR/3 data-base*  ') == ["gestion", "and", "near", "3", "data", "base"]
    assert terms("?!*^:()\"'-") == []
    assert fts5_query(["data", "ana"]) == '"data" AND "ana"*'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nursing", {"nursing"}),  # title
        ("regression", {"data"}),  # learning outcome
        ("visualisation", {"data"}),  # module title
        ("python", {"data", "ml"}),  # skill label
        ("berlin", {"nursing", "medical"}),  # provider name
        ("code academy", {"agile", "ml"}),
        ("planificación", {"agile"}),  # short description, accented
    ],
)
def test_text_matches_each_field(db: Session, cat: Catalog, text: str, expected: set[str]) -> None:
    assert _names(cat, _find(db, text=text)) == expected


@pytest.mark.parametrize("text", ["gestion", "gestión", "GESTIÓN", "agiles", "ágiles"])
def test_accents_are_folded_both_ways(db: Session, cat: Catalog, text: str) -> None:
    assert _names(cat, _find(db, text=text)) == {"agile"}


def test_non_ascii_words_match(db: Session, cat: Catalog) -> None:
    assert _names(cat, _find(db, text="ärzte")) == {"medical"}
    assert _names(cat, _find(db, text="arzte fur")) == {"medical"}


@pytest.mark.parametrize(("text", "expected"), [
    ("nurs", {"nursing"}), ("nursin", {"nursing"}), ("machine lear", {"ml"}),
    ("stat", {"nursing", "medical", "ml"}),
])
def test_last_word_is_a_prefix(db: Session, cat: Catalog, text: str, expected: set[str]) -> None:
    assert _names(cat, _find(db, text=text)) == expected


def test_only_the_last_word_is_a_prefix_and_all_words_must_match(
    db: Session, cat: Catalog
) -> None:
    assert _find(db, text="practi nursing") == []
    assert _find(db, text="nursing practi") == [cat.ids["nursing"]]
    assert _find(db, text="machine nursing") == []


def test_english_stemming_on_postgresql_only(db: Session, cat: Catalog) -> None:
    """PostgreSQL stems English ("nurse" finds "nursing"); SQLite FTS5 matches words as typed."""
    stems = db.get_bind().dialect.name == "postgresql"
    assert _names(cat, _find(db, text="nurse")) == ({"nursing"} if stems else set())
    assert _names(cat, _find(db, text="nursing")) == {"nursing"}


def test_no_match(db: Session, cat: Catalog) -> None:
    results = search_index.search(db, SearchQuery(text="xylophone"))
    assert results.items == []
    assert results.total == 0
    assert all(value.count == 0 for values in results.facets.values() for value in values)


@pytest.mark.parametrize(
    "text", ['"', "?!*^:()'-", "***", "NEAR(", 'python"', "a:b", "-python", "'; DROP TABLE x"]
)
def test_syntax_characters_never_break_a_query(db: Session, cat: Catalog, text: str) -> None:
    results = search_index.search(db, SearchQuery(text=text))
    if not terms(text):
        assert results.total == 5
    assert results.total == len(results.items)


def test_empty_text_browses_everything_newest_first(db: Session, cat: Catalog) -> None:
    results = search_index.search(db, SearchQuery())
    assert results.total == 5
    assert [item.id for item in results.items] == sorted(cat.ids.values(), reverse=True)


def test_relevance_puts_title_matches_first(db: Session, cat: Catalog) -> None:
    found = _find(db, text="statistics")
    assert _names(cat, found) == {"nursing", "medical", "ml"}
    assert found[0] == cat.ids["medical"]  # title and skill beat skill alone


# --- results -------------------------------------------------------------------------------


def test_result_cards_carry_the_summary(db: Session, cat: Catalog) -> None:
    [item] = search_index.search(db, SearchQuery(text="machine learning")).items
    assert item.id == cat.ids["ml"]
    assert item.title == "Machine Learning Foundations"
    assert item.provider.slug == "code-academy"
    assert item.provider.name == "Code Academy"
    assert item.provider.kind == OrgKind.ONLINE_PLATFORM
    assert item.languages == ["en", "fr"]
    assert item.price == Decimal("0.00")
    assert item.workload_hours == 40
    assert item.eqf_level == 6
    assert item.ects_credits == Decimal("2.0")


# --- filters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"fields": ("healthcare",)}, {"nursing", "medical"}),
        ({"fields": ("healthcare", "technology")}, {"nursing", "medical", "data", "ml"}),
        ({"providers": ("code-academy",)}, {"agile", "ml"}),
        ({"provider_kinds": ("university",)}, {"data"}),
        ({"eqf_levels": (6,)}, {"data", "ml"}),
        ({"eqf_levels": (4, 7)}, {"agile", "medical"}),
        ({"languages": ("de",)}, {"nursing", "medical"}),
        ({"languages": ("fr", "es")}, {"ml", "agile"}),
        ({"participation_modes": ("online",)}, {"data", "medical", "ml"}),
        ({"min_hours": 60}, {"data", "agile", "medical"}),
        ({"max_hours": 40}, {"nursing", "ml"}),
        ({"min_hours": 40, "max_hours": 120}, {"data", "agile", "ml"}),
        ({"min_price": Decimal("90")}, {"data", "agile", "medical"}),
        ({"max_price": Decimal("100")}, {"nursing", "agile", "ml"}),
        ({"free_only": True}, {"nursing", "ml"}),
        ({"languages": ("en",), "fields": ("technology",)}, {"data", "ml"}),
        ({"languages": ("en",), "free_only": True, "text": "clinical"}, {"nursing"}),
    ],
)
def test_filters(db: Session, cat: Catalog, filters: dict[str, object], expected: set[str]) -> None:
    assert _names(cat, _find(db, **filters)) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"languages": ("EN ",)}, {"data", "nursing", "ml"}),  # normalised like the API does
        ({"languages": ("%",)}, set()),  # not a language code: no LIKE wildcard either
        ({"languages": ("e_",)}, set()),
        ({"providers": ("no-such-provider",)}, set()),
        ({"fields": ("no_such_field",)}, set()),
    ],
)
def test_odd_filter_values_match_nothing_rather_than_everything(
    db: Session, cat: Catalog, filters: dict[str, object], expected: set[str]
) -> None:
    assert _names(cat, _find(db, **filters)) == expected


def test_skills_filter_matches_any_chosen_skill(db: Session, cat: Catalog) -> None:
    python, sql = cat.skills["python"], cat.skills["sql"]
    assert _names(cat, _find(db, skills=(sql,))) == {"data", "agile"}
    assert _names(cat, _find(db, skills=(python, sql))) == {"data", "agile", "ml"}
    assert _names(cat, _find(db, skills=(python, sql), fields=("technology",))) == {"data", "ml"}
    assert _find(db, skills=("https://example.org/no-such-skill",)) == []


# --- facets --------------------------------------------------------------------------------


def _facet(results: object, name: str) -> dict[str, tuple[str, int]]:
    return {v.value: (v.label, v.count) for v in results.facets[name]}  # type: ignore[attr-defined]


def test_facet_counts_and_labels(db: Session, cat: Catalog) -> None:
    results = search_index.search(db, SearchQuery())
    assert list(results.facets) == [
        "field", "provider", "provider_kind", "eqf_level", "participation_mode", "language",
        "price", "workload", "skill",
    ]
    assert _facet(results, "field") == {
        "technology": ("Technology", 2), "healthcare": ("Healthcare", 2),
        "business_management": ("Business & management", 1),
    }
    assert _facet(results, "provider") == {
        "berlin-academy": ("Berlin Academy", 2), "code-academy": ("Code Academy", 2),
        "lisbon-university": ("Lisbon University", 1),
    }
    assert _facet(results, "provider_kind") == {
        "online_platform": ("Online learning platform", 2),
        "training_provider": ("Training provider", 2), "university": ("University", 1),
    }
    assert [v.value for v in results.facets["eqf_level"]] == ["4", "5", "6", "7"]
    assert _facet(results, "eqf_level")["6"] == ("EQF 6", 2)
    assert _facet(results, "participation_mode") == {
        "online": ("Online", 3), "onsite": ("On-site", 1), "blended": ("Blended", 1),
    }
    assert _facet(results, "language") == {
        "en": ("English", 3), "de": ("German", 2), "fr": ("French", 1), "es": ("Spanish", 1),
    }
    assert next(v.value for v in results.facets["language"]) == "en"  # by count
    assert _facet(results, "price") == {"free": ("Free", 2), "paid": ("Paid", 3)}
    assert _facet(results, "workload") == {
        "lt25": ("Under 25 h", 1), "25-50": ("25\u201350 h", 1), "50-100": ("50\u2013100 h", 1),
        "100-250": ("100\u2013250 h", 1), "250+": ("250 h or more", 1),
    }
    assert [v.value for v in results.facets["workload"]] == [
        "lt25", "25-50", "50-100", "100-250", "250+"
    ]
    assert _facet(results, "skill") == {
        cat.skills["statistics"]: ("Statistics", 3), cat.skills["python"]: ("Python", 2),
        cat.skills["sql"]: ("Sql", 2),
    }


def test_facets_follow_the_text(db: Session, cat: Catalog) -> None:
    results = search_index.search(db, SearchQuery(text="berlin"))
    assert results.total == 2
    assert _facet(results, "field") == {"healthcare": ("Healthcare", 2)}
    assert _facet(results, "language") == {"de": ("German", 2), "en": ("English", 1)}
    assert _facet(results, "skill") == {cat.skills["statistics"]: ("Statistics", 2)}
    filtered = search_index.search(db, SearchQuery(fields=("technology",)))
    assert _facet(filtered, "skill") == {
        cat.skills["python"]: ("Python", 2), cat.skills["sql"]: ("Sql", 1),
        cat.skills["statistics"]: ("Statistics", 1),
    }
    assert next(v.value for v in filtered.facets["skill"]) == cat.skills["python"]


def test_facets_are_disjunctive(db: Session, cat: Catalog) -> None:
    results = search_index.search(db, SearchQuery(languages=("de",), free_only=True))
    assert _names(cat, [item.id for item in results.items]) == {"nursing"}
    assert results.total == 1
    # A facet's own selection is ignored by its counts; every other filter applies.
    assert _facet(results, "language") == {"en": ("English", 2), "de": ("German", 1),
                                           "fr": ("French", 1)}
    assert _facet(results, "price") == {"free": ("Free", 1), "paid": ("Paid", 1)}
    assert _facet(results, "field") == {"healthcare": ("Healthcare", 1)}


def test_facets_can_count_the_hits_only(db: Session, cat: Catalog) -> None:
    query = SearchQuery(languages=("de",), free_only=True, disjunctive=False)
    results = search_index.search(db, query)
    assert results.total == 1
    assert _facet(results, "language") == {"en": ("English", 1), "de": ("German", 1)}
    assert _facet(results, "price") == {"free": ("Free", 1)}
    text = search_index.search(db, SearchQuery(text="stat", fields=("healthcare",),
                                               disjunctive=False))
    assert _names(cat, [item.id for item in text.items]) == {"nursing", "medical"}
    assert _facet(text, "field") == {"healthcare": ("Healthcare", 2)}


def test_selected_values_stay_visible_with_zero_count(db: Session, cat: Catalog) -> None:
    results = search_index.search(db, SearchQuery(text="nursing", fields=("creative",)))
    assert results.total == 0
    assert _facet(results, "field") == {"healthcare": ("Healthcare", 1), "creative": ("Creative", 0)}


def test_only_requested_facets_are_computed(db: Session, cat: Catalog) -> None:
    results = search_index.search(db, SearchQuery(facets=("price", "field")))
    assert list(results.facets) == ["field", "price"]
    assert results.total == 5
    assert search_index.search(db, SearchQuery(facets=())).facets == {}


# --- paging and sorting --------------------------------------------------------------------


def test_pages_cover_every_hit_once(db: Session, cat: Catalog) -> None:
    seen = []
    for page in (1, 2, 3):
        results = search_index.search(db, SearchQuery(page=page, page_size=2, sort=Sort.TITLE))
        assert (results.total, results.page, results.page_size) == (5, page, 2)
        seen += [item.id for item in results.items]
    assert sorted(seen) == sorted(cat.ids.values())
    assert search_index.search(db, SearchQuery(page=4, page_size=2)).items == []
    assert search_index.search(db, SearchQuery(page=4, page_size=2)).total == 5


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (Sort.PRICE, ["nursing", "ml", "agile", "data", "medical"]),  # free ties: by title
        (Sort.WORKLOAD, ["nursing", "ml", "data", "agile", "medical"]),
        (Sort.TITLE, ["data", "nursing", "agile", "ml", "medical"]),
        (Sort.NEWEST, ["ml", "medical", "agile", "nursing", "data"]),
        (Sort.RELEVANCE, ["ml", "medical", "agile", "nursing", "data"]),  # no text: newest
    ],
)
def test_sort_orders(db: Session, cat: Catalog, sort: Sort, expected: list[str]) -> None:
    assert _find(db, sort=sort) == [cat.ids[name] for name in expected]


def test_sorting_applies_to_text_searches(db: Session, cat: Catalog) -> None:
    found = _find(db, text="stat", sort=Sort.PRICE)
    assert found == [cat.ids[name] for name in ("nursing", "ml", "medical")]


# --- keeping the index in step -------------------------------------------------------------


def test_drafts_are_not_found(db: Session, cat: Catalog) -> None:
    catalog.create_microcredential(
        db, cat.actor, microcredential_payload("code-academy", [cat.skills["sql"]],
                                               title="Draft Quantum Course")
    )
    assert _find(db, text="quantum") == []
    assert search_index.search(db, SearchQuery()).total == 5


def test_retired_microcredentials_are_not_found(db: Session, cat: Catalog) -> None:
    catalog.retire_microcredential(db, cat.actor, cat.ids["nursing"])
    assert _find(db, text="nursing") == []
    assert search_index.search(db, SearchQuery()).total == 4
    assert cat.ids["nursing"] not in _find(db, page_size=50)


def test_publishing_a_new_version_replaces_the_old_entry(db: Session, cat: Catalog) -> None:
    mc = cat.ids["nursing"]
    catalog.update_microcredential(
        db, cat.actor, mc, {"title": "Paediatric Nursing Practice", "languages": ["fr"]}
    )
    assert _find(db, text="paediatric") == []  # the draft is not searchable yet
    assert _find(db, text="clinical") == [mc]
    version = catalog.publish_microcredential(db, cat.actor, mc)
    assert version.number == 2
    assert _find(db, text="paediatric") == [mc]
    assert _find(db, text="clinical") == []
    assert _find(db, text="nursing") == [mc]  # once, not twice
    results = search_index.search(db, SearchQuery())
    assert results.total == 5
    assert _facet(results, "language")["fr"] == ("French", 2)
    assert "de" in _facet(results, "language")
    assert _facet(results, "language")["de"] == ("German", 1)


def test_indexing_twice_keeps_one_entry(db: Session, cat: Catalog) -> None:
    version = catalog.access_microcredential(db, cat.actor, cat.ids["ml"])
    assert version.status is VersionStatus.PUBLISHED
    search_index.index_version(db, version)
    search_index.index_version(db, version)
    assert _find(db, text="machine") == [cat.ids["ml"]]
    search_index.unindex_microcredential(db, cat.ids["ml"])
    assert _find(db, text="machine") == []


def test_catalog_counts_stay_true_to_the_documents(db: Session, cat: Catalog) -> None:
    """Browsing everything (no text, no filter) counts the whole snapshot, kept up to date
    by each change; it must agree with counting through a filter, and with a rebuild."""
    catalog.retire_microcredential(db, cat.actor, cat.ids["nursing"])
    catalog.update_microcredential(
        db, cat.actor, cat.ids["ml"],
        {"languages": ["de"], "eqf_level": 7, "skills": [cat.skills["sql"]], "price": "10.00"},
    )
    catalog.publish_microcredential(db, cat.actor, cat.ids["ml"])
    counted = search_index.search(db, SearchQuery())
    recounted = search_index.search(db, SearchQuery(min_hours=0, disjunctive=False))
    assert counted.total == recounted.total == 4
    assert counted.facets == recounted.facets
    assert _facet(counted, "price") == {"paid": ("Paid", 4)}  # no free one left
    assert _facet(counted, "language")["de"] == ("German", 2)
    assert _facet(counted, "skill")[cat.skills["sql"]] == ("Sql", 3)
    assert search_index.rebuild_index(db) == 4
    assert search_index.search(db, SearchQuery()).facets == counted.facets


def test_rebuild_index(db: Session, cat: Catalog) -> None:
    before = search_index.search(db, SearchQuery(text="stat"))
    search_index.unindex_microcredential(db, cat.ids["ml"])  # the index drifted
    assert search_index.rebuild_index(db) == 5
    after = search_index.search(db, SearchQuery(text="stat"))
    assert after.model_dump() == before.model_dump()
    assert search_index.rebuild_index(db) == 5  # again: no duplicates
    assert search_index.search(db, SearchQuery()).total == 5


def test_rebuild_of_an_empty_catalog(db: Session) -> None:
    assert search_index.rebuild_index(db) == 0
    assert search_index.search(db, SearchQuery(text="anything")).total == 0
