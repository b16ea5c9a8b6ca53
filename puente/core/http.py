"""Request types shared by the apps' views, and the one reading of the client's address."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

# Shared by every request whose address cannot be read, so they are limited together.
UNKNOWN_CLIENT = "unknown"
# Rate limits group IPv6 clients by /64 network: one home or server holds a whole /64.
IPV6_RATE_LIMIT_PREFIX = 64


class HtmxHttpRequest(HttpRequest):
    """A request that django-htmx's middleware has annotated."""

    htmx: HtmxDetails


def _address_parse(value: str) -> str | None:
    """Return the IP address in value (a port allowed), normalised, or None."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 192.0.2.1:443
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """Return the address of the client, trusting X-Forwarded-For only from our proxies."""
    connected = _address_parse(request.META.get("REMOTE_ADDR", "")) or UNKNOWN_CLIENT
    proxy_count: int = settings.TRUSTED_PROXY_COUNT
    if proxy_count == 0:
        return connected
    # Each of our proxies appends the address it was reached from; entries further left
    # come from the client and may be anything.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(forwarded) < proxy_count:
        # Not through all our proxies: the connecting address is the only one known.
        return connected
    return _address_parse(forwarded[-proxy_count]) or connected


def rate_limit_source(request: HttpRequest) -> str:
    """Return what rate limits count by: the client's address, its /64 network for IPv6."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        network = ipaddress.IPv6Network((parsed, IPV6_RATE_LIMIT_PREFIX), strict=False)
        return str(network.network_address)
    return address
