"""Signed download links, ``/d/<token>``: whoever holds one may download the artifact
it names until it expires; the token is the credential.

The token is Django's signing (a salt of its own, so no other signed value of Iris is
accepted as a link) over the artifact's id, its sha256 when the link was issued, the
link's expiry and a short random token id that audit records of issue and download
share. The expiry is in the payload rather than checked with ``max_age`` because each
link has its own lifetime.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from iris.artifacts.models import Artifact

SALT = "iris.artifacts.download-link"
#: the longest lifetime a caller may ask for (IRIS_DOWNLOAD_LINK_SECONDS is the default)
MAX_LIFETIME_SECONDS = 30 * 86400


class LinkLifetimeError(ValueError):
    """A requested lifetime that is not a whole number of seconds from 1 to 30 days."""


class InvalidLink(Exception):
    """A token that was not signed by Iris for a download: tampered or malformed."""


class LinkExpired(Exception):
    """A genuine link past its expiry; ``claim`` says what it named, for the audit."""

    def __init__(self, claim: LinkClaim) -> None:
        super().__init__(f"download link {claim.token_id} expired at {claim.expires_at}")
        self.claim = claim


@dataclass(frozen=True)
class DownloadLink:
    """An issued link: ``url`` is a path (the API makes it absolute)."""

    url: str
    token_id: str
    expires_at: datetime


@dataclass(frozen=True)
class LinkClaim:
    """What a valid token says: which artifact, with which bytes, until when."""

    artifact_id: int
    sha256: str
    token_id: str
    expires_at: datetime


def issue_link(
    artifact: Artifact, lifetime_seconds: int | None = None, *, now: datetime | None = None
) -> DownloadLink:
    """A link to ``artifact`` valid ``lifetime_seconds`` from ``now`` (by default
    IRIS_DOWNLOAD_LINK_SECONDS from the present); more than 30 days is refused."""
    lifetime = _lifetime(lifetime_seconds)
    expires = int((now or timezone.now()).timestamp()) + lifetime
    token_id = secrets.token_hex(8)
    payload = {"a": artifact.pk, "h": artifact.sha256, "e": expires, "t": token_id}
    token = signing.dumps(payload, salt=SALT)
    url = reverse("artifact-download", kwargs={"token": token})
    return DownloadLink(url=url, token_id=token_id, expires_at=_moment(expires))


def read_link(token: str, *, now: datetime | None = None) -> LinkClaim:
    """The claim of a link, raising :class:`InvalidLink` for one Iris did not sign and
    :class:`LinkExpired` for one past its expiry."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature as exc:
        raise InvalidLink("download link not signed by Iris") from exc
    claim = _claim(payload)
    if claim.expires_at <= (now or timezone.now()):
        raise LinkExpired(claim)
    return claim


def _lifetime(requested: int | None) -> int:
    if requested is None:
        return int(settings.IRIS_DOWNLOAD_LINK_SECONDS)
    # bool is an int: a stray True must not become a one-second link.
    if isinstance(requested, bool) or not isinstance(requested, int):
        raise LinkLifetimeError(f"a link's lifetime is whole seconds, not {requested!r}")
    if not 1 <= requested <= MAX_LIFETIME_SECONDS:
        raise LinkLifetimeError(
            f"a link lives 1 to {MAX_LIFETIME_SECONDS} seconds (30 days), not {requested}"
        )
    return requested


def _claim(payload: Any) -> LinkClaim:
    # Only Iris signs with this salt, so a wrong shape means a token of an older format.
    try:
        artifact_id, sha256, expires, token_id = (payload[k] for k in ("a", "h", "e", "t"))
    except (TypeError, KeyError) as exc:
        raise InvalidLink("download link of an unknown format") from exc
    if not (isinstance(artifact_id, int) and isinstance(expires, int)):
        raise InvalidLink("download link of an unknown format")
    return LinkClaim(artifact_id, str(sha256), str(token_id), _moment(expires))


def _moment(epoch_seconds: int) -> datetime:
    return datetime.fromtimestamp(epoch_seconds, tz=UTC)
