"""Exact phrase matching of skill labels and alternative labels, on normal forms.

Every way of writing a skill (its label, each alternative label, and hyphenated words both
split and joined: "front-end" and "frontend") becomes a tuple of normal forms in one hash
table, so a text is scanned in one pass whatever the size of the taxonomy: at each word, only
the phrase lengths that start with that word are looked up, longest first, and the longest
match wins (at "Lean Six Sigma", Six Sigma, not lean management). A skill whose phrase is
also another's (ESCO repeats alternative labels) is found for both. A text's hyphenated
compounds are also tried as one word ("e-mail marketing" finds "Email marketing",
"micro-learning" finds "microlearning"), where the split reading found nothing.

Short capitalised acronyms ("ML", "CV", "PM") must be capitalised in the text as well, or
every "pm" and "cv" in lower case would count; they are still ambiguous ("send us your CV"),
so `LexicalMatch.acronym` tells the caller to be careful with them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from tessera.planner.extraction.text import Word, normal_form, words

_INNER_HYPHEN = re.compile(r"(?<=[^\W_])-(?=[^\W_])")


@dataclass(frozen=True, slots=True)
class Phrase:
    """One way of writing one skill."""

    skill: int  # position of the skill in the extractor's list
    is_label: bool  # the preferred label, not an alternative
    capitals: tuple[bool, ...]  # per word: must be capitalised in the text
    acronym: bool  # a single short acronym, ambiguous on its own


@dataclass(frozen=True, slots=True)
class LexicalMatch:
    skill: int
    first: int  # index of the first matched word
    stop: int  # index after the last matched word
    is_label: bool
    acronym: bool
    exact: bool  # written exactly as the taxonomy writes it, apart from case


class LexicalIndex:
    """Normal-form phrases of many skills, looked up word by word."""

    def __init__(self) -> None:
        self._phrases: dict[tuple[str, ...], list[Phrase]] = defaultdict(list)
        # For each first word, the phrase lengths starting with it, longest first.
        self._lengths: dict[str, list[int]] = {}
        self._written: dict[tuple[int, tuple[str, ...]], str] = {}

    def add(self, skill: int, phrase: str, *, is_label: bool) -> None:
        for variant in _variants(phrase):
            found = words(variant)
            if not found:
                continue
            key = tuple(w.norm for w in found)
            capitals = tuple(w.is_acronym for w in found)
            entry = Phrase(skill, is_label, capitals, len(found) == 1 and capitals[0])
            existing = self._phrases[key]
            if any(p.skill == skill and (p.is_label or not is_label) for p in existing):
                continue  # already there, as well or better (a label beats an alt label)
            existing[:] = [p for p in existing if p.skill != skill] + [entry]
            self._written[(skill, key)] = " ".join(w.text.casefold() for w in found)
            lengths = self._lengths.setdefault(key[0], [])
            if len(key) not in lengths:
                lengths.append(len(key))
                lengths.sort(reverse=True)

    def find(self, text_words: Sequence[Word]) -> list[LexicalMatch]:
        """Leftmost-longest matches; overlapping shorter phrases are not reported. Then the
        same with hyphenated compounds joined into one word, for what that finds elsewhere."""
        matches = self._scan(text_words)
        if not any(w.hyphenated for w in text_words):
            return matches
        compounds, origins = _join_hyphenated(text_words)
        taken = {i for m in matches for i in range(m.first, m.stop)}
        found = {m.skill for m in matches}
        for match in self._scan(compounds):
            first, stop = origins[match.first][0], origins[match.stop - 1][1]
            if match.skill in found or taken.intersection(range(first, stop)):
                continue  # the split reading already named these words
            matches.append(replace(match, first=first, stop=stop))
        return matches

    def _scan(self, text_words: Sequence[Word]) -> list[LexicalMatch]:
        matches: list[LexicalMatch] = []
        position = 0
        while position < len(text_words):
            matched = self._longest(text_words, position)
            if not matched:
                position += 1
                continue
            for match in matched:
                matches.append(match)
            position = matched[0].stop
        return matches

    def _longest(self, text_words: Sequence[Word], first: int) -> list[LexicalMatch]:
        for length in self._lengths.get(text_words[first].norm, ()):
            stop = first + length
            if stop > len(text_words):
                continue
            span = text_words[first:stop]
            if not all(w.joined for w in span[1:]):
                continue  # a phrase never runs across punctuation or a line break
            key = tuple(w.norm for w in span)
            phrases = self._phrases.get(key)
            if not phrases:
                continue
            written = " ".join(w.text.casefold() for w in span)
            found = [
                LexicalMatch(
                    p.skill, first, stop, p.is_label, p.acronym,
                    exact=self._written.get((p.skill, key)) == written,
                )
                for p in phrases
                if all(w.is_upper or not cap for w, cap in zip(span, p.capitals, strict=True))
            ]
            if found:
                return found
        return []


def _join_hyphenated(text_words: Sequence[Word]) -> tuple[list[Word], list[tuple[int, int]]]:
    """The words with each hyphenated compound made one word ("co-ordination" ->
    "coordination"), and for each, the range of original word indexes it covers."""
    joined: list[Word] = []
    origins: list[tuple[int, int]] = []
    for index, word in enumerate(text_words):
        if word.hyphenated and joined:
            last = joined[-1]
            text = last.text + word.text
            joined[-1] = Word(text, normal_form(text), last.start, word.end, last.joined)
            origins[-1] = (origins[-1][0], index + 1)
        else:
            joined.append(word)
            origins.append((index, index + 1))
    return joined, origins


def _variants(phrase: str) -> Iterable[str]:
    """The phrase, and with hyphenated words joined ("front-end" -> "frontend")."""
    yield phrase
    joined = _INNER_HYPHEN.sub("", phrase)
    if joined != phrase:
        yield joined
