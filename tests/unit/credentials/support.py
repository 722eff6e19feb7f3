"""Shared test data for the credential engine: standards files, keys, controller documents."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tessera.credentials.compose import (
    Achievement,
    IssuerProfile,
    Recipient,
    Skill,
    compose_achievement_credential,
)
from tessera.credentials.didkey import StandardDidResolver
from tessera.credentials.keys import Ed25519Signer
from tessera.credentials.multikey import decode_secret_key

# tests/unit/credentials/support.py -> parents[4] is the folder holding main/ and shared/
STANDARDS = Path(__file__).resolve().parents[4] / "shared" / "standards"
DATA = Path(__file__).resolve().parent / "data"
VECTORS = STANDARDS / "vectors"
EXAMPLES = STANDARDS / "examples"

needs_standards = pytest.mark.skipif(
    not STANDARDS.is_dir(),
    reason=f"shared standards data not found at {STANDARDS} (it lives beside the repository)",
)


def load(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def vector_signer() -> Ed25519Signer:
    """The W3C vc-di-eddsa test key, as a did:key verification method."""
    pair = load(VECTORS / "vc-di-eddsa" / "keyPair.json")
    _, seed = decode_secret_key(pair["privateKeyMultibase"])
    multibase = pair["publicKeyMultibase"]
    return Ed25519Signer(seed, f"did:key:{multibase}#{multibase}")


def controller_document(method: str) -> dict[str, Any]:
    """A controller document listing `method` (whose fragment is its Multikey) for assertion.

    The 1EdTech examples name keys under example.com / 1edtech.edu, where no controller
    document is published; the 1EdTech validator reads the key from the fragment. We serve
    the document that those issuers would publish, through the injectable fetcher."""
    controller, _, fragment = method.partition("#")
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": controller,
        "verificationMethod": [
            {
                "id": method,
                "type": "Multikey",
                "controller": controller,
                "publicKeyMultibase": fragment,
            }
        ],
        "assertionMethod": [method],
    }


def fetcher_for(documents: dict[str, dict[str, Any]]) -> Callable[[str], bytes]:
    """A fetch(url) that serves `documents` and fails like a network error otherwise."""

    def fetch(url: str) -> bytes:
        if url not in documents:
            raise OSError(f"404 {url}")
        return json.dumps(documents[url]).encode()

    return fetch


def bundled_controllers() -> dict[str, dict[str, Any]]:
    """Controller documents for the issuers of the 1EdTech examples, keyed by URL."""
    documents = {}
    for path in sorted((DATA / "controllers").glob("*.json")):
        document = load(path)
        documents[document["id"]] = document
    return documents


def example_resolver() -> StandardDidResolver:
    return StandardDidResolver(fetcher_for(bundled_controllers()))


# Text that breaks naive canonicalizers: C0 controls, DEL, quotes, backslashes, emoji (outside
# the BMP), right-to-left scripts with marks, combining characters, line separators.
TRICKY_TEXT = (
    "ctl:\x01\x02\x07\x08\t\n\x0b\x0c\r\x1b\x1f\x7f quotes:\"'` back\\slash "
    "emoji:😀👩🏽‍🎓🇪🇺 rtl:مرحبا שָׁלוֹם \u200f\u202e\u2066 combining:e\u0301 ls:\u2028ps:\u2029 end"
)


def make_credential(issuer_id: str, text: str = "Data analysis with Python") -> dict[str, Any]:
    return compose_achievement_credential(
        credential_id="https://tessera.example/credentials/0d9f5c1e-3b7a-4f7e-9a1c-2c6c3f1a8e42",
        issuer=IssuerProfile(
            id=issuer_id,
            name="Universiteit Voorbeeld",
            url="https://uni.example",
            image="https://uni.example/logo.png",
            email="registrar@uni.example",
            address_country="NL",
        ),
        achievement=Achievement(
            id="https://tessera.example/microcredentials/42/versions/3",
            name=text,
            description=f"Applied {text} for public-sector analysts.",
            criteria_narrative="Complete modules 1-4 and pass the capstone project (rubric).",
            image="https://tessera.example/badges/42.png",
            skills=[
                Skill(
                    uri="http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d",
                    label="Python (computer programming)",
                    code="S1.2.3",
                ),
                Skill(
                    uri="http://data.europa.eu/esco/skill/a5d9a5f3-12f9-4fd8-b4fb-1a1a5e8d5c2b",
                    label="perform data analysis",
                ),
            ],
            eqf_level=6,
            ects=5.0,
            field_of_study="Computer science",
            languages=["en", "nl"],
            human_code="DA-PY-101",
            grading="Pass / fail",
            grading_values=["Pass", "Fail"],
            eu_elements={
                "workloadHours": 125,
                "assessmentType": "project",
                "participationMode": "online",
                "pacing": "self-paced",
                "qualityAssurance": "Internal QA per NVAO framework",
                "supervisionLevel": "supervised-online",
                "identityVerification": "online",
                "prerequisites": "Basic statistics",
                "gradingScheme": "Pass/fail",
                "stackable": True,
                "stackableTowards": ["https://tessera.example/pathways/7"],
                "learningOutcomes": ["Clean data with pandas", "Explain a regression"],
                "furtherInformation": "https://uni.example/da-py-101",
            },
            partners=[
                IssuerProfile(id="did:web:partner.example", name="Industry Partner BV"),
            ],
        ),
        recipient=Recipient(email="Learner@Example.org", salt="c0ffee"),
        valid_from="2025-03-01T09:00:00Z",
        valid_until="2035-03-01T09:00:00Z",
    )
