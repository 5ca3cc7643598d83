"""Every request leaves a line with its request id in var/logs/iris.log."""

from __future__ import annotations

import logging
import uuid

from iris.ops.logging import ContextFilter
from tests.support import get_json, iris_env, web_server


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
    token = "eyJhIjoyfQ:1xXvK3:kcGhD3WjB_2vySjZn3GPU4Mq2JggR8oGQdnIdAr_zJg"
    for message, args in (
        ("%s %s %s %.1fms", ("GET", f"/d/{token}", 200, 3.0)),  # the access line
        ("Forbidden: %s", (f"/d/{token}",)),  # django.request's own warning
    ):
        record = logging.LogRecord("iris.request", logging.INFO, __file__, 1, message, args, None)
        assert ContextFilter().filter(record)
        assert token not in record.getMessage()
        assert "/d/***" in record.getMessage()
