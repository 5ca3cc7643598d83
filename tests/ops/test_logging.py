"""Every request leaves a line with its request id in var/logs/iris.log."""

from __future__ import annotations

import uuid

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
