"""Health endpoints (public: load balancers and orchestrators call them) and metrics
(for the addresses or the token the settings name)."""

from __future__ import annotations

import hmac
from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from iris.governance.requests import client_ip
from iris.ops.health import readiness
from iris.ops.prometheus import CONTENT_TYPE, exposition


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
    carries IRIS_METRICS_TOKEN (when one is set)."""
    if not may_read_metrics(request):
        return HttpResponseForbidden("forbidden\n", content_type="text/plain; charset=utf-8")
    return HttpResponse(exposition(), content_type=CONTENT_TYPE)


def may_read_metrics(request: HttpRequest) -> bool:
    token = settings.IRIS_METRICS_TOKEN
    if token:
        sent = str(request.headers.get("Authorization", ""))
        if hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            return True
    address = client_ip(request)
    if address is None:
        return False
    ip = ip_address(address)
    return any(ip in network for network in settings.IRIS_METRICS_ALLOWED)
