"""RDFC-1.0 canonical N-Quads: ours equal jsonld.js's (rdf-canonize), byte for byte, on every
example and vector we can read and on a few hundred generated documents that stress blank
nodes, numbers, lists, language tags, graphs and awkward text."""

from __future__ import annotations

import random
from typing import Any

from tests.interop.node_env import Reference
from tests.unit.credentials.support import EXAMPLES, VECTORS, load

from tessera.credentials.canonical import rdfc
from tessera.credentials.jsonld import JsonLdError

V2 = "https://www.w3.org/ns/credentials/v2"
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
ODD_CHARACTERS = [chr(c) for c in (*range(0, 0x20), 0x7F, 0x22, 0x5C, 0xE9, 0x627, 0x5D0,
                                   0x200F, 0x2028, 0xFEFF, 0xFFFD, 0x1F600)]  # fmt: skip


def _text(rng: random.Random) -> str:
    pool = ODD_CHARACTERS + list("abcxyz 019")
    return "".join(rng.choice(pool) for _ in range(rng.randint(0, 12)))


def _number(rng: random.Random) -> int | float:
    return rng.choice(
        [
            rng.randint(-(2**40), 2**40),
            rng.uniform(-1e6, 1e6),
            rng.random() * 10 ** rng.randint(-30, 30),
            float(rng.randint(0, 100)),
            1e21,
            0.1 + 0.2,
        ]
    )


def _value(rng: random.Random, depth: int) -> Any:
    kind = rng.randrange(9 if depth < 3 else 5)
    if kind == 0:
        return _text(rng)
    if kind == 1:
        return _number(rng)
    if kind == 2:
        return rng.choice([True, False])
    if kind == 3:
        return {"@value": _text(rng), "@language": rng.choice(["en", "ar", "nl-BE", "zh-Hant"])}
    if kind == 4:
        month, day, hour = rng.randint(1, 9), rng.randint(0, 9), rng.randint(0, 9)
        return f"2025-0{month}-1{day}T0{hour}:00:00Z"
    if kind == 5:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if kind == 6:
        return {"@list": [_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]}
    return _node(rng, depth + 1)


def _node(rng: random.Random, depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {}
    if rng.random() < 0.3:
        node["id"] = f"urn:example:{rng.randint(0, 5)}"  # repeats: nodes merge across the tree
    elif rng.random() < 0.15:
        node["id"] = f"_:b{rng.randint(0, 3)}"  # labelled blank nodes, shared across the tree
    if rng.random() < 0.5:
        node["type"] = rng.choice(["Thing", ["Thing", "Other"], "Person"])
    for _ in range(rng.randint(1, 4)):
        node[rng.choice(["p", "q", "r", "name", "description", "knows"])] = _value(rng, depth)
    return node


def generated_documents(count: int) -> list[dict[str, Any]]:
    rng = random.Random(20251128)
    documents = []
    for _ in range(count):
        document = _node(rng, 0)
        document["@context"] = [V2, EXAMPLES_V2]
        if rng.random() < 0.2:  # a proof in its own named graph (graph container)
            document["type"] = ["VerifiableCredential"]
            document["proof"] = [_node(rng, 2) for _ in range(rng.randint(1, 2))]
        if rng.random() < 0.3:  # look-alike blank nodes: exercises Hash N-Degree Quads
            twin = {"p": "same", "q": {"r": "same"}}
            document["knows"] = [dict(twin), dict(twin), {"p": "same", "q": {"r": "other"}}]
        if rng.random() < 0.05:  # no @vocab: undefined terms, which both sides must refuse
            document["@context"] = [V2]
        elif rng.random() < 0.05:  # a relative IRI, which both sides must refuse
            document["id"] = "relative/path"
        documents.append(document)
    return documents


def standard_documents() -> list[dict[str, Any]]:
    documents = []
    for path in sorted([*EXAMPLES.glob("*/*.json"), *VECTORS.glob("*/*.json")]):
        document = load(path)
        if isinstance(document, dict) and "@context" in document:
            try:
                rdfc(document)
            except JsonLdError:
                continue  # unknown context or undefined term: covered by the unit tests
            documents.append(document)
    return documents


def test_canonical_nquads_equal_jsonld_js(reference: Reference) -> None:
    documents = standard_documents() + generated_documents(300)
    theirs = reference("canonize", {"documents": documents})["nquads"]
    mismatches = []
    for index, (document, expected) in enumerate(zip(documents, theirs, strict=True)):
        ours: str | dict[str, str]
        try:
            ours = rdfc(document)
        except JsonLdError as error:
            ours = {"error": str(error)}
        if isinstance(expected, dict) or isinstance(ours, dict):
            # both must refuse, or neither
            if isinstance(expected, dict) != isinstance(ours, dict):
                mismatches.append((index, ours, expected))
        elif ours != expected:
            mismatches.append((index, ours, expected))
    assert mismatches == [], mismatches[:3]
    assert len(documents) > 300
