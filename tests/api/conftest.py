"""The cast of API tests: one user per role in team "alpha", a manager of another
team, and an API client per user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from iris.governance.actions import SYSTEM_ACTOR
from iris.governance.models import Role
from iris.governance.tokens import create_token
from iris.governance.users import create_user

TEAM = "alpha"


@dataclass
class Member:
    user: User
    secret: str
    client: APIClient


def make_member(name: str, role: Role, teams: list[str]) -> Member:
    user = create_user(name, role, teams, SYSTEM_ACTOR)
    secret = create_token(user, "tests", SYSTEM_ACTOR).secret
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return Member(user, secret, client)


@pytest.fixture
def cast(db: Any) -> dict[str, Member]:
    """admin, manager, reviewer, viewer (team alpha) and outsider (a manager of beta)."""
    members = {role.value: make_member(role.value, role, [TEAM]) for role in Role}
    members["outsider"] = make_member("outsider", Role.MANAGER, ["beta"])
    return members


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


@pytest.fixture
def member_factory(db: Any) -> Callable[..., Member]:
    return make_member
