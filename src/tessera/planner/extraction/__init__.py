"""Skill extraction: which taxonomy skills an English job posting or CV asks for.

Pure (no database, no web): build a `SkillExtractor` from any skills (uri, label, alternative
labels), then `extract(text)` returns `ExtractedSkill`s with a confidence, the phrase and its
character span, and whether it was found lexically or semantically.

    text      words, spans and their normal forms (case, plurals, hyphens, spelling)
    lexical   exact phrase matching of labels and alternative labels, one pass per text
    semantic  word-by-word alignment of skill phrases with stretches of the text (WordLlama)
    embedding the WordLlama model, loaded offline and lazily, once per process
    extractor SkillExtractor: both combined, deduplicated, ranked; input checks

Why this design and how well it does: docs/adr/0008-skill-extraction.md, bench/bench_extraction.py.
"""

from __future__ import annotations

from tessera.planner.extraction.embedding import EmbeddingModel, WordLlamaModel, wordllama
from tessera.planner.extraction.extractor import (
    MAX_TEXT_CHARS,
    SEMANTIC_THRESHOLD,
    ExtractedSkill,
    Method,
    SkillEntry,
    SkillExtractor,
    SkillLike,
    check_text,
)

__all__ = [
    "MAX_TEXT_CHARS",
    "SEMANTIC_THRESHOLD",
    "EmbeddingModel",
    "ExtractedSkill",
    "Method",
    "SkillEntry",
    "SkillExtractor",
    "SkillLike",
    "WordLlamaModel",
    "check_text",
    "wordllama",
]
