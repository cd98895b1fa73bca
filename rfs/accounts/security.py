"""Login security helpers: who a login attempt was for, and where it came from."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip

# An IPv6 client usually holds a whole /64: a limit per address would let it rotate.
IPV6_LIMIT_PREFIX = 64


def login_identifier(request: HttpRequest, credentials: dict | None) -> str:
    """The address a login attempt was for, from allauth's form or the admin's, case folded."""
    credentials = credentials or {}
    value = (
        credentials.get("email")
        or credentials.get("username")
        or request.POST.get("login")
        or request.POST.get("username")
        or ""
    )
    return str(value).strip().lower()


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the socket's, or behind settings.RFS_PROXY_COUNT reverse
    proxies, the X-Forwarded-For entry the outermost of them appended. Entries to its left
    are whatever the client sent, so they are never read."""
    proxies = settings.RFS_PROXY_COUNT
    if proxies:
        # ipware counts the hops after the client within the header: the outermost proxy's
        # entry is the client's, so one fewer than the proxies in front of us.
        forwarded, _ = get_client_ip(
            request,
            proxy_count=proxies - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if forwarded:
            return forwarded
    remote = request.META.get("REMOTE_ADDR")
    return _valid(remote)


def limit_key(ip: str | None) -> str:
    """What a rate limit or lockout counts: the address, or an IPv6 address's /64."""
    address = _valid(ip)
    if address is None:
        return ""
    parsed = ipaddress.ip_address(address)
    if parsed.version == 6:
        network = ipaddress.IPv6Network(f"{parsed}/{IPV6_LIMIT_PREFIX}", strict=False)
        return str(network.network_address)
    return address


def client_limit_key(request: HttpRequest) -> str:
    """The limit key of the request's client (axes' lockouts and the signup limit use it)."""
    return limit_key(client_ip(request))


def _valid(ip: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((ip or "").strip()))
    except ValueError:
        return None
