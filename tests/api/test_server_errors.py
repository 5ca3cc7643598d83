"""An error the API did not expect is a problem too, never Django's HTML page: a
database that cannot be reached is 503 with Retry-After, anything else a 500 that
names the request id and keeps the exception's text to the log."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.api.broken_urls import SECRET_TEXT
from tests.api.uploads import JOBS, assert_problem
from tests.support import closed_port, get_json, iris_env, web_server


@pytest.mark.urls("tests.api.broken_urls")
def test_an_unhandled_error_is_a_500_problem_with_the_request_id(db: Any) -> None:
    client = APIClient(raise_request_exception=False)
    response = client.get("/api/v1/broken/", HTTP_X_REQUEST_ID="req-4711")
    body = assert_problem(response, 500, "internal-error")
    assert body["request_id"] == "req-4711" == response["X-Request-ID"]
    assert "req-4711" in body["detail"]
    assert SECRET_TEXT not in response.content.decode()
    assert "RuntimeError" not in response.content.decode()


def test_an_unreachable_database_is_a_503_problem(tmp_path: Any) -> None:
    """A real outage: gunicorn on PostgreSQL at a port nothing listens on. The token
    lookup (authentication, before any view) is the first query of the request."""
    url = f"postgres://postgres@127.0.0.1:{closed_port()}/iris"
    headers = {"Authorization": "Bearer iris_00000000_not-a-real-token"}
    with web_server(iris_env({"IRIS_DATABASE_URL": url}, tmp_path)) as base:
        reply = get_json(base + JOBS, headers)
    assert reply.status == 503, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert int(reply.headers["Retry-After"]) > 0
    assert reply.body["type"] == "/api/v1/problems/database-unavailable"
    assert "database is unavailable" in reply.body["detail"]
    assert "Connection refused" not in reply.body["detail"]
