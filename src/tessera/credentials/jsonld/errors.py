"""Errors raised while processing JSON-LD.

    JsonLdError                  the document is not valid JSON-LD (per the 1.1 algorithms)
     +-- StrictJsonLdError       valid JSON-LD, but something would silently not be signed
     |    +-- UndefinedTermError     a property no context defines
     |    +-- UndefinedTypeError     a `type` value no context defines
     |    +-- RelativeIriError       an `id` (or IRI-typed value) that is not an absolute IRI
     +-- UnsupportedJsonLdError  a JSON-LD feature this engine deliberately does not implement

Each carries `path` (JSON Pointer into the input document) and `term` (the offending key or
value), so a report can say exactly what to fix.
"""

from __future__ import annotations

from collections.abc import Sequence


def json_pointer(path: Sequence[str | int]) -> str:
    """RFC 6901 pointer for a path of keys and indexes ("" is the whole document)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


class JsonLdError(ValueError):
    code = "invalid JSON-LD"

    def __init__(self, message: str, *, path: Sequence[str | int] = (), term: str | None = None):
        self.path = json_pointer(path)
        self.term = term
        where = f" at {self.path}" if self.path else ""
        super().__init__(f"{message}{where}")


class StrictJsonLdError(JsonLdError):
    """Processors would drop this silently, so it would not be covered by a signature."""


class UndefinedTermError(StrictJsonLdError):
    code = "undefined term"


class UndefinedTypeError(StrictJsonLdError):
    code = "undefined type"


class RelativeIriError(StrictJsonLdError):
    code = "relative IRI"


class UnsupportedJsonLdError(JsonLdError):
    """A JSON-LD feature that no credential needs and this engine refuses rather than guess."""

    code = "unsupported JSON-LD feature"
