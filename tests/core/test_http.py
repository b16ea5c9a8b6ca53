import pytest
from django.test import RequestFactory

from puente.core.http import UNKNOWN_CLIENT, client_address, rate_limit_source

PROXY = "10.0.0.1"


def _request(remote_addr: str = PROXY, forwarded: str | None = None):
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


@pytest.mark.parametrize(
    ("proxy_count", "remote_addr", "forwarded", "expected"),
    [
        # Not behind a proxy: whatever the client writes in the header is ignored.
        (0, "198.51.100.7", None, "198.51.100.7"),
        (0, "198.51.100.7", "203.0.113.1", "198.51.100.7"),
        (0, "198.51.100.7", "203.0.113.1, 10.0.0.1", "198.51.100.7"),
        # Behind one proxy: the entry our proxy appended, the last one.
        (1, PROXY, "203.0.113.1", "203.0.113.1"),
        (1, PROXY, "1.1.1.1, 203.0.113.1", "203.0.113.1"),
        (1, PROXY, "spoofed, 8.8.8.8 ,203.0.113.1", "203.0.113.1"),
        (1, PROXY, "203.0.113.1:51234", "203.0.113.1"),
        (1, PROXY, "2001:db8::1", "2001:db8::1"),
        (1, PROXY, "[2001:DB8::1]:443", "2001:db8::1"),
        # Behind two proxies: the entry the outer proxy appended.
        (2, PROXY, "1.1.1.1, 203.0.113.1, 10.0.0.2", "203.0.113.1"),
        # Did not come through all our proxies, or a garbled entry: the connecting address.
        (1, PROXY, None, PROXY),
        (1, PROXY, "", PROXY),
        (1, PROXY, "203.0.113.1, not-an-address", PROXY),
        (1, PROXY, "203.0.113.1,", PROXY),
        (2, PROXY, "203.0.113.1", PROXY),
        (1, PROXY, "\x00" * 5000, PROXY),
        (0, "", "203.0.113.1", UNKNOWN_CLIENT),
    ],
)
def test_the_client_address_trusts_only_the_entries_our_proxies_wrote(
    settings, proxy_count, remote_addr, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxy_count
    assert client_address(_request(remote_addr, forwarded)) == expected


@pytest.mark.parametrize(
    ("address", "source"),
    [
        ("203.0.113.1", "203.0.113.1"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::"),
        ("", UNKNOWN_CLIENT),
    ],
)
def test_rate_limits_count_an_ipv6_client_by_its_64_network(settings, address, source):
    settings.TRUSTED_PROXY_COUNT = 0
    assert rate_limit_source(_request(address)) == source
