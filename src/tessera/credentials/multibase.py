"""Multibase and multicodec helpers: base58btc (`z...`), base64url, unsigned varints."""

from __future__ import annotations

import base64
from typing import Final

_ALPHABET: Final = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX: Final = {char: index for index, char in enumerate(_ALPHABET)}


class MultibaseError(ValueError):
    """Not a valid multibase / multicodec value."""


_CHUNK: Final = 58**10  # ten digits per big-integer division
_PAIRS: Final = [a + b for a in _ALPHABET for b in _ALPHABET]  # two digits per small division


def b58encode(data: bytes) -> str:
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    parts: list[str] = []
    while number:
        number, chunk = divmod(number, _CHUNK)
        c1, p5 = divmod(chunk, 3364)
        c2, p4 = divmod(c1, 3364)
        c3, p3 = divmod(c2, 3364)
        p1, p2 = divmod(c3, 3364)
        parts.append(_PAIRS[p1] + _PAIRS[p2] + _PAIRS[p3] + _PAIRS[p4] + _PAIRS[p5])
    text = "".join(reversed(parts)).lstrip("1")
    return "1" * zeros + text


def b58decode(text: str) -> bytes:
    number = 0
    try:
        for char in text:
            number = number * 58 + _INDEX[char]
    except KeyError:
        raise MultibaseError(f"not base58btc: {text[:20]!r}") from None
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def encode_base58btc(data: bytes) -> str:
    """Multibase base58btc: `z` + base58 (Bitcoin alphabet)."""
    return "z" + b58encode(data)


def decode_base58btc(text: str) -> bytes:
    if not isinstance(text, str) or not text.startswith("z"):
        raise MultibaseError("expected a multibase base58btc value starting with 'z'")
    return b58decode(text[1:])


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    if not isinstance(text, str) or any(c in text for c in "+/= \n"):
        raise MultibaseError("not unpadded base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        raise MultibaseError("not unpadded base64url") from None


def varint(number: int) -> bytes:
    out = bytearray()
    while True:
        byte = number & 0x7F
        number >>= 7
        if number:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def read_varint(data: bytes) -> tuple[int, int]:
    """(value, bytes used) of the unsigned varint at the start of `data`."""
    number = shift = 0
    for index, byte in enumerate(data[:9]):
        number |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return number, index + 1
        shift += 7
    raise MultibaseError("truncated varint")
