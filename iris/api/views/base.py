"""What every /api/v1 view shares: a body size limit and the caller as an actor."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import User
from rest_framework import exceptions, viewsets
from rest_framework.request import Request

from iris.api.metadata import EndpointMetadata
from iris.api.problems import ProblemError
from iris.governance.actions import Actor
from iris.governance.permissions import Permission, role_of
from iris.governance.requests import request_actor

#: the largest body of a request that is not an upload
BODY_LIMIT = 2**20
#: methods whose body the API reads
BODY_METHODS = ("POST", "PUT", "PATCH")


class IrisViewSet(viewsets.GenericViewSet[Any]):
    #: what each action needs (iris.api.permissions.RolePermission)
    permissions: ClassVar[dict[str, Permission]] = {}
    body_limit = BODY_LIMIT
    metadata_class = EndpointMetadata

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        _refuse_unmeasured_body(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.body_limit:
            raise ProblemError(
                413, "request-too-large", f"the request body is over {self.body_limit} bytes"
            )
        super().initial(request, *args, **kwargs)

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        """DRF negotiates before it authenticates: an Accept the API cannot serve hid
        a bad or missing token behind a 406. The caller's identity is judged first."""
        try:
            return super().perform_content_negotiation(request, force)
        except exceptions.NotAcceptable:
            self.perform_authentication(request)
            self.check_permissions(request)
            raise

    @property
    def user(self) -> User:
        """The caller (RolePermission has let only authenticated users through)."""
        user = self.request.user
        assert isinstance(user, User)
        return user

    @property
    def actor(self) -> Actor:
        return request_actor(self.request._request)

    @property
    def role(self) -> str:
        return str(role_of(self.user) or "")


def _refuse_unmeasured_body(request: Request) -> None:
    """A body without Content-Length (``Transfer-Encoding: chunked``) is 411: Django
    reads such a body as empty, so an upload would be refused for a false reason
    ("No file was submitted"), and the size limit could not be checked before reading."""
    meta = request.META
    if (
        request.method in BODY_METHODS
        and meta.get("HTTP_TRANSFER_ENCODING")
        and not meta.get("CONTENT_LENGTH")
    ):
        raise ProblemError(
            411, "length-required", "a request body needs a Content-Length header (not chunked)"
        )
