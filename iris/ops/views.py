"""Health endpoints (public: load balancers and orchestrators call them) and metrics
(for the addresses or the token the settings name)."""

from __future__ import annotations

import hmac
import logging
from ipaddress import ip_address

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from iris.governance.requests import client_ip
from iris.ops.health import readiness
from iris.ops.prometheus import CONTENT_TYPE, exposition

logger = logging.getLogger(__name__)
PLAIN_TEXT = "text/plain; charset=utf-8"


@require_GET
@never_cache
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    answer = readiness()
    body = {
        "status": "error" if answer.failed else "ok",
        "checks": {name: result.as_dict() for name, result in answer.results.items()},
        # how old the answer is: checks run at most once per IRIS_HEALTH_CACHE_SECONDS
        "age_s": round(answer.age(), 2),
    }
    return JsonResponse(body, status=503 if answer.failed else 200)


@require_GET
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for the addresses in IRIS_METRICS_ALLOWED or a request that
    carries IRIS_METRICS_TOKEN (when one is set).

    Nearly every number comes from the database: without it the scrape fails as a
    whole (503, so Prometheus marks the target down) rather than serving the few
    broker numbers beside families that would silently be missing."""
    if not may_read_metrics(request):
        return HttpResponseForbidden("forbidden\n", content_type=PLAIN_TEXT)
    try:
        return HttpResponse(exposition(), content_type=CONTENT_TYPE)
    except DatabaseError as exc:
        cause = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        logger.warning("/metrics: the database did not answer: %s", cause)
        return HttpResponse(f"database unavailable: {cause}\n", status=503, content_type=PLAIN_TEXT)


def may_read_metrics(request: HttpRequest) -> bool:
    token = settings.IRIS_METRICS_TOKEN
    if token:
        sent = bearer_credentials(str(request.headers.get("Authorization", "")))
        if sent and hmac.compare_digest(sent.encode(), token.encode()):
            return True
    address = client_ip(request)
    if address is None:
        return False
    ip = ip_address(address)
    return any(ip in network for network in settings.IRIS_METRICS_ALLOWED)


def bearer_credentials(header: str) -> str:
    """The credentials of an ``Authorization: Bearer …`` header, '' for any other
    scheme. Scheme names are case-insensitive (RFC 9110, section 11.1), as the API's
    token authentication takes them."""
    scheme, _, credentials = header.strip().partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else ""
