"""Words of English text with their character spans, and the normal form they are matched in.

Matching happens on normal forms, so "REST APIs", "rest api" and "Rest-API" meet: letters are
casefolded and stripped of accents, hyphens and slashes split words, possessives and plurals
are reduced, and American spellings become British (the taxonomies are British English).
Stemming stops there on purpose: reducing "rendering" to "render" or "modelling" to "model"
would turn ordinary verbs into skills ("render pages" is not 3D rendering); the embedding model
covers such variants, with a confidence that says it is less sure.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_QUOTES = "\"'\u2018\u2019\u201c\u201d"  # straight and typographic quotes
# A word: letters and digits, inner apostrophes (don't), a trailing ++ or # (C++, C#).
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*(?:\+\+|#)?")
# What may stand between two words of one phrase: spaces, quotes, one hyphen, slash or "&".
# Anything else (a full stop, a comma, a line break, a bullet) ends a phrase.
_SOFT_GAP = re.compile(f"[ \t{_QUOTES}]*[-/&]?[ \t{_QUOTES}]*")
_POSSESSIVE = re.compile(r"['\u2019]s$")
_ACRONYM_PLURAL = re.compile(r"^[A-Z0-9]*[A-Z][A-Z0-9]*s$")  # APIs, KPIs, LLMs
# The longest all-capital word taken for an acronym (see Word.is_acronym).
MAX_ACRONYM = 5

# American spellings common in job postings, and their British forms.
_SPELLING = {
    "color": "colour",
    "colors": "colours",
    "behavior": "behaviour",
    "behaviors": "behaviours",
    "center": "centre",
    "centers": "centres",
    "catalog": "catalogue",
    "program": "programme",
    "programs": "programmes",
    "license": "licence",
    "defense": "defence",
    "favor": "favour",
    "labor": "labour",
    "pediatric": "paediatric",
    "anesthesia": "anaesthesia",
    "esthetics": "aesthetics",
    "orthopedic": "orthopaedic",
    "fulfill": "fulfil",
    "enroll": "enrol",
    "modeling": "modelling",
    "modeled": "modelled",
    "labeling": "labelling",
    "traveling": "travelling",
    "counseling": "counselling",
    "counselor": "counsellor",
    "canceled": "cancelled",
}
# -ize/-yze and their derivatives become -ise/-yse (organize, organization, analyze).
_IZE = re.compile(r"(?<=[a-z]{2})(i|y)z(e|es|ed|ing|ation|ations|er|ers)$")
# Words ending in s that are not plurals (analysis, status, business, gas, ...).
_NOT_PLURAL = re.compile(r"(ss|us|is|ous|ics|as|os|ys|'s)$")


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a text: as written, its normal form, and where it is."""

    text: str
    norm: str
    start: int
    end: int
    joined: bool  # only a soft gap separates it from the previous word

    @property
    def is_upper(self) -> bool:
        """Written in capitals: at least one letter, no lowercase."""
        return self.text.upper() == self.text and any(c.isalpha() for c in self.text)

    @property
    def is_acronym(self) -> bool:
        """A short word in capitals ("ML", "CV", "GDPR"): matched only as written, in
        capitals; longer ones (PRINCE2, MATLAB) are ordinary words written loudly."""
        return self.is_upper and len(self.text) <= MAX_ACRONYM


def fold(text: str) -> str:
    """Casefolded, accents stripped (Gestión -> gestion), compatibility forms unified."""
    if text.isascii():
        return text.lower()  # the same, and most words are ASCII
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 16)  # taxonomies and postings repeat their words a great deal
def normal_form(word: str) -> str:
    """The matching key of one word: folded, singular, British."""
    if _ACRONYM_PLURAL.match(word) and len(word) > 2:
        return fold(word[:-1])
    folded = _POSSESSIVE.sub("", fold(word)).replace("'", "").replace("\u2019", "")
    folded = _SPELLING.get(folded, folded)
    folded = _IZE.sub(r"\1s\2", folded)
    return _singular(folded)


def _singular(word: str) -> str:
    if len(word) <= 3 or not word.endswith("s") or _NOT_PLURAL.search(word):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"  # studies -> study
    if word.endswith("sses"):
        return word[:-2]  # processes -> process
    if word.endswith(("ches", "shes", "xes", "zes")):
        return word[:-2]  # approaches -> approach
    return word[:-1]  # models -> model, APIs -> api


def words(text: str) -> list[Word]:
    """Every word of `text` in order, with its character span."""
    found: list[Word] = []
    previous_end = None
    for match in _WORD.finditer(text):
        norm = normal_form(match.group())
        if not norm:
            continue
        joined = previous_end is not None and bool(
            _SOFT_GAP.fullmatch(text, previous_end, match.start())
        )
        found.append(Word(match.group(), norm, match.start(), match.end(), joined))
        previous_end = match.end()
    return found
