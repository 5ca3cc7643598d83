"""Public health endpoints (no authentication: load balancers and orchestrators call them)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from iris.ops.health import Status, run_checks


@require_GET
@never_cache
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    results = run_checks()
    failed = any(result.status is Status.ERROR for result in results.values())
    body = {
        "status": "error" if failed else "ok",
        "checks": {name: result.as_dict() for name, result in results.items()},
    }
    return JsonResponse(body, status=503 if failed else 200)
