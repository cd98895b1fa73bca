"""The client's address behind PROXY_COUNT reverse proxies, spoofed headers included."""

import pytest
from django.test import RequestFactory

from rfs.accounts.security import client_ip, limit_key

PROXY = "10.0.0.2"


def request(remote: str = PROXY, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        # No proxy: the header is the client's own word, ignored.
        (0, "203.0.113.5", "198.51.100.1", "203.0.113.5"),
        (0, "203.0.113.5", None, "203.0.113.5"),
        # One proxy: the address it appended, whatever the client put before it.
        (1, PROXY, "198.51.100.1", "198.51.100.1"),
        (1, PROXY, "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (1, PROXY, "6.6.6.6,7.7.7.7 , 198.51.100.1", "198.51.100.1"),
        (1, PROXY, "garbage, 198.51.100.1", "198.51.100.1"),
        # Two proxies (a CDN, then a load balancer): the CDN's entry.
        (2, PROXY, "198.51.100.1, 10.0.0.3", "198.51.100.1"),
        (2, PROXY, "6.6.6.6, 198.51.100.1, 10.0.0.3", "198.51.100.1"),
        # IPv6 clients.
        (1, PROXY, "2001:db8:1:2::99", "2001:db8:1:2::99"),
        (1, PROXY, "6.6.6.6, 2001:db8:1:2::99", "2001:db8:1:2::99"),
        # No usable header (a request that did not come through the proxy): the socket.
        (1, "203.0.113.5", None, "203.0.113.5"),
        (1, "203.0.113.5", "not-an-address", "203.0.113.5"),
    ],
)
def test_client_address(settings, proxies, remote, forwarded, client):
    settings.RFS_PROXY_COUNT = proxies
    assert client_ip(request(remote, forwarded)) == client


def test_limit_key_is_the_address_for_ipv4_and_the_64_for_ipv6():
    assert limit_key("203.0.113.5") == "203.0.113.5"
    assert limit_key("2001:db8:1:2:aaaa::1") == limit_key("2001:db8:1:2:bbbb::2")
    assert limit_key("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::"
    assert limit_key("2001:db8:1:3::1") != limit_key("2001:db8:1:2::1")
    assert limit_key(None) == ""
