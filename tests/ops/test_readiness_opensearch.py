"""The OpenSearch readiness check against a local server replaying the documented
``GET /_cluster/health`` answers (no OpenSearch server can be installed here)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.support import get_json, iris_env, migrated_env, web_server


def cluster_health(status: str) -> dict[str, object]:
    return {
        "cluster_name": "iris-test",
        "status": status,
        "timed_out": False,
        "number_of_nodes": 1,
        "number_of_data_nodes": 1,
        "active_primary_shards": 3,
        "active_shards": 3,
        "relocating_shards": 0,
        "initializing_shards": 0,
        "unassigned_shards": 0,
    }


@pytest.fixture
def opensearch() -> Iterator[tuple[str, dict[str, object]]]:
    state: dict[str, object] = {"status": "green", "seen": []}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state["seen"].append((self.path, self.headers.get("Authorization")))  # type: ignore[attr-defined]
            body = json.dumps(cluster_health(str(state["status"]))).encode()
            self.send_response(200 if self.path == "/_cluster/health" else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://admin:secret@127.0.0.1:{server.server_port}", state
    finally:
        server.shutdown()


def test_green_cluster_is_ok_and_credentials_are_sent(opensearch, tmp_path) -> None:
    url, state = opensearch
    with web_server(migrated_env({"IRIS_OPENSEARCH_URL": url}, tmp_path)) as base:
        reply = get_json(base + "/health/ready")
    assert reply.status == 200, reply.body
    assert reply.body["checks"]["opensearch"]["status"] == "ok"
    assert "iris-test is green" in reply.body["checks"]["opensearch"]["message"]
    assert state["seen"] == [("/_cluster/health", "Basic YWRtaW46c2VjcmV0")]


def test_red_cluster_is_an_error(opensearch, tmp_path) -> None:
    url, state = opensearch
    state["status"] = "red"
    with web_server(iris_env({"IRIS_OPENSEARCH_URL": url}, tmp_path)) as base:
        reply = get_json(base + "/health/ready")
    assert reply.status == 503
    assert "cluster status is 'red'" in reply.body["checks"]["opensearch"]["message"]
