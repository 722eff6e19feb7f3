"""CLI of credentials: the engine (`tessera vc keygen | sign | verify | bake | extract`) and
the providers' signing keys (`tessera keys list | rotate | retire`).

`tessera vc` runs offline: did:key issuers are resolved locally, any other DID (did:web) is
refused with a clear message rather than fetched.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from tessera.accounts import services as accounts
from tessera.cli.context import console, database, err_console, fail, load_settings
from tessera.credentials import services
from tessera.credentials.baking import BakingError, bake, extract
from tessera.credentials.dataintegrity import ProofError, Suite, add_proof, sign_many
from tessera.credentials.deps import make_issuing
from tessera.credentials.didkey import DidResolutionError, StandardDidResolver
from tessera.credentials.jwt import sign_jwt
from tessera.credentials.keys import Ed25519Signer, generate_ed25519_key
from tessera.credentials.multikey import MultikeyError, decode_public_key, decode_secret_key
from tessera.credentials.payloads import IssuerKeyPublic, KeyRetire
from tessera.credentials.verifier import VerificationReport, verify
from tessera.errors import InvalidInput
from tessera.validation import parse

vc_app = typer.Typer(
    help="Verifiable credentials (Open Badges 3.0): keys, signing, verification, baking.",
    no_args_is_help=True,
)

_BATCH = 100  # credentials signed per sign_many call in --jsonl mode


class SuiteName(StrEnum):
    EDDSA_RDFC = "eddsa-rdfc-2022"
    EDDSA_JCS = "eddsa-jcs-2022"
    VC_JWT = "vc-jwt"


# helpers ---------------------------------------------------------------------------------


def _fail(message: str) -> NoReturn:
    """`cli.context.fail`, but DIDs such as `did:key:...` stay text (no markup, no emoji)."""
    err_console.print(
        f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True, emoji=False
    )
    sys.exit(1)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        _fail(f"{path}: no such file")
    except IsADirectoryError:
        _fail(f"{path}: is a directory, not a file")
    except OSError as error:
        _fail(f"{path}: cannot read: {error.strerror or error}")


def _read_text(path: Path) -> str:
    try:
        return _read_bytes(path).decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError:
        _fail(f"{path}: not UTF-8 text")


def _json_object(text: str, where: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        _fail(f"{where}: not JSON ({error.msg} at line {error.lineno} column {error.colno})")
    if not isinstance(value, dict):
        _fail(f"{where}: a credential must be a JSON object")
    return value


def _issuer_id(credential: dict[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, str):
        return issuer
    if isinstance(issuer, dict) and isinstance(issuer.get("id"), str):
        return str(issuer["id"])
    return None


def _load_key(path: Path) -> Ed25519Signer:
    """The signer in a key file written by `keygen`; any problem is one line naming the file."""
    data = _json_object(_read_text(path), f"key file {path}")
    secret = data.get("secretKeyMultibase")
    public = data.get("publicKeyMultibase")
    if not isinstance(secret, str) or not isinstance(public, str):
        _fail(f"key file {path}: needs secretKeyMultibase and publicKeyMultibase strings")
    try:
        key_type, seed = decode_secret_key(secret)
        decode_public_key(public)
    except MultikeyError as error:
        _fail(f"key file {path}: {error}")
    if key_type != "Ed25519":
        _fail(f"key file {path}: only Ed25519 keys can sign here, not {key_type}")
    signer = Ed25519Signer(seed, f"did:key:{public}#{public}")
    if signer.public_key.multibase != public:
        _fail(f"key file {path}: publicKeyMultibase does not match the secret key")
    return signer


def _controller(signer: Ed25519Signer) -> str:
    return signer.key_id.partition("#")[0]


def _check_issuer(credential: dict[str, Any], signer: Ed25519Signer, where: str) -> None:
    issuer = _issuer_id(credential)
    controller = _controller(signer)
    if issuer is None:
        _fail(f"{where}: the credential has no issuer id; set it to {controller}")
    if issuer != controller:
        _fail(f"{where}: issuer {issuer} is not the key's controller {controller}")


def _refuse_network(url: str) -> bytes:
    raise DidResolutionError(
        f"network access is disabled in the CLI, so {url} was not fetched; "
        "only did:key issuers can be verified offline"
    )


_OFFLINE = StandardDidResolver(_refuse_network)


def _say(markup: str) -> None:
    console.print(markup, highlight=False, soft_wrap=True, emoji=False)


def _verdict(name: str, report: VerificationReport) -> None:
    kind = f" ({report.format})" if report.format else ""
    if report.verified:
        warnings = len(report.warnings)
        note = f", {warnings} warning(s)" if warnings else ""
        _say(f"[green]VERIFIED[/] {escape(name + kind + note)}")
    else:
        _say(f"[red]FAILED[/] {escape(name + kind)}")
    for check in report.checks:
        if check.status in ("failed", "warning"):
            _say(escape(f"  {check.status}: {check.id}: {check.message}"))


def _jsonl_lines(path: Path) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        if line.strip():
            yield number, line


# commands --------------------------------------------------------------------------------


@vc_app.command("keygen")
def keygen(
    out: Annotated[Path, typer.Option("--out", help="Key file to write (JSON, mode 0600)")],
    force: Annotated[bool, typer.Option(help="Overwrite an existing key file")] = False,
) -> None:
    """Make a new did:key Ed25519 signing key."""
    if out.exists() and not force:
        _fail(f"{out} exists; pass --force to overwrite it")
    if out.is_dir():
        _fail(f"{out} is a directory")
    signer = generate_ed25519_key()
    public = signer.public_key.multibase
    did = f"did:key:{public}"
    document = {
        "id": f"{did}#{public}",
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": public,
        "secretKeyMultibase": signer.secret_multibase,
    }
    try:
        if out.exists():
            out.unlink()
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(document, indent=2) + "\n")
        out.chmod(0o600)
    except OSError as error:
        _fail(f"{out}: cannot write: {error.strerror or error}")
    print(did)


@vc_app.command("sign")
def sign(
    key: Annotated[Path, typer.Option("--key", help="Key file written by `tessera vc keygen`")],
    file: Annotated[Path | None, typer.Argument(help="Credential (JSON)")] = None,
    suite: Annotated[SuiteName, typer.Option(help="Proof format")] = SuiteName.EDDSA_RDFC,
    jsonl: Annotated[
        Path | None, typer.Option("--jsonl", help="Sign one credential per line of this file")
    ] = None,
) -> None:
    """Sign a credential (or a JSON Lines stream of them); the result goes to stdout."""
    if file is not None and jsonl is None:
        signer = _load_key(key)
        credential = _json_object(_read_text(file), str(file))
        _check_issuer(credential, signer, str(file))
        print(_sign_batch([credential], signer, suite, str(file))[0])
    elif jsonl is not None and file is None:
        _sign_stream(jsonl, _load_key(key), suite)
    else:
        _fail("give either a credential FILE or --jsonl FILE")


def _sign_stream(jsonl: Path, signer: Ed25519Signer, suite: SuiteName) -> None:
    items: list[tuple[int, dict[str, Any]]] = []
    for number, line in _jsonl_lines(jsonl):
        where = f"{jsonl} line {number}"
        credential = _json_object(line, where)
        _check_issuer(credential, signer, where)
        items.append((number, credential))
    progress = Progress(
        TextColumn("signing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=err_console, transient=True,
    )  # fmt: skip
    with progress:
        task = progress.add_task("sign", total=len(items))
        for start in range(0, len(items), _BATCH):
            chunk = items[start : start + _BATCH]
            where = f"{jsonl} lines {chunk[0][0]}-{chunk[-1][0]}"
            for output in _sign_batch([c for _, c in chunk], signer, suite, where, chunk):
                print(output)
            progress.advance(task, len(chunk))


def _sign_batch(
    credentials: list[dict[str, Any]],
    signer: Ed25519Signer,
    suite: SuiteName,
    where: str,
    numbered: list[tuple[int, dict[str, Any]]] | None = None,
) -> list[str]:
    """Signed output lines (compact JSON, or the JWT as a JSON string in a stream)."""
    if suite is SuiteName.VC_JWT:
        tokens = [sign_jwt(c, signer) for c in credentials]
        return [json.dumps(t) for t in tokens] if numbered is not None else tokens
    chosen: Suite = "eddsa-rdfc-2022" if suite is SuiteName.EDDSA_RDFC else "eddsa-jcs-2022"
    try:
        signed = sign_many(credentials, signer, suite=chosen)
    except ProofError as error:
        if numbered is not None:  # find the line that cannot be signed
            for number, credential in numbered:
                try:
                    add_proof(credential, signer, suite=chosen)
                except ProofError as single:
                    _fail(f"{where.rsplit(' lines ', 1)[0]} line {number}: {single}")
        _fail(f"{where}: {error}")
    indent = 2 if numbered is None else None
    return [json.dumps(s, indent=indent, ensure_ascii=False) for s in signed]


@vc_app.command("verify")
def verify_command(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Credentials: JSON-LD, JWT, baked PNG or SVG")
    ] = None,
    jsonl: Annotated[
        Path | None, typer.Option("--jsonl", help="Verify one credential per line of this file")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full reports as JSON")] = False,
) -> None:
    """Verify credentials offline; exit 0 only if every one verifies."""
    if not files and jsonl is None:
        _fail("give credential FILEs or --jsonl FILE")
    inputs: list[tuple[str, bytes | str]] = [(str(f), _read_bytes(f)) for f in files or []]
    if jsonl is not None:
        for number, line in _jsonl_lines(jsonl):
            text = line.strip()
            if text.startswith('"'):  # a JWT written as a JSON string by `sign --jsonl`
                with contextlib.suppress(json.JSONDecodeError):  # else reported unreadable
                    text = str(json.loads(text))
            inputs.append((f"{jsonl} line {number}", text))
    results = [(name, verify(data, resolver=_OFFLINE)) for name, data in inputs]
    if as_json:
        print(json.dumps([{"input": n, **r.to_dict()} for n, r in results], indent=2))
    else:
        for name, report in results:
            _verdict(name, report)
    if not all(report.verified for _, report in results):
        raise typer.Exit(1)


@vc_app.command("bake")
def bake_command(
    credential: Annotated[
        Path, typer.Option("--credential", help="Credential to embed (.json or .jwt)")
    ],
    image: Annotated[Path, typer.Argument(help="PNG or SVG image")],
    out: Annotated[Path, typer.Option("--out", help="Baked image to write")],
) -> None:
    """Embed a credential in a PNG or SVG image (Open Badges baking)."""
    text = _read_text(credential).strip()
    payload: str | dict[str, Any]
    if text.startswith("{"):
        payload = _json_object(text, str(credential))
    elif text.count(".") == 2 and " " not in text:
        payload = text
    else:
        _fail(f"{credential}: neither a JSON credential nor a compact JWT")
    try:
        baked = bake(_read_bytes(image), payload)
    except BakingError as error:
        _fail(f"{image}: {error}")
    try:
        out.write_bytes(baked)
    except OSError as error:
        _fail(f"{out}: cannot write: {error.strerror or error}")
    print(f"baked into {out}")


@vc_app.command("extract")
def extract_command(image: Annotated[Path, typer.Argument(help="Baked PNG or SVG image")]) -> None:
    """Print the credential baked into a PNG or SVG image."""
    try:
        print(extract(_read_bytes(image)))
    except BakingError as error:
        _fail(f"{image}: {error}")


# issuer keys of the platform's providers ------------------------------------------------

keys_app = typer.Typer(
    help="Providers' signing keys: list, rotate, retire (secrets are never shown).",
    no_args_is_help=True,
)


def _issuing() -> services.Issuing:
    return make_issuing(load_settings())


def _print_keys(keys: list[IssuerKeyPublic]) -> None:
    """One line per key: the Multikey, when it was made and what it is for."""
    for key in keys:
        if key.retired_at is not None:
            state = f"retired {key.retired_at:%Y-%m-%d %H:%M}: {key.retired_reason}"
        else:
            state = "signs new credentials" if key.current else "kept for earlier credentials"
        console.print(
            f"{key.public_key_multibase}  created {key.created_at:%Y-%m-%d %H:%M}  {state}",
            highlight=False, soft_wrap=True, markup=False,
        )  # fmt: skip


@keys_app.command("list")
def keys_list(org: Annotated[str, typer.Argument(help="Organisation slug")]) -> None:
    """The organisation's keys, newest first."""
    with database() as db:
        keys = services.list_keys(db, _issuing(), org)
    if not keys:
        console.print(f"{org} has no key yet: one is made when it first issues a credential.")
    _print_keys(keys)


@keys_app.command("rotate")
def keys_rotate(org: Annotated[str, typer.Argument(help="Organisation slug")]) -> None:
    """Make a new key that signs from now on (older keys stay published)."""
    with database() as db:
        key = services.rotate_key(db, _issuing(), accounts.OPERATOR, org)
    console.print(f"New signing key {key.verification_method}", highlight=False, soft_wrap=True)


@keys_app.command("retire")
def keys_retire(
    org: Annotated[str, typer.Argument(help="Organisation slug")],
    public_key: Annotated[str, typer.Argument(help="The key's Multikey (z6Mk...)")],
    reason: Annotated[str, typer.Option(help="Why, e.g. 'laptop stolen'")],
    at: Annotated[
        str | None, typer.Option(help="When it stopped being trustworthy (ISO 8601; default now)")
    ] = None,
) -> None:
    """Retire a compromised key: proofs it made from `--at` on fail verification."""
    try:
        data = parse(KeyRetire, {"reason": reason, "retired_at": at})
    except InvalidInput as error:
        fail(error.detail)
    with database() as db:
        key = services.retire_key(db, _issuing(), accounts.OPERATOR, org, public_key, data)
    console.print(
        f"Retired {key.verification_method} from {key.retired_at}", highlight=False, soft_wrap=True
    )


def register(app: typer.Typer) -> None:
    app.add_typer(vc_app, name="vc")
    app.add_typer(keys_app, name="keys")
