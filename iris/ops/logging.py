"""Logging: console plus a rotating file, every line tagged with its request or task.

Web lines carry ``req=<id>`` (taken from an incoming ``X-Request-ID`` header or made
fresh, and echoed back in the response); worker lines carry ``task=<name>[<id>]``.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse

from iris.ops.redact import tokens_hidden

request_id_var: ContextVar[str | None] = ContextVar("iris_request_id", default=None)
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
access_log = logging.getLogger("iris.request")

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(context)s] %(message)s"


class ContextFilter(logging.Filter):
    """Adds ``record.context``: the request id in web processes, the task in workers;
    hides the tokens of download links (the access line and Django's own warnings
    name the path, and a logged token would be a working link)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.context = _current_context()
        message = record.getMessage()
        if "/d/" in message:
            record.msg, record.args = tokens_hidden(message), None
        return True


def _current_context() -> str:
    request_id = request_id_var.get()
    if request_id:
        return f"req={request_id}"
    from celery import current_task  # imported late: web processes rarely need it

    if current_task and current_task.request.id:  # the proxy is falsy outside a task
        return f"task={current_task.name}[{current_task.request.id}]"
    return "-"


class RequestIdMiddleware:
    """Gives every request an id, logs one access line and returns the id as a header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            elapsed_ms = (time.monotonic() - started) * 1000
            access_log.info(
                "%s %s %s %.1fms",
                request.method,
                request.path,
                response.status_code,
                elapsed_ms,
            )
            response["X-Request-ID"] = request_id
            return response
        finally:
            request_id_var.reset(token)


def logging_config(log_dir: Path, *, debug: bool) -> dict[str, Any]:
    """The ``LOGGING`` dict: console and ``<log_dir>/iris.log`` (rotating, 10 MB x 5)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    level = "DEBUG" if debug else "INFO"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "iris.ops.logging.ContextFilter"}},
        "formatters": {"line": {"format": LOG_FORMAT}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["context"],
                "formatter": "line",
            },
            "file": {
                "class": "logging.handlers.RotatingFileHandler",
                "filename": str(log_dir / "iris.log"),
                "maxBytes": 10 * 1024 * 1024,
                "backupCount": 5,
                "encoding": "utf-8",
                "filters": ["context"],
                "formatter": "line",
            },
        },
        "root": {"handlers": ["console", "file"], "level": level},
        "loggers": {
            # Django's own request logger duplicates our access line for errors only.
            "django": {"level": "INFO", "propagate": True},
            # Template variable lookups at DEBUG level drown everything else.
            "django.template": {"level": "INFO"},
            "django.db.backends": {"level": "INFO"},
        },
    }
