from __future__ import annotations

from typing import Any

from rest_framework import authentication, exceptions
from rest_framework.request import Request

from iris.governance.tokens import authenticate_token


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <token>`` with an Iris API token."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None  # another scheme, or none: not ours to judge
        token = authenticate_token(secret.strip())
        if token is None:
            raise exceptions.AuthenticationFailed("the token is unknown, revoked or expired")
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="iris"'
