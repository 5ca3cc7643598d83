"""/api/v1: the router (memory, glossary and review endpoints join it with their
issues, each naming its permissions in iris/governance/permissions.py)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import Resolver404, path, re_path, resolve
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from iris.api.problems import PROBLEM
from iris.api.views.accounts import TeamViewSet, TokenViewSet, UserViewSet
from iris.api.views.audit import AuditViewSet
from iris.api.views.jobs import JobViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("jobs", JobViewSet, basename="job")
router.register("users", UserViewSet, basename="user")
router.register("teams", TeamViewSet, basename="team")
router.register("tokens", TokenViewSet, basename="token")
router.register("audit", AuditViewSet, basename="audit")


class PublicSchema(SpectacularAPIView):
    """The schema describes the API, not its data: public, like health."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []


class PublicDocs(SpectacularSwaggerView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []


@csrf_exempt  # like every API view: a token, not a cookie, authenticates
def not_found(request: HttpRequest, rest: str) -> JsonResponse:
    """Any other path under /api/v1: a problem like every API error, not Django's page."""
    detail = f"there is no {request.path}"
    if not request.path.endswith("/"):
        try:
            if resolve(request.path + "/").func is not not_found:
                detail += f" (did you mean {request.path}/?)"
        except Resolver404:
            pass
    body = {"type": "/api/v1/problems/not-found", "title": "Not Found", "status": 404}
    return JsonResponse(body | {"detail": detail}, status=404, content_type=PROBLEM)


urlpatterns = [
    path("schema", PublicSchema.as_view(), name="api-schema"),
    path("docs", PublicDocs.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
    re_path(r"^(?P<rest>[\s\S]*)\Z", not_found),  # any path, newlines too
]
