"""The client's real address behind a reverse proxy.

nginx connects from 127.0.0.1, so ``REMOTE_ADDR`` alone names the proxy for every request:
login throttling would then lock a user name for everybody and the change log would record
the proxy. ``X-Forwarded-For`` is believed only when the connection comes from an address in
``BIYS_TRUSTED_PROXIES``: the header is read from the right, skipping trusted proxies, and the
first other address is the client (anything left of it could be forged by the client).
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"
PROXY_ADDR = "BIYS_PROXY_ADDR"  # where the original REMOTE_ADDR is kept


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _parse(address: str):
    try:
        return ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    parsed = _parse(address or "")
    networks = _networks(tuple(getattr(settings, "BIYS_TRUSTED_PROXIES", ())))
    return parsed is not None and any(parsed in network for network in networks)


def real_client_address(meta) -> str:
    remote = meta.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(remote):
        return remote
    hops = [hop.strip() for hop in meta.get(FORWARDED_FOR, "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if _parse(hop) is None:
            return remote  # a malformed header: keep what the connection says
        if not is_trusted_proxy(hop):
            return str(_parse(hop))
    return remote


def client_address(request) -> str:
    """For django-axes (``AXES_CLIENT_IP_CALLABLE``): the address the middleware settled on."""
    return real_client_address(request.META)


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        remote = request.META.get("REMOTE_ADDR", "")
        client = real_client_address(request.META)
        if client != remote:
            request.META[PROXY_ADDR] = remote
            request.META["REMOTE_ADDR"] = client
        return self.get_response(request)
