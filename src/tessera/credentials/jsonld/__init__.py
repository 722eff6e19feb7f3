"""Strict, offline JSON-LD for credentials.

`expand(document)` runs JSON-LD 1.1 expansion over the bundled contexts only and raises a
`JsonLdError` naming the term and its JSON Pointer wherever a conforming processor would
silently drop data (undefined term or type, relative IRI): data that would not be signed.
`check_strict(document)` is the same check for callers that only want the verdict.
`document_loader` serves the bundled contexts to other processors (pyld, tests).
"""

from __future__ import annotations

from typing import Any

from tessera.credentials.contexts import UnknownContextError, load_context
from tessera.credentials.jsonld.errors import (
    JsonLdError,
    RelativeIriError,
    StrictJsonLdError,
    UndefinedTermError,
    UndefinedTypeError,
    UnsupportedJsonLdError,
)
from tessera.credentials.jsonld.expansion import expand

__all__ = [
    "JsonLdError",
    "RelativeIriError",
    "StrictJsonLdError",
    "UndefinedTermError",
    "UndefinedTypeError",
    "UnknownContextError",
    "UnsupportedJsonLdError",
    "check_strict",
    "document_loader",
    "expand",
]


def check_strict(document: Any) -> None:
    """Raise `JsonLdError` if any part of `document` would not be covered by a signature."""
    expand(document)


def document_loader(url: str, options: object = None) -> dict[str, Any]:
    """A pyld-style static document loader over the bundled contexts (never the network)."""
    return {"contextUrl": None, "documentUrl": url, "document": load_context(url)}
