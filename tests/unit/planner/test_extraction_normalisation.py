"""The normal forms skill phrases are matched in: one test per rule (plurals, hyphens, "&",
British spelling, acronyms), on the lexical matcher alone, plus the rule that keeps a
semantic match inside an already recognised name from counting as a skill of its own."""

from __future__ import annotations

import pytest

from tessera.planner.extraction import SkillEntry, SkillExtractor
from tessera.planner.extraction.lexical import LexicalIndex
from tessera.planner.extraction.text import normal_form, words

PHRASES = {
    "kpi": ("KPI tracking", ("KPIs", "performance metrics")),
    "cicd": ("Continuous integration and delivery", ("CI/CD", "deployment pipelines")),
    "seo": ("Search engine optimisation", ("SEO", "organic search")),
    "email": ("Email marketing", ("email campaigns",)),
    "elearning": ("E-learning", ("online learning",)),
    "frontend": ("Front-end development", ("UI development",)),
    "change": ("Change management", ("organisational change",)),
    "judgement": ("Clinical reasoning", ("clinical judgement",)),
    "ageing": ("Needs of older adults", ("ageing",)),
    "paeds": ("Paediatric nursing", ()),
    "lnd": ("Corporate training", ("learning and development", "L&D")),
    "pnl": ("Reading financial statements", ("P&L",)),
    "microlearning": ("Microlearning design", ("microlearning",)),
    "cloudsec": ("Cloud security and compliance", ()),
}


def found(text: str) -> set[str]:
    """The keys of PHRASES whose skill the lexical matcher finds in `text`."""
    index = LexicalIndex()
    keys = list(PHRASES)
    for position, key in enumerate(keys):
        label, alternatives = PHRASES[key]
        index.add(position, label, is_label=True)
        for alternative in alternatives:
            index.add(position, alternative, is_label=False)
    return {keys[match.skill] for match in index.find(words(text))}


@pytest.mark.parametrize(
    ("word", "norm"),
    [
        ("studies", "study"),
        ("processes", "process"),
        ("approaches", "approach"),
        ("APIs", "api"),
        ("KPIs", "kpi"),
        ("analysis", "analysis"),  # not a plural
        ("business", "business"),
        ("teacher's", "teacher"),
    ],
)
def test_plurals_and_possessives_are_reduced(word: str, norm: str) -> None:
    assert normal_form(word) == norm


@pytest.mark.parametrize(
    ("word", "norm"),
    [
        ("organize", "organise"),
        ("organizational", "organisational"),
        ("analyzing", "analysing"),
        ("behavior", "behaviour"),
        ("judgment", "judgement"),
        ("aging", "ageing"),
        ("pediatrics", "paediatrics"),
        ("color", "colour"),
        ("modeling", "modelling"),
        ("enrollment", "enrolment"),
    ],
)
def test_american_spellings_become_british(word: str, norm: str) -> None:
    assert normal_form(word) == norm


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Track our KPIs weekly.", "kpi"),
        ("Experience with organizational change.", "change"),
        ("Sound clinical judgment.", "judgement"),
        ("Research on aging.", "ageing"),
        ("Pediatric nursing experience.", "paeds"),
    ],
)
def test_plural_and_american_forms_find_the_british_phrase(text: str, key: str) -> None:
    assert key in found(text)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Front end development in React.", "frontend"),  # label hyphenated, text spaced
        ("Frontend development in TypeScript.", "frontend"),  # label hyphenated, text joined
        ("Run our e-mail marketing.", "email"),  # label joined, text hyphenated
        ("Design micro-learning for busy staff.", "microlearning"),
    ],
)
def test_hyphenated_spaced_and_joined_compounds_meet(text: str, key: str) -> None:
    assert key in found(text)


def test_a_lone_capital_letter_is_not_an_acronym() -> None:
    """"E-learning" is a compound, not the acronym "E": lower case finds it too."""
    assert "elearning" in found("Build e-learning modules.")
    assert "elearning" in found("Build E-Learning modules.")


def test_an_ampersand_is_read_as_and() -> None:
    assert "lnd" in found("Our Learning & Development team.")
    assert "lnd" in found("Our learning and development team.")
    assert "lnd" in found("Our L&D team.")
    assert "pnl" in found("You will own the P&L.")
    assert "cloudsec" in found("Cloud security & compliance.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maintain our CI/CD tooling.", {"cicd"}),
        ("Lead our SEO work.", {"seo"}),
        ("We do not care for seo in lower case.", set()),  # an acronym must be in capitals
        ("Report KPIs monthly.", {"kpi"}),
    ],
)
def test_acronyms_are_found_as_written_in_capitals(text: str, expected: set[str]) -> None:
    assert found(text) == expected


def test_a_semantic_match_inside_a_recognised_name_is_dropped() -> None:
    """"management system" inside "quality management system" names the QMS, not an LMS."""
    qms = SkillEntry("urn:qms", "Quality management systems", ("QMS", "ISO 9001"))
    lms = SkillEntry("urn:lms", "Learning management systems", ("LMS", "course platforms"))
    extractor = SkillExtractor([qms, lms])
    text = "Keep our quality management system up to date."
    assert [s.uri for s in extractor.extract(text)] == ["urn:qms"]
    assert [s.uri for s in extractor.extract(text, semantic_threshold=0.3)] == ["urn:qms"]
