"""API tokens: only a digest is stored, dead tokens (revoked, expired, of an inactive
user) are refused, and use is recorded at most once a minute."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from iris.governance.actions import SYSTEM_ACTOR
from iris.governance.models import ApiToken, AuditRecord
from iris.governance.tokens import NewToken, authenticate_token, create_token, revoke_token

pytestmark = [pytest.mark.django_db, pytest.mark.everywhere]


@pytest.fixture
def made() -> NewToken:
    return create_token(User.objects.create_user("ci"), "pipeline", SYSTEM_ACTOR)


def test_the_secret_is_stored_nowhere(made: NewToken) -> None:
    row = ApiToken.objects.filter(pk=made.token.pk).values().get()
    # The random part after the prefix is what must never be kept (the prefix is public).
    hidden = made.secret.removeprefix(made.token.prefix)
    assert len(hidden) > 30
    assert not [column for column, value in row.items() if hidden in str(value)]
    trail = AuditRecord.objects.values_list("before", "after")
    assert not [entry for entry in trail if hidden in str(entry)]
    assert made.secret.startswith(made.token.prefix)


def test_a_live_token_authenticates_as_its_user(made: NewToken) -> None:
    token = authenticate_token(made.secret)
    assert token is not None
    assert (token.pk, token.user.username) == (made.token.pk, "ci")


@pytest.mark.parametrize(
    "secret",
    ["", "iris_", "Bearer x", "iris_00000000_notatoken", "not-even-the-prefix"],
)
def test_unknown_secrets_are_refused(made: NewToken, secret: str) -> None:
    assert authenticate_token(secret) is None


def test_a_near_miss_is_refused(made: NewToken) -> None:
    assert authenticate_token(made.secret[:-1]) is None
    assert authenticate_token(made.secret + "x") is None


def test_a_revoked_token_is_refused(made: NewToken) -> None:
    revoke_token(made.token, SYSTEM_ACTOR)
    assert authenticate_token(made.secret) is None


def test_an_expired_token_is_refused() -> None:
    user = User.objects.create_user("ci")
    soon = create_token(user, "soon", SYSTEM_ACTOR, expires_at=timezone.now() + timedelta(hours=1))
    past = create_token(
        user, "past", SYSTEM_ACTOR, expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert authenticate_token(soon.secret) is not None
    assert authenticate_token(past.secret) is None


def test_the_token_of_an_inactive_user_is_refused(made: NewToken) -> None:
    User.objects.filter(username="ci").update(is_active=False)
    assert authenticate_token(made.secret) is None


def test_use_is_recorded_at_most_once_a_minute(made: NewToken, django_assert_num_queries) -> None:
    assert made.token.last_used_at is None
    with django_assert_num_queries(2):  # the lookup, and writing last_used_at
        first = authenticate_token(made.secret)
    assert first is not None
    stored = ApiToken.objects.get(pk=made.token.pk).last_used_at
    assert stored is not None
    assert stored == first.last_used_at
    assert timezone.now() - stored < timedelta(seconds=30)
    with django_assert_num_queries(1):  # used again at once: the lookup only
        authenticate_token(made.secret)
    assert ApiToken.objects.get(pk=made.token.pk).last_used_at == stored
    earlier = stored - timedelta(minutes=2)
    ApiToken.objects.filter(pk=made.token.pk).update(last_used_at=earlier)
    authenticate_token(made.secret)
    touched = ApiToken.objects.get(pk=made.token.pk).last_used_at
    assert touched is not None
    assert touched > earlier


def test_revoking_twice_records_once(made: NewToken) -> None:
    revoke_token(made.token, SYSTEM_ACTOR)
    revoked_at = made.token.revoked_at
    revoke_token(made.token, SYSTEM_ACTOR)
    assert made.token.revoked_at == revoked_at
    assert AuditRecord.objects.filter(action="token.revoked").count() == 1
