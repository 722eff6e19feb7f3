"""Baked badges (Open Badges 3.0 section 5.3): a credential carried inside its badge image.

PNG: an uncompressed `iTXt` chunk with keyword `openbadgecredential`, placed before `IEND`;
its text is the credential JSON or a compact JWT. SVG: an `<openbadges:credential>` element
(xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0") right inside the root `<svg>`; a JSON
credential goes in a CDATA section, a JWT in its `verify` attribute. Baking replaces any
credential already baked in. SVG is parsed with defusedxml (no entity expansion, no external
fetches) and edited as text, so the picture itself stays byte for byte as it was.
"""

from __future__ import annotations

import re
import struct
import zlib
from typing import Any, Final, Literal
from xml.etree.ElementTree import Element

# defusedxml has no type information and its stubs (types-defusedxml) are not a dependency
import defusedxml.ElementTree as SafeET  # type: ignore[import-untyped]
import orjson
from defusedxml import DefusedXmlException

__all__ = [
    "OB_NAMESPACE",
    "BakingError",
    "bake",
    "bake_png",
    "bake_svg",
    "extract",
    "extract_png",
    "extract_svg",
    "image_kind",
]

OB_NAMESPACE: Final = "https://purl.imsglobal.org/ob/v3p0"
_SVG_NAMESPACE: Final = "http://www.w3.org/2000/svg"
_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
_KEYWORD: Final = b"openbadgecredential"
_MAX_TEXT: Final = 8 * 1024 * 1024  # a baked credential larger than this is not a credential
_EXISTING: Final = re.compile(
    r"<openbadges:credential\b[^>]*?(?:/>|>.*?</openbadges:credential\s*>)\s*", re.DOTALL
)
_ROOT_START: Final = re.compile(r"<svg\b[^>]*?>", re.DOTALL)


class BakingError(ValueError):
    """The image is not a PNG or SVG we can bake into or extract from."""


def image_kind(data: bytes) -> Literal["png", "svg"]:
    if data.startswith(_PNG_SIGNATURE):
        return "png"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype svg", b"<!--")) and b"<svg" in data:
        return "svg"
    raise BakingError("not a PNG or SVG image: only those can carry a baked credential")


def _as_text(credential: str | dict[str, Any]) -> str:
    if isinstance(credential, dict):
        return orjson.dumps(credential, option=orjson.OPT_INDENT_2).decode("utf-8")
    if not isinstance(credential, str) or not credential.strip():
        raise BakingError("the credential must be a JSON object or a compact JWT string")
    return credential.strip()


def _is_jwt(text: str) -> bool:
    return re.fullmatch(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*", text) is not None


def bake(image: bytes, credential: str | dict[str, Any]) -> bytes:
    """`image` (PNG or SVG) with `credential` (JSON object/text or JWT) baked in."""
    if image_kind(image) == "png":
        return bake_png(image, credential)
    return bake_svg(image, credential)


def extract(image: bytes) -> str:
    """The baked credential text (JSON or JWT); raises `BakingError` if there is none."""
    if image_kind(image) == "png":
        return extract_png(image)
    return extract_svg(image)


# PNG -------------------------------------------------------------------------------------


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if not data.startswith(_PNG_SIGNATURE):
        raise BakingError("not a PNG image")
    chunks: list[tuple[bytes, bytes]] = []
    position = len(_PNG_SIGNATURE)
    while position < len(data):
        if position + 12 > len(data):
            raise BakingError("truncated PNG chunk")
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data):
            raise BakingError("truncated PNG chunk")
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(kind + body) != crc:
            raise BakingError(f"corrupt PNG: bad CRC in {kind.decode('latin-1')!r} chunk")
        chunks.append((kind, body))
        position = end
        if kind == b"IEND":
            break
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        raise BakingError("not a complete PNG image (IHDR ... IEND)")
    return chunks


def _is_credential_chunk(kind: bytes, body: bytes) -> bool:
    return kind == b"iTXt" and body.startswith(_KEYWORD + b"\0")


def bake_png(image: bytes, credential: str | dict[str, Any]) -> bytes:
    text = _as_text(credential).encode("utf-8")
    # keyword, NUL, compression flag 0, method 0, empty language tag, NUL, empty translation, NUL
    body = _KEYWORD + b"\0\0\0\0\0" + text
    chunk = (
        struct.pack(">I", len(body))
        + b"iTXt"
        + body
        + struct.pack(">I", zlib.crc32(b"iTXt" + body))
    )
    out = bytearray(_PNG_SIGNATURE)
    for kind, existing in _chunks(image):
        if _is_credential_chunk(kind, existing):
            continue
        if kind == b"IEND":
            out += chunk
        out += struct.pack(">I", len(existing)) + kind + existing
        out += struct.pack(">I", zlib.crc32(kind + existing))
    return bytes(out)


def extract_png(image: bytes) -> str:
    for kind, body in _chunks(image):
        if not _is_credential_chunk(kind, body):
            continue
        rest = body[len(_KEYWORD) + 1 :]
        if len(rest) < 2:
            raise BakingError("malformed openbadgecredential iTXt chunk")
        compressed, rest = rest[0], rest[2:]
        _, _, rest = rest.partition(b"\0")  # language tag
        _, _, text = rest.partition(b"\0")  # translated keyword
        if compressed:
            decompressor = zlib.decompressobj()
            text = decompressor.decompress(text, _MAX_TEXT)
            if decompressor.unconsumed_tail:
                raise BakingError("the baked credential is too large")
        try:
            return text.decode("utf-8").strip()
        except UnicodeDecodeError:
            raise BakingError("the baked credential is not UTF-8 text") from None
    raise BakingError("no baked credential (iTXt 'openbadgecredential') in this PNG")


# SVG -------------------------------------------------------------------------------------


def _parse_svg(image: bytes) -> Element:
    try:
        root: Element = SafeET.fromstring(image)
    except DefusedXmlException as error:
        raise BakingError(f"unsafe SVG refused ({type(error).__name__})") from None
    except SafeET.ParseError as error:
        raise BakingError(f"not well-formed SVG: {error}") from None
    if root.tag != f"{{{_SVG_NAMESPACE}}}svg":
        raise BakingError("not an SVG image (the root element is not <svg>)")
    return root


def bake_svg(image: bytes, credential: str | dict[str, Any]) -> bytes:
    _parse_svg(image)
    try:
        svg = image.decode("utf-8")
    except UnicodeDecodeError:
        raise BakingError("SVG must be UTF-8") from None
    text = _as_text(credential)
    if _is_jwt(text):
        element = f'<openbadges:credential verify="{text}"/>'
    else:
        cdata = text.replace("]]>", "]]]]><![CDATA[>")  # "]]>" may appear inside JSON strings
        element = f"<openbadges:credential><![CDATA[{cdata}]]></openbadges:credential>"
    svg = _EXISTING.sub("", svg)
    start = _ROOT_START.search(svg)
    if start is None:
        raise BakingError("no <svg> start tag")
    tag = start.group()
    if "xmlns:openbadges" not in tag:
        closing = "/>" if tag.endswith("/>") else ">"
        tag = tag[: -len(closing)].rstrip() + f' xmlns:openbadges="{OB_NAMESPACE}"' + closing
    if tag.endswith("/>"):  # an empty <svg/>: open it so it can hold the element
        tag = tag[:-2].rstrip() + ">"
        element += "</svg>"
    baked = svg[: start.start()] + tag + "\n  " + element + "\n" + svg[start.end() :]
    _parse_svg(baked.encode("utf-8"))  # still well-formed
    return baked.encode("utf-8")


def extract_svg(image: bytes) -> str:
    root = _parse_svg(image)
    for element in root.iter(f"{{{OB_NAMESPACE}}}credential"):
        verify = element.get("verify")
        if verify:
            return verify.strip()
        text = "".join(element.itertext()).strip()
        if text:
            return text
    raise BakingError("no baked credential (<openbadges:credential>) in this SVG")
