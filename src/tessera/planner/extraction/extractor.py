"""SkillExtractor: the taxonomy skills an English text (a job posting, a CV) asks for.

Built once per taxonomy (the built-in 325 skills in milliseconds; ESCO's 14,000 in a few
seconds, most of it embedding their words), then used for any number of texts, from any
number of threads (extraction only reads the indexes).

Two ways of finding a skill, and how sure each is:
- lexical: a label or alternative label, as the taxonomy writes it up to case, plurals,
  hyphens and British/American spelling (`lexical`). Confidence 0.75-0.9.
- semantic: the words of a label or alternative label have similar words (WordLlama) in one
  stretch of the text, in any order (`semantic`). Confidence 0.5-0.65, scaled from the score.
A skill found both ways is reported once, as found lexically; results are sorted by confidence.
The confidences are roughly the share of such matches that were right on the labelled
postings (bench/data/postings.jsonl), so a caller can choose its own cut-off.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from tessera.errors import FieldProblem, InvalidInput
from tessera.planner.extraction.embedding import EmbeddingModel, wordllama
from tessera.planner.extraction.lexical import LexicalIndex, LexicalMatch
from tessera.planner.extraction.semantic import SemanticIndex, SemanticMatch
from tessera.planner.extraction.text import Word, words

# A long CV or posting is 2,000-10,000 characters; anything near this is not one, and is
# refused before any work (a 10 MB upload is rejected in microseconds).
MAX_TEXT_CHARS = 100_000
# The semantic score a match needs (0-1): the value that maximised F1 on either half of the
# labelled postings, tuned separately (see docs/adr/0008-skill-extraction.md).
SEMANTIC_THRESHOLD = 0.675

# Confidences, set near the share of such matches that were right on the labelled postings
# (bench/bench_extraction.py prints it): about 0.88 for labels and alternative labels, about
# 0.64 for semantic matches, whatever their score above the threshold.
LABEL = 0.9  # the preferred label, written as the taxonomy writes it (case aside)
LABEL_VARIANT = 0.88  # the preferred label through plurals, hyphens or spelling
ALT_LABEL = 0.88
ALT_LABEL_VARIANT = 0.85
# A lone acronym alternative label ("ML", "CV"): right every time on the labelled postings,
# but "send us your CV" is not computer vision, so it ranks below spelled-out names.
ACRONYM = 0.75
SEMANTIC_LOW = 0.5  # at the threshold
SEMANTIC_HIGH = 0.65  # at a perfect score (every word found, in another order or form)


class Method(StrEnum):
    LEXICAL = "lexical"
    SEMANTIC = "semantic"


class SkillLike(Protocol):
    """A skill of any taxonomy: a parser's SkillRecord, a database row, a SkillEntry."""

    @property
    def uri(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def alt_labels(self) -> Sequence[str] | str:
        """Alternative labels: a sequence, or one string with one label per line."""
        ...


@dataclass(frozen=True, slots=True)
class SkillEntry:
    """The simplest SkillLike."""

    uri: str
    label: str
    alt_labels: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExtractedSkill:
    """One skill found in a text, with the phrase that gave it away."""

    uri: str
    label: str
    confidence: float  # 0-1
    phrase: str  # as written in the text: text[start:end]
    start: int
    end: int
    method: Method

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


class SkillExtractor:
    """Finds the skills of one taxonomy in texts; build once, extract many times."""

    def __init__(
        self,
        skills: Iterable[SkillLike],
        *,
        semantic: bool = True,
        model: EmbeddingModel | None = None,
        semantic_threshold: float = SEMANTIC_THRESHOLD,
    ) -> None:
        """Index `skills` (a repeated URI keeps its first entry). With `semantic` (the
        default) also embed their words with `model`, WordLlama unless another is given."""
        self._uris: list[str] = []
        self._labels: list[str] = []
        self._lexical = LexicalIndex()
        phrases: list[tuple[int, str]] = []
        seen: set[str] = set()
        for skill in skills:
            if skill.uri in seen:
                continue
            seen.add(skill.uri)
            index = len(self._uris)
            self._uris.append(skill.uri)
            self._labels.append(skill.label)
            self._lexical.add(index, skill.label, is_label=True)
            phrases.append((index, skill.label))
            for alt in _alt_labels(skill.alt_labels):
                self._lexical.add(index, alt, is_label=False)
                phrases.append((index, alt))
        self._threshold = semantic_threshold
        self._semantic = SemanticIndex(model or wordllama(), phrases) if semantic else None

    def __len__(self) -> int:
        """How many skills the extractor knows."""
        return len(self._uris)

    @property
    def has_semantic(self) -> bool:
        return self._semantic is not None

    def extract(
        self,
        text: str,
        *,
        semantic: bool = True,
        semantic_threshold: float | None = None,
        min_confidence: float = 0.0,
        field: str = "text",
    ) -> list[ExtractedSkill]:
        """The skills `text` mentions, most certain first, each once.

        `semantic=False` keeps to lexical matches (also when built without the model);
        `semantic_threshold` replaces the extractor's for this call (0-1, higher is stricter).
        Raises InvalidInput, naming `field`, for an empty or over-long text.
        """
        threshold = self._threshold if semantic_threshold is None else semantic_threshold
        check_text(text, field)
        text_words = words(text)
        found: dict[int, ExtractedSkill] = {}
        lexical = self._lexical.find(text_words)
        for match in lexical:
            self._keep(found, match.skill, _lexical_confidence(match), text, text_words,
                       match.first, match.stop, Method.LEXICAL)
        if semantic and self._semantic is not None:
            for semantic_match in self._semantic.find(text_words, threshold):
                if semantic_match.skill not in found and not _inside(semantic_match, lexical):
                    confidence = _semantic_confidence(semantic_match, threshold)
                    self._keep(found, semantic_match.skill, confidence,
                               text, text_words, semantic_match.first, semantic_match.stop,
                               Method.SEMANTIC)
        results = [skill for skill in found.values() if skill.confidence >= min_confidence]
        return sorted(results, key=lambda s: (-s.confidence, s.start, s.label))

    def _keep(
        self, found: dict[int, ExtractedSkill], skill: int, confidence: float, text: str,
        text_words: Sequence[Word], first: int, stop: int, method: Method,
    ) -> None:
        """Record a match unless the skill was already found at least as surely."""
        previous = found.get(skill)
        if previous is not None and previous.confidence >= confidence:
            return
        start, end = text_words[first].start, text_words[stop - 1].end
        found[skill] = ExtractedSkill(
            self._uris[skill], self._labels[skill], round(confidence, 3), text[start:end],
            start, end, method,
        )



def check_text(text: str, field: str = "text") -> None:
    """Refuse what cannot be a posting or a CV: nothing, or more than MAX_TEXT_CHARS."""
    if len(text) > MAX_TEXT_CHARS:  # first: len() is free, scanning 10 MB is not
        raise InvalidInput(
            f"The text is too long ({len(text):,} characters; at most {MAX_TEXT_CHARS:,}).",
            [FieldProblem(field, f"must be at most {MAX_TEXT_CHARS:,} characters")],
        )
    if not text.strip():
        raise InvalidInput("The text is empty.", [FieldProblem(field, "must not be empty")])


def _inside(match: SemanticMatch, lexical: Sequence[LexicalMatch]) -> bool:
    """Whether the words of a semantic match all belong to one lexical match: they are then
    part of a name already recognised ("management system" in "quality management system",
    "design for learning" in "Universal Design for Learning"), not a skill of their own."""
    return any(m.first <= match.first and match.stop <= m.stop for m in lexical)


def _lexical_confidence(match: LexicalMatch) -> float:
    if match.acronym and not match.is_label:
        return ACRONYM
    if match.is_label:
        return LABEL if match.exact else LABEL_VARIANT
    return ALT_LABEL if match.exact else ALT_LABEL_VARIANT


def _semantic_confidence(match: SemanticMatch, threshold: float) -> float:
    share = (match.score - threshold) / max(1e-9, 1.0 - threshold)
    return SEMANTIC_LOW + (SEMANTIC_HIGH - SEMANTIC_LOW) * min(1.0, max(0.0, share))


def _alt_labels(value: Sequence[str] | str) -> list[str]:
    """Alternative labels from a sequence or from one newline-separated string (as the
    database stores them), trimmed, without empty ones."""
    labels = value.splitlines() if isinstance(value, str) else value
    return [label.strip() for label in labels if label.strip()]
