"""RDF Dataset Canonicalization RDFC-1.0 (W3C Recommendation, 2024), SHA-256.

Our own implementation, because pyoxigraph 0.5.13 labels blank nodes differently from
jsonld.js and pyld on documents with many look-alike blank nodes (the 1EdTech `complete.json`
example: docs/adr/0005-jsonld-canonicalization.md). Terms are N-Quads strings (see `rdf.py`),
so relabelling a blank node is a string replacement and the output needs no serializer.

Like jsonld.js's rdf-canonize (maxWorkFactor 1), the Hash N-Degree Quads algorithm may run at
most once per blank node that shares its first-degree hash: a "poison" dataset crafted to make
canonicalization exponential is refused instead of hanging a worker.
"""

from __future__ import annotations

from hashlib import sha256
from itertools import permutations
from typing import Final

from tessera.credentials.jsonld.rdf import Quad

__all__ = ["CanonicalizationLimitError", "canonical_nquads"]

_POSITIONS: Final = ((0, "s"), (2, "o"), (3, "g"))


class CanonicalizationLimitError(ValueError):
    """The dataset needs more Hash N-Degree Quads work than any honest credential does."""


class _Issuer:
    __slots__ = ("counter", "issued", "prefix")

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.issued: dict[str, str] = {}
        self.counter = 0

    def issue(self, existing: str) -> str:
        issued = self.issued.get(existing)
        if issued is None:
            issued = self.issued[existing] = f"{self.prefix}{self.counter}"
            self.counter += 1
        return issued

    def copy(self) -> _Issuer:
        other = _Issuer(self.prefix)
        other.issued = dict(self.issued)
        other.counter = self.counter
        return other


def _line(quad: Quad) -> str:
    s, p, o, g = quad
    return f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n"


class _Canonicalizer:
    def __init__(self, quads: list[Quad]) -> None:
        self.quads = quads
        self.by_node: dict[str, list[Quad]] = {}
        for quad in quads:
            for index, _ in _POSITIONS:
                term = quad[index]
                if term.startswith("_:"):
                    mentions = self.by_node.setdefault(term, [])
                    if not mentions or mentions[-1] is not quad:
                        mentions.append(quad)
        self.canonical = _Issuer("c14n")
        self.first_degree: dict[str, str] = {}
        self.remaining_deep_iterations = 0

    def hash_first_degree(self, node: str) -> str:
        cached = self.first_degree.get(node)
        if cached is not None:
            return cached
        lines = []
        for s, p, o, g in self.by_node[node]:
            if s[0] == "_":
                s = "_:a" if s == node else "_:z"
            if o[0] == "_":
                o = "_:a" if o == node else "_:z"
            if g and g[0] == "_":
                g = "_:a" if g == node else "_:z"
            lines.append(f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n")
        lines.sort()
        digest = sha256("".join(lines).encode()).hexdigest()
        self.first_degree[node] = digest
        return digest

    def hash_related(self, related: str, quad: Quad, issuer: _Issuer, position: str) -> str:
        if related in self.canonical.issued:
            identifier = "_:" + self.canonical.issued[related]
        elif related in issuer.issued:
            identifier = "_:" + issuer.issued[related]
        else:
            identifier = self.hash_first_degree(related)
        data = position + (quad[1] if position != "g" else "") + identifier
        return sha256(data.encode()).hexdigest()

    def hash_n_degree(self, node: str, issuer: _Issuer) -> tuple[str, _Issuer]:
        if self.remaining_deep_iterations <= 0:
            raise CanonicalizationLimitError(
                "RDF canonicalization needs too much work (blank node graph too symmetric)"
            )
        self.remaining_deep_iterations -= 1
        related_by_hash: dict[str, list[str]] = {}
        for quad in self.by_node[node]:
            for index, position in _POSITIONS:
                term = quad[index]
                if term and term[0] == "_" and term != node:
                    digest = self.hash_related(term, quad, issuer, position)
                    related_by_hash.setdefault(digest, []).append(term)
        data = []
        for related_hash in sorted(related_by_hash):
            data.append(related_hash)
            chosen_path = ""
            chosen_issuer: _Issuer | None = None
            for permutation in permutations(related_by_hash[related_hash]):
                issuer_copy = issuer.copy()
                path = ""
                recursion: list[str] = []
                skip = False
                for related in permutation:
                    if related in self.canonical.issued:
                        path += "_:" + self.canonical.issued[related]
                    else:
                        if related not in issuer_copy.issued:
                            recursion.append(related)
                        path += "_:" + issuer_copy.issue(related)
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                for related in recursion:
                    result_hash, result_issuer = self.hash_n_degree(related, issuer_copy)
                    path += "_:" + issuer_copy.issue(related) + "<" + result_hash + ">"
                    issuer_copy = result_issuer
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                if not chosen_path or path < chosen_path:
                    chosen_path = path
                    chosen_issuer = issuer_copy
            data.append(chosen_path)
            if chosen_issuer is not None:
                issuer = chosen_issuer
        return sha256("".join(data).encode()).hexdigest(), issuer

    def run(self) -> str:
        by_hash: dict[str, list[str]] = {}
        for node in self.by_node:
            by_hash.setdefault(self.hash_first_degree(node), []).append(node)
        shared: list[list[str]] = []
        for digest in sorted(by_hash):
            nodes = by_hash[digest]
            if len(nodes) == 1:
                self.canonical.issue(nodes[0])
            else:
                shared.append(nodes)
        self.remaining_deep_iterations = sum(len(nodes) for nodes in shared)
        for nodes in shared:
            paths = []
            for node in nodes:
                if node in self.canonical.issued:
                    continue
                temporary = _Issuer("b")
                temporary.issue(node)
                paths.append(self.hash_n_degree(node, temporary))
            paths.sort(key=lambda result: result[0])
            for _, issuer in paths:
                for existing in issuer.issued:
                    self.canonical.issue(existing)
        labels = {node: "_:" + label for node, label in self.canonical.issued.items()}
        lines = []
        for s, p, o, g in self.quads:
            if s[0] == "_":
                s = labels[s]
            if o[0] == "_":
                o = labels[o]
            if g and g[0] == "_":
                g = labels[g]
            lines.append(f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n")
        lines.sort()
        return "".join(lines)


def canonical_nquads(quads: list[Quad]) -> str:
    """RDFC-1.0 canonical N-Quads of a dataset (a duplicate-free list of quads)."""
    return _Canonicalizer(quads).run()
