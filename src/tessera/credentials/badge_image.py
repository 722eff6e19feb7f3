"""The images a credential is baked into: an SVG badge with its title and issuer, and a PNG.

Written here rather than with an imaging library: the PNG is a flat rosette (a disc and a
ring in the field's colour, 256 x 256, 8-bit RGBA), a few lines of zlib. Text goes only into
the SVG, which any browser renders; both are plain images until `baking` puts the credential in.
"""

from __future__ import annotations

import struct
import textwrap
import zlib
from functools import lru_cache
from typing import Final
from xml.sax.saxutils import escape

__all__ = ["FIELD_COLOURS", "badge_png", "badge_svg"]

FIELD_COLOURS: Final = {
    "technology": "#1f5fa8",
    "healthcare": "#1b7f5a",
    "business_management": "#8a4b08",
    "education": "#6b3fa0",
    "creative": "#b0245c",
    "other": "#4a5560",
}
_SIZE: Final = 256


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@lru_cache(maxsize=16)
def badge_png(colour: str) -> bytes:
    """A 256 x 256 PNG rosette in `colour` (#rrggbb) on a transparent background."""
    red, green, blue = _rgb(colour)
    centre = (_SIZE - 1) / 2
    rows = []
    for y in range(_SIZE):
        row = bytearray(b"\x00")  # filter type 0 (none)
        for x in range(_SIZE):
            distance = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
            if distance <= 96 or 108 <= distance <= 124:
                row += bytes((red, green, blue, 255))
            elif distance <= 108:
                row += b"\xff\xff\xff\xff"
            else:
                row += b"\x00\x00\x00\x00"
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", _SIZE, _SIZE, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )


def badge_svg(title: str, issuer: str, colour: str) -> bytes:
    """An SVG badge: a rosette with the title (wrapped to four lines) and the issuer's name."""
    _rgb(colour)  # refuse anything but #rrggbb: it is written into an attribute
    lines = textwrap.wrap(title, 22)[:4] or [""]
    first = 120 - 9 * (len(lines) - 1)
    text = "".join(
        f'<tspan x="128" y="{first + 19 * index}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    issuer_line = escape(textwrap.shorten(issuer, 34, placeholder="\u2026"))
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" '
        'viewBox="0 0 256 256" role="img">'
        f"<title>{escape(title)}</title>"
        f'<circle cx="128" cy="128" r="124" fill="{colour}"/>'
        '<circle cx="128" cy="128" r="108" fill="#ffffff"/>'
        f'<circle cx="128" cy="128" r="96" fill="{colour}"/>'
        '<text font-family="sans-serif" font-size="16" font-weight="bold" fill="#ffffff" '
        f'text-anchor="middle">{text}</text>'
        '<text font-family="sans-serif" font-size="11" fill="#ffffff" text-anchor="middle" '
        f'x="128" y="196">{issuer_line}</text>'
        "</svg>"
    )
    return svg.encode("utf-8")
