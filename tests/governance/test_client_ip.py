"""Where a request came from: X-Forwarded-For is believed only as far as trusted
proxies wrote it, walked from the right; what a client wrote itself is ignored."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import RequestFactory

from iris.governance.requests import client_ip

PROXY = "10.0.0.2"
CLIENT = "203.0.113.7"


@pytest.fixture(autouse=True)
def _trusted_proxies(settings) -> None:
    settings.IRIS_TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]


def ip_of(remote: str, forwarded: str | None = None) -> str | None:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(request)


def test_without_a_proxy_the_peer_is_the_client(settings) -> None:
    settings.IRIS_TRUSTED_PROXIES = []
    assert ip_of(CLIENT) == CLIENT
    assert ip_of(PROXY, "198.51.100.1") == PROXY  # no proxy is trusted: the header is not


def test_a_trusted_proxy_names_the_client() -> None:
    assert ip_of(PROXY, CLIENT) == CLIENT
    assert ip_of(PROXY) == PROXY  # a proxy that added nothing is itself the peer


def test_trusted_hops_are_skipped_from_the_right() -> None:
    # the client wrote 198.51.100.9 itself: only hops right of it are proxies' words
    assert ip_of(PROXY, f"198.51.100.9, {CLIENT}, 10.1.1.1, 10.2.2.2") == CLIENT
    assert ip_of(PROXY, f"{CLIENT},10.1.1.1") == CLIENT  # no space after the comma


def test_a_chain_of_trusted_proxies_only_names_its_first_hop() -> None:
    assert ip_of(PROXY, "10.9.9.9, 10.1.1.1") == "10.9.9.9"


def test_a_header_from_an_untrusted_peer_is_ignored() -> None:
    assert ip_of("198.51.100.20", CLIENT) == "198.51.100.20"
    assert ip_of("198.51.100.20", "10.0.0.5") == "198.51.100.20"  # posing as a proxy


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("", None, None),
        ("not-an-address", None, None),
        ("not-an-address", CLIENT, None),  # a bad peer is not trusted
        (PROXY, "garbage", None),  # the hop the proxy vouches for is unreadable
        (PROXY, f"{CLIENT}, garbage", None),  # never the address left of it
        (PROXY, " , ,", PROXY),  # only separators: nothing was added
        ("2001:DB8::1", None, "2001:db8::1"),  # written the one way
        (PROXY, "2001:db8:0:0::7", "2001:db8::7"),
        # load balancers that add the client's port
        (PROXY, f"{CLIENT}:52341", CLIENT),
        (PROXY, "[2001:db8::7]:443", "2001:db8::7"),
        (PROXY, f"{CLIENT}, 10.1.1.1:8080", CLIENT),  # a trusted hop with a port
    ],
)
def test_malformed_addresses(remote: str, forwarded: str | None, expected: str | None) -> None:
    assert ip_of(remote, forwarded) == expected
