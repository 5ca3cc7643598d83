from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from iris.governance.requests import client_ip


class TokenRateThrottle(SimpleRateThrottle):
    """IRIS_API_THROTTLE requests per API token; per user for a console session, per
    address without either. Counts live in Django's cache (per process unless a shared
    cache is configured)."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str:
        token = request.auth
        if token is not None and hasattr(token, "pk"):
            ident = f"token-{token.pk}"
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def get_ident(self, request: Request) -> str:
        return client_ip(request._request) or "unknown"
