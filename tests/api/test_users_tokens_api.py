"""/api/v1/users, /teams and /tokens: admins manage people and teams; everyone makes
and revokes their own tokens, whose secret is shown once."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from iris.governance.models import ApiToken
from tests.api.conftest import Member
from tests.api.uploads import JOBS, assert_problem

pytestmark = pytest.mark.everywhere

Cast = dict[str, Member]
USERS, TEAMS, TOKENS = "/api/v1/users/", "/api/v1/teams/", "/api/v1/tokens/"


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def post(member: Member, path: str, body: dict[str, Any]) -> Any:
    return member.client.post(path, body, format="json")


def patch_user(cast: Cast, member: str, body: dict[str, Any]) -> Any:
    path = f"{USERS}{cast[member].user.pk}/"
    return cast["admin"].client.patch(path, body, format="json")


def test_an_admin_creates_a_user(cast: Cast) -> None:
    body = {"username": "newcomer", "role": "manager", "teams": ["gamma", "alpha"]}
    response = post(cast["admin"], USERS, body)
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["username"], made["role"], made["is_active"]) == ("newcomer", "manager", True)
    assert made["teams"] == ["alpha", "gamma"]
    assert cast["admin"].client.get(f"{USERS}{made['id']}/").json() == made
    assert_problem(post(cast["admin"], USERS, body), 409, "user-exists")


@pytest.mark.parametrize("role", ["manager", "viewer"])
def test_only_admins_manage_users(cast: Cast, role: str) -> None:
    body = {"username": "newcomer", "role": "viewer"}
    assert_problem(post(cast[role], USERS, body), 403, "permission-denied")
    assert_problem(cast[role].client.get(USERS), 403, "permission-denied")
    path = f"{USERS}{cast['viewer'].user.pk}/"
    refused = cast[role].client.patch(path, {"role": "admin"}, format="json")
    assert_problem(refused, 403, "permission-denied")


def test_a_role_change_takes_effect_at_once(cast: Cast) -> None:
    viewer = cast["viewer"]
    assert_problem(viewer.client.get("/api/v1/audit/"), 403)
    response = patch_user(cast, "viewer", {"role": "manager"})
    assert response.status_code == 200, response.content
    assert response.json()["role"] == "manager"
    assert viewer.client.get("/api/v1/audit/").status_code == 200


def test_a_deactivated_users_tokens_stop_working(cast: Cast) -> None:
    viewer = cast["viewer"]
    assert viewer.client.get(JOBS).status_code == 200
    response = patch_user(cast, "viewer", {"is_active": False})
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False
    assert_problem(viewer.client.get(JOBS), 401)
    assert ApiToken.objects.get(user_id=viewer.user.pk).revoked_at is not None
    assert_problem(patch_user(cast, "viewer", {"is_active": True}), 409, "deactivated")


def test_an_admin_cannot_change_their_own_account(cast: Cast) -> None:
    assert_problem(patch_user(cast, "admin", {"role": "viewer"}), 409, "own-account")
    assert cast["admin"].client.get(USERS).status_code == 200


def test_a_user_makes_a_token_whose_secret_is_shown_once(cast: Cast) -> None:
    viewer = cast["viewer"]
    response = post(viewer, TOKENS, {"name": "laptop"})
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["name"], made["user"]) == ("laptop", "viewer")
    assert made["secret"].startswith(made["prefix"])
    assert bearer(made["secret"]).get(JOBS).status_code == 200
    listed = viewer.client.get(TOKENS).json()["results"]
    assert {row["name"] for row in listed} == {"tests", "laptop"}
    assert all("secret" not in row for row in listed)
    detail = viewer.client.get(f"{TOKENS}{made['id']}/").json()
    assert "secret" not in detail
    assert made["secret"] not in str(detail)


def test_only_an_admin_makes_tokens_for_others(cast: Cast) -> None:
    refused = post(cast["viewer"], TOKENS, {"name": "theirs", "user": "manager"})
    assert_problem(refused, 403, "permission-denied")
    assert not ApiToken.objects.filter(name="theirs").exists()
    made = post(cast["admin"], TOKENS, {"name": "theirs", "user": "manager"})
    assert made.status_code == 201, made.content
    assert made.json()["user"] == "manager"
    as_manager = bearer(made.json()["secret"])
    assert as_manager.get("/api/v1/audit/").status_code == 200  # a manager's power


def test_a_revoked_token_stops_working(cast: Cast) -> None:
    viewer = cast["viewer"]
    made = post(viewer, TOKENS, {"name": "laptop"}).json()
    spare = bearer(made["secret"])
    response = viewer.client.delete(f"{TOKENS}{made['id']}/")
    assert response.status_code == 204, response.content
    assert_problem(spare.get(JOBS), 401)
    assert viewer.client.get(f"{TOKENS}{made['id']}/").json()["revoked_at"] is not None
    assert viewer.client.get(JOBS).status_code == 200  # their other token lives on


def test_a_user_revokes_the_token_they_call_with(cast: Cast) -> None:
    viewer = cast["viewer"]
    token = ApiToken.objects.get(user_id=viewer.user.pk)
    assert viewer.client.delete(f"{TOKENS}{token.pk}/").status_code == 204
    assert_problem(viewer.client.get(JOBS), 401)


def team_names(member: Member) -> list[str]:
    response = member.client.get(TEAMS)
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_a_user_sees_only_their_teams(cast: Cast) -> None:
    assert team_names(cast["viewer"]) == ["alpha"]
    assert team_names(cast["outsider"]) == ["beta"]
    assert sorted(team_names(cast["admin"])) == ["alpha", "beta"]


def test_only_an_admin_creates_teams(cast: Cast) -> None:
    assert_problem(post(cast["manager"], TEAMS, {"name": "gamma"}), 403, "permission-denied")
    response = post(cast["admin"], TEAMS, {"name": "gamma"})
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "gamma"
    assert sorted(team_names(cast["admin"])) == ["alpha", "beta", "gamma"]
    assert "gamma" not in team_names(cast["manager"])  # made, not joined
    errors = assert_problem(post(cast["admin"], TEAMS, {"name": "gamma"}), 400)["errors"]
    assert set(errors) == {"name"}
