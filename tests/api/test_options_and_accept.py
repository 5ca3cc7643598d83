"""OPTIONS describes an endpoint to any authenticated caller (200 with Allow), and an
Accept the API cannot serve does not hide a failed authentication: the 401 wins."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import Member
from tests.api.uploads import JOBS, assert_problem

Cast = dict[str, Member]


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        (JOBS, "GET, POST, HEAD, OPTIONS"),
        (f"{JOBS}1/pause/", "POST, OPTIONS"),
        ("/api/v1/users/", "GET, POST, HEAD, OPTIONS"),
    ],
)
def test_options_is_200_with_allow(cast: Cast, path: str, allow: str) -> None:
    response = cast["viewer"].client.options(path)
    assert response.status_code == 200, response.content
    assert response["Allow"] == allow
    assert response.json()["name"]


def test_options_needs_a_token(db: Any) -> None:
    assert_problem(APIClient().options(JOBS), 401)


@pytest.mark.parametrize("authorization", [None, "Bearer iris_00000000_not-a-real-token"])
def test_a_failed_authentication_wins_over_an_unservable_accept(
    db: Any, authorization: str | None
) -> None:
    client = APIClient()
    if authorization is not None:
        client.credentials(HTTP_AUTHORIZATION=authorization)
    response = client.get(JOBS, HTTP_ACCEPT="text/html")
    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unservable_accept_is_406_for_an_authenticated_caller(cast: Cast) -> None:
    assert_problem(cast["viewer"].client.get(JOBS, HTTP_ACCEPT="text/html"), 406)
