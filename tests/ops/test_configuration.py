"""Bad configuration stops the process at start-up with a message naming the variable."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support import ROOT, iris_env

START = "import django; django.setup(); print('started')"


def start(tmp_path, **overrides: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", START],
        cwd=ROOT,
        env=iris_env(overrides, tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_defaults_start(tmp_path) -> None:
    done = start(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "started" in done.stdout


@pytest.mark.parametrize("value", ["maybe", "2", "yes please", "tru"])
def test_bad_boolean_is_an_error(tmp_path, value: str) -> None:
    done = start(tmp_path, IRIS_DEBUG=value)
    assert done.returncode != 0
    assert "IRIS_DEBUG: expected a boolean" in done.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("IRIS_DATABASE_URL", "not a url"),
        ("IRIS_DATABASE_URL", "mysql://root@localhost/iris"),
        ("IRIS_BROKER_URL", "http://localhost:6379"),
        ("IRIS_OPENSEARCH_URL", "localhost:9200"),
    ],
)
def test_bad_url_is_an_error(tmp_path, name: str, value: str) -> None:
    done = start(tmp_path, **{name: value})
    assert done.returncode != 0
    assert f"{name}: " in done.stderr
    assert "is not a URL" in done.stderr


def test_debug_off_without_secret_key_refuses_to_start(tmp_path) -> None:
    done = start(tmp_path, IRIS_SECRET_KEY="", IRIS_DEBUG="false")
    assert done.returncode != 0
    assert "IRIS_SECRET_KEY: must be set when IRIS_DEBUG is off" in done.stderr


def test_debug_on_without_secret_key_starts(tmp_path) -> None:
    done = start(tmp_path, IRIS_SECRET_KEY="", IRIS_DEBUG="true")
    assert done.returncode == 0, done.stderr


def test_unknown_storage_backend_is_an_error(tmp_path) -> None:
    done = start(tmp_path, IRIS_STORAGE_BACKEND="ftp")
    assert done.returncode != 0
    assert "IRIS_STORAGE_BACKEND: 'ftp' is not one of local, s3" in done.stderr
