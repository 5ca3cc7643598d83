"""Every request leaves a line with its request id in var/logs/iris.log, as text or
JSON, with download tokens hidden; a rejected document leaves one line."""

from __future__ import annotations

import json
import logging
import sys
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta

import pytest

from iris.jobs.models import JobState
from iris.ops.logging import LOG_FORMAT, ContextFilter, JsonFormatter, LineFormatter
from tests.jobs.helpers import submit, wait_finished
from tests.reliability.test_rejected_documents import _outside
from tests.support import get_json, iris_env, web_server

TOKEN = "eyJhIjoyfQ:1xXvK3:kcGhD3WjB_2vySjZn3GPU4Mq2JggR8oGQdnIdAr_zJg"


def test_request_line_with_request_id_in_log_file(tmp_path) -> None:
    log_dir = tmp_path / "logs"
    env = iris_env({"IRIS_LOG_DIR": str(log_dir)}, tmp_path / "var")
    with web_server(env) as base:
        given = get_json(base + "/health/live", headers={"X-Request-ID": "trace-abc.123"})
        fresh = get_json(base + "/health/live")
    log = (log_dir / "iris.log").read_text()
    assert given.headers["X-Request-ID"] == "trace-abc.123"
    assert "[req=trace-abc.123] GET /health/live 200" in log
    generated = fresh.headers["X-Request-ID"]
    assert uuid.UUID(generated).hex == generated
    assert f"[req={generated}] GET /health/live 200" in log


def test_unsafe_request_id_is_replaced(tmp_path) -> None:
    env = iris_env({"IRIS_LOG_DIR": str(tmp_path / "logs")}, tmp_path / "var")
    with web_server(env) as base:
        reply = get_json(base + "/health/live", headers={"X-Request-ID": "bad id\twith tab"})
    assert reply.headers["X-Request-ID"] != "bad id\twith tab"
    assert len(reply.headers["X-Request-ID"]) == 32


def test_download_link_tokens_never_reach_a_log_line() -> None:
    token = TOKEN
    for message, args in (
        ("%s %s %s %.1fms", ("GET", f"/d/{token}", 200, 3.0)),  # the access line
        ("Forbidden: %s", (f"/d/{token}",)),  # django.request's own warning
    ):
        record = logging.LogRecord("iris.request", logging.INFO, __file__, 1, message, args, None)
        assert ContextFilter().filter(record)
        assert token not in record.getMessage()
        assert "/d/***" in record.getMessage()


def _record(message: str, args: tuple[object, ...], exc_info=None) -> logging.LogRecord:
    record = logging.LogRecord("iris.test", logging.ERROR, __file__, 1, message, args, exc_info)
    assert ContextFilter().filter(record)
    return record


def _failure(text: str):
    try:
        raise ValueError(text)
    except ValueError:
        return sys.exc_info()


def test_a_json_record_is_one_line_with_its_fields_and_no_token() -> None:
    record = _record("fetch %s failed", (f"/d/{TOKEN}",), _failure(f'no "/d/{TOKEN}"\nhere'))
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert set(entry) == {"time", "level", "logger", "context", "message", "exception"}
    assert datetime.fromisoformat(entry["time"]).utcoffset() == timedelta(0)
    assert abs(datetime.fromisoformat(entry["time"]).timestamp() - record.created) < 0.001
    assert (entry["level"], entry["logger"], entry["context"]) == ("ERROR", "iris.test", "-")
    assert entry["message"] == "fetch /d/*** failed"
    assert entry["exception"].startswith("Traceback (most recent call last):")
    assert entry["exception"].endswith('ValueError: no "/d/***"\nhere')
    assert TOKEN not in line


def test_a_text_line_hides_a_token_in_its_traceback() -> None:
    record = _record("fetch failed", (), _failure(f"no /d/{TOKEN} here"))
    line = LineFormatter(LOG_FORMAT).format(record)
    assert "ValueError: no /d/*** here" in line
    assert TOKEN not in line


def _fetch(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_json_format_in_a_web_process(tmp_path) -> None:
    log_dir = tmp_path / "logs"
    env = iris_env({"IRIS_LOG_DIR": str(log_dir), "IRIS_LOG_FORMAT": "json"}, tmp_path / "var")
    with web_server(env) as base:
        get_json(base + "/health/live", headers={"X-Request-ID": "trace-json"})
        _fetch(base + f"/d/{TOKEN}")  # refused, or failing for want of migrations: logged
    text = (log_dir / "iris.log").read_text()
    entries = [json.loads(line) for line in text.splitlines()]
    access = {e["message"].split(" ")[1]: e for e in entries if e["logger"] == "iris.request"}
    traced = [e for e in entries if e["context"] == "req=trace-json"]
    assert [e["message"].rsplit(" ", 1)[0] for e in traced] == ["GET /health/live 200"]
    assert traced[0]["level"] == "INFO"
    assert "/d/***" in access
    assert TOKEN not in text


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.mark.django_db(transaction=True)
def test_a_rejected_document_leaves_one_line_without_its_content() -> None:
    kept, logger = _Kept(), logging.getLogger("iris.jobs.actions")
    logger.addHandler(kept)
    try:
        (job,) = submit(_outside(), "fr")
    finally:
        logger.removeHandler(kept)
    assert wait_finished(job).state == JobState.REJECTED
    (record,) = [r for r in kept.records if "rejected" in r.getMessage()]
    line = record.getMessage()
    assert record.levelno == logging.INFO
    assert line.startswith(f"job {job.pk} rejected in docx_extract: ")
    assert "outside the document" in line
    assert "\n" not in line
    assert "Quarterly service report" not in line  # the document's own title and text
