"""`tessera vc`: keygen, sign (each suite, JSON Lines), verify, bake / extract, and bad input."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from tests.unit.credentials.support import EXAMPLES, make_credential
from typer.testing import CliRunner

from tessera.cli import app
from tessera.credentials.multibase import encode_base58btc

runner = CliRunner()
OB3 = EXAMPLES / "ob3-validator"
SUITES = ("eddsa-rdfc-2022", "eddsa-jcs-2022", "vc-jwt")
needs_images = pytest.mark.skipif(
    not (OB3 / "simple-json.png").is_file() or not (OB3 / "simple-json.svg").is_file(),
    reason=f"example images not found in {OB3} (shared standards data beside the repository)",
)


def invoke(*args: str | Path) -> Result:
    return runner.invoke(app, ["vc", *(str(a) for a in args)])


def one_line_error(result: Result, *fragments: str) -> None:
    """A failure is exit 1 and a single `error: ...` line on stderr, never a traceback."""
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # exited on purpose, did not crash


@pytest.fixture
def key(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "key.json"
    result = invoke("keygen", "--out", path)
    assert result.exit_code == 0, result.output
    return path, result.stdout.strip()


@pytest.fixture
def credential_file(tmp_path: Path, key: tuple[Path, str]) -> Path:
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(make_credential(key[1])), "utf-8")
    return path


def sign(key_path: Path, credential: Path, suite: str, out: Path) -> Path:
    result = invoke("sign", "--key", key_path, "--suite", suite, credential)
    assert result.exit_code == 0, result.output
    out.write_text(result.stdout, "utf-8")
    return out


# keygen --------------------------------------------------------------------------------


def test_keygen_writes_a_private_did_key_file(key: tuple[Path, str]) -> None:
    path, did = key
    assert did.startswith("did:key:z6Mk")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text("utf-8"))
    public = did.removeprefix("did:key:")
    assert data["controller"] == did
    assert data["id"] == f"{did}#{public}"
    assert data["publicKeyMultibase"] == public
    assert data["secretKeyMultibase"].startswith("z")


def test_keygen_refuses_to_overwrite_without_force(key: tuple[Path, str]) -> None:
    path, did = key
    one_line_error(invoke("keygen", "--out", path), "exists", "--force")
    assert json.loads(path.read_text("utf-8"))["controller"] == did
    result = invoke("keygen", "--out", path, "--force")
    assert result.exit_code == 0, result.output
    assert json.loads(path.read_text("utf-8"))["controller"] != did
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# sign and verify -----------------------------------------------------------------------


@pytest.mark.parametrize("suite", SUITES)
def test_sign_then_verify_each_suite(
    suite: str, tmp_path: Path, key: tuple[Path, str], credential_file: Path
) -> None:
    signed = sign(key[0], credential_file, suite, tmp_path / "signed.out")
    if suite == "vc-jwt":
        assert signed.read_text("utf-8").strip().count(".") == 2
    else:
        proof = json.loads(signed.read_text("utf-8"))["proof"]
        assert proof["cryptosuite"] == suite
        assert proof["verificationMethod"].startswith(key[1] + "#")
    result = invoke("verify", signed)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("VERIFIED")
    assert len(result.stdout.strip().splitlines()) == 1


@pytest.mark.parametrize("suite", SUITES)
def test_tampered_credential_fails(
    suite: str, tmp_path: Path, key: tuple[Path, str], credential_file: Path
) -> None:
    signed = sign(key[0], credential_file, suite, tmp_path / "signed.out")
    text = signed.read_text("utf-8")
    if suite == "vc-jwt":
        head, body, signature = text.strip().split(".")
        signature = ("A" if signature[0] != "A" else "B") + signature[1:]
        signed.write_text(f"{head}.{body}.{signature}", "utf-8")
    else:
        document = json.loads(text)
        document["credentialSubject"]["achievement"]["name"] = "Something else entirely"
        signed.write_text(json.dumps(document), "utf-8")
    result = invoke("verify", signed)
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("FAILED")
    assert "failed: proof:" in result.stdout


def test_verify_many_exits_1_if_any_fails_and_json_reports(
    tmp_path: Path, key: tuple[Path, str], credential_file: Path
) -> None:
    good = sign(key[0], credential_file, "eddsa-jcs-2022", tmp_path / "good.json")
    bad = tmp_path / "bad.json"
    bad.write_text("this is not a credential", "utf-8")
    result = invoke("verify", good, bad)
    assert result.exit_code == 1
    assert "VERIFIED" in result.stdout
    assert "FAILED" in result.stdout
    assert "failed: parse:" in result.stdout
    result = invoke("verify", "--json", good, bad)
    assert result.exit_code == 1
    reports = json.loads(result.stdout)
    assert [r["verified"] for r in reports] == [True, False]
    assert reports[0]["input"] == str(good)
    assert {c["id"] for c in reports[0]["checks"]} >= {"parse", "proof", "validity"}


def test_sign_requires_the_issuer_to_be_the_key(
    tmp_path: Path, key: tuple[Path, str], credential_file: Path
) -> None:
    other = tmp_path / "other.json"
    other.write_text(json.dumps(make_credential("did:web:uni.example")), "utf-8")
    one_line_error(invoke("sign", "--key", key[0], other), "did:web:uni.example", key[1])
    document: dict[str, Any] = make_credential(key[1])
    del document["issuer"]
    other.write_text(json.dumps(document), "utf-8")
    one_line_error(invoke("sign", "--key", key[0], other), "no issuer")


def test_did_web_is_not_fetched(tmp_path: Path, key: tuple[Path, str]) -> None:
    """The CLI never uses the network: a did:web issuer's document is not retrieved."""
    unsigned = tmp_path / "web.json"
    document = make_credential("did:web:uni.example")
    document["proof"] = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2025-03-01T09:00:00Z",
        "verificationMethod": "did:web:uni.example#key-1",
        "proofPurpose": "assertionMethod",
        "proofValue": encode_base58btc(bytes(64)),
    }
    unsigned.write_text(json.dumps(document), "utf-8")
    result = invoke("verify", unsigned)
    assert result.exit_code == 1
    assert "network access is disabled" in result.stdout
    assert "did:key" in result.stdout


# JSON Lines ----------------------------------------------------------------------------


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "vc-jwt"])
def test_jsonl_sign_and_verify_five(suite: str, tmp_path: Path, key: tuple[Path, str]) -> None:
    stream = tmp_path / "in.jsonl"
    credentials = [make_credential(key[1], f"Course {n}") for n in range(5)]
    stream.write_text("".join(json.dumps(c) + "\n" for c in credentials) + "\n", "utf-8")
    result = invoke("sign", "--key", key[0], "--suite", suite, "--jsonl", stream)
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 5
    values = [json.loads(line) for line in lines]  # every output line is JSON
    if suite == "vc-jwt":
        assert all(isinstance(v, str) and v.count(".") == 2 for v in values)
    else:
        names = [v["credentialSubject"]["achievement"]["name"] for v in values]
        assert names == [f"Course {n}" for n in range(5)]
        assert len({v["proof"]["created"] for v in values}) == 1  # one batch, one time
    signed = tmp_path / "out.jsonl"
    signed.write_text(result.stdout, "utf-8")
    result = invoke("verify", "--jsonl", signed)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("VERIFIED") == 5
    assert f"{signed} line 5" in result.stdout


def test_jsonl_bad_line_is_named(tmp_path: Path, key: tuple[Path, str]) -> None:
    stream = tmp_path / "in.jsonl"
    good = json.dumps(make_credential(key[1]))
    stream.write_text(f"{good}\n{good}\nnot json\n", "utf-8")
    one_line_error(invoke("sign", "--key", key[0], "--jsonl", stream), "line 3", "not JSON")
    stream.write_text(f"{good}\n{json.dumps(make_credential('did:web:x.example'))}\n", "utf-8")
    one_line_error(invoke("sign", "--key", key[0], "--jsonl", stream), "line 2", "did:web")
    stream.write_text(f"{good}\n[1, 2]\n", "utf-8")
    one_line_error(invoke("sign", "--key", key[0], "--jsonl", stream), "line 2", "JSON object")


def test_jsonl_verify_reports_each_line(
    tmp_path: Path, key: tuple[Path, str], credential_file: Path
) -> None:
    result = invoke("sign", "--key", key[0], "--suite", "eddsa-jcs-2022", credential_file)
    signed = json.loads(result.stdout)
    tampered = {**signed, "name": "Changed"}
    stream = tmp_path / "mixed.jsonl"
    stream.write_text(f"{json.dumps(signed)}\n{json.dumps(tampered)}\n", "utf-8")
    result = invoke("verify", "--jsonl", stream)
    assert result.exit_code == 1
    assert f"VERIFIED {stream} line 1" in result.stdout
    assert f"FAILED {stream} line 2" in result.stdout


# bake and extract ----------------------------------------------------------------------


@needs_images
@pytest.mark.parametrize("image", ["simple-json.png", "simple-json.svg"])
@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "vc-jwt"])
def test_bake_extract_verify(
    image: str, suite: str, tmp_path: Path, key: tuple[Path, str], credential_file: Path
) -> None:
    extension = ".jwt" if suite == "vc-jwt" else ".json"
    signed = sign(key[0], credential_file, suite, tmp_path / f"signed{extension}")
    out = tmp_path / f"baked{Path(image).suffix}"
    result = invoke("bake", "--credential", signed, OB3 / image, "--out", out)
    assert result.exit_code == 0, result.output
    result = invoke("verify", out)
    assert result.exit_code == 0, result.output
    kind = Path(image).suffix.removeprefix(".")
    assert f"({kind}+{'jwt' if suite == 'vc-jwt' else 'json-ld'})" in result.stdout
    result = invoke("extract", out)
    assert result.exit_code == 0, result.output
    if suite == "vc-jwt":
        assert result.stdout.strip() == signed.read_text("utf-8").strip()
    else:
        assert json.loads(result.stdout) == json.loads(signed.read_text("utf-8"))


# bad input -----------------------------------------------------------------------------


def test_bad_key_files(tmp_path: Path, credential_file: Path) -> None:
    missing = tmp_path / "missing.json"
    one_line_error(invoke("sign", "--key", missing, credential_file), "no such file")
    bad = tmp_path / "bad-key.json"
    bad.write_text("{not json", "utf-8")
    one_line_error(invoke("sign", "--key", bad, credential_file), "key file", "not JSON")
    bad.write_text(json.dumps({"publicKeyMultibase": "z6Mk"}), "utf-8")
    one_line_error(invoke("sign", "--key", bad, credential_file), "secretKeyMultibase")
    bad.write_text(json.dumps({"publicKeyMultibase": "z6Mk", "secretKeyMultibase": "zzz"}), "utf-8")
    one_line_error(invoke("sign", "--key", bad, credential_file), "key file")


def test_key_file_with_a_foreign_public_key(
    tmp_path: Path, key: tuple[Path, str], credential_file: Path
) -> None:
    other = tmp_path / "other-key.json"
    assert invoke("keygen", "--out", other).exit_code == 0
    mixed = json.loads(key[0].read_text("utf-8"))
    mixed["publicKeyMultibase"] = json.loads(other.read_text("utf-8"))["publicKeyMultibase"]
    key[0].write_text(json.dumps(mixed), "utf-8")
    one_line_error(invoke("sign", "--key", key[0], credential_file), "does not match")


def test_bad_credential_files(tmp_path: Path, key: tuple[Path, str]) -> None:
    one_line_error(invoke("sign", "--key", key[0], tmp_path / "nope.json"), "no such file")
    text = tmp_path / "text.json"
    text.write_text("hello", "utf-8")
    one_line_error(invoke("sign", "--key", key[0], text), "not JSON")
    text.write_bytes(b"\xff\xfe\x00")
    one_line_error(invoke("sign", "--key", key[0], text), "not UTF-8")
    one_line_error(invoke("sign", "--key", key[0], tmp_path), "directory")
    one_line_error(invoke("sign", "--key", key[0]), "FILE")
    one_line_error(invoke("verify", tmp_path / "nope.json"), "no such file")
    one_line_error(invoke("verify"), "FILE")
    one_line_error(invoke("verify", "--jsonl", tmp_path / "nope.jsonl"), "no such file")


def test_bad_suite_is_a_usage_error(key: tuple[Path, str], credential_file: Path) -> None:
    result = invoke("sign", "--key", key[0], "--suite", "rsa", credential_file)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_bake_and_extract_bad_input(
    tmp_path: Path, key: tuple[Path, str], credential_file: Path
) -> None:
    not_image = tmp_path / "image.gif"
    not_image.write_bytes(b"GIF89a....")
    out = tmp_path / "out.png"
    one_line_error(
        invoke("bake", "--credential", credential_file, not_image, "--out", out), "PNG or SVG"
    )
    one_line_error(invoke("extract", not_image), "PNG or SVG")
    one_line_error(invoke("extract", tmp_path / "none.png"), "no such file")
    garbage = tmp_path / "garbage.txt"
    garbage.write_text("neither json nor a jwt", "utf-8")
    one_line_error(
        invoke("bake", "--credential", garbage, not_image, "--out", out), "nor a compact JWT"
    )
    assert not out.exists()


@needs_images
def test_extract_from_an_image_without_a_credential(tmp_path: Path) -> None:
    empty = tmp_path / "empty.svg"
    empty.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', "utf-8")
    one_line_error(invoke("extract", empty))
    result = invoke("verify", empty)
    assert result.exit_code == 1
    assert "failed: parse:" in result.stdout


def test_a_credential_that_cannot_be_signed_names_its_line(
    tmp_path: Path, key: tuple[Path, str]
) -> None:
    good = make_credential(key[1])
    bad = make_credential(key[1])
    bad["@context"].append("https://unknown.example/context")
    single = tmp_path / "bad.json"
    single.write_text(json.dumps(bad), "utf-8")
    one_line_error(invoke("sign", "--key", key[0], single), "cannot sign", "unknown.example")
    stream = tmp_path / "bad.jsonl"
    stream.write_text(f"{json.dumps(good)}\n{json.dumps(bad)}\n", "utf-8")
    one_line_error(invoke("sign", "--key", key[0], "--jsonl", stream), "line 2", "cannot sign")
