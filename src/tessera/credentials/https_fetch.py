"""Fetching other issuers' DID documents (and credentials by URL) over HTTPS, carefully.

A verifier that fetches whatever URL a credential names can be turned against the network it
runs in (SSRF). So: https only, no redirects, the host must resolve to public addresses only
(no loopback, private, link-local or reserved ranges), a short timeout and a size cap.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import urllib.request
from typing import Final
from urllib.parse import urlsplit

__all__ = ["FetchRefused", "fetch_https"]

MAX_BYTES: Final = 2 * 1024 * 1024  # a baked badge image can be large
TIMEOUT_SECONDS: Final = 5.0
_ACCEPT: Final = "application/did+json, application/vc+ld+json, application/json, */*;q=0.5"


class FetchRefused(OSError):
    """The URL is not one we fetch, or the answer was unusable."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        raise FetchRefused("redirects are not followed when fetching DID documents")


def check_url(url: str) -> None:
    """Raise FetchRefused unless `url` is https to a host with only public addresses."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise FetchRefused(f"only https:// URLs are fetched, not {url!r}")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except (socket.gaierror, UnicodeError) as error:
        raise FetchRefused(f"cannot resolve {parts.hostname}: {error}") from None
    for address in addresses:
        ip = ipaddress.ip_address(str(address).split("%")[0])
        if not ip.is_global:
            raise FetchRefused(f"{parts.hostname} resolves to a non-public address ({ip})")


def fetch_https(url: str) -> bytes:
    """GET `url` (checked by `check_url`) and return at most MAX_BYTES of body."""
    check_url(url)
    opener = urllib.request.build_opener(
        _NoRedirects(), urllib.request.HTTPSHandler(context=ssl.create_default_context())
    )
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, headers={"Accept": _ACCEPT}
    )
    with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
        body: bytes = response.read(MAX_BYTES + 1)
    if len(body) > MAX_BYTES:
        raise FetchRefused(f"{url} answered with more than {MAX_BYTES} bytes")
    return body
