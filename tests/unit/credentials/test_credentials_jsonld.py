"""Strict JSON-LD expansion: it matches the reference processors where data is well defined,
and refuses (naming the term and where it is) anything a processor would silently drop."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tessera.credentials.contexts import (
    CONTEXT_FILES,
    TESSERA_CONTEXT_URL,
    UnknownContextError,
    context_bytes,
    load_context,
)
from tessera.credentials.jsonld import (
    JsonLdError,
    RelativeIriError,
    StrictJsonLdError,
    UndefinedTermError,
    UndefinedTypeError,
    UnsupportedJsonLdError,
    check_strict,
    document_loader,
    expand,
)
from tessera.credentials.jsonld.context import resolve_iri

V2 = "https://www.w3.org/ns/credentials/v2"
OB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def credential(**extra: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": [V2, OB],
        "id": "urn:uuid:5b0e3c52-6a7f-4f3e-9d2c-7f0a9e3f1a11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:example:issuer", "type": ["Profile"], "name": "Issuer"},
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.org/a/1",
                "type": ["Achievement"],
                "name": "A",
                "description": "D",
                "criteria": {"narrative": "N"},
            },
        },
    }
    document.update(extra)
    return document


# contexts --------------------------------------------------------------------------------


def test_every_bundled_context_loads_and_is_a_context() -> None:
    for url in CONTEXT_FILES:
        document = load_context(url)
        assert isinstance(document.get("@context"), dict | list), url
        assert context_bytes(url).startswith(b"{")


def test_unknown_context_is_refused_not_fetched() -> None:
    with pytest.raises(UnknownContextError, match="nothing is fetched"):
        load_context("https://example.org/context.jsonld")
    with pytest.raises(JsonLdError, match="unknown JSON-LD context"):
        expand({"@context": "https://example.org/context.jsonld", "name": "x"})


def test_document_loader_serves_bundled_contexts_for_other_processors() -> None:
    remote = document_loader(V2)
    assert remote["documentUrl"] == V2
    assert remote["document"] is load_context(V2)


def test_tessera_context_defines_every_term_protected_under_our_namespace() -> None:
    context = load_context(TESSERA_CONTEXT_URL)["@context"]
    assert context["@protected"] is True
    assert context["@version"] == 1.1
    terms = {k: v for k, v in context.items() if not k.startswith("@")}
    assert {"EUMicroCredentialDetails", "workloadHours", "eqfLevel", "stackableTowards"} <= set(
        terms
    )
    for term, definition in terms.items():
        assert definition["@id"].startswith("https://tessera.eu/ns/microcredential#"), term


def test_sources_lists_every_bundled_file() -> None:
    from importlib import resources

    folder = resources.files("tessera.credentials.contexts").joinpath("data")
    sources = folder.joinpath("SOURCES.md").read_text("utf-8")
    for filename in set(CONTEXT_FILES.values()):
        assert f"| {filename} |" in sources, filename


# strictness ------------------------------------------------------------------------------


def test_a_valid_credential_passes() -> None:
    check_strict(credential())


def test_undefined_term_is_named_with_its_path() -> None:
    document = credential()
    document["credentialSubject"]["achievement"]["colour"] = "blue"
    with pytest.raises(UndefinedTermError) as caught:
        check_strict(document)
    assert caught.value.term == "colour"
    assert caught.value.path == "/credentialSubject/achievement/colour"
    assert "'colour'" in str(caught.value)


def test_undefined_type_is_named_with_its_path() -> None:
    with pytest.raises(UndefinedTypeError) as caught:
        check_strict(credential(type=["VerifiableCredential", "MadeUpCredential"]))
    assert caught.value.term == "MadeUpCredential"
    assert caught.value.path == "/type/1"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("id",), "credentials/42"),
        (("issuer", "id"), "issuers/1"),
        (("credentialSubject", "achievement", "id"), "achievements/1"),
        (("credentialSubject", "achievement", "image"), "badge.png"),
        (("credentialSubject", "achievement", "id"), "https://exa mple.org/a"),
    ],
)
def test_relative_or_invalid_iris_are_refused(path: tuple[str, ...], value: str) -> None:
    document = credential()
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(RelativeIriError) as caught:
        check_strict(document)
    assert caught.value.path == "/" + "/".join(path)


def test_keyword_lookalike_and_blank_node_properties_are_refused() -> None:
    with pytest.raises(UndefinedTermError, match="looks like a JSON-LD keyword"):
        check_strict(credential(**{"@colour": "blue"}))
    with pytest.raises(UndefinedTermError):
        check_strict(credential(**{"_:b0": "blue"}))


def test_term_defined_by_vocab_is_accepted() -> None:
    document = credential()
    document["@context"] = [V2, "https://www.w3.org/ns/credentials/examples/v2"]
    document["type"] = ["VerifiableCredential", "AlumniCredential"]
    document["credentialSubject"] = {"id": "did:example:1", "alumniOf": "Example U"}
    expanded = expand(document)
    assert "https://www.w3.org/ns/credentials/examples#alumniOf" in str(expanded)


def test_protected_terms_cannot_be_redefined() -> None:
    document = credential()
    document["@context"] = [V2, OB, {"name": "https://example.org/other-name"}]
    with pytest.raises(JsonLdError, match="protected term redefinition"):
        check_strict(document)


def test_unsupported_features_are_refused_explicitly() -> None:
    document = credential(name={"@value": "x", "@direction": "rtl", "@language": "ar"})
    with pytest.raises(UnsupportedJsonLdError, match="@direction"):
        check_strict(document)


def test_huge_integers_are_refused_because_javascript_would_read_another_number() -> None:
    document = credential()
    document["@context"] = [V2, OB, TESSERA_CONTEXT_URL]
    document["credentialSubject"]["achievement"]["euMicroCredential"] = {
        "type": "EUMicroCredentialDetails",
        "workloadHours": 2**60,
    }
    with pytest.raises(StrictJsonLdError, match="too large"):
        check_strict(document)


def test_bare_values_at_top_level_are_refused() -> None:
    with pytest.raises(JsonLdError):
        expand("just a string")  # type: ignore[arg-type]
    with pytest.raises(StrictJsonLdError):
        expand({"@context": V2, "@graph": ["x"]})


def test_expansion_does_not_mutate_its_input() -> None:
    document = credential(name="N")
    before = copy.deepcopy(document)
    expand(document)
    assert document == before


def test_scoped_contexts_do_not_leak_into_nested_nodes() -> None:
    # `achievementType` is defined only inside OB's type-scoped context for Achievement.
    document = credential()
    document["credentialSubject"]["achievement"]["achievementType"] = "MicroCredential"
    check_strict(document)
    document["issuer"]["achievementType"] = "MicroCredential"
    with pytest.raises(UndefinedTermError, match="achievementType") as caught:
        check_strict(document)
    assert caught.value.path == "/issuer/achievementType"
    # nor does it reach a node nested inside the Achievement (type scopes do not propagate)
    del document["issuer"]["achievementType"]
    document["credentialSubject"]["achievement"]["criteria"]["achievementType"] = "Badge"
    with pytest.raises(UndefinedTermError, match="achievementType"):
        check_strict(document)


@pytest.mark.parametrize(
    ("base", "reference", "expected"),
    [
        ("https://a.example/b/c/d;p?q", "g", "https://a.example/b/c/g"),
        ("https://a.example/b/c/d;p?q", "../g", "https://a.example/b/g"),
        ("https://a.example/b/c/d;p?q", "#s", "https://a.example/b/c/d;p?q#s"),
        ("https://a.example/b/c/d;p?q", "//g", "https://g"),
        ("did:web:x", "did:key:z", "did:key:z"),
    ],
)
def test_iri_resolution_follows_rfc3986(base: str, reference: str, expected: str) -> None:
    assert resolve_iri(base, reference) == expected
