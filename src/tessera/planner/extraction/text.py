"""Words of English text with their character spans, and the normal form they are matched in.

Matching happens on normal forms, so "REST APIs", "rest api" and "Rest-API" meet: letters are
casefolded and stripped of accents, hyphens and slashes split words, possessives and plurals
are reduced, "&" is the word "and" ("Learning & Development"), and American spellings become
British (the taxonomies are British English): -ize/-yze words and their derivatives
("organizational"), and a list of common words (behavior, judgment, aging, pediatrics).
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
# A word: letters and digits, inner apostrophes (don't), a trailing ++ or # (C++, C#); or an
# ampersand, which is read as "and" so that "sound & vision" and "sound and vision" meet.
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*(?:\+\+|#)?|&")
# What may stand between two words of one phrase: spaces, quotes, one hyphen or slash.
# Anything else (a full stop, a comma, a line break, a bullet) ends a phrase.
_SOFT_GAP = re.compile(f"[ \t{_QUOTES}]*[-/]?[ \t{_QUOTES}]*")
_POSSESSIVE = re.compile(r"['\u2019]s$")
_ACRONYM_PLURAL = re.compile(r"^[A-Z0-9]*[A-Z][A-Z0-9]*s$")  # APIs, KPIs, LLMs
# The longest all-capital word taken for an acronym (see Word.is_acronym).
MAX_ACRONYM = 5

# American spellings common in job postings, and their British forms.
# Plurals are reduced after this lookup, so only irregular plurals need their own entry.
_SPELLING = {
    # -or / -our
    "color": "colour",
    "colors": "colours",
    "colored": "coloured",
    "behavior": "behaviour",
    "behaviors": "behaviours",
    "behavioral": "behavioural",
    "favor": "favour",
    "labor": "labour",
    "honor": "honour",
    "humor": "humour",
    "neighbor": "neighbour",
    "neighborhood": "neighbourhood",
    # -er / -re, -og / -ogue, -ense / -ence
    "center": "centre",
    "centers": "centres",
    "theater": "theatre",
    "fiber": "fibre",
    "catalog": "catalogue",
    "dialog": "dialogue",
    "analog": "analogue",
    "license": "licence",
    "defense": "defence",
    "offense": "offence",
    # ae / oe in medical words
    "pediatric": "paediatric",
    "pediatrics": "paediatrics",
    "anesthesia": "anaesthesia",
    "anesthetic": "anaesthetic",
    "esthetics": "aesthetics",
    "orthopedic": "orthopaedic",
    "orthopedics": "orthopaedics",
    "hematology": "haematology",
    "gynecology": "gynaecology",
    "edema": "oedema",
    "fetal": "foetal",
    "anemia": "anaemia",
    "leukemia": "leukaemia",
    "estrogen": "oestrogen",
    # doubled or single l, dropped e
    "fulfill": "fulfil",
    "fulfillment": "fulfilment",
    "enroll": "enrol",
    "enrollment": "enrolment",
    "skillful": "skilful",
    "modeling": "modelling",
    "modeled": "modelled",
    "modeler": "modeller",
    "labeling": "labelling",
    "labeled": "labelled",
    "leveling": "levelling",
    "signaling": "signalling",
    "traveling": "travelling",
    "traveled": "travelled",
    "counseling": "counselling",
    "counselor": "counsellor",
    "canceled": "cancelled",
    "judgment": "judgement",
    "aging": "ageing",
    "acknowledgment": "acknowledgement",
    # other
    "program": "programme",
    "programs": "programmes",
    "gray": "grey",
    "practise": "practice",  # British verb and noun differ; postings mix them freely
    "mold": "mould",
}
# -ize/-yze and their derivatives become -ise/-yse (organize, organization, organizational,
# analyze).
_IZE = re.compile(
    r"(?<=[a-z]{2})(i|y)z(e|es|ed|ing|ation|ations|ational|ationally|er|ers)$"
)
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
    hyphenated: bool = False  # a hyphen and nothing else separates it from the previous word

    @property
    def is_upper(self) -> bool:
        """Written in capitals: at least one letter, no lowercase."""
        return self.text.upper() == self.text and any(c.isalpha() for c in self.text)

    @property
    def is_acronym(self) -> bool:
        """A short word in capitals ("ML", "CV", "GDPR"): matched only as written, in
        capitals; longer ones (PRINCE2, MATLAB) are ordinary words written loudly, and so is
        a lone capital letter, which is mostly the start of a compound ("E-learning")."""
        return self.is_upper and 2 <= len(self.text) <= MAX_ACRONYM


def fold(text: str) -> str:
    """Casefolded, accents stripped (Gestión -> gestion), compatibility forms unified."""
    if text.isascii():
        return text.lower()  # the same, and most words are ASCII
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 16)  # taxonomies and postings repeat their words a great deal
def normal_form(word: str) -> str:
    """The matching key of one word: folded, singular, British."""
    if word == "&":
        return "and"
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
        # "e-mail", "co-ordination": the lexical matcher also tries the compound as one word.
        hyphenated = previous_end is not None and text[previous_end : match.start()] == "-"
        found.append(
            Word(match.group(), norm, match.start(), match.end(), joined, hyphenated)
        )
        previous_end = match.end()
    return found
