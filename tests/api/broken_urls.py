"""Iris's URLs plus one API view that fails as a bug would: what the API answers for
an error nobody handles (tests/api/test_server_errors.py)."""

from __future__ import annotations

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from iris.urls import urlpatterns as iris_urlpatterns

SECRET_TEXT = "SELECT password FROM users -- /srv/iris/internal.py"


class Broken(APIView):
    permission_classes = (AllowAny,)
    authentication_classes = ()

    def get(self, request: Request) -> Response:
        raise RuntimeError(SECRET_TEXT)


urlpatterns = [path("api/v1/broken/", Broken.as_view()), *iris_urlpatterns]
