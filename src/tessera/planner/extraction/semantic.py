"""Paraphrase matching: skill phrases aligned word by word with short stretches of a text.

WordLlama embeds a text as the mean of its tokens, so a whole n-gram compared with a whole
label rewards partial overlap: "budget" lands close to "Budget management", "digital" to
"Digital marketing" (measured on the labelled postings: F1 0.63 at best). Instead each word of
a skill phrase looks for a similar word (cosine >= `word_floor`) in one stretch of the text
(no punctuation inside, at most `slack` words longer than the phrase, any order), and the
score is the mean of those similarities weighted by how rare each phrase word is across the
taxonomy (IDF), a missing word counting zero, the rarest word being required. So "automated
tests" matches "test automation", "Teach mathematics" "mathematics teaching", "Python"
"Python programming" (the rare word carries the phrase), while "management" alone matches
nothing. Only phrases of two or more words are matched this way. Function words are ignored
on both sides; acronyms match only themselves, in capitals (an embedding of "CV" cannot know
which CV is meant).

Per text: one matrix product (the text's distinct words against the taxonomy's distinct
words), a vectorised bound that discards every phrase whose best conceivable score is below
the threshold, and a search for the best stretch for the few phrases left.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tessera.planner.extraction.embedding import EmbeddingModel
from tessera.planner.extraction.text import Word, words

# Function words: they neither need nor give a match.
STOPWORDS = frozenset(
    """a about above across after again against all also am an and any are as at be because
    been before being below between both but by can could did do does doing down during each
    either etc every few for from further had has have having he her here hers him his how i
    if in into is it its itself just may me might more most much must my neither no nor not
    now of off on once only or other our ours out over own per plus rather same shall she
    should so some such than that the their theirs them then there these they this those
    though through to too under until up upon us very via was we were what when where whether
    which while who whom whose why will with within without would yet you your yours""".split()
)
# Tuned on the labelled postings (bench/data): below 0.5 unrelated words start to pair up
# (0.3-0.45 is typical for unrelated pairs), above it morphological variants drop out.
WORD_FLOOR = 0.5
SLACK = 3

Partners = list[tuple[int, float]]  # (word position in the text, similarity)


@dataclass(frozen=True, slots=True)
class SemanticMatch:
    skill: int
    first: int  # index of the first word of the matched stretch
    stop: int  # index after its last word
    score: float  # IDF-weighted mean similarity of the phrase's words, 0-1


class SemanticIndex:
    """The content words of every phrase of every skill, embedded and weighted once."""

    def __init__(
        self,
        model: EmbeddingModel,
        phrases: Sequence[tuple[int, str]],
        *,
        word_floor: float = WORD_FLOOR,
        slack: int = SLACK,
    ) -> None:
        self._model = model
        self._word_floor = word_floor
        self._slack = slack
        self._vocabulary: dict[str, int] = {}
        surfaces: list[str] = []
        skills: list[int] = []
        phrase_words: list[int] = []
        starts = [0]
        for skill, phrase in phrases:
            keys = dict(_key(w) for w in words(phrase) if w.norm not in STOPWORDS)
            if len(keys) < 2:
                # A lone word is left to lexical matching (which handles its plural): its
                # nearest words in a static embedding are its derivations, which name another
                # thing as often as the same one (tutor/tutoring, recruiting/recruitment).
                continue
            for key, surface in keys.items():
                if key not in self._vocabulary:
                    self._vocabulary[key] = len(surfaces)
                    surfaces.append(surface)
                phrase_words.append(self._vocabulary[key])
            skills.append(skill)
            starts.append(len(phrase_words))
        # Phrases as one flat array of vocabulary ids cut at `starts` (CSR layout), so that
        # per-phrase sums over all phrases are single numpy calls.
        self._skills = np.asarray(skills, dtype=np.int64)
        self._words = np.asarray(phrase_words, dtype=np.int64)
        self._starts = np.asarray(starts, dtype=np.int64)
        self._lengths = np.diff(self._starts)
        # IDF over skills' phrases: "management" or "design" says little, "Kubernetes" a lot.
        frequency = np.bincount(self._words, minlength=len(surfaces))
        idf = np.log((1.0 + len(skills)) / (1.0 + frequency)) + 1.0
        self._weights = idf[self._words]
        self._totals = np.add.reduceat(self._weights, self._starts[:-1]) if skills else idf
        # Where in each phrase its most telling word is: a match must include it.
        self._anchor_at = np.asarray(
            [int(np.argmax(self._weights[a:b])) for a, b in itertools.pairwise(starts)],
            dtype=np.int64,
        )
        self._anchors = self._words[self._starts[:-1] + self._anchor_at]
        self._vectors = model.embed(surfaces) if surfaces else np.zeros((0, model.dim), np.float32)
        # Acronyms are never compared by embedding: a zero vector is similar to nothing.
        self._vectors[[k.startswith("=") for k in self._vocabulary]] = 0.0

    def find(self, text_words: Sequence[Word], threshold: float) -> list[SemanticMatch]:
        """The best match of each skill whose score reaches `threshold`."""
        positions = [i for i, w in enumerate(text_words) if w.norm not in STOPWORDS]
        if not positions or not len(self._skills):
            return []
        similarity, rows = self._similarity(text_words, positions)
        best_word = similarity.max(axis=0)
        best_word[best_word < self._word_floor] = 0.0  # no partner
        # The score each phrase would get if all its partners sat side by side: an upper
        # bound, so phrases below the threshold are dropped before any positional work.
        ceiling = np.add.reduceat(best_word[self._words] * self._weights, self._starts[:-1])
        possible = (ceiling >= threshold * self._totals) & (best_word[self._anchors] > 0)
        segment = np.cumsum([not w.joined for w in text_words])
        candidates = self._within_segments(
            np.flatnonzero(possible), similarity, rows, segment[positions], threshold
        )
        if not len(candidates):
            return []
        partners = _partner_lookup(similarity, self._word_floor, rows, positions)
        best: dict[int, SemanticMatch] = {}
        for phrase in candidates.tolist():
            cut = slice(int(self._starts[phrase]), int(self._starts[phrase + 1]))
            found = self._best_stretch(
                [partners(c) for c in self._words[cut].tolist()],
                self._weights[cut].tolist(),
                int(self._anchor_at[phrase]),
                segment,
            )
            if found is None or found.score < threshold:
                continue
            skill = int(self._skills[phrase])
            if skill not in best or found.score > best[skill].score:
                best[skill] = SemanticMatch(skill, found.first, found.stop, found.score)
        return list(best.values())

    def _within_segments(
        self,
        phrases: NDArray[np.int64],
        similarity: NDArray[np.float32],
        rows: list[int],
        segments: NDArray[np.int64],
        threshold: float,
    ) -> NDArray[np.int64]:
        """The `phrases` that could reach `threshold` inside one segment of the text: the
        same bound as in `find`, with partners taken from one segment at a time."""
        if not len(phrases):
            return phrases
        lengths = self._lengths[phrases]
        # The CSR entries of these phrases, laid end to end (a gather without a Python loop).
        local_starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        entries = np.repeat(self._starts[phrases] - local_starts, lengths) + np.arange(
            int(lengths.sum())
        )
        columns, column_of_entry = np.unique(self._words[entries], return_inverse=True)
        # Best similarity of each needed vocabulary word within each segment.
        first_of_segment = np.flatnonzero(np.diff(segments, prepend=-1))
        per_position = similarity[:, columns][np.asarray(rows)]
        best = np.maximum.reduceat(per_position, first_of_segment, axis=0)
        best[best < self._word_floor] = 0.0
        bound = np.add.reduceat(
            best[:, column_of_entry] * self._weights[entries], local_starts, axis=1
        )
        anchored = best[:, column_of_entry[local_starts + self._anchor_at[phrases]]] > 0
        reachable = (bound >= threshold * self._totals[phrases]) & anchored
        return phrases[reachable.any(axis=0)]

    def _similarity(
        self, text_words: Sequence[Word], positions: list[int]
    ) -> tuple[NDArray[np.float32], list[int]]:
        """Cosine of each distinct text word to each vocabulary word, and the row of the
        word at each position."""
        row_of: dict[str, int] = {}
        surfaces: list[str] = []
        rows: list[int] = []
        for position in positions:
            key, surface = _key(text_words[position])
            if key not in row_of:
                row_of[key] = len(surfaces)
                surfaces.append(surface)
            rows.append(row_of[key])
        similarity = self._model.embed(surfaces) @ self._vectors.T
        for key, row in row_of.items():
            if key.startswith("="):
                similarity[row] = 0.0  # an acronym in the text matches only itself
            for same in (key, key.removeprefix("=")):
                column = self._vocabulary.get(same)
                if column is not None:
                    similarity[row, column] = 1.0
        return similarity, rows

    def _best_stretch(
        self,
        partners: list[Partners],
        weights: list[float],
        anchor: int,
        segment: NDArray[np.int64],
    ) -> SemanticMatch | None:
        """The best-scoring stretch around a partner of the phrase's rarest word: for every
        other phrase word, its most similar partner nearby in the same segment (if any)."""
        width = len(partners) + self._slack
        if not partners[anchor]:
            return None  # the phrase's most telling word is missing: "work" is not
            # "work independently", though "Python" is "Python programming"
        total = sum(weights)
        best: SemanticMatch | None = None
        for position, value in partners[anchor]:
            chosen = {position: value * weights[anchor]}
            for index, options in enumerate(partners):
                if index == anchor:
                    continue
                near = [
                    (p, v) for p, v in options
                    if p not in chosen and abs(p - position) < width
                    and segment[p] == segment[position]
                ]
                if near:
                    where, similar = max(near, key=lambda option: option[1])
                    chosen[where] = similar * weights[index]
            first, stop = min(chosen), max(chosen) + 1
            score = sum(chosen.values()) / total
            if stop - first <= width and (best is None or score > best.score):
                best = SemanticMatch(-1, first, stop, score)
        return best


def _key(word: Word) -> tuple[str, str]:
    """(vocabulary key, text to embed): acronyms are keyed apart and compared exactly."""
    if word.is_acronym:
        return "=" + word.norm, word.text
    return word.norm, word.text.lower()


def _partner_lookup(
    similarity: NDArray[np.float32], floor: float, rows: list[int], positions: list[int]
) -> Callable[[int], Partners]:
    """A memoised function: vocabulary column -> the text positions of its partners (words
    at least `floor` similar)."""
    positions_of_row: dict[int, list[int]] = defaultdict(list)
    for position, row in zip(positions, rows, strict=True):
        positions_of_row[row].append(position)
    cache: dict[int, Partners] = {}

    def partners(column: int) -> Partners:
        if column not in cache:
            values = similarity[:, column]
            cache[column] = [
                (position, float(values[row]))
                for row in np.flatnonzero(values >= floor).tolist()
                for position in positions_of_row[row]
            ]
        return cache[column]

    return partners
