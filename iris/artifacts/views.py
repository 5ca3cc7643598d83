"""``/d/<token>``: an artifact to whoever holds a signed link (see links.py), no login.

Every request is audited as ``artifact.downloaded`` with what it was answered:
``served`` (streamed), ``redirected`` (to a presigned S3 URL) or ``refused`` with a
reason. HEAD answers like GET, checksum verification included, without the body.
A stored object that is gone answers 410; storage that cannot be reached, 503 with
``Retry-After``.
"""

from __future__ import annotations

import logging
import unicodedata
from enum import Enum
from typing import IO, Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.views.decorators.http import require_safe

from iris.artifacts.links import InvalidLink, LinkClaim, LinkExpired, read_link
from iris.artifacts.models import Artifact
from iris.artifacts.outages import WEB, StorageUnavailableError
from iris.artifacts.storage import ArtifactIntegrityError, ArtifactMissingError, open_artifact
from iris.governance.actions import Actor, record_audit
from iris.governance.requests import request_actor

logger = logging.getLogger(__name__)

ACTION = "artifact.downloaded"
UNKNOWN_ARTIFACT = ("artifacts.artifact", "")
#: seconds a link's holder is asked to wait while storage cannot be reached
STORAGE_RETRY_SECONDS = 30


class Refusal(Enum):
    """Why a link was not honoured: the status and the message its holder reads."""

    INVALID_LINK = 403, "This download link is not valid."
    LINK_EXPIRED = 410, "This download link has expired; ask for a new one."
    ARTIFACT_GONE = 410, "This file no longer exists."
    ARTIFACT_DELETED = 410, "This file was deleted."
    ARTIFACT_EXPIRED = 410, "This file has passed its retention date and is no longer kept."
    ARTIFACT_REPLACED = 410, "This file was replaced by a newer version; ask for a new link."
    OBJECT_MISSING = (
        410,
        "This file is gone from storage and cannot be sent; ask for it to be made again. "
        "The operators were notified.",
    )
    STORAGE_UNAVAILABLE = (
        503,
        "The file storage cannot be reached right now; "
        f"try again in {STORAGE_RETRY_SECONDS} seconds.",
    )
    CHECKSUM_MISMATCH = (
        500,
        "The stored file does not match its checksum, so it was not sent. "
        "The operators were notified.",
    )

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message


class Refused(Exception):
    def __init__(
        self, refusal: Refusal, target: Artifact | tuple[str, str], token_id: str = ""
    ) -> None:
        super().__init__(refusal.message)
        self.refusal, self.target, self.token_id = refusal, target, token_id


@require_safe
def download(request: HttpRequest, token: str) -> HttpResponseBase:
    """The artifact a signed link names: streamed, or a redirect to a presigned S3 URL
    (IRIS_S3_PRESIGNED_DOWNLOADS); 403 for a link Iris did not sign, 410 for one
    expired or naming an artifact gone, expired or replaced or whose object is missing,
    500 for a stored object that fails its checksum, 503 while storage is unreachable."""
    actor = request_actor(request)
    try:
        claim = _claim(token)
        artifact = _available_artifact(claim)
        response, outcome = _answer(request, artifact, claim)
    except Refused as refused:
        _audit(actor, request, refused.target, refused.token_id, reason=refused.refusal)
        return _refusal_response(refused.refusal)
    _audit(actor, request, artifact, claim.token_id, outcome=outcome)
    return response


def _refusal_response(refusal: Refusal) -> HttpResponse:
    headers = {"Cache-Control": "no-store"}
    if refusal is Refusal.STORAGE_UNAVAILABLE:
        headers["Retry-After"] = str(STORAGE_RETRY_SECONDS)
    return HttpResponse(
        refusal.message,
        status=refusal.status,
        content_type="text/plain; charset=utf-8",
        headers=headers,
    )


def _claim(token: str) -> LinkClaim:
    try:
        return read_link(token)
    except InvalidLink:
        raise Refused(Refusal.INVALID_LINK, UNKNOWN_ARTIFACT) from None
    except LinkExpired as exc:
        target = ("artifacts.artifact", str(exc.claim.artifact_id))
        raise Refused(Refusal.LINK_EXPIRED, target, exc.claim.token_id) from None


def _available_artifact(claim: LinkClaim) -> Artifact:
    artifact = Artifact.all_objects.filter(pk=claim.artifact_id).first()
    if artifact is None:  # its job was deleted, or a re-run replaced the row itself
        target = ("artifacts.artifact", str(claim.artifact_id))
        raise Refused(Refusal.ARTIFACT_GONE, target, claim.token_id)
    refusal = None
    if artifact.deleted_at is not None:
        refusal = Refusal.ARTIFACT_REPLACED if _replaced(artifact) else Refusal.ARTIFACT_DELETED
    elif artifact.sha256 != claim.sha256:
        refusal = Refusal.ARTIFACT_REPLACED
    elif artifact.expires_at <= timezone.now():
        refusal = Refusal.ARTIFACT_EXPIRED
    if refusal is not None:
        raise Refused(refusal, artifact, claim.token_id)
    return artifact


def _replaced(tombstone: Artifact) -> bool:
    # A re-run leaves the old artifact a tombstone and a live one of the same kind.
    live = Artifact.objects.filter(job_id=tombstone.job_id, kind=tombstone.kind)
    return live.exclude(sha256=tombstone.sha256).exists()


def _answer(
    request: HttpRequest, artifact: Artifact, claim: LinkClaim
) -> tuple[HttpResponseBase, str]:
    if settings.IRIS_STORAGE_BACKEND == "s3" and settings.IRIS_S3_PRESIGNED_DOWNLOADS:
        return _presigned_redirect(request, artifact), "redirected"
    stream = _verified_stream(artifact, claim)
    response: HttpResponseBase
    if request.method == "HEAD":
        stream.close()
        response = HttpResponse(content_type=artifact.content_type)
    else:
        response = FileResponse(stream, content_type=artifact.content_type)
    response["Content-Length"] = str(artifact.size)
    response["Content-Disposition"] = content_disposition(artifact.name)
    # The token is the credential: no shared cache may keep what it unlocked.
    response["Cache-Control"] = "private, no-store"
    return response, "served"


def _verified_stream(artifact: Artifact, claim: LinkClaim) -> VerifiedStream:
    try:
        return VerifiedStream(artifact)
    except StorageUnavailableError as exc:  # an outage, not a fault of this artifact
        logger.warning("download link %s refused: %s", claim.token_id, exc)
        refusal = Refusal.STORAGE_UNAVAILABLE
    except ArtifactIntegrityError as exc:
        logger.error("download link %s refused: %s", claim.token_id, exc)
        missing = isinstance(exc, ArtifactMissingError)
        refusal = Refusal.OBJECT_MISSING if missing else Refusal.CHECKSUM_MISMATCH
    raise Refused(refusal, artifact, claim.token_id)


def _presigned_redirect(request: HttpRequest, artifact: Artifact) -> HttpResponseRedirect:
    parameters = {
        "ResponseContentDisposition": content_disposition(artifact.name),
        "ResponseContentType": artifact.content_type,
    }
    # A presigned URL is signed for one method: HEAD gets a URL that answers HEAD.
    storage: Any = default_storage  # S3Storage.url takes more than Storage.url declares
    url = storage.url(
        artifact.storage_name,
        parameters=parameters,
        expire=settings.IRIS_S3_PRESIGNED_SECONDS,
        http_method=request.method,
    )
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "no-store"
    return response


class VerifiedStream:
    """The artifact's verified handle from :func:`open_artifact`, kept inside its
    context until FileResponse closes it after the last byte: a context left as the
    view returns would close the handle before the server streamed anything."""

    def __init__(self, artifact: Artifact) -> None:
        self._context = open_artifact(artifact, patience=WEB)
        self._handle: IO[bytes] = self._context.__enter__()

    def read(self, size: int = -1) -> bytes:
        return self._handle.read(size)

    def close(self) -> None:
        self._context.__exit__(None, None, None)


def content_disposition(name: str) -> str:
    """``attachment`` with the file's name as RFC 6266 wants it: a quoted ASCII
    fallback for old clients, and the exact name in RFC 5987's ``filename*`` when the
    fallback differs."""
    fallback = ascii_fallback(name)
    header = f'attachment; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def ascii_fallback(name: str) -> str:
    # Accents dropped (é -> e); what has no ASCII form, quotes, backslashes and
    # control characters become "_" so the quoted string needs no escaping.
    decomposed = unicodedata.normalize("NFKD", name)
    letters = (c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in letters)


def _audit(
    actor: Actor,
    request: HttpRequest,
    target: Artifact | tuple[str, str],
    token_id: str,
    *,
    outcome: str = "refused",
    reason: Refusal | None = None,
) -> None:
    after: dict[str, Any] = {"token": token_id, "outcome": outcome, "method": request.method}
    if reason is not None:
        after.update(reason=reason.name.lower(), status=reason.status)
    record_audit(actor, ACTION, target, after=after)
