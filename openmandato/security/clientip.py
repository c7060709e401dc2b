"""The client's address: X-Forwarded-For (and X-Forwarded-Proto) count only when the request comes
from one of TRUSTED_PROXIES; otherwise they are dropped, so a client cannot pick its own address to
escape the rate limits."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _networks():
    return [ipaddress.ip_network(item, strict=False) for item in settings.TRUSTED_PROXIES]


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(remote_addr: str, forwarded: str | None, networks) -> str:
    """Walk X-Forwarded-For from the right, past our own proxies, to the first address we did not add."""
    if not forwarded or not _trusted(remote_addr, networks):
        return remote_addr
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop if _valid(hop) else remote_addr
    return hops[0] if hops and _valid(hops[0]) else remote_addr


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


class ClientIpMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = _networks()

    def __call__(self, request):
        meta = request.META
        remote = meta.get("REMOTE_ADDR", "")
        from_proxy = _trusted(remote, self.networks)
        meta["REMOTE_ADDR"] = client_ip(remote, meta.get("HTTP_X_FORWARDED_FOR"), self.networks)
        meta.pop("HTTP_X_FORWARDED_FOR", None)  # nothing downstream may read it again
        if not from_proxy:
            meta.pop("HTTP_X_FORWARDED_PROTO", None)
        return self.get_response(request)
