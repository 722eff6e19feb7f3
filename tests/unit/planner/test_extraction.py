"""Skill extraction on hand-made texts: what is found, where, how surely, and bad input."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tessera.errors import InvalidInput
from tessera.planner.extraction import (
    MAX_TEXT_CHARS,
    ExtractedSkill,
    Method,
    SkillEntry,
    SkillExtractor,
    wordllama,
)
from tessera.planner.extraction import embedding as embedding_module
from tessera.taxonomy.parsers import parse_builtin

BUILTIN = Path(__file__).resolve().parents[3] / "src/tessera/taxonomy/data/tessera_skills.csv"
PYTHON = "http://example.org/skill/python"
UNIT_TESTS = "http://example.org/skill/unit-testing"
TEST_AUTOMATION = "http://example.org/skill/test-automation"
DATAVIZ = "http://example.org/skill/data-visualisation"
FRONT_END = "http://example.org/skill/front-end"
ML = "http://example.org/skill/machine-learning"
CV = "http://example.org/skill/computer-vision"
MATHS = "http://example.org/skill/maths-teaching"
BLOOD = "http://example.org/skill/blood-sampling"
SKILLS = [
    SkillEntry(PYTHON, "Python programming", ("Python development", "Python 3")),
    SkillEntry(UNIT_TESTS, "Unit testing", ("pytest", "JUnit")),
    SkillEntry(TEST_AUTOMATION, "Test automation", ("automated testing", "QA automation")),
    SkillEntry(DATAVIZ, "Data visualisation tools", ("dashboards", "BI visualisation")),
    SkillEntry(FRONT_END, "Front-end development", ("UI development",)),
    SkillEntry(ML, "Machine learning", ("ML", "statistical learning")),
    SkillEntry(CV, "Computer vision", ("image recognition", "CV")),
    SkillEntry(MATHS, "Mathematics teaching", ("maths teaching", "numeracy teaching")),
    SkillEntry(BLOOD, "Blood sampling", ("phlebotomy", "venepuncture")),
]


@pytest.fixture(scope="module")
def extractor() -> SkillExtractor:
    return SkillExtractor(SKILLS)


def by_uri(found: list[ExtractedSkill]) -> dict[str, ExtractedSkill]:
    return {skill.uri: skill for skill in found}


def test_exact_label_is_found_with_its_phrase_and_span(extractor: SkillExtractor) -> None:
    text = "You will need solid Python programming and a taste for clean code."
    [skill] = extractor.extract(text)
    assert skill.uri == PYTHON
    assert skill.label == "Python programming"
    assert skill.method is Method.LEXICAL
    assert skill.phrase == "Python programming"
    assert skill.span == (20, 38)
    assert text[skill.start : skill.end] == skill.phrase
    assert skill.confidence >= 0.85


def test_alternative_label_is_found_with_its_own_wording(extractor: SkillExtractor) -> None:
    text = "Experience of venepuncture in a busy clinic is essential."
    [skill] = extractor.extract(text)
    assert (skill.uri, skill.phrase, skill.method) == (BLOOD, "venepuncture", Method.LEXICAL)
    assert text[skill.start : skill.end] == "venepuncture"


@pytest.mark.parametrize(
    ("text", "uri", "phrase"),
    [
        ("UNIT TESTING is part of every change.", UNIT_TESTS, "UNIT TESTING"),
        ("Build a Dashboard for the sales team.", DATAVIZ, "Dashboard"),
        ("We use several data visualization tools.", DATAVIZ, "data visualization tools"),
        ("Strong frontend development skills.", FRONT_END, "frontend development"),
        ("Strong front end development skills.", FRONT_END, "front end development"),
        ("Strong front-end development skills.", FRONT_END, "front-end development"),
        ("We run pytest on every commit.", UNIT_TESTS, "pytest"),
    ],
)
def test_case_plural_spelling_and_hyphen_variants_are_found_lexically(
    extractor: SkillExtractor, text: str, uri: str, phrase: str
) -> None:
    found = by_uri(extractor.extract(text))
    assert found[uri].phrase == phrase
    assert found[uri].method is Method.LEXICAL


def test_a_variant_ranks_below_the_label_as_written(extractor: SkillExtractor) -> None:
    exact = by_uri(extractor.extract("data visualisation tools"))[DATAVIZ]
    variant = by_uri(extractor.extract("data visualization tool"))[DATAVIZ]
    assert exact.confidence > variant.confidence


@pytest.mark.parametrize(
    ("text", "uri"),
    [
        ("Write automated tests for the trickier parts of the checkout.", TEST_AUTOMATION),
        ("Teach mathematics to pupils aged 11 to 16.", MATHS),
        ("Take blood samples from adults and children.", BLOOD),
        ("Strong programming in Python, ideally with some data work.", PYTHON),
    ],
)
def test_a_paraphrase_is_found_semantically(
    extractor: SkillExtractor, text: str, uri: str
) -> None:
    found = by_uri(extractor.extract(text))
    assert found[uri].method is Method.SEMANTIC
    assert text[found[uri].start : found[uri].end] == found[uri].phrase
    assert uri not in by_uri(extractor.extract(text, semantic=False))


def test_unrelated_text_finds_no_skill(extractor: SkillExtractor) -> None:
    text = (
        "The weather in Lisbon was warm all week. We walked along the river, ate grilled "
        "sardines by the harbour and took the old tram up the hill to watch the sunset."
    )
    assert extractor.extract(text) == []


def test_one_word_of_a_phrase_is_not_enough(extractor: SkillExtractor) -> None:
    # "machine" and "learning" apart, and "testing" alone, do not make the skills.
    text = "The machine room is noisy. Learning the ropes takes a week. Testing times."
    assert extractor.extract(text) == []


def test_results_are_ordered_by_confidence(extractor: SkillExtractor) -> None:
    text = (
        "Python programming is a must. You will build dashboards. "
        "Experience with ML and with automated tests is welcome."
    )
    found = extractor.extract(text)
    assert [s.confidence for s in found] == sorted((s.confidence for s in found), reverse=True)
    confidence = {s.uri: s.confidence for s in found}
    # Label > alternative label > lone acronym > semantic match.
    assert confidence[PYTHON] > confidence[DATAVIZ] > confidence[ML] > confidence[TEST_AUTOMATION]
    assert by_uri(found)[TEST_AUTOMATION].method is Method.SEMANTIC


def test_each_skill_is_reported_once_with_its_surest_match(extractor: SkillExtractor) -> None:
    text = (
        "Python development and Python programming, more Python programming, and "
        "programming in Python again."
    )
    [skill] = extractor.extract(text)
    assert skill.uri == PYTHON
    assert skill.method is Method.LEXICAL
    assert skill.phrase == "Python programming"  # the label beats the alternative label
    assert skill.start == text.index("Python programming")


def test_a_phrase_never_runs_across_punctuation(extractor: SkillExtractor) -> None:
    assert extractor.extract("We like unit. Testing is someone else's job.") == []
    assert extractor.extract("Unit\ntesting") == []


def test_acronyms_must_be_written_in_capitals(extractor: SkillExtractor) -> None:
    assert ML in by_uri(extractor.extract("Two years of ML in production."))
    assert extractor.extract("Add 5 ml of water.") == []


def test_min_confidence_drops_the_less_certain(extractor: SkillExtractor) -> None:
    text = "Python programming and automated tests."
    assert {s.uri for s in extractor.extract(text)} == {PYTHON, TEST_AUTOMATION}
    assert {s.uri for s in extractor.extract(text, min_confidence=0.7)} == {PYTHON}


def test_a_stricter_semantic_threshold_finds_fewer(extractor: SkillExtractor) -> None:
    text = "Write automated tests and teach mathematics."
    assert len(extractor.extract(text, semantic_threshold=1.01)) == 0
    assert len(extractor.extract(text)) == 2


@pytest.mark.parametrize("text", ["", "   ", "\n\t \n"])
def test_empty_text_is_refused(extractor: SkillExtractor, text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        extractor.extract(text, field="posting")
    assert [p.field for p in error.value.problems] == ["posting"]
    assert "empty" in error.value.detail


def test_an_overlong_text_is_refused(extractor: SkillExtractor) -> None:
    extractor.extract("Python programming " * (MAX_TEXT_CHARS // 20))  # just under: fine
    with pytest.raises(InvalidInput) as error:
        extractor.extract("x" * (MAX_TEXT_CHARS + 1))
    assert [p.field for p in error.value.problems] == ["text"]
    # A 10 MB posting is refused by its length, before any work.
    with pytest.raises(InvalidInput, match="too long"):
        extractor.extract("Python programming. " * 500_000)


def test_a_lexical_only_extractor_needs_no_model() -> None:
    lexical = SkillExtractor(SKILLS, semantic=False)
    assert not lexical.has_semantic
    found = lexical.extract("Python programming and automated tests.")
    assert [s.uri for s in found] == [PYTHON]


def test_skills_come_from_records_rows_or_entries() -> None:
    class Row:  # as the database stores a skill: alternative labels one per line
        uri = "http://example.org/skill/row"
        label = "Sterilisation of medical equipment"
        alt_labels = "decontamination\nautoclaving\n"

    records = parse_builtin(BUILTIN)
    extractor = SkillExtractor([*records, Row()], semantic=False)
    assert len(extractor) == len(records) + 1
    found = by_uri(extractor.extract("Autoclaving and hand hygiene."))
    assert found["http://example.org/skill/row"].phrase == "Autoclaving"


def test_an_empty_taxonomy_finds_nothing() -> None:
    empty = SkillExtractor([])
    assert len(empty) == 0
    assert empty.extract("Python programming and automated tests.") == []


def test_a_repeated_uri_keeps_its_first_entry() -> None:
    extractor = SkillExtractor(
        [SkillEntry(PYTHON, "Python programming"), SkillEntry(PYTHON, "Snake charming")],
        semantic=False,
    )
    assert len(extractor) == 1
    assert extractor.extract("Snake charming") == []


def test_the_model_is_loaded_once_and_leaves_logging_alone() -> None:
    assert wordllama() is wordllama()
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    embedding_module._load_offline()  # imports wordllama again: its basicConfig is undone
    assert (list(root.handlers), root.level) == before


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Python", "programming", "unit", "tests", "testing", "ML", "ml", "front-end",
             "dashboards", "teach", "mathematics", "blood", "samples", "the", "and", ".", ",",
             "\n", "Gestión", "é", "C++", "'s", "—", "automated", "x"]
        ) | st.text(max_size=8),
        max_size=60,
    ).map(" ".join)
)
def test_any_text_gives_consistent_results(extractor: SkillExtractor, text: str) -> None:
    if not text.strip():
        return
    found = extractor.extract(text)
    assert len({s.uri for s in found}) == len(found)
    assert [s.confidence for s in found] == sorted((s.confidence for s in found), reverse=True)
    for skill in found:
        assert 0.0 <= skill.confidence <= 1.0
        assert text[skill.start : skill.end] == skill.phrase
        assert skill.phrase.strip()
