"""The readiness probe writes, reads back and removes an object on either backend, and
an S3 service that cannot be reached is reported, not waited for."""

from __future__ import annotations

from django.core.files.storage import default_storage

from iris.ops.health import probe_storage
from tests.s3 import S3Server
from tests.support import closed_port, get_json, iris_env, web_server


def test_probe_round_trips_and_leaves_nothing(backend: str) -> None:
    assert probe_storage(3.0) == f"{backend} round trip"
    assert default_storage.listdir("health")[1] == []


def test_web_server_on_s3_is_ready(tmp_path, s3_server: S3Server) -> None:
    with web_server(iris_env(s3_server.env, tmp_path)) as base:
        reply = get_json(base + "/health/ready")
    storage = reply.body["checks"]["storage"]
    assert (storage["status"], storage["message"]) == ("ok", "s3 round trip")
    assert s3_server.keys("health/") == []


def test_unreachable_s3_is_an_error(tmp_path, s3_server: S3Server) -> None:
    env = {**s3_server.env, "IRIS_S3_ENDPOINT_URL": f"http://127.0.0.1:{closed_port()}"}
    with web_server(iris_env(env, tmp_path)) as base:
        reply = get_json(base + "/health/ready")
    assert reply.status == 503
    storage = reply.body["checks"]["storage"]
    assert storage["status"] == "error"
    assert "Could not connect to the endpoint URL" in storage["message"], storage
