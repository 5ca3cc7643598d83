"""Every API error as RFC 9457 ``application/problem+json``, from this one handler."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from iris.artifacts.outages import StorageUnavailableError
from iris.docx import DocxError
from iris.engines.base import PermanentError
from iris.engines.registry import UnknownEngineError
from iris.formats.errors import ConverterUnavailableError, UnsupportedFormatError
from iris.jobs.actions import DocumentTooLargeError, JobRequestError
from iris.jobs.languages import UnknownLanguageError
from iris.jobs.states import IllegalTransition
from iris.ops.logging import request_id_var
from iris.qa.checks.policy import QaPolicyError
from iris.review.actions import ReviewError, ReviewFileTooLargeError

PROBLEM = "application/problem+json"
#: seconds a client waits before asking again while the database cannot be reached
DATABASE_RETRY_SECONDS = 5
#: what a client waits before asking again while file storage cannot be used
STORAGE_RETRY_SECONDS = 30

logger = logging.getLogger(__name__)

#: domain errors the API reports as client errors, most specific first
DOMAIN_ERRORS: tuple[tuple[type[Exception], int, str], ...] = (
    (DocumentTooLargeError, 413, "document-too-large"),
    (UnsupportedFormatError, 415, "unsupported-document"),
    (ConverterUnavailableError, 415, "unsupported-document"),
    (DocxError, 422, "unreadable-document"),
    (JobRequestError, 400, "invalid-request"),
    (UnknownLanguageError, 400, "unknown-language"),
    (UnknownEngineError, 400, "unknown-engine"),
    (QaPolicyError, 400, "invalid-qa-policy"),
    (PermanentError, 400, "engine-refused"),
    (IllegalTransition, 409, "illegal-transition"),
    (ReviewFileTooLargeError, 413, "document-too-large"),
    (ReviewError, 409, "review-conflict"),
)


class ProblemError(exceptions.APIException):
    """An error with its own problem type, raised by views."""

    def __init__(self, status: int, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.status_code = status
        self.kind = kind


def problem(status: int, kind: str, detail: str, **extra: Any) -> Response:
    body = {
        "type": f"/api/v1/problems/{kind}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }
    return Response(body, status=status, content_type=PROBLEM)


def _kind(exc: exceptions.APIException) -> str:
    return getattr(exc, "kind", None) or str(exc.default_code).replace("_", "-")


def problem_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    for error, status, kind in DOMAIN_ERRORS:
        if isinstance(exc, error):
            return problem(status, kind, str(exc))
    response = exception_handler(exc, context)  # Http404 and PermissionDenied too
    if response is None:
        return _unexpected(exc, context)
    assert isinstance(exc, exceptions.APIException | Http404 | DjangoPermissionDenied)
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        detail, extra = "the request is not valid", {"errors": data}
        kind = "invalid-request"
    else:
        detail = str(data.get("detail", "")) if isinstance(data, dict) else str(data)
        kind = _kind(exc) if isinstance(exc, exceptions.APIException) else "not-found"
        extra = {}
    if isinstance(exc, Http404):
        kind = "not-found"
    result = problem(response.status_code, kind, detail, **extra)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result


def _unexpected(exc: Exception, context: dict[str, Any]) -> Response:
    """An error no handler names. A database that cannot be reached is an outage the
    client may wait out (503); anything else is a bug (500). Neither shows the
    exception's text, which may hold SQL, paths or secrets: the log keeps it, under
    the request id the problem names."""
    set_rollback()
    if isinstance(exc, OperationalError | InterfaceError):
        logger.warning("the database cannot be reached: %s", exc)
        detail = f"the database is unavailable; try again in {DATABASE_RETRY_SECONDS} seconds"
        response = problem(503, "database-unavailable", detail)
        response["Retry-After"] = str(DATABASE_RETRY_SECONDS)
        return response
    if isinstance(exc, StorageUnavailableError):  # retried already (iris/artifacts)
        logger.warning("artifact storage cannot be used: %s", exc)
        detail = f"file storage is unavailable; try again in {STORAGE_RETRY_SECONDS} seconds"
        response = problem(503, "storage-unavailable", detail)
        response["Retry-After"] = str(STORAGE_RETRY_SECONDS)
        return response
    logger.error("unhandled error in an API request", exc_info=exc)
    request = context.get("request")
    # As Django's own 500 handler does: error reporters and the test client hear of it.
    got_request_exception.send(sender=None, request=getattr(request, "_request", request))
    request_id = request_id_var.get() or ""
    detail = f"an unexpected error; the operators find it in the log as request {request_id}"
    return problem(500, "internal-error", detail, request_id=request_id)
