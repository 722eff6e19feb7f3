"""Credential signing and verification throughput, one core, ours next to the reference.

    python -m bench.bench_credentials [--seconds S] [--no-reference]

Same credential for every row: a composed micro-credential (OB 3.0, EU elements, two skills).
The reference is @digitalbazaar/vc 7 + eddsa-rdfc-2022-cryptosuite on Node (tests/interop/node),
timing its own loop. Goals (issue 3): eddsa-rdfc-2022 sign >= 2.5x and verify >= 2.3x the
reference; eddsa-jcs-2022 and VC-JWT sign >= 10,000/s. How each row is measured:

- sign: one `add_proof` per operation with one `created` time, as `sign_many` does in a batch
  (the canonical proof configuration is then computed once; the row "cold" recomputes it).
- verify: the full proof check with the proof-config cache emptied before every operation, so
  nothing learnt from an earlier credential helps (contexts stay processed, as in any server).
Writes bench/results/credentials.json; never fails on a timing.
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from tessera.credentials import dataintegrity
from tessera.credentials.canonical import rdfc
from tessera.credentials.compose import (
    Achievement,
    IssuerProfile,
    Recipient,
    Skill,
    compose_achievement_credential,
)
from tessera.credentials.dataintegrity import ProofOptions, add_proof, verify_proofs
from tessera.credentials.didkey import did_key_signer
from tessera.credentials.jwt import sign_jwt, verify_jwt
from tessera.credentials.keys import Ed25519Signer
from tessera.credentials.multikey import PublicKey, decode_public_key

RESULTS = Path(__file__).resolve().parent / "results" / "credentials.json"
SEED = bytes(range(100, 132))
CREATED = "2025-01-01T00:00:00Z"
GOALS = {"rdfc_sign_ratio": 2.5, "rdfc_verify_ratio": 2.3, "jcs_sign": 10_000, "jwt_sign": 10_000}


def bench_credential(issuer: str) -> dict[str, Any]:
    return compose_achievement_credential(
        credential_id="https://tessera.example/credentials/6f1c2e1a-8d7b-4a57-9d0e-3f1b2c4d5e6f",
        issuer=IssuerProfile(
            id=issuer,
            name="Universiteit Voorbeeld",
            url="https://uni.example",
            image="https://uni.example/logo.png",
            email="registrar@uni.example",
            address_country="NL",
        ),
        achievement=Achievement(
            id="https://tessera.example/microcredentials/42/versions/3",
            name="Data analysis with Python",
            description="Applied data analysis for public-sector analysts.",
            criteria_narrative="Complete modules 1-4 and pass the capstone project.",
            image="https://tessera.example/badges/42.png",
            skills=[
                Skill(
                    uri="http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d",
                    label="Python (computer programming)",
                ),
                Skill(
                    uri="http://data.europa.eu/esco/skill/a5d9a5f3-12f9-4fd8-b4fb-1a1a5e8d5c2b",
                    label="perform data analysis",
                ),
            ],
            eqf_level=6,
            ects=5,
            field_of_study="Computer science",
            languages=["en"],
            human_code="DA-PY-101",
            grading="Pass / fail",
            grading_values=["Pass", "Fail"],
            eu_elements={
                "workloadHours": 125,
                "assessmentType": "project",
                "participationMode": "online",
                "qualityAssurance": "Internal QA",
                "stackable": True,
                "learningOutcomes": ["Clean data with pandas", "Explain a regression"],
            },
        ),
        recipient=Recipient(did="did:example:learner-7"),
        valid_from="2025-03-01T09:00:00Z",
        valid_until="2035-03-01T09:00:00Z",
    )


def ops_per_second(operation: Callable[[], object], seconds: float) -> float:
    operation()  # warm
    count = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        operation()
        count += 1
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start)


def measure_ours(seconds: float) -> dict[str, float]:
    signer = did_key_signer(Ed25519Signer(SEED))
    credential = bench_credential(signer.key_id.partition("#")[0])
    options = ProofOptions(created=CREATED)

    def key(method: str) -> PublicKey:
        return decode_public_key(method.partition("#")[2])

    def cold_sign() -> object:
        dataintegrity._config_hashes.clear()
        return add_proof(credential, signer, options=options)

    def verify(document: dict[str, Any]) -> Callable[[], object]:
        def run() -> object:
            dataintegrity._config_hashes.clear()
            results = verify_proofs(document, key)
            assert results[0].status == "passed"
            return results

        return run

    rdfc_signed = add_proof(credential, signer, options=options)
    jcs_signed = add_proof(credential, signer, suite="eddsa-jcs-2022", options=options)
    token = sign_jwt(credential, signer)
    return {
        "rdfc_canonicalize": ops_per_second(lambda: rdfc(credential), seconds),
        "rdfc_sign": ops_per_second(
            lambda: add_proof(credential, signer, options=options), seconds
        ),
        "rdfc_sign_cold": ops_per_second(cold_sign, seconds),
        "rdfc_verify": ops_per_second(verify(rdfc_signed), seconds),
        "jcs_sign": ops_per_second(
            lambda: add_proof(credential, signer, suite="eddsa-jcs-2022", options=options), seconds
        ),
        "jcs_verify": ops_per_second(verify(jcs_signed), seconds),
        "jwt_sign": ops_per_second(lambda: sign_jwt(credential, signer), seconds),
        "jwt_verify": ops_per_second(lambda: verify_jwt(token, key), seconds),
    }


def measure_other_canonicalizers(seconds: float) -> dict[str, float | str]:
    """RDFC-1.0 of the same credential by pyld and pyoxigraph, where installed (ADR 0005)."""
    from tessera.credentials.contexts import load_context
    from tessera.credentials.jsonld import document_loader

    credential = bench_credential("did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi")
    expected = rdfc(credential)
    out: dict[str, float | str] = {}
    try:
        from pyld import jsonld  # type: ignore[import-not-found, unused-ignore]

        options = {"algorithm": "URDNA2015", "format": "application/n-quads"}
        options["documentLoader"] = document_loader  # type: ignore[assignment]
        same = jsonld.normalize(credential, options) == expected
        out["pyld_canonicalize"] = ops_per_second(
            lambda: jsonld.normalize(credential, options), seconds
        )
        out["pyld_matches"] = str(same)
    except ImportError:
        out["pyld_canonicalize"] = "not installed"
    try:
        import orjson
        import pyoxigraph  # type: ignore[import-not-found, unused-ignore]

        inlined = dict(credential)
        inlined["@context"] = [load_context(url)["@context"] for url in credential["@context"]]
        text = orjson.dumps(inlined)

        def oxigraph() -> str:
            dataset = pyoxigraph.Dataset(pyoxigraph.parse(text, pyoxigraph.RdfFormat.JSON_LD))
            dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
            return "".join(sorted(f"{quad} .\n" for quad in dataset))

        out["pyoxigraph_matches"] = str(oxigraph() == expected)
        out["pyoxigraph_canonicalize"] = ops_per_second(oxigraph, seconds)
    except ImportError:
        out["pyoxigraph_canonicalize"] = "not installed"
    return out


def measure_reference(seconds: float) -> dict[str, Any]:
    try:
        from tests.interop.node_env import Reference, install_reference

        folder = install_reference()
    except Exception as error:  # node, npm or the registry missing: report, do not fail
        return {"unavailable": str(error)}
    credential = bench_credential(
        "did:key:" + did_key_signer(Ed25519Signer(SEED)).public_key.multibase
    )
    with tempfile.TemporaryDirectory() as scratch:
        run = Reference(folder, Path(scratch))
        return run("bench", {"credential": credential, "seedHex": SEED.hex(), "seconds": seconds})


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="per measurement")
    parser.add_argument("--no-reference", action="store_true", help="skip the Node reference")
    args = parser.parse_args(argv)
    console = Console()
    with console.status("measuring ours..."):
        ours = measure_ours(args.seconds)
    with console.status("measuring the reference (@digitalbazaar/vc on Node)..."):
        reference = (
            {"unavailable": "--no-reference"}
            if args.no_reference
            else measure_reference(args.seconds)
        )
    with console.status("measuring pyld / pyoxigraph canonicalization..."):
        others = measure_other_canonicalizers(min(args.seconds, 1.0))

    ratios: dict[str, float | None] = {
        "rdfc_sign_ratio": ours["rdfc_sign"] / reference["sign_ops"]
        if "sign_ops" in reference
        else None,
        "rdfc_verify_ratio": ours["rdfc_verify"] / reference["verify_ops"]
        if "verify_ops" in reference
        else None,
    }
    table = Table(title="Credential proofs, one core (ops/s; same credential)")
    for column in ("operation", "Tessera", "@digitalbazaar/vc", "ratio", "goal"):
        table.add_column(column, justify="left" if column == "operation" else "right")

    def row(name: str, value: float, ref: float | None, ratio: float | None, goal: str) -> None:
        table.add_row(
            name,
            f"{value:,.0f}",
            f"{ref:,.0f}" if ref else "-",
            f"{ratio:.1f}x" if ratio else "-",
            goal,
        )

    row(
        "eddsa-rdfc-2022 sign",
        ours["rdfc_sign"],
        reference.get("sign_ops"),
        ratios["rdfc_sign_ratio"],
        ">= 2.5x",
    )
    cold_ratio = ours["rdfc_sign_cold"] / reference["sign_ops"] if "sign_ops" in reference else None
    row("eddsa-rdfc-2022 sign (cold config)", ours["rdfc_sign_cold"], None, cold_ratio, "")
    row(
        "eddsa-rdfc-2022 verify",
        ours["rdfc_verify"],
        reference.get("verify_ops"),
        ratios["rdfc_verify_ratio"],
        ">= 2.3x",
    )
    row("RDFC-1.0 canonicalize only", ours["rdfc_canonicalize"], None, None, "")
    row("eddsa-jcs-2022 sign", ours["jcs_sign"], None, None, ">= 10,000/s")
    row("eddsa-jcs-2022 verify", ours["jcs_verify"], None, None, "")
    row("VC-JWT EdDSA sign", ours["jwt_sign"], None, None, ">= 10,000/s")
    row("VC-JWT EdDSA verify", ours["jwt_verify"], None, None, "")
    for name in ("pyld", "pyoxigraph"):
        value = others.get(f"{name}_canonicalize")
        if isinstance(value, float):
            matches = others.get(f"{name}_matches")
            table.add_row(
                f"RDFC-1.0 canonicalize, {name}",
                f"{value:,.0f}",
                "-",
                "-",
                f"same bytes: {matches}",
            )
    console.print(table)
    if "unavailable" in reference:
        console.print(f"[yellow]reference not measured: {reference['unavailable']}[/yellow]")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "credentials",
                "python": platform.python_version(),
                "machine": platform.machine(),
                "seconds_per_measurement": args.seconds,
                "ours_ops_per_second": ours,
                "reference_ops_per_second": reference,
                "ratios": ratios,
                "other_canonicalizers": others,
                "goals": GOALS,
            },
            indent=2,
        )
        + "\n"
    )
    console.print(f"wrote {RESULTS}")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
