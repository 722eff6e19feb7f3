"""JSON-LD 1.1 context processing (W3C JSON-LD 1.1 Processing Algorithms, section 4), cached.

Active contexts are immutable once built, so every derivation (applying a context URL, a
type-scoped or property-scoped context) is memoised on the context it was derived from. After
the first credential, processing the VC and OB contexts costs a few dictionary look-ups: that is
where pyld and pyoxigraph spend most of their time (they re-process contexts per document).

Remote contexts come only from the bundled static loader (`tessera.credentials.contexts`).
Features no credential uses and that would complicate the strict checks are refused with
`UnsupportedJsonLdError` (`@reverse`, `@nest`, `@included`, `@id`/`@type` maps, `@direction`).
"""

from __future__ import annotations

import re
from typing import Any, Final

import orjson

from tessera.credentials.contexts import UnknownContextError, load_context
from tessera.credentials.jsonld.errors import JsonLdError, UnsupportedJsonLdError

KEYWORDS: Final = frozenset(
    {
        "@base", "@container", "@context", "@direction", "@graph", "@id", "@import",
        "@included", "@index", "@json", "@language", "@list", "@nest", "@none", "@prefix",
        "@propagate", "@protected", "@reverse", "@set", "@type", "@value", "@version", "@vocab",
    }
)  # fmt: skip
_CONTEXT_KEYWORDS: Final = frozenset(
    {
        "@base",
        "@direction",
        "@import",
        "@language",
        "@propagate",
        "@protected",
        "@version",
        "@vocab",
    }
)
_TERM_KEYS: Final = frozenset(
    {"@id", "@reverse", "@container", "@context", "@direction", "@index", "@language", "@nest",
     "@prefix", "@protected", "@type"}
)  # fmt: skip
_CONTAINERS: Final = frozenset({"@graph", "@id", "@index", "@language", "@list", "@set", "@type"})
_KEYWORD_LIKE: Final = re.compile(r"@[a-zA-Z]+\Z")
# jsonld.js's test for an absolute IRI: a scheme, a colon and no whitespace. IRIs failing it
# are dropped by jsonld.js, so we must treat them as not absolute too.
_ABSOLUTE_IRI: Final = re.compile(r"[A-Za-z][A-Za-z0-9+\-.]*:[^\x00-\x20<>\"{}|^`\\]*\Z")
_GEN_DELIMS: Final = frozenset(":/?#[]@")
_MAX_REMOTE_CONTEXTS: Final = 32
_MEMO_LIMIT: Final = 512


def is_absolute_iri(value: str) -> bool:
    return _ABSOLUTE_IRI.match(value) is not None


def is_node_identifier(value: str) -> bool:
    """An absolute IRI or a blank node identifier: what may stand as a subject or object."""
    return value.startswith("_:") or _ABSOLUTE_IRI.match(value) is not None


class TermDefinition:
    __slots__ = (
        "base_url", "container", "context", "direction", "has_context", "has_direction",
        "has_language", "index", "iri", "language", "nest", "prefix", "protected",
        "type_mapping",
    )  # fmt: skip

    def __init__(self) -> None:
        self.iri: str | None = None
        self.type_mapping: str | None = None
        self.container: frozenset[str] = frozenset()
        self.context: Any = None
        self.has_context = False
        self.base_url: str | None = None
        self.language: str | None = None
        self.has_language = False
        self.direction: str | None = None
        self.has_direction = False
        self.index: str | None = None
        self.nest: str | None = None
        self.prefix = False
        self.protected = False

    def same_as(self, other: TermDefinition) -> bool:
        """Equal in everything but `protected` (the test for a protected redefinition)."""
        return all(
            getattr(self, name) == getattr(other, name)
            for name in self.__slots__
            if name not in ("protected", "base_url")
        )


class ActiveContext:
    """An active context. Never mutated once returned by `process_context`."""

    __slots__ = (
        "_derived", "_has_protected", "_key_cache", "base", "direction", "language",
        "original_base", "previous", "terms", "vocab",
    )  # fmt: skip

    def __init__(self, base: str | None = None) -> None:
        self.terms: dict[str, TermDefinition] = {}
        self.base = base
        self.original_base = base
        self.vocab: str | None = None
        self.language: str | None = None
        self.direction: str | None = None
        self.previous: ActiveContext | None = None
        self._derived: dict[tuple[Any, ...], tuple[object, ActiveContext]] = {}
        self._key_cache: dict[str, str | None] = {}
        self._has_protected: bool | None = None

    def clone(self) -> ActiveContext:
        copy = ActiveContext.__new__(ActiveContext)
        copy.terms = dict(self.terms)
        copy.base = self.base
        copy.original_base = self.original_base
        copy.vocab = self.vocab
        copy.language = self.language
        copy.direction = self.direction
        copy.previous = self.previous
        copy._derived = {}
        copy._key_cache = {}
        copy._has_protected = None
        return copy

    def has_protected(self) -> bool:
        if self._has_protected is None:
            self._has_protected = any(t.protected for t in self.terms.values())
        return self._has_protected

    def expand_key(self, key: str) -> str | None:
        """IRI expansion of a property key or type (vocab-relative), memoised."""
        try:
            return self._key_cache[key]
        except KeyError:
            expanded = expand_iri(self, key, vocab=True)
            self._key_cache[key] = expanded
            return expanded


INITIAL_CONTEXT: Final = ActiveContext()


def process_context(
    active: ActiveContext,
    local: Any,
    *,
    base_url: str | None = None,
    override_protected: bool = False,
    propagate: bool = True,
    anchor: object = None,
    remote: tuple[str, ...] = (),
) -> ActiveContext:
    """The active context that results from applying `local` to `active`.

    `anchor` is an object whose identity stands for `local` (a term definition holding a scoped
    context); without one, URL strings key the memo and inline objects key it by their JSON.
    """
    key: tuple[Any, ...]
    if anchor is not None:
        key = ("a", id(anchor), override_protected, propagate)
    elif isinstance(local, str):
        key = ("u", local, override_protected, propagate)
        anchor = local
    else:
        text = orjson.dumps(local, option=orjson.OPT_SORT_KEYS)
        key = ("j", text, override_protected, propagate)
        anchor = text
    hit = active._derived.get(key)
    if hit is not None and (key[0] != "a" or hit[0] is anchor):
        return hit[1]
    result = _process(active, local, base_url, override_protected, propagate, remote)
    if len(active._derived) >= _MEMO_LIMIT:
        active._derived.clear()  # bounded: documents with ever-new inline contexts
    active._derived[key] = (anchor, result)
    return result


def _process(
    active: ActiveContext,
    local: Any,
    base_url: str | None,
    override_protected: bool,
    propagate: bool,
    remote: tuple[str, ...],
) -> ActiveContext:
    if isinstance(local, dict) and "@propagate" in local:
        if not isinstance(local["@propagate"], bool):
            raise JsonLdError("invalid @propagate value: it must be true or false")
        propagate = local["@propagate"]
    result = active
    if not propagate and result.previous is None:
        result = result.clone()
        result.previous = active
    for context in local if isinstance(local, list) else [local]:
        if context is None:
            if not override_protected and result.has_protected():
                raise JsonLdError("invalid context nullification: the context has protected terms")
            previous = result
            result = ActiveContext(active.original_base)
            if not propagate:
                result.previous = previous
            continue
        if isinstance(context, str):
            result = _apply_remote(result, context, remote)
            continue
        if not isinstance(context, dict):
            raise JsonLdError("invalid local context: a context must be an object, URL or null")
        result = _apply_object(result, context, base_url, override_protected, remote)
    return result


def _apply_remote(active: ActiveContext, url: str, remote: tuple[str, ...]) -> ActiveContext:
    if not is_absolute_iri(url):
        raise UnsupportedJsonLdError(f"relative context URL {url!r}", term=url)
    if url in remote or len(remote) >= _MAX_REMOTE_CONTEXTS:
        raise JsonLdError(f"context overflow: {url!r} includes itself", term=url)
    try:
        document = load_context(url)
    except UnknownContextError as error:
        raise JsonLdError(str(error), term=url) from None
    inner = document.get("@context", {}) if isinstance(document, dict) else None
    if inner is None:
        raise JsonLdError(f"invalid remote context {url!r}", term=url)
    return process_context(active, inner, base_url=url, remote=(*remote, url))


def _apply_object(
    active: ActiveContext,
    context: dict[str, Any],
    base_url: str | None,
    override_protected: bool,
    remote: tuple[str, ...],
) -> ActiveContext:
    result = active.clone()
    if "@version" in context and context["@version"] != 1.1:
        raise JsonLdError("invalid @version value: only 1.1 exists")
    if "@import" in context:
        context = _with_import(context)
    if "@base" in context and not remote:
        value = context["@base"]
        if value is None:
            result.base = None
        elif isinstance(value, str) and is_absolute_iri(value):
            result.base = value
        elif isinstance(value, str) and result.base is not None:
            result.base = resolve_iri(result.base, value)
        else:
            raise JsonLdError(f"invalid base IRI {value!r}")
    if "@vocab" in context:
        value = context["@vocab"]
        if value is None:
            result.vocab = None
        elif isinstance(value, str):
            expanded = expand_iri(result, value, vocab=True, document_relative=True)
            if expanded is None or not is_node_identifier(expanded):
                raise JsonLdError(f"invalid vocab mapping {value!r}: not an absolute IRI")
            result.vocab = expanded
        else:
            raise JsonLdError("invalid vocab mapping: it must be a string or null")
    if "@language" in context:
        value = context["@language"]
        if value is not None and not isinstance(value, str):
            raise JsonLdError("invalid default language: it must be a string or null")
        result.language = value.lower() if isinstance(value, str) else None
    if "@direction" in context:
        if context["@direction"] is not None:
            raise UnsupportedJsonLdError(
                "@direction is not kept by RDF canonicalization, so it would not be signed"
            )
        result.direction = None
    protected = context.get("@protected", False)
    if not isinstance(protected, bool):
        raise JsonLdError("invalid @protected value: it must be true or false")
    defining = _Defining(base_url, protected, override_protected)
    for term in context:
        if term not in _CONTEXT_KEYWORDS:
            _define(result, context, term, defining)
    result._has_protected = None
    return result


def _with_import(context: dict[str, Any]) -> dict[str, Any]:
    url = context["@import"]
    if not isinstance(url, str) or not is_absolute_iri(url):
        raise JsonLdError("invalid @import value: it must be an absolute URL")
    try:
        imported = load_context(url).get("@context")
    except UnknownContextError as error:
        raise JsonLdError(str(error), term=url) from None
    if not isinstance(imported, dict) or "@import" in imported:
        raise JsonLdError(f"invalid remote context {url!r} for @import", term=url)
    merged = dict(imported)
    merged.update(context)
    del merged["@import"]
    return merged


class _Defining:
    """State shared by the term definitions of one local context."""

    __slots__ = ("base_url", "done", "override_protected", "protected")

    def __init__(self, base_url: str | None, protected: bool, override_protected: bool) -> None:
        self.done: dict[str, bool] = {}
        self.base_url = base_url
        self.protected = protected
        self.override_protected = override_protected


def _define(active: ActiveContext, local: dict[str, Any], term: str, defining: _Defining) -> None:
    """Create Term Definition (JSON-LD 1.1 API section 4.2.2)."""
    defined = defining.done
    state = defined.get(term)
    if state is True:
        return
    if state is False:
        raise JsonLdError(f"cyclic IRI mapping for term {term!r}", term=term)
    if term == "":
        raise JsonLdError("invalid term definition: the empty string is not a term")
    defined[term] = False
    value = local[term]
    if term == "@type":
        if not (
            isinstance(value, dict)
            and set(value) <= {"@container", "@protected"}
            and value.get("@container", "@set") == "@set"
        ):
            raise JsonLdError("keyword redefinition: @type", term=term)
    elif term in KEYWORDS:
        raise JsonLdError(f"keyword redefinition: {term}", term=term)
    elif _KEYWORD_LIKE.match(term):
        defined[term] = True  # the spec ignores (with a warning) terms that look like keywords
        return
    previous = active.terms.pop(term, None)
    simple = False
    if value is None:
        value = {"@id": None}
    elif isinstance(value, str):
        value = {"@id": value}
        simple = True
    elif not isinstance(value, dict):
        raise JsonLdError(f"invalid term definition for {term!r}", term=term)
    unknown = set(value) - _TERM_KEYS
    if unknown:
        raise JsonLdError(f"invalid term definition for {term!r}: {sorted(unknown)}", term=term)
    definition = TermDefinition()
    definition.protected = value.get("@protected", defining.protected)
    if not isinstance(definition.protected, bool):
        raise JsonLdError(f"invalid @protected value in {term!r}", term=term)

    if "@type" in value:
        type_value = value["@type"]
        if not isinstance(type_value, str):
            raise JsonLdError(f"invalid type mapping for {term!r}", term=term)
        expanded = expand_iri(active, type_value, vocab=True, local=local, defining=defining)
        if expanded not in ("@id", "@vocab", "@json", "@none") and not (
            expanded and is_absolute_iri(expanded)
        ):
            raise JsonLdError(f"invalid type mapping {type_value!r} for {term!r}", term=term)
        definition.type_mapping = expanded

    if "@reverse" in value:
        raise UnsupportedJsonLdError(f"@reverse (term {term!r})", term=term)
    if "@id" in value and value["@id"] != term:
        raw = value["@id"]
        if raw is None:
            definition.iri = None
        elif not isinstance(raw, str):
            raise JsonLdError(f"invalid IRI mapping for {term!r}", term=term)
        elif raw not in KEYWORDS and _KEYWORD_LIKE.match(raw):
            defined[term] = True  # ignored, as the spec says
            return
        else:
            iri = expand_iri(active, raw, vocab=True, local=local, defining=defining)
            if iri is None or (iri not in KEYWORDS and not is_node_identifier(iri)):
                raise JsonLdError(f"invalid IRI mapping {raw!r} for {term!r}", term=term)
            if iri == "@context":
                raise JsonLdError("invalid keyword alias: @context", term=term)
            if ":" in term[1:-1] or "/" in term:
                defined[term] = True
                if expand_iri(active, term, vocab=True, local=local, defining=defining) != iri:
                    raise JsonLdError(f"invalid IRI mapping for {term!r}", term=term)
            definition.iri = iri
            if (
                simple
                and ":" not in term
                and "/" not in term
                and (iri[-1] in _GEN_DELIMS or iri.startswith("_:"))
            ):
                definition.prefix = True
    elif ":" in term[1:]:
        prefix, _, suffix = term.partition(":")
        if prefix in local:
            _define(active, local, prefix, defining)
        prefix_definition = active.terms.get(prefix)
        if prefix_definition is not None and prefix_definition.iri is not None:
            definition.iri = prefix_definition.iri + suffix
        else:
            definition.iri = term
    elif "/" in term:
        iri = expand_iri(active, term, vocab=True)
        if iri is None or not is_absolute_iri(iri):
            raise JsonLdError(f"invalid IRI mapping for {term!r}", term=term)
        definition.iri = iri
    elif term == "@type":
        definition.iri = "@type"
    elif active.vocab is not None:
        definition.iri = active.vocab + term
    else:
        raise JsonLdError(f"invalid IRI mapping: {term!r} has no IRI and no @vocab", term=term)

    if "@container" in value:
        raw_container = value["@container"]
        items = raw_container if isinstance(raw_container, list) else [raw_container]
        if not items or any(item not in _CONTAINERS for item in items):
            raise JsonLdError(f"invalid container mapping for {term!r}", term=term)
        definition.container = frozenset(items)
        if "@list" in definition.container and len(definition.container) > 1:
            raise JsonLdError(f"invalid container mapping for {term!r}", term=term)
        if "@type" in definition.container:
            if definition.type_mapping is None:
                definition.type_mapping = "@id"
            elif definition.type_mapping not in ("@id", "@vocab"):
                raise JsonLdError(f"invalid type mapping for {term!r}", term=term)
    if "@index" in value:
        if "@index" not in definition.container or not isinstance(value["@index"], str):
            raise JsonLdError(f"invalid term definition for {term!r}: @index", term=term)
        definition.index = value["@index"]
    if "@context" in value:
        definition.context = value["@context"]
        definition.has_context = True
        definition.base_url = defining.base_url
    if "@language" in value and "@type" not in value:
        language = value["@language"]
        if language is not None and not isinstance(language, str):
            raise JsonLdError(f"invalid language mapping for {term!r}", term=term)
        definition.language = language.lower() if isinstance(language, str) else None
        definition.has_language = True
    if "@direction" in value and "@type" not in value:
        if value["@direction"] is not None:
            raise UnsupportedJsonLdError(
                f"@direction (term {term!r}) is not kept by RDF canonicalization", term=term
            )
        definition.has_direction = True
    if "@nest" in value:
        definition.nest = str(value["@nest"])
    if "@prefix" in value:
        if ":" in term or "/" in term or not isinstance(value["@prefix"], bool):
            raise JsonLdError(f"invalid @prefix for {term!r}", term=term)
        definition.prefix = value["@prefix"]

    if not defining.override_protected and previous is not None and previous.protected:
        if not definition.same_as(previous):
            raise JsonLdError(
                f"protected term redefinition: {term!r} is protected by an earlier context",
                term=term,
            )
        definition = previous
    active.terms[term] = definition
    defined[term] = True


def expand_iri(
    active: ActiveContext,
    value: str,
    *,
    vocab: bool = False,
    document_relative: bool = False,
    local: dict[str, Any] | None = None,
    defining: _Defining | None = None,
) -> str | None:
    """IRI Expansion (JSON-LD 1.1 API section 5.2). None means "expands to nothing"."""
    if value in KEYWORDS:
        return value
    if value.startswith("@") and _KEYWORD_LIKE.match(value):
        return None
    if (
        local is not None
        and defining is not None
        and not defining.done.get(value, value not in local)
    ):
        _define(active, local, value, defining)
    definition = active.terms.get(value)
    if definition is not None and (vocab or definition.iri in KEYWORDS):
        return definition.iri
    colon = value.find(":", 1)
    if colon != -1:
        prefix, suffix = value[:colon], value[colon + 1 :]
        if prefix == "_" or suffix.startswith("//"):
            return value
        if (
            local is not None
            and defining is not None
            and not defining.done.get(prefix, prefix not in local)
        ):
            _define(active, local, prefix, defining)
        prefix_definition = active.terms.get(prefix)
        if (
            prefix_definition is not None
            and prefix_definition.iri is not None
            and prefix_definition.prefix
        ):
            return prefix_definition.iri + suffix
        if is_absolute_iri(value):
            return value
    if vocab and active.vocab is not None:
        return active.vocab + value
    if document_relative and active.base is not None:
        return resolve_iri(active.base, value)
    return value


def resolve_iri(base: str, reference: str) -> str:
    """RFC 3986 section 5.2 reference resolution (any scheme, unlike urllib's urljoin)."""
    if is_absolute_iri(reference):
        return reference
    match = re.match(r"([^:/?#]+:)?(//[^/?#]*)?([^?#]*)(\?[^#]*)?(#.*)?\Z", base)
    ref = re.match(r"(//[^/?#]*)?([^?#]*)(\?[^#]*)?(#.*)?\Z", reference, re.DOTALL)
    if match is None or ref is None:
        return reference
    scheme, authority, path, query, _ = match.groups("")
    r_authority, r_path, r_query, r_fragment = ref.groups("")
    if r_authority:
        return scheme + r_authority + _remove_dots(r_path) + r_query + r_fragment
    if not r_path:
        return scheme + authority + path + (r_query or query) + r_fragment
    if r_path.startswith("/"):
        merged = r_path
    elif authority and not path:
        merged = "/" + r_path
    else:
        merged = path[: path.rfind("/") + 1] + r_path
    return scheme + authority + _remove_dots(merged) + r_query + r_fragment


def _remove_dots(path: str) -> str:
    output: list[str] = []
    segments = path.split("/")
    for i, segment in enumerate(segments):
        if segment == ".":
            if i == len(segments) - 1:
                output.append("")
        elif segment == "..":
            if len(output) > 1:
                output.pop()
            if i == len(segments) - 1:
                output.append("")
        else:
            output.append(segment)
    return "/".join(output)
