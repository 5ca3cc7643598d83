"""/health/live and /health/ready against real dependencies, healthy and broken."""

from __future__ import annotations

import importlib.util
import time

import pytest
from django.test import Client

from tests.support import closed_port, get_json, iris_env, migrated_env, web_server

CHECK_NAMES = {"database", "migrations", "storage", "aspose", "broker", "opensearch"}


def test_live_answers_ok(client: Client) -> None:
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.everywhere
@pytest.mark.django_db
def test_ready_all_ok_on_a_healthy_setup(client: Client, settings) -> None:
    response = client.get("/health/ready")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == CHECK_NAMES
    for name, check in body["checks"].items():
        enabled = {
            "database": True,
            "migrations": True,
            "storage": True,
            "aspose": settings.IRIS_ASPOSE_ENABLED,
            "broker": settings.IRIS_ASYNC,
            "opensearch": bool(settings.IRIS_OPENSEARCH_URL),
        }
        assert check["status"] == ("ok" if enabled[name] else "disabled"), (name, check)
        assert isinstance(check["duration_ms"], float | int)
        assert check["message"]


def test_opensearch_and_aspose_disabled_by_default(tmp_path) -> None:
    with web_server(migrated_env({}, tmp_path)) as base:
        reply = get_json(base + "/health/ready")
    assert reply.status == 200, reply.body
    checks = reply.body["checks"]
    assert checks["opensearch"]["status"] == "disabled"
    assert checks["aspose"]["status"] == "disabled"
    assert checks["broker"]["status"] == "disabled"


def test_database_error_is_503_within_5s(tmp_path) -> None:
    url = f"postgres://postgres@127.0.0.1:{closed_port()}/iris"
    with web_server(iris_env({"IRIS_DATABASE_URL": url}, tmp_path)) as base:
        started = time.monotonic()
        reply = get_json(base + "/health/ready")
        elapsed = time.monotonic() - started
    assert reply.status == 503
    assert elapsed < 5, elapsed
    assert reply.body["status"] == "error"
    assert reply.body["checks"]["database"]["status"] == "error"
    assert "Connection refused" in reply.body["checks"]["database"]["message"]
    assert reply.body["checks"]["storage"]["status"] == "ok"


@pytest.mark.services
@pytest.mark.parametrize(
    ("database", "cause"),
    [("iris_no_such_database", 'database "iris_no_such_database" does not exist')],
)
def test_database_error_names_its_cause(tmp_path, database: str, cause: str) -> None:
    url = f"postgres://postgres@127.0.0.1:5432/{database}"
    with web_server(iris_env({"IRIS_DATABASE_URL": url}, tmp_path)) as base:
        reply = get_json(base + "/health/ready")
    assert reply.status == 503
    assert cause in reply.body["checks"]["database"]["message"]


def test_broker_error_when_async_and_broker_dead(tmp_path) -> None:
    env = {"IRIS_ASYNC": "true", "IRIS_BROKER_URL": f"redis://127.0.0.1:{closed_port()}/0"}
    with web_server(iris_env(env, tmp_path)) as base:
        started = time.monotonic()
        reply = get_json(base + "/health/ready")
        elapsed = time.monotonic() - started
    assert reply.status == 503
    assert elapsed < 5, elapsed
    broker = reply.body["checks"]["broker"]
    assert broker["status"] == "error"
    assert "refused" in broker["message"].lower() or "connect" in broker["message"].lower()


def test_storage_error_when_folder_read_only(tmp_path) -> None:
    storage = tmp_path / "artifacts"
    env = iris_env({"IRIS_STORAGE_DIR": str(storage)}, tmp_path / "var")
    with web_server(env, read_only=storage) as base:
        reply = get_json(base + "/health/ready")
    assert reply.status == 503
    assert reply.body["checks"]["storage"]["status"] == "error"
    assert reply.body["checks"]["database"]["status"] == "ok"


def test_aspose_error_reported_from_child_process(tmp_path) -> None:
    # Aspose is an optional extra; without it (or with a runtime that cannot start)
    # the check must report the child's error, never take the server down.
    with web_server(iris_env({"IRIS_ASPOSE_ENABLED": "true"}, tmp_path)) as base:
        reply = get_json(base + "/health/ready")
        assert get_json(base + "/health/live").status == 200
    aspose = reply.body["checks"]["aspose"]
    assert importlib.util.find_spec("aspose") is None, "this test expects Aspose not installed"
    assert reply.status == 503
    assert aspose["status"] == "error"
    assert aspose["message"].startswith("RuntimeError: exit 1")
    assert "aspose" in aspose["message"]


@pytest.mark.services
def test_broker_ok_with_rabbitmq(tmp_path) -> None:
    # RabbitMQ is the other supported broker; CI machines run it on 5672.
    env = {"IRIS_ASYNC": "true", "IRIS_BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//"}
    with web_server(migrated_env(env, tmp_path)) as base:
        reply = get_json(base + "/health/ready")
    assert reply.body["checks"]["broker"]["status"] == "ok", reply.body
    assert reply.status == 200
