"""Logging: console plus ``iris.log``, every line tagged with its request or task.

Web lines carry ``req=<id>`` (taken from an incoming ``X-Request-ID`` header or made
fresh, and echoed back in the response); worker lines carry ``task=<name>[<id>]``.
``IRIS_LOG_FORMAT=json`` writes one JSON object per line instead, for aggregators.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
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


class LineFormatter(logging.Formatter):
    """The text line; a download token in a traceback is hidden like one in a message
    (the filter sees only the message, the traceback is formatted here)."""

    def format(self, record: logging.LogRecord) -> str:
        return _tokens_hidden(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``time`` (UTC, ISO 8601), ``level``, ``logger``,
    ``context`` (``req=…``, ``task=…`` or ``-``), ``message``, and ``exception`` /
    ``stack`` when the record has them. JSON escapes newlines, so a traceback stays on
    its record's line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, str] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "context": getattr(record, "context", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # Hidden before encoding: the pattern ends at a quote, so run over the encoded
        # line it could take an escaping backslash and break the JSON.
        return json.dumps({k: _tokens_hidden(v) for k, v in entry.items()}, ensure_ascii=False)


def _tokens_hidden(text: str) -> str:
    return tokens_hidden(text) if "/d/" in text else text


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


FORMATTERS: dict[str, dict[str, Any]] = {
    "text": {"class": "iris.ops.logging.LineFormatter", "format": LOG_FORMAT},
    "json": {"class": "iris.ops.logging.JsonFormatter"},
}


def logging_config(log_dir: Path, *, debug: bool, log_format: str = "text") -> dict[str, Any]:
    """The ``LOGGING`` dict: console and ``<log_dir>/iris.log``, as ``log_format``
    (``text`` or ``json``).

    The file is shared by every process (gunicorn workers, Celery pool children) and
    rotated by one outside actor, the system's logrotate (``deploy/logrotate/iris``),
    never by Iris: a ``RotatingFileHandler`` in each process rotated on its own, so one
    crossing of the limit turned into several rotations and lost history. Each process
    appends (``O_APPEND``), one ``write()`` per record; on a local Linux file system a
    write to a regular file holds the inode lock, so records never interleave whatever
    their length (PIPE_BUF bounds pipes, not files; NFS gives no such promise).
    ``WatchedFileHandler`` checks the path before each record and reopens it once
    logrotate has renamed the file, so logrotate needs no ``copytruncate`` (which loses
    lines) and no signal to the processes.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    level = "DEBUG" if debug else "INFO"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "iris.ops.logging.ContextFilter"}},
        "formatters": {"line": FORMATTERS[log_format]},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["context"],
                "formatter": "line",
            },
            "file": {
                "class": "logging.handlers.WatchedFileHandler",
                "filename": str(log_dir / "iris.log"),
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
