"""Every API error is an RFC 9457 ``application/problem+json`` body (type, title,
status, detail); 401s ask for a Bearer token; 429s say when to come back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from iris.api.throttling import TokenRateThrottle
from iris.governance.actions import SYSTEM_ACTOR
from iris.governance.tokens import create_token, revoke_token
from tests.api.conftest import Member
from tests.api.uploads import JOBS, assert_problem, upload

pytestmark = pytest.mark.everywhere

Cast = dict[str, Member]


@pytest.fixture(autouse=True)
def _fresh_throttle_counts() -> Iterator[None]:
    cache.clear()  # request counts live in the cache: no test inherits another's
    yield
    cache.clear()


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.mark.parametrize(
    ("who", "method", "path", "data", "status"),
    [
        ("viewer", "delete", JOBS, None, 405),
        ("viewer", "post", JOBS, None, 403),
        ("viewer", "get", f"{JOBS}999999/", None, 404),
        ("viewer", "get", "/api/v1/users/", None, 403),
        ("admin", "post", "/api/v1/users/", {"username": "x", "role": "emperor"}, 400),
        ("admin", "post", f"{JOBS}999999/pause/", None, 404),
        ("admin", "get", f"{JOBS}?page_size=1&cursor=junk", None, 404),
    ],
)
def test_errors_are_problems(
    cast: Cast, who: str, method: str, path: str, data: Any, status: int
) -> None:
    response = getattr(cast[who].client, method)(path, data, format="json")
    assert_problem(response, status)
    if status == 405:
        assert response["Allow"] == "GET, POST, HEAD, OPTIONS"


def test_a_body_the_endpoint_does_not_parse_is_415(cast: Cast) -> None:
    client = cast["admin"].client
    response = client.post("/api/v1/teams/", b"name=x", content_type="text/plain")
    assert_problem(response, 415, "unsupported-media-type")


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer iris_00000000_not-a-real-token", "Bearer ", "Bearer nonsense"],
)
def test_401_asks_for_a_bearer_token(authorization: str | None, db: Any) -> None:
    client = APIClient()
    if authorization is not None:
        client.credentials(HTTP_AUTHORIZATION=authorization)
    response = client.get(JOBS)
    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_401(cast: Cast) -> None:
    viewer = cast["viewer"]
    assert viewer.client.get(JOBS).status_code == 200
    token = viewer.user.api_tokens.get()
    revoke_token(token, SYSTEM_ACTOR)
    response = viewer.client.get(JOBS)
    body = assert_problem(response, 401, "authentication-failed")
    assert "revoked" in body["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_401(cast: Cast) -> None:
    user = cast["viewer"].user
    past = timezone.now() - timedelta(seconds=1)
    expired = create_token(user, "old", SYSTEM_ACTOR, expires_at=past).secret
    assert_problem(bearer(expired).get(JOBS), 401, "authentication-failed")
    future = timezone.now() + timedelta(hours=1)
    live = create_token(user, "new", SYSTEM_ACTOR, expires_at=future).secret
    assert bearer(live).get(JOBS).status_code == 200


def test_validation_errors_list_their_fields(cast: Cast) -> None:
    response = cast["admin"].client.post(
        "/api/v1/users/", {"role": "emperor", "email": "nope"}, format="json"
    )
    body = assert_problem(response, 400, "invalid-request")
    assert set(body["errors"]) == {"username", "role", "email"}
    assert all(isinstance(messages, list) and messages for messages in body["errors"].values())


def test_upload_errors_are_problems(cast: Cast) -> None:
    assert_problem(upload(cast["manager"].client, b"not a document"), 415)


@pytest.fixture
def three_a_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    # DRF reads the rates once, into a class attribute: settings changed now would not
    # reach it. The class's own attribute is DRF's configuration, not Iris logic.
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/minute"})


def test_a_token_over_its_rate_is_throttled(cast: Cast, three_a_minute: None) -> None:
    manager, viewer = cast["manager"].client, cast["viewer"].client
    for _ in range(3):
        assert manager.get(JOBS).status_code == 200
    response = manager.get(JOBS)
    body = assert_problem(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60
    assert body["detail"]
    assert viewer.get(JOBS).status_code == 200  # counted per token


def test_two_tokens_of_one_user_are_counted_apart(cast: Cast, three_a_minute: None) -> None:
    manager = cast["manager"]
    other = bearer(create_token(manager.user, "second", SYSTEM_ACTOR).secret)
    for _ in range(3):
        assert manager.client.get(JOBS).status_code == 200
    assert_problem(manager.client.get(JOBS), 429, "throttled")
    assert other.get(JOBS).status_code == 200
