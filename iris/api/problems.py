"""Every API error as RFC 9457 ``application/problem+json``, from this one handler."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from iris.docx import DocxError
from iris.engines.base import PermanentError
from iris.engines.registry import UnknownEngineError
from iris.formats.errors import ConverterUnavailableError, UnsupportedFormatError
from iris.jobs.actions import DocumentTooLargeError, JobRequestError
from iris.jobs.languages import UnknownLanguageError
from iris.jobs.states import IllegalTransition
from iris.qa.checks.policy import QaPolicyError
from iris.review.actions import ReviewError, ReviewFileTooLargeError

PROBLEM = "application/problem+json"

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
        return None  # a bug: Django's 500 handler and the error log take it
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
