"""The permission matrix: which role may do what. The API asks it, the console will;
nothing else decides who may act.

A role says what kind of thing a user may do; their teams (:func:`team_ids`) say to
which jobs."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from iris.governance.models import Profile, Role


class Permission(StrEnum):
    JOB_VIEW = "job.view"
    JOB_CREATE = "job.create"
    JOB_CONTROL = "job.control"
    ARTIFACT_DOWNLOAD = "artifact.download"
    SEGMENT_VIEW = "segment.view"
    TEAM_VIEW = "team.view"
    USER_MANAGE = "user.manage"
    TEAM_MANAGE = "team.manage"
    TOKEN_OWN = "token.own"
    TOKEN_MANAGE = "token.manage"
    AUDIT_VIEW = "audit.view"
    # The memory, glossary and review endpoints arrive with their issues; their rows
    # are decided here already so those endpoints only have to name them.
    MEMORY_VIEW = "memory.view"
    MEMORY_MANAGE = "memory.manage"
    GLOSSARY_VIEW = "glossary.view"
    GLOSSARY_MANAGE = "glossary.manage"
    REVIEW_EDIT = "review.edit"
    REVIEW_DELIVER = "review.deliver"


_EVERYONE = frozenset(Role)
_MANAGERS = frozenset({Role.ADMIN, Role.MANAGER})
_REVIEWERS = frozenset({Role.ADMIN, Role.MANAGER, Role.REVIEWER})
_ADMINS = frozenset({Role.ADMIN})

MATRIX: dict[Permission, frozenset[Role]] = {
    Permission.JOB_VIEW: _EVERYONE,
    Permission.JOB_CREATE: _MANAGERS,
    Permission.JOB_CONTROL: _MANAGERS,
    Permission.ARTIFACT_DOWNLOAD: _EVERYONE,
    Permission.SEGMENT_VIEW: _EVERYONE,
    Permission.TEAM_VIEW: _EVERYONE,
    Permission.USER_MANAGE: _ADMINS,
    Permission.TEAM_MANAGE: _ADMINS,
    Permission.TOKEN_OWN: _EVERYONE,
    Permission.TOKEN_MANAGE: _ADMINS,
    Permission.AUDIT_VIEW: _MANAGERS,
    Permission.MEMORY_VIEW: _EVERYONE,
    Permission.MEMORY_MANAGE: _MANAGERS,
    Permission.GLOSSARY_VIEW: _EVERYONE,
    Permission.GLOSSARY_MANAGE: _MANAGERS,
    Permission.REVIEW_EDIT: _REVIEWERS,
    Permission.REVIEW_DELIVER: _MANAGERS,
}


#: the reverse side of Profile.user: knows whether a user's profile is loaded already
_PROFILE = Profile._meta.get_field("user").remote_field


def role_of(user: User | AnonymousUser | None) -> Role | None:
    """The user's role; None for anonymous, inactive or role-less users.

    A user loaded with its profile (``select_related("iris_profile")``, as API token
    authentication does for each request) answers without a query; any other asks the
    database each time, so a role changed meanwhile is never missed."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if _PROFILE.is_cached(user):
        profile = cast(Profile | None, _PROFILE.get_cached_value(user))
    else:
        profile = Profile.objects.filter(user_id=user.pk).only("role").first()
    return Role(profile.role) if profile is not None else None


def allows(role: Role | None, permission: Permission) -> bool:
    return role is not None and role in MATRIX[permission]


def team_ids(user: User) -> QuerySet[Any, int]:
    """The ids of the user's teams, as a subquery."""
    return Profile.teams.through.objects.filter(profile__user_id=user.pk).values_list(
        "team_id", flat=True
    )
