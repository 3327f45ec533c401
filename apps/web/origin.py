"""Who is on the other end of a request: the client's address and whether it came over HTTPS.

The socket's peer is the client, unless that peer is one of the reverse
proxies named in ``settings.web_trusted_proxies``: then, and only then,
``X-Forwarded-For`` (walked from the right, past the trusted proxies) names
the client and ``X-Forwarded-Proto`` says whether the browser used HTTPS.
Anyone else may send those headers; they are ignored.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from starlette.requests import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class ClientOrigin:
    address: str
    https: bool


class ProxyTrust:
    """The reverse proxies whose forwarding headers are believed."""

    def __init__(self, proxies: Iterable[str]) -> None:
        self.networks: tuple[Network, ...] = tuple(
            ipaddress.ip_network(p, strict=False) for p in proxies
        )

    def trusts(self, address: str) -> bool:
        if not self.networks:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def origin(self, request: Request) -> ClientOrigin:
        peer = request.client.host if request.client else ""
        https = request.url.scheme == "https"
        if not self.trusts(peer):
            return ClientOrigin(peer, https)
        hops = [hop.strip() for value in request.headers.getlist("x-forwarded-for")
                for hop in value.split(",") if hop.strip()]
        address = peer
        for hop in reversed(hops):
            address = hop
            if not self.trusts(hop):
                break
        proto = request.headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
        if proto in ("http", "https"):
            https = proto == "https"  # the value the nearest proxy set
        return ClientOrigin(address, https)
