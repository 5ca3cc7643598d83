"""During a database outage readiness does not vouch for the migrations: the answer
the migrations gate keeps from before the outage says nothing about the database now."""

from __future__ import annotations

from pathlib import Path

from tests.support import get_json, migrated_env, web_server


def test_migrations_are_unknown_while_the_database_does_not_answer(tmp_path: Path) -> None:
    env = migrated_env({"IRIS_HEALTH_CACHE_SECONDS": "0"}, tmp_path)
    database = tmp_path / "iris.sqlite3"
    assert database.is_file()
    with web_server(env) as base:
        before = get_json(base + "/health/ready")
        assert before.status == 200, before.body
        assert before.body["checks"]["migrations"]["status"] == "ok"
        database.rename(tmp_path / "iris.sqlite3.away")
        database.mkdir()  # a folder where the file was: SQLite cannot open it
        during = get_json(base + "/health/ready")
    assert during.status == 503, during.body
    checks = during.body["checks"]
    assert checks["database"]["status"] == "error", checks
    assert checks["migrations"] == {
        "status": "error",
        "message": "unknown: the database did not answer",
        "duration_ms": checks["migrations"]["duration_ms"],
    }
    assert checks["storage"]["status"] == "ok"
