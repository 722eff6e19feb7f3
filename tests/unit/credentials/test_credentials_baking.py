"""Baked badges: PNG iTXt and SVG <openbadges:credential>, bake and extract."""

from __future__ import annotations

import json
import struct
import zlib

import pytest
from tests.unit.credentials.support import EXAMPLES, needs_standards

from tessera.credentials.baking import BakingError, bake, extract, extract_png, extract_svg

JWT = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6ZXhhbXBsZToxIn0.c2lnbmF0dXJl"
CREDENTIAL = {"@context": ["https://www.w3.org/ns/credentials/v2"], "name": "Tricky ]]> 😀 <&>"}


def tiny_png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10"><circle r="4"/></svg>'


@pytest.mark.parametrize("image", [tiny_png(), SVG], ids=["png", "svg"])
@pytest.mark.parametrize("payload", [CREDENTIAL, JWT], ids=["json", "jwt"])
def test_bake_then_extract(image: bytes, payload: object) -> None:
    baked = bake(image, payload)  # type: ignore[arg-type]
    text = extract(baked)
    assert (json.loads(text) if isinstance(payload, dict) else text) == payload
    # baking again replaces the credential, it does not add a second one
    rebaked = bake(baked, JWT)
    assert extract(rebaked) == JWT
    assert (
        rebaked.count(
            b"openbadgecredential" if image.startswith(b"\x89") else b"<openbadges:credential"
        )
        == 1
    )


def test_png_chunk_is_uncompressed_itxt_before_iend() -> None:
    baked = bake(tiny_png(), JWT)
    position = baked.index(b"iTXt")
    assert baked[position + 4 : position + 4 + 25] == b"openbadgecredential\0\0\0\0\0" + b"e"
    assert baked.index(b"iTXt") < baked.index(b"IEND")


def test_svg_keeps_the_picture_and_declares_the_namespace() -> None:
    baked = bake(SVG, JWT).decode()
    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked
    assert f'<openbadges:credential verify="{JWT}"/>' in baked
    assert '<circle r="4"/>' in baked


def test_non_images_and_images_without_credentials_are_refused() -> None:
    with pytest.raises(BakingError, match="not a PNG or SVG"):
        bake(b"GIF89a....", JWT)
    with pytest.raises(BakingError, match="no baked credential"):
        extract(tiny_png())
    with pytest.raises(BakingError, match="no baked credential"):
        extract(SVG)
    with pytest.raises(BakingError, match="bad CRC"):
        extract_png(tiny_png()[:-1] + b"\0")
    with pytest.raises(BakingError):
        extract_svg(b"<svg xmlns='http://www.w3.org/2000/svg'><unclosed></svg>")


def test_svg_entities_and_external_references_are_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg">&b;</svg>'
    )
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>'
    )
    for image in (bomb, xxe):
        with pytest.raises(BakingError, match="unsafe SVG"):
            extract(image)
        with pytest.raises(BakingError, match="unsafe SVG"):
            bake(image, JWT)


@needs_standards
@pytest.mark.parametrize(
    ("name", "starts"),
    [
        ("simple-json.png", "{"),
        ("simple-jwt.png", "eyJ"),
        ("simple-json.svg", "{"),
        ("simple-jwt.svg", "eyJ"),
    ],
)
def test_extracts_the_1edtech_baked_examples(name: str, starts: str) -> None:
    text = extract((EXAMPLES / "ob3-validator" / name).read_bytes())
    assert text.startswith(starts)
