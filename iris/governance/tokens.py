"""API tokens: made (shown once), checked, revoked. Only a token's sha256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from iris.governance.actions import Actor, record_audit
from iris.governance.models import ApiToken

PREFIX = "iris_"
#: last_used_at is written at most this often per token (not on every request)
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    #: the secret itself: shown to its owner once, never stored
    secret: str


def digest(secret: str) -> str:
    # A token is 190 random bits: a fast hash is as safe as a slow one here.
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    user: User, name: str, actor: Actor, *, expires_at: datetime | None = None
) -> NewToken:
    """Make a token for ``user`` (audited); the secret is in the result only."""
    ident = secrets.token_hex(4)
    secret = f"{PREFIX}{ident}_{secrets.token_urlsafe(24)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=f"{PREFIX}{ident}",
            digest=digest(secret),
            created_by=actor.user,
            expires_at=expires_at,
        )
        record_audit(
            actor,
            "token.created",
            token,
            after={"user": user.get_username(), "name": name, "prefix": token.prefix},
        )
    return NewToken(token, secret)


def revoke_token(token: ApiToken, actor: Actor) -> ApiToken:
    """Revoke a token (audited); revoking a revoked token changes nothing."""
    with transaction.atomic():
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if revoked:
            record_audit(actor, "token.revoked", token, after={"prefix": token.prefix})
    token.refresh_from_db()
    return token


def authenticate_token(secret: str) -> ApiToken | None:
    """The live token with this secret (not revoked, not expired, of an active user).
    The user comes with their profile: their role costs the request no more queries."""
    if not secret.startswith(PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__iris_profile")
        .filter(digest=digest(secret), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or not token.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
