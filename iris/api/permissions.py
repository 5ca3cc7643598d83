from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from iris.governance.permissions import Permission, allows, role_of


def required_permission(view: Any) -> Permission | None:
    """What the view's action needs: ``view.permissions[action]`` for viewsets (the
    action is the method name for plain views); None when the view names none."""
    action = getattr(view, "action", None) or str(view.request.method).lower()
    return getattr(view, "permissions", {}).get(action)


class RolePermission(BasePermission):
    """Every endpoint names the permission of each of its actions; an action that
    names none is refused to everyone (a forgotten entry closes, never opens)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.user is None or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        action = getattr(view, "action", "")
        if action is None:
            return True  # a method the route does not map: its handler answers 405
        if action == "metadata":
            return True  # OPTIONS: what the endpoint is (EndpointMetadata), no data
        needed = required_permission(view)
        if needed is None or not allows(role_of(request.user), needed):
            raise exceptions.PermissionDenied(
                "your role may not do this" if needed else "this action is not open to anyone"
            )
        return True
