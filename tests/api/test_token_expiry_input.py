"""A token cannot be made already expired: an ``expires_at`` now or in the past is
400 naming the field (it answered 201 with a secret no request would take)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from iris.governance.models import ApiToken
from tests.api.conftest import Member
from tests.api.uploads import assert_problem

TOKENS = "/api/v1/tokens/"


@pytest.mark.parametrize("ago", [timedelta(days=365), timedelta(seconds=1)])
def test_an_expiry_in_the_past_is_400(cast: dict[str, Member], ago: timedelta) -> None:
    before = ApiToken.objects.count()
    body = {"name": "dead", "expires_at": (timezone.now() - ago).isoformat()}
    response = cast["viewer"].client.post(TOKENS, body, format="json")
    problem = assert_problem(response, 400, "invalid-request")
    assert list(problem["errors"]) == ["expires_at"]
    assert ApiToken.objects.count() == before


def test_an_expiry_in_the_future_makes_a_live_token(cast: dict[str, Member]) -> None:
    body = {"name": "live", "expires_at": (timezone.now() + timedelta(days=1)).isoformat()}
    response = cast["viewer"].client.post(TOKENS, body, format="json")
    assert response.status_code == 201, response.content
    client = cast["viewer"].client.__class__()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['secret']}")
    assert client.get(TOKENS).status_code == 200
