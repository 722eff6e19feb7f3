"""Turning what people type into safe search terms (pure: no database).

User text never reaches FTS5 or tsquery syntax as typed: it is cut into words (letters and
digits only), lower-cased and accent-folded, and each backend then quotes every word itself.
The last word is matched as a prefix (type-ahead), the words are ANDed, and text without any
word (empty, or punctuation only) means "browse everything".
"""

from __future__ import annotations

import re
import unicodedata

# Letters and digits of any script; underscore and punctuation separate words.
_WORD = re.compile(r"[^\W_]+")
MAX_TERMS = 12  # longer queries keep their first words: enough to narrow any catalog


def fold(value: str) -> str:
    """Lower-case and strip diacritics: "Gestión Ärztliche" -> "gestion arztliche".

    The same folding is applied to documents (PostgreSQL) and queries (both backends), which
    is what FTS5's `unicode61 remove_diacritics 2` does on SQLite, without needing the
    PostgreSQL `unaccent` extension.
    """
    lowered = value.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def terms(text: str) -> list[str]:
    """The words of `text`, folded, in order; past MAX_TERMS, the first ones and the last."""
    words = _WORD.findall(fold(text))
    if len(words) > MAX_TERMS:
        words = [*words[: MAX_TERMS - 1], words[-1]]
    return words


def fts5_query(words: list[str]) -> str:
    """An FTS5 MATCH expression: every word a quoted phrase, the last one a prefix.

    Words contain letters and digits only, so a quote can never appear inside one.
    """
    quoted = [f'"{word}"' for word in words]
    if quoted:
        quoted[-1] += "*"
    return " AND ".join(quoted)
