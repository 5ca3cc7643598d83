"""Who may do what: a user's role (none without a profile, none once inactive) and the
matrix's answers where roles must differ. The API's endpoint matrix test checks every
cell against real endpoints; this checks the rules the matrix must keep."""

from __future__ import annotations

from itertools import pairwise

import pytest
from django.contrib.auth.models import AnonymousUser, User

from iris.governance.actions import SYSTEM_ACTOR
from iris.governance.models import Role, Team
from iris.governance.permissions import MATRIX, Permission, allows, role_of, team_ids
from iris.governance.users import create_user, deactivate_user

pytestmark = [pytest.mark.django_db, pytest.mark.everywhere]

#: from most to least powerful
RANKS = [Role.ADMIN, Role.MANAGER, Role.REVIEWER, Role.VIEWER]


@pytest.fixture
def cast() -> dict[Role, User]:
    """One user per role."""
    return {role: create_user(role.value, role, [], SYSTEM_ACTOR) for role in Role}


def test_each_user_has_their_role(cast: dict[Role, User]) -> None:
    assert {role: role_of(user) for role, user in cast.items()} == {role: role for role in Role}


def test_no_role_without_a_profile_or_a_login() -> None:
    assert role_of(None) is None
    assert role_of(AnonymousUser()) is None
    assert role_of(User.objects.create_user("root", is_superuser=True)) is None


def test_a_deactivated_user_has_no_role(cast: dict[Role, User]) -> None:
    deactivate_user(cast[Role.ADMIN], SYSTEM_ACTOR)
    assert role_of(cast[Role.ADMIN]) is None
    assert role_of(User.objects.get(username="admin")) is None


@pytest.mark.parametrize(
    ("permission", "allowed", "refused"),
    [
        (Permission.JOB_CREATE, Role.MANAGER, Role.REVIEWER),  # a reviewer reviews
        (Permission.JOB_CONTROL, Role.MANAGER, Role.VIEWER),
        (Permission.USER_MANAGE, Role.ADMIN, Role.MANAGER),  # managers run jobs only
        (Permission.TOKEN_MANAGE, Role.ADMIN, Role.MANAGER),  # others' tokens
        (Permission.REVIEW_EDIT, Role.REVIEWER, Role.VIEWER),
        (Permission.REVIEW_DELIVER, Role.MANAGER, Role.REVIEWER),
        (Permission.AUDIT_VIEW, Role.MANAGER, Role.REVIEWER),
        (Permission.GLOSSARY_MANAGE, Role.MANAGER, Role.REVIEWER),
    ],
)
def test_where_roles_differ(permission: Permission, allowed: Role, refused: Role) -> None:
    assert allows(allowed, permission)
    assert not allows(refused, permission)


def test_every_role_may_read_jobs_and_own_tokens() -> None:
    for role in Role:
        assert allows(role, Permission.JOB_VIEW)
        assert allows(role, Permission.TOKEN_OWN)


def test_no_role_may_do_nothing() -> None:
    assert not [permission for permission in Permission if allows(None, permission)]


def test_a_more_powerful_role_may_do_all_a_lesser_one_may() -> None:
    for higher, lower in pairwise(RANKS):
        lesser = {permission for permission in Permission if allows(lower, permission)}
        greater = {permission for permission in Permission if allows(higher, permission)}
        assert lesser < greater, (higher, lower)


def test_every_permission_is_decided() -> None:
    assert set(MATRIX) == set(Permission)


def test_team_ids_are_the_users_teams_only() -> None:
    docs, legal, _other = (Team.objects.create(name=name) for name in ("docs", "legal", "x"))
    user = create_user("ana", Role.VIEWER, ["docs", "legal"], SYSTEM_ACTOR)
    create_user("bob", Role.VIEWER, ["x"], SYSTEM_ACTOR)
    assert set(team_ids(user)) == {docs.pk, legal.pk}
    assert set(Team.objects.filter(pk__in=team_ids(user))) == {docs, legal}
