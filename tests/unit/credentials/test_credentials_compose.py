"""Composing a micro-credential: OB 3.0 schema-valid, strictly defined, EU elements mapped."""

from __future__ import annotations

from typing import Any

import pytest

from tessera.credentials.compose import (
    Achievement,
    CompositionError,
    IssuerProfile,
    Recipient,
    compose_achievement_credential,
    identity_hash,
)
from tessera.credentials.contexts import TESSERA_CONTEXT_URL
from tessera.credentials.jsonld import check_strict, expand
from tessera.credentials.schemas import schema_validator


def test_composed_credential_is_schema_valid_and_strict(credential: dict[str, Any]) -> None:
    errors = [e.message for e in schema_validator("AchievementCredential").iter_errors(credential)]
    assert errors == []
    check_strict(credential)
    assert credential["@context"][2] == TESSERA_CONTEXT_URL
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]


def test_ob_fields_carry_the_eu_elements(credential: dict[str, Any]) -> None:
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "MicroCredential"
    assert achievement["creditsAvailable"] == 5.0
    assert achievement["inLanguage"] == "en"
    assert achievement["humanCode"] == "DA-PY-101"
    assert achievement["fieldOfStudy"] == "Computer science"
    assert achievement["resultDescription"][0]["allowedValue"] == ["Pass", "Fail"]
    skills = [a for a in achievement["alignment"] if a["targetFramework"] == "ESCO"]
    assert [a["targetType"] for a in skills] == ["ceasn:Competency"] * 2
    assert skills[0]["targetCode"] == "S1.2.3"
    eqf = [a for a in achievement["alignment"] if a["targetFramework"].startswith("European")]
    assert eqf[0]["targetUrl"] == "http://data.europa.eu/snb/eqf/6"
    details = achievement["euMicroCredential"]
    assert details["type"] == "EUMicroCredentialDetails"
    assert details["eqfLevel"] == 6
    assert details["countryOfIssuer"] == "NL"
    assert details["awardingBody"] == [credential["issuer"]["id"], "did:web:partner.example"]
    assert achievement["creator"]["id"] == "did:web:partner.example"
    assert credential["issuer"]["address"]["addressCountryCode"] == "NL"
    expanded = str(expand(credential))
    assert "https://tessera.eu/ns/microcredential#workloadHours" in expanded
    assert "https://tessera.eu/ns/microcredential#stackableTowards" in expanded


def test_email_recipient_is_only_present_hashed(credential: dict[str, Any]) -> None:
    identifier = credential["credentialSubject"]["identifier"][0]
    assert identifier["identityHash"] == identity_hash("learner@example.org", "c0ffee")
    assert identifier["identityHash"].startswith("sha256$")
    assert len(identifier["identityHash"]) == 71
    assert "learner@example.org" not in str(credential).lower()
    assert "id" not in credential["credentialSubject"]


def _minimal(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "credential_id": "urn:uuid:7d7c1b2a-2f6a-4c1b-9d9e-0b8f6a5c4d3e",
        "issuer": IssuerProfile(
            id="did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi", name="I"
        ),
        "achievement": Achievement(
            id="https://x.example/a", name="A", description="D", criteria_narrative="C"
        ),
        "recipient": Recipient(did="did:example:learner"),
        "valid_from": "2025-01-01T00:00:00Z",
    }
    values.update(overrides)
    return compose_achievement_credential(**values)


def test_minimal_credential_is_valid_too() -> None:
    credential = _minimal()
    assert schema_validator("AchievementCredential").is_valid(credential)
    check_strict(credential)
    assert credential["credentialSubject"]["id"] == "did:example:learner"
    assert "euMicroCredential" not in credential["credentialSubject"]["achievement"]


def test_bad_inputs_are_named() -> None:
    with pytest.raises(CompositionError, match="recipient"):
        _minimal(recipient=Recipient())
    with pytest.raises(CompositionError, match="credential_id"):
        _minimal(credential_id="42")
    bad = Achievement(id="https://x.example/a", name="A", description="D", criteria_narrative="C",
                      eu_elements={"colour": "blue"})  # fmt: skip
    with pytest.raises(CompositionError, match="colour"):
        _minimal(achievement=bad)
