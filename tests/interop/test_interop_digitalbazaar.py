"""Cross-verification with the reference implementation (@digitalbazaar/vc, eddsa-rdfc-2022):
what we sign verifies there, what it signs verifies here, byte-identical proofs included,
also for text with control characters, quotes, emoji and right-to-left scripts."""

from __future__ import annotations

import copy
import json
import random
from datetime import UTC, datetime
from typing import Any

import pytest
from tests.interop.node_env import Reference as ReferenceRunner
from tests.unit.credentials.support import TRICKY_TEXT, make_credential

from tessera.credentials.dataintegrity import ProofOptions, add_proof
from tessera.credentials.didkey import did_key_signer
from tessera.credentials.keys import Ed25519Signer
from tessera.credentials.verifier import verify

SEED = bytes(range(100, 132))
CREATED = "2025-06-01T12:00:00Z"
NOW = "2026-01-01T00:00:00Z"


def _texts() -> list[str]:
    fixed = [
        "Plain ASCII badge",
        TRICKY_TEXT,
        "".join(chr(c) for c in range(1, 32)) + "\x7f",
        "quotes \" ' and backslashes \\ \\\\ \\u0041 \\n",
        "emoji 😀🎓🏳️‍🌈 and astral 𝄞 𐍈",
        "عربي mixed עברית 123 ABC \u200f\u200e",
        "line\u2028separator\u2029paragraph\u0085nel",
        "surrogate-adjacent \ufffd \ufeff \uffff",
    ]
    generator = random.Random(20250601)
    alphabet = [chr(c) for c in [*range(0, 0x80), 0xE9, 0x5D0, 0x627, 0x2028, 0xFFFD, 0x1F600]]
    fixed += ["".join(generator.choice(alphabet) for _ in range(40)) for _ in range(12)]
    return fixed


@pytest.fixture(scope="module")
def signer() -> Ed25519Signer:
    key = did_key_signer(Ed25519Signer(SEED))
    assert isinstance(key, Ed25519Signer)
    return key


@pytest.fixture(scope="module")
def unsigned(signer: Ed25519Signer) -> list[dict[str, Any]]:
    return [make_credential(signer.key_id.partition("#")[0], text) for text in _texts()]


def test_what_we_sign_verifies_in_the_reference(
    reference: ReferenceRunner, signer: Ed25519Signer, unsigned: list[dict[str, Any]]
) -> None:
    signed = [add_proof(c, signer, options=ProofOptions(created=CREATED)) for c in unsigned]
    results = reference("verify", {"credentials": signed, "now": NOW})["results"]
    failures = [(i, r["error"]) for i, r in enumerate(results) if not r["verified"]]
    assert failures == []


def test_what_the_reference_signs_verifies_here_and_is_byte_identical(
    reference: ReferenceRunner, signer: Ed25519Signer, unsigned: list[dict[str, Any]]
) -> None:
    out = reference("sign", {"credentials": unsigned, "seedHex": SEED.hex(), "created": CREATED})
    assert out["verificationMethod"] == signer.key_id
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for credential, theirs in zip(unsigned, out["signed"], strict=True):
        report = verify(theirs, now=now)
        assert report.verified, report.to_dict()
        ours = add_proof(credential, signer, options=ProofOptions(created=CREATED))
        assert ours["proof"]["proofValue"] == theirs["proof"]["proofValue"]


def test_the_reference_rejects_a_tampered_credential(
    reference: ReferenceRunner, signer: Ed25519Signer, unsigned: list[dict[str, Any]]
) -> None:
    signed = add_proof(unsigned[1], signer, options=ProofOptions(created=CREATED))
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["name"] = TRICKY_TEXT.replace("\x01", "\x02")
    results = reference("verify", {"credentials": [signed, tampered], "now": NOW})["results"]
    assert [r["verified"] for r in results] == [True, False]


def test_what_the_platform_issues_verifies_in_the_reference(
    reference: ReferenceRunner, db: Any, issuing: Any, make_org: Any, make_person: Any,
    skill_uris: list[str],
) -> None:  # fmt: skip
    """A credential issued through the platform (composed from the catalog, signed by the
    provider's did:web key) verifies in @digitalbazaar/vc given the provider's DID document,
    before and after a key rotation."""
    from tests.conftest import microcredential_payload

    from tessera.accounts.roles import Role
    from tessera.catalog import services as catalog
    from tessera.credentials import services as credentials
    from tessera.credentials.payloads import CredentialIssue

    make_org("aurora")
    make_org("industria")
    admin = make_person("admin@aurora.eu", Role.ORG_ADMIN, "aurora")
    version = catalog.create_microcredential(
        db, admin.actor,
        microcredential_payload("aurora", skill_uris, partners=["industria"], title=TRICKY_TEXT),
    )  # fmt: skip
    catalog.publish_microcredential(db, admin.actor, version.microcredential_id)
    issued = []
    for key in ("before", "after"):
        row, _ = credentials.issue_credential(
            db, issuing, admin.actor,
            CredentialIssue(microcredential_id=version.microcredential_id,
                            recipient_name="Zoë Ørsted", recipient_email="zoe@example.org",
                            idempotency_key=key),
        )  # fmt: skip
        issued.append(json.loads(row.document))
        credentials.rotate_key(db, issuing, admin.actor, "aurora")
    controller = credentials.organisation_did_document(db, issuing, "aurora")
    results = reference(
        "verify", {"credentials": issued, "controllers": [controller], "now": _now_iso()}
    )["results"]
    assert [r["verified"] for r in results] == [True, True], results


def _now_iso() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")
