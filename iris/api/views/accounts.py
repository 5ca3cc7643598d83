"""/api/v1/users, /teams, /tokens: who may use Iris (admins manage; everyone owns
their tokens)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from iris.api.problems import ProblemError
from iris.api.scoping import visible_teams
from iris.api.serializers import (
    NewTokenSerializer,
    TeamSerializer,
    TokenSerializer,
    UserSerializer,
    UserUpdateSerializer,
    user_data,
)
from iris.api.views.base import IrisViewSet
from iris.governance.models import ApiToken, Role, Team
from iris.governance.permissions import Permission as P
from iris.governance.permissions import allows
from iris.governance.teams import create_team
from iris.governance.tokens import create_token, revoke_token
from iris.governance.users import (
    UserChangeError,
    UserExistsError,
    create_user,
    deactivate_user,
    set_role,
)

User = get_user_model()


class UserViewSet(IrisViewSet):
    permissions = {
        "list": P.USER_MANAGE,
        "retrieve": P.USER_MANAGE,
        "create": P.USER_MANAGE,
        "partial_update": P.USER_MANAGE,
    }
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Any]:
        return User.objects.select_related("iris_profile").prefetch_related("iris_profile__teams")

    @extend_schema(responses=UserSerializer(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        return self.get_paginated_response([user_data(user) for user in page])

    @extend_schema(responses=UserSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(user_data(self.get_object()))

    @extend_schema(request=UserSerializer, responses={201: UserSerializer})
    def create(self, request: Request) -> Response:
        form = UserSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        fields = form.validated_data
        try:
            user = create_user(
                fields["username"],
                Role(fields["role"]),
                fields["teams"],
                self.actor,
                email=fields["email"],
            )
        except UserExistsError as exc:
            raise ProblemError(409, "user-exists", str(exc)) from None
        except UserChangeError as exc:
            raise ProblemError(400, "invalid-user", str(exc)) from None
        return Response(user_data(self.get_queryset().get(pk=user.pk)), status.HTTP_201_CREATED)

    @extend_schema(request=UserUpdateSerializer, responses=UserSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        user = self.get_object()
        form = UserUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        fields = form.validated_data
        if user.pk == self.user.pk and fields:
            raise ProblemError(409, "own-account", "an admin cannot change their own account")
        if "role" in fields:
            set_role(user, Role(fields["role"]), self.actor)
        if fields.get("is_active") is False:
            deactivate_user(user, self.actor)
        elif fields.get("is_active") is True and not user.is_active:
            raise ProblemError(409, "deactivated", "a deactivated user stays deactivated")
        return Response(user_data(self.get_queryset().get(pk=user.pk)))


class TeamViewSet(IrisViewSet):
    permissions = {"list": P.TEAM_VIEW, "create": P.TEAM_MANAGE}
    serializer_class = TeamSerializer

    def get_queryset(self) -> QuerySet[Team]:
        return visible_teams(self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        return self.get_paginated_response(TeamSerializer(page, many=True).data)

    @extend_schema(responses={201: TeamSerializer})
    def create(self, request: Request) -> Response:
        form = TeamSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        team = create_team(form.validated_data["name"], self.actor)
        return Response(TeamSerializer(team).data, status.HTTP_201_CREATED)


class TokenViewSet(mixins.RetrieveModelMixin, IrisViewSet):
    """Everyone manages their own tokens; admins anyone's."""

    permissions = {
        "list": P.TOKEN_OWN,
        "retrieve": P.TOKEN_OWN,
        "create": P.TOKEN_OWN,
        "destroy": P.TOKEN_OWN,
    }
    serializer_class = TokenSerializer
    lookup_value_regex = r"\d+"

    def _admin(self) -> bool:
        return allows(Role(self.role) if self.role else None, P.TOKEN_MANAGE)

    def get_queryset(self) -> QuerySet[ApiToken]:
        tokens = ApiToken.objects.select_related("user")
        if getattr(self, "swagger_fake_view", False):  # the schema, built without a caller
            return tokens.none()
        return tokens if self._admin() else tokens.filter(user=self.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        return self.get_paginated_response(TokenSerializer(page, many=True).data)

    @extend_schema(request=TokenSerializer, responses={201: NewTokenSerializer})
    def create(self, request: Request) -> Response:
        form = TokenSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        fields = form.validated_data
        owner = fields.get("user") or self.user
        if owner.pk != self.user.pk and not self._admin():
            raise ProblemError(403, "permission-denied", "only an admin makes tokens for others")
        made = create_token(owner, fields["name"], self.actor, expires_at=fields.get("expires_at"))
        body = dict(TokenSerializer(made.token).data) | {"secret": made.secret}
        return Response(body, status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        revoke_token(self.get_object(), self.actor)
        return Response(status=status.HTTP_204_NO_CONTENT)
