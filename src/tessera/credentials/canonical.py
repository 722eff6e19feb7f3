"""Canonical forms that signatures are computed over.

- `rdfc(document)`: RDFC-1.0 canonical N-Quads of a JSON-LD document: strict expansion over
  the bundled contexts (`jsonld.expand`), JSON-LD to RDF (`jsonld.rdf`), then RDFC-1.0
  (`jsonld.rdfc`). Why our own and not pyld or pyoxigraph: docs/adr/0005-jsonld-canonicalization.md.
- `jcs(value)`: the JSON Canonicalization Scheme (RFC 8785). The maintained `rfc8785`
  library (Trail of Bits) is the reference; it is pure Python, so values whose JCS form
  orjson writes identically (keys in the Basic Multilingual Plane, where UTF-16 order is code
  point order; safe integers; fractions in plain notation) go through orjson, 15x faster.
  Property tests hold the two paths equal.
"""

from __future__ import annotations

from typing import Any, Final

import orjson
import rfc8785

from tessera.credentials.jsonld import expand
from tessera.credentials.jsonld.rdf import to_quads
from tessera.credentials.jsonld.rdfc import CanonicalizationLimitError, canonical_nquads

__all__ = ["CanonicalizationError", "CanonicalizationLimitError", "jcs", "rdfc", "rdfc_expanded"]


class CanonicalizationError(ValueError):
    """The value cannot be canonicalized (e.g. a number JSON cannot represent)."""


def rdfc(document: Any) -> str:
    """Canonical N-Quads (RDFC-1.0) of a JSON-LD document; strict (raises `JsonLdError`)."""
    return canonical_nquads(to_quads(expand(document)))


def rdfc_expanded(expanded: list[dict[str, Any]]) -> str:
    """Canonical N-Quads of an already expanded JSON-LD document."""
    return canonical_nquads(to_quads(expanded))


_MAX_SAFE: Final = 2**53 - 1


class _NeedsReference(Exception):
    """The value has something orjson would write differently from RFC 8785."""


def _orjson_ready(value: Any) -> Any:
    """`value` with integral floats as ints (ES writes 5.0 as 5); raises `_NeedsReference`
    for anything else orjson would not write exactly as RFC 8785 does. Strings, booleans and
    null are skipped inline: they are most of a credential and need no work."""
    kind = type(value)
    if kind is dict:
        copy = None
        for key, item in value.items():
            if type(key) is not str or (not key.isascii() and max(key) > "\uffff"):
                raise _NeedsReference
            item_kind = type(item)
            if item_kind is str or item_kind is bool or item is None:
                continue
            ready = _orjson_ready(item)
            if ready is not item:
                copy = copy if copy is not None else dict(value)
                copy[key] = ready
        return copy if copy is not None else value
    if kind is list:
        items = None
        for index, item in enumerate(value):
            item_kind = type(item)
            if item_kind is str or item_kind is bool or item is None:
                continue
            ready = _orjson_ready(item)
            if ready is not item:
                items = items if items is not None else list(value)
                items[index] = ready
        return items if items is not None else value
    if kind is str or kind is bool or value is None:
        return value
    if kind is int:
        if -_MAX_SAFE <= value <= _MAX_SAFE:
            return value
        raise _NeedsReference
    if kind is float:
        if value.is_integer() and abs(value) <= _MAX_SAFE:
            return int(value)
        if 1e-4 <= abs(value) < 1e15:  # both write the shortest round-trip digits, no exponent
            return value
    raise _NeedsReference


def jcs(value: Any) -> bytes:
    """RFC 8785 canonical JSON (UTF-8 bytes) of `value`."""
    try:
        return orjson.dumps(_orjson_ready(value), option=orjson.OPT_SORT_KEYS)
    except (_NeedsReference, orjson.JSONEncodeError):
        pass
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as error:
        raise CanonicalizationError(f"cannot canonicalize as JSON (RFC 8785): {error}") from None


def jcs_reference(value: Any) -> bytes:
    """RFC 8785 by the `rfc8785` library alone (what the fast path is tested against)."""
    return rfc8785.dumps(value)
