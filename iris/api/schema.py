"""The OpenAPI schema: every operation documents the problems it can answer with, and
API tokens are a bearer scheme."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from iris.api.problems import PROBLEM


class ProblemSerializer(serializers.Serializer[Any]):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(allow_blank=True)
    # Declared fields leave the class (DRF's metaclass): Serializer.errors stays intact.
    errors = serializers.JSONField(  # type: ignore[assignment]
        required=False, help_text="invalid fields and why"
    )


#: problems any authenticated operation may answer with (503: the database or the
#: file storage cannot be reached now; Retry-After says when to ask again)
COMMON = ("400", "401", "403", "404", "413", "429", "503")
#: more, by method (411: a body sent chunked, without Content-Length)
BY_METHOD = {
    "POST": ("409", "411", "415", "422"),
    "PUT": ("411",),
    "PATCH": ("409", "411"),
    "DELETE": ("409",),
}


class IrisSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = dict(super()._get_response_bodies(direction))
        problem = self._get_response_for_code(  # type: ignore[no-untyped-call]
            ProblemSerializer, "400", (PROBLEM,), direction
        )
        for code in (*COMMON, *BY_METHOD.get(self.method, ())):
            responses.setdefault(code, problem)
        return responses


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "iris.api.authentication.TokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "an Iris API token"}
