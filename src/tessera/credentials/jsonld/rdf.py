"""Expanded JSON-LD to RDF quads (JSON-LD 1.1 API section 8.1), as N-Quads term strings.

A term is kept in its N-Quads spelling: `<iri>`, `_:label` or a literal `"..."^^<datatype>` /
`"..."@lang`, escaped exactly as RDFC-1.0's canonical N-Quads require (and as jsonld.js's
rdf-canonize does): that is what gets hashed, so the spelling must be byte-exact.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

import rfc8785

Quad = tuple[str, str, str, str]  # subject, predicate, object, graph ("" = default graph)

XSD: Final = "http://www.w3.org/2001/XMLSchema#"
RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDF_TYPE: Final = f"<{RDF}type>"
_RDF_FIRST: Final = f"<{RDF}first>"
_RDF_REST: Final = f"<{RDF}rest>"
_RDF_NIL: Final = f"<{RDF}nil>"
_XSD_STRING: Final = f"{XSD}string"

_LITERAL_ESCAPES: Final = re.compile(r'[\x00-\x1f\x7f"\\]')
_ECHAR: Final = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"',
                 "\\": "\\\\"}  # fmt: skip
_IRI_ESCAPES: Final = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_DOUBLE_EXPONENT: Final = re.compile(r"(\d)0*e\+?")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return _ECHAR.get(char) or f"\\u{ord(char):04X}"


def literal_escape(value: str) -> str:
    """Canonical N-Quads string escaping: ECHAR for \\b \\t \\n \\f \\r \" \\\\, UCHAR for
    the other controls (U+0000-U+001F, U+007F), everything else as is."""
    return _LITERAL_ESCAPES.sub(_escape_char, value)


def iri_term(iri: str) -> str:
    if _IRI_ESCAPES.search(iri):
        iri = _IRI_ESCAPES.sub(lambda m: f"\\u{ord(m.group()):04X}", iri)
    return f"<{iri}>"


_SIXTEEN_DIGITS: Final = Decimal("1.000000000000000")


def canonical_double(value: float) -> str:
    """xsd:double lexical form as JSON-LD (jsonld.js) writes it: JavaScript's
    `toExponential(15)` with trailing zeros trimmed, e.g. 1.5E0, 1.0E21, 3.0E-1. Rounding is
    JavaScript's (a tie goes up), not Python's round-half-even: Decimal holds the exact value."""
    exact = Decimal(value)
    sign = "-" if exact < 0 else ""
    exact = abs(exact)
    if not exact:
        return "0.0E0"
    exponent = exact.adjusted()
    mantissa = exact.scaleb(-exponent).quantize(_SIXTEEN_DIGITS, rounding=ROUND_HALF_UP)
    if mantissa >= 10:  # 9.9999999999999999 rounded up to 10.000...
        exponent += 1
        mantissa = (mantissa / 10).quantize(_SIXTEEN_DIGITS, rounding=ROUND_HALF_UP)
    text = f"{sign}{mantissa}e{exponent:+d}"
    return _DOUBLE_EXPONENT.sub(r"\1E", text, count=1)


class _Converter:
    def __init__(self) -> None:
        self.quads: dict[Quad, None] = {}  # ordered set
        self.labels: dict[str, str] = {}
        self.counter = 0

    def fresh(self) -> str:
        self.counter += 1
        return f"_:b{self.counter - 1}"

    def node_term(self, identifier: str | None) -> str:
        if identifier is None:
            return self.fresh()
        if identifier.startswith("_:"):
            label = self.labels.get(identifier)
            if label is None:
                label = self.labels[identifier] = self.fresh()
            return label
        return iri_term(identifier)

    def node(self, node: dict[str, Any], graph: str) -> str:
        subject = self.node_term(node.get("@id"))
        add = self.quads.setdefault
        for type_ in node.get("@type", ()):
            add((subject, _RDF_TYPE, self.node_term(type_), graph), None)
        for key, values in node.items():
            if key[0] == "@":
                if key == "@graph":
                    for inner in values:
                        if "@value" not in inner and "@list" not in inner:
                            self.node(inner, subject)
                continue
            predicate = iri_term(key)
            for item in values:
                obj = self.object(item, graph)
                if obj is not None:
                    add((subject, predicate, obj, graph), None)
        return subject

    def object(self, item: dict[str, Any], graph: str) -> str | None:
        if "@value" in item:
            return literal(item)
        if "@list" in item:
            return self.list(item["@list"], graph)
        return self.node(item, graph)

    def list(self, items: list[dict[str, Any]], graph: str) -> str:
        if not items:
            return _RDF_NIL
        heads = [self.fresh() for _ in items]
        add = self.quads.setdefault
        for index, (head, item) in enumerate(zip(heads, items, strict=True)):
            obj = self.object(item, graph)
            if obj is not None:
                add((head, _RDF_FIRST, obj, graph), None)
            rest = heads[index + 1] if index + 1 < len(heads) else _RDF_NIL
            add((head, _RDF_REST, rest, graph), None)
        return heads[0]


def literal(item: dict[str, Any]) -> str:
    """Object to RDF conversion of a value object (JSON-LD 1.1 API section 8.6)."""
    value = item["@value"]
    datatype: str | None = item.get("@type")
    if datatype == "@json":
        text = rfc8785.dumps(value).decode("utf-8")
        datatype = f"{RDF}JSON"
    elif isinstance(value, bool):
        text = "true" if value else "false"
        datatype = datatype or f"{XSD}boolean"
    elif isinstance(value, float) or (isinstance(value, int) and datatype == f"{XSD}double"):
        text = canonical_double(float(value))
        datatype = datatype or f"{XSD}double"
    elif isinstance(value, int):
        text = str(value)
        datatype = datatype or f"{XSD}integer"
    else:
        text = value
        if "@language" in item:
            return f'"{literal_escape(text)}"@{item["@language"]}'
    if datatype is None or datatype == _XSD_STRING:
        return f'"{literal_escape(text)}"'
    return f'"{literal_escape(text)}"^^{iri_term(datatype)}'


def to_quads(expanded: list[dict[str, Any]]) -> list[Quad]:
    """The RDF dataset of an expanded JSON-LD document, duplicates removed."""
    converter = _Converter()
    for node in expanded:
        if "@value" not in node and "@list" not in node:
            converter.node(node, "")
    return list(converter.quads)
