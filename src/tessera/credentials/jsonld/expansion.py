"""Strict JSON-LD 1.1 expansion (W3C JSON-LD 1.1 Processing Algorithms, section 5.1).

Strict: where a conforming processor would silently drop data (an undefined term, an undefined
type, a relative IRI, a free-floating value), this one raises an error naming the key and its
JSON Pointer. Dropped data is data a signature does not cover, so a credential carrying it must
be refused both when we sign and when we verify.
"""

from __future__ import annotations

from typing import Any, Final

from tessera.credentials.jsonld.context import (
    INITIAL_CONTEXT,
    ActiveContext,
    TermDefinition,
    expand_iri,
    is_absolute_iri,
    is_node_identifier,
    process_context,
)
from tessera.credentials.jsonld.errors import (
    JsonLdError,
    RelativeIriError,
    StrictJsonLdError,
    UndefinedTermError,
    UndefinedTypeError,
    UnsupportedJsonLdError,
)

Path = tuple[str | int, ...]

_EMPTY: Final[frozenset[str]] = frozenset()
_VALUE_KEYS: Final = frozenset({"@value", "@language", "@type", "@index"})
_MAX_SAFE_INTEGER: Final = 2**53 - 1  # beyond this JavaScript verifiers see a different number
_UNSUPPORTED_KEYWORDS: Final = frozenset({"@reverse", "@nest", "@included", "@direction"})


def expand(document: Any) -> list[dict[str, Any]]:
    """The expanded form of `document`; raises `JsonLdError` (strict) on anything unsigned."""
    if not isinstance(document, (dict, list)):
        raise JsonLdError("a JSON-LD document must be a JSON object or array")
    expanded = _expand(INITIAL_CONTEXT, None, document, False, ())
    if isinstance(expanded, dict) and len(expanded) == 1 and "@graph" in expanded:
        expanded = expanded["@graph"]
    if expanded is None:
        return []
    return expanded if isinstance(expanded, list) else [expanded]


def _expand(
    active: ActiveContext,
    active_property: str | None,
    element: Any,
    from_map: bool,
    path: Path,
    inside_list: bool = False,
) -> Any:
    if element is None:
        return None
    if isinstance(element, (str, bool, int, float)):
        if active_property is None or active_property == "@graph":
            raise StrictJsonLdError("a bare value outside any property is dropped", path=path)
        definition = active.terms.get(active_property)
        if definition is not None and definition.has_context:
            active = _scoped(active, definition)
        return _expand_value(active, active_property, element, path)
    if isinstance(element, list):
        definition = active.terms.get(active_property) if active_property is not None else None
        # Directly inside a list, a nested array is a nested list (JSON-LD 1.1 lists of lists);
        # deeper arrays are flattened, exactly as jsonld.js does.
        is_list = inside_list or (definition is not None and "@list" in definition.container)
        out: list[Any] = []
        for index, item in enumerate(element):
            expanded = _expand(active, active_property, item, from_map, (*path, index))
            if expanded is None:
                continue
            if is_list and isinstance(expanded, list):
                expanded = {"@list": expanded}
            if isinstance(expanded, list):
                out.extend(expanded)
            else:
                out.append(expanded)
        return out
    if not isinstance(element, dict):
        raise JsonLdError(f"not JSON: {type(element).__name__}", path=path)
    return _expand_map(active, active_property, element, from_map, path)


def _scoped(active: ActiveContext, definition: TermDefinition) -> ActiveContext:
    return process_context(
        active,
        definition.context,
        base_url=definition.base_url,
        override_protected=True,
        anchor=definition,
    )


def _expand_map(
    active: ActiveContext,
    active_property: str | None,
    element: dict[str, Any],
    from_map: bool,
    path: Path,
) -> Any:
    property_definition = active.terms.get(active_property) if active_property is not None else None
    # A type-scoped context does not reach nested node objects: go back to the context before it.
    if active.previous is not None and not from_map and not _keeps_type_scope(active, element):
        active = active.previous
    if property_definition is not None and property_definition.has_context:
        active = _scoped(active, property_definition)
    if "@context" in element:
        active = process_context(active, element["@context"])
    type_scoped = active
    type_keys = sorted(k for k in element if k != "@context" and active.expand_key(k) == "@type")
    input_type: str | None = None
    for key in type_keys:
        values = element[key]
        values = values if isinstance(values, list) else [values]
        if values and isinstance(values[-1], str) and input_type is None:
            input_type = type_scoped.expand_key(values[-1])
        for term in sorted(v for v in values if isinstance(v, str)):
            definition = type_scoped.terms.get(term)
            if definition is not None and definition.has_context:
                active = process_context(
                    active,
                    definition.context,
                    base_url=definition.base_url,
                    propagate=False,
                    anchor=definition,
                )

    result: dict[str, Any] = {}
    for key, value in element.items():
        if key == "@context":
            continue
        expanded_property = active.expand_key(key)
        if expanded_property is None or expanded_property[0] != "@":
            if expanded_property is None or not is_absolute_iri(expanded_property):
                raise _undefined_term(key, expanded_property, (*path, key))
            _expand_property(active, key, expanded_property, value, result, (*path, key))
        else:
            _expand_keyword(
                active,
                type_scoped,
                active_property,
                expanded_property,
                value,
                input_type,
                result,
                (*path, key),
            )
    return _finish(result, active_property, path)


def _keeps_type_scope(active: ActiveContext, element: dict[str, Any]) -> bool:
    """True for a value object or a bare node reference, which stay in the type-scoped context."""
    for key in element:
        expanded = active.expand_key(key)
        if expanded == "@value" or (expanded == "@id" and len(element) == 1):
            return True
    return False


def _undefined_term(key: str, expanded: str | None, path: Path) -> UndefinedTermError:
    if key.startswith("@"):
        return UndefinedTermError(
            f"{key!r} looks like a JSON-LD keyword but is not one; it would be dropped",
            path=path,
            term=key,
        )
    if expanded is None:
        return UndefinedTermError(
            f"term {key!r} is mapped to null by its context, so it would not be signed",
            path=path,
            term=key,
        )
    return UndefinedTermError(
        f"undefined term {key!r}: no @context defines it, so it would not be signed",
        path=path,
        term=key,
    )


def _expand_keyword(
    active: ActiveContext,
    type_scoped: ActiveContext,
    active_property: str | None,
    keyword: str,
    value: Any,
    input_type: str | None,
    result: dict[str, Any],
    path: Path,
) -> None:
    if keyword in result and keyword != "@type":
        raise JsonLdError(f"colliding keywords: {keyword} appears twice", path=path)
    if keyword in _UNSUPPORTED_KEYWORDS:
        raise UnsupportedJsonLdError(f"{keyword} is not supported", path=path, term=keyword)
    if keyword == "@id":
        if not isinstance(value, str):
            raise JsonLdError("invalid @id value: it must be a string", path=path)
        iri = expand_iri(active, value, document_relative=True)
        if iri is None or not is_node_identifier(iri):
            raise RelativeIriError(
                f"id {value!r} is not an absolute IRI, so it would not be signed",
                path=path,
                term=value,
            )
        result["@id"] = iri
    elif keyword == "@type":
        values = value if isinstance(value, list) else [value]
        types = result.setdefault("@type", [])
        for index, item in enumerate(values):
            if not isinstance(item, str):
                raise JsonLdError("invalid type value: it must be a string", path=path)
            iri = _expand_type(type_scoped, item)
            if iri is None or (iri != "@json" and not is_node_identifier(iri)):
                raise UndefinedTypeError(
                    f"undefined type {item!r}: no @context defines it, so it would not be signed",
                    path=(*path, index) if isinstance(value, list) else path,
                    term=item,
                )
            types.append(iri)
    elif keyword == "@graph":
        expanded = _expand(active, "@graph", value, False, path)
        result["@graph"] = expanded if isinstance(expanded, list) else [expanded]
    elif keyword == "@value":
        if (
            input_type != "@json"
            and value is not None
            and not isinstance(value, (str, bool, int, float))
        ):
            raise JsonLdError("invalid value object value", path=path)
        result["@value"] = _js_number(value, path) if input_type != "@json" else value
    elif keyword == "@language":
        if not isinstance(value, str):
            raise JsonLdError(
                "invalid language-tagged string: @language must be a string", path=path
            )
        result["@language"] = value.lower()
    elif keyword == "@index":
        if not isinstance(value, str):
            raise JsonLdError("invalid @index value", path=path)
        result["@index"] = value
    elif keyword == "@list":
        if active_property is None or active_property == "@graph":
            raise StrictJsonLdError("a free-floating list is dropped", path=path)
        expanded = _expand(active, active_property, value, False, path, inside_list=True)
        result["@list"] = expanded if isinstance(expanded, list) else [expanded]
    elif keyword == "@set":
        result["@set"] = _expand(active, active_property, value, False, path)
    else:
        raise JsonLdError(f"invalid use of {keyword} in a node object", path=path)


def _expand_type(active: ActiveContext, value: str) -> str | None:
    if active.base is None:
        return active.expand_key(value)
    return expand_iri(active, value, vocab=True, document_relative=True)


def _expand_property(
    active: ActiveContext,
    key: str,
    expanded_property: str,
    value: Any,
    result: dict[str, Any],
    path: Path,
) -> None:
    definition = active.terms.get(key)
    container = definition.container if definition is not None else _EMPTY
    if definition is not None and definition.nest is not None:
        raise UnsupportedJsonLdError(f"@nest (term {key!r})", path=path, term=key)
    expanded: Any
    if definition is not None and definition.type_mapping == "@json":
        expanded = {"@value": value, "@type": "@json"}
    elif isinstance(value, dict) and "@language" in container:
        expanded = _expand_language_map(active, value, path)
    elif isinstance(value, dict) and container & {"@index", "@id", "@type"}:
        expanded = _expand_index_map(active, key, definition, value, path)
    else:
        expanded = _expand(active, key, value, False, path)
    if expanded is None:
        return
    if "@list" in container and not (isinstance(expanded, dict) and "@list" in expanded):
        expanded = {"@list": expanded if isinstance(expanded, list) else [expanded]}
    if "@graph" in container and not container & {"@id", "@index"}:
        expanded = [
            {"@graph": item if isinstance(item, list) else [item]}
            for item in (expanded if isinstance(expanded, list) else [expanded])
        ]
    existing = result.get(expanded_property)
    if existing is None:
        result[expanded_property] = expanded if isinstance(expanded, list) else [expanded]
    elif isinstance(expanded, list):
        existing.extend(expanded)
    else:
        existing.append(expanded)


def _expand_language_map(
    active: ActiveContext, value: dict[str, Any], path: Path
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for language in sorted(value):
        items = value[language]
        for item in items if isinstance(items, list) else [items]:
            if item is None:
                continue
            if not isinstance(item, str):
                raise JsonLdError("invalid language map value", path=(*path, language))
            entry: dict[str, Any] = {"@value": item}
            if active.expand_key(language) != "@none":
                entry["@language"] = language.lower()
            out.append(entry)
    return out


def _expand_index_map(
    active: ActiveContext,
    key: str,
    definition: TermDefinition | None,
    value: dict[str, Any],
    path: Path,
) -> list[Any]:
    assert definition is not None  # only reached for a term with an @index/@id/@type container
    container = definition.container
    if container & {"@id", "@type", "@graph"} or definition.index is not None:
        raise UnsupportedJsonLdError(f"@id/@type/graph maps (term {key!r})", path=path, term=key)
    out: list[Any] = []
    for index in sorted(value):
        expanded = _expand(active, key, value[index], True, (*path, index))
        for item in expanded if isinstance(expanded, list) else [expanded]:
            if item is None:
                continue
            if active.expand_key(index) != "@none" and "@index" not in item:
                item["@index"] = index
            out.append(item)
    return out


def _expand_value(
    active: ActiveContext, active_property: str, value: Any, path: Path
) -> dict[str, Any]:
    """Value Expansion (JSON-LD 1.1 API section 5.3.2), strict about IRIs."""
    definition = active.terms.get(active_property)
    type_mapping = definition.type_mapping if definition is not None else None
    if type_mapping == "@id" and isinstance(value, str):
        iri = expand_iri(active, value, document_relative=True)
        if iri is None or not is_node_identifier(iri):
            raise RelativeIriError(
                f"{value!r} is not an absolute IRI, so it would not be signed",
                path=path,
                term=value,
            )
        return {"@id": iri}
    if type_mapping == "@vocab" and isinstance(value, str):
        iri = expand_iri(active, value, vocab=True, document_relative=True)
        if iri is None or not is_node_identifier(iri):
            raise UndefinedTermError(
                f"{value!r} is neither a defined term nor an absolute IRI",
                path=path,
                term=value,
            )
        return {"@id": iri}
    result: dict[str, Any] = {"@value": _js_number(value, path)}
    if type_mapping is not None and type_mapping not in ("@id", "@vocab", "@none"):
        result["@type"] = type_mapping
    elif isinstance(value, str):
        language = (
            definition.language
            if definition is not None and definition.has_language
            else active.language
        )
        if language is not None:
            result["@language"] = language
    return result


def _js_number(value: Any, path: Path) -> Any:
    """Numbers as a JavaScript verifier reads them: 5.0 is the integer 5; no unsafe integers."""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise JsonLdError("NaN and infinity are not JSON numbers", path=path)
        if value.is_integer() and abs(value) < 1e21:
            return int(value)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_SAFE_INTEGER:
        raise StrictJsonLdError(
            f"integer {value} is too large for JavaScript verifiers (write it as a string)",
            path=path,
        )
    return value


def _finish(result: dict[str, Any], active_property: str | None, path: Path) -> Any:
    if "@value" in result:
        types = result.get("@type")
        if types is not None:
            if len(types) != 1:
                raise JsonLdError("invalid typed value: one datatype only", path=path)
            result["@type"] = types[0]
        if not result.keys() <= _VALUE_KEYS or ("@type" in result and "@language" in result):
            raise JsonLdError("invalid value object", path=path)
        value = result["@value"]
        if result.get("@type") == "@json":
            pass
        elif value is None:
            return None
        elif "@language" in result and not isinstance(value, str):
            raise JsonLdError("invalid language-tagged value", path=path)
        elif "@type" in result and not is_absolute_iri(result["@type"]):
            raise UndefinedTypeError(
                f"datatype {result['@type']!r} is not an absolute IRI", path=path
            )
    elif "@set" in result or "@list" in result:
        if len(result) > 2 or (len(result) == 2 and "@index" not in result):
            raise JsonLdError("invalid set or list object", path=path)
        if "@set" in result:
            return result["@set"]
    elif "@type" in result and not result["@type"]:
        del result["@type"]
    if len(result) == 1 and "@language" in result:
        return None
    if active_property is None or active_property == "@graph":
        if not result or "@list" in result:
            return None
        if "@value" in result:
            raise StrictJsonLdError("a free-floating value is dropped", path=path)
        if len(result) == 1 and "@id" in result:
            return None
    return result
