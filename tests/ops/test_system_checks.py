"""Contradictory settings are rejected by Django system checks with stable ids."""

from __future__ import annotations

from iris.ops.checks import check_settings
from tests.s3 import S3Server
from tests.support import iris_env, manage


def ids(settings) -> set[str | None]:
    return {message.id for message in check_settings()}


def test_consistent_settings_pass(settings) -> None:
    assert ids(settings) == set()


def test_async_without_broker_is_e001(settings) -> None:
    settings.IRIS_ASYNC = True
    settings.IRIS_BROKER_URL = ""
    assert ids(settings) == {"iris.E001"}


def test_s3_storage_without_bucket_is_e002(settings) -> None:
    settings.IRIS_STORAGE_BACKEND = "s3"
    settings.IRIS_S3_BUCKET = ""
    assert ids(settings) == {"iris.E002"}


def test_s3_storage_with_bucket_passes(settings) -> None:
    settings.IRIS_STORAGE_BACKEND = "s3"
    settings.IRIS_S3_BUCKET = "iris-artifacts"
    assert ids(settings) == set()


def test_soft_limit_above_hard_limit_is_e003(settings) -> None:
    settings.IRIS_TASK_SOFT_TIME_LIMIT = 100
    settings.IRIS_TASK_TIME_LIMIT = 50
    assert "iris.E003" in ids(settings)


def test_wildcard_host_without_debug_is_e004(settings) -> None:
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    assert "iris.E004" in ids(settings)


def test_retention_for_an_unknown_kind_is_e006(settings) -> None:
    settings.IRIS_RETENTION_DAYS_BY_KIND = {"delivery": 90, "deliveries": 90}
    messages = check_settings()
    assert {message.id for message in messages} == {"iris.E006"}
    assert messages[0].msg.endswith("unknown artifact kinds: deliveries.")


def test_retention_for_known_kinds_passes(settings) -> None:
    settings.IRIS_RETENTION_DAYS_BY_KIND = {"delivery": 90, "source": 7}
    assert ids(settings) == set()


def test_manage_check_passes_with_s3_settings(tmp_path, s3_server: S3Server) -> None:
    done = manage("check", env=iris_env(s3_server.env, tmp_path))
    assert done.returncode == 0, done.stderr


def test_manage_check_fails_on_contradiction(tmp_path) -> None:
    done = manage("check", env=iris_env({"IRIS_ASYNC": "true", "IRIS_BROKER_URL": ""}, tmp_path))
    assert done.returncode != 0
    assert "(iris.E001) IRIS_ASYNC is true but IRIS_BROKER_URL is empty." in done.stderr
