"""Who sent a web request, and from where: the actor of what it does."""

from __future__ import annotations

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest

from iris.governance.actions import Actor
from iris.governance.permissions import role_of
from iris.ops.logging import request_id_var


def _trusted(address: str) -> bool:
    valid = _valid(address)
    if valid is None:
        return False
    ip = ip_address(valid)
    return any(ip in network for network in settings.IRIS_TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from. ``X-Forwarded-For`` is believed only as far
    as it was written by proxies in IRIS_TRUSTED_PROXIES: walking it from the right,
    the first address not of a trusted proxy is the client (anything to its left
    could have been written by the client itself)."""
    remote = str(request.META.get("REMOTE_ADDR") or "").strip()
    if not remote or not _trusted(remote):
        return _valid(remote)
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop):
            return _valid(hop)
    return _valid(hops[0]) if hops else _valid(remote)


def _valid(address: str) -> str | None:
    """The address, without a port some load balancers add ("1.2.3.4:5678",
    "[2001:db8::1]:443"); None when it is not an address."""
    host = address.strip()
    if host.startswith("["):
        host = host[1:].partition("]")[0]
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    try:
        return str(ip_address(host))
    except ValueError:
        return None


def request_actor(request: HttpRequest) -> Actor:
    """The actor of a request: its user (if any) with their role, address, user agent
    and request id."""
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    role = role_of(user) if authenticated else None
    return Actor(
        user=user if authenticated else None,
        source_ip=client_ip(request),
        role=str(role or ""),
        user_agent=str(request.META.get("HTTP_USER_AGENT") or "")[:512],
        request_id=request_id_var.get() or "",
        name="" if authenticated else "anonymous",
    )
