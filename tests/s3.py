"""A real S3-compatible server for tests: ``moto_server`` in a subprocess on loopback,
spoken to over HTTP by boto3 and django-storages exactly as a production bucket is.

``s3_server`` (session) starts it and creates the bucket; ``s3_storage`` switches the
test process's default storage to that bucket for one test and empties it afterwards.
``local_storage``, its local twin, gives one test a storage folder of its own.
Subprocesses (web servers, workers, ``manage.py``) get the same bucket from
``s3_server.env``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import default_storage

from iris import settings as iris_settings
from tests.support import free_port, wait_for

BUCKET = "iris-tests"
REGION = "us-east-1"
#: moto accepts any credentials; these only have to be present
CREDENTIAL = "testing"


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    bucket: str = BUCKET
    region: str = REGION

    @property
    def env(self) -> dict[str, str]:
        """The IRIS_* variables a subprocess needs to keep its artifacts in the bucket."""
        return {
            "IRIS_STORAGE_BACKEND": "s3",
            "IRIS_S3_ENDPOINT_URL": self.endpoint_url,
            "IRIS_S3_BUCKET": self.bucket,
            "IRIS_S3_REGION": self.region,
            "IRIS_S3_ACCESS_KEY_ID": CREDENTIAL,
            "IRIS_S3_SECRET_ACCESS_KEY": CREDENTIAL,
            # moto on loopback has no DNS name per bucket
            "IRIS_S3_ADDRESSING_STYLE": "path",
        }

    @property
    def storages_setting(self) -> dict[str, Any]:
        """STORAGES for a settings override: production's S3 options (iris/settings.py)
        with this server's connection in place of the environment's."""
        production: dict[str, Any] = iris_settings._storage("s3")["OPTIONS"]  # type: ignore[assignment]
        options = {
            **production,
            "bucket_name": self.bucket,
            "endpoint_url": self.endpoint_url,
            "region_name": self.region,
            "access_key": CREDENTIAL,
            "secret_key": CREDENTIAL,
            "client_config": production["client_config"].merge(
                Config(s3={"addressing_style": "path"})
            ),
        }
        return {
            "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
            "staticfiles": iris_settings.STORAGES["staticfiles"],
        }

    def client(self) -> Any:
        """A boto3 client of the server (one attempt per call: tests poll themselves)."""
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id=CREDENTIAL,
            aws_secret_access_key=CREDENTIAL,
            config=Config(
                s3={"addressing_style": "path"},
                retries={"max_attempts": 1},
                connect_timeout=2,
                read_timeout=10,
            ),
        )

    def keys(self, prefix: str = "") -> list[str]:
        pages = (
            self.client()
            .get_paginator("list_objects_v2")
            .paginate(Bucket=self.bucket, Prefix=prefix)
        )
        return [item["Key"] for page in pages for item in page.get("Contents", [])]

    def empty(self) -> None:
        client = self.client()
        for key in self.keys():
            client.delete_object(Bucket=self.bucket, Key=key)


def _answers(server: S3Server) -> bool:
    try:
        server.client().list_buckets()
    except (BotoCoreError, ClientError):
        return False
    return True


def _log_tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:] if log.exists() else ""


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """``moto_server`` on a free loopback port, with the bucket created."""
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto_server.log"
    command = [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "-p", str(port)], stdout=out, stderr=subprocess.STDOUT
        )
    server = S3Server(endpoint_url=f"http://127.0.0.1:{port}")
    try:
        wait_for(lambda: process.poll() is not None or _answers(server), 30, "moto_server start")
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited: {_log_tail(log)}")
        server.client().create_bucket(Bucket=server.bucket)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.fixture
def s3_storage(settings: Any, s3_server: S3Server) -> Iterator[S3Server]:
    """The test process keeps artifacts in the S3 server's bucket for one test."""
    settings.STORAGES = s3_server.storages_setting
    settings.IRIS_STORAGE_BACKEND = "s3"
    settings.IRIS_S3_BUCKET = s3_server.bucket
    settings.IRIS_S3_ENDPOINT_URL = s3_server.endpoint_url
    # Django resets its storages when STORAGES changes: make sure this one did.
    if getattr(default_storage, "bucket_name", None) != s3_server.bucket:
        raise RuntimeError(f"default_storage is still {default_storage!r} after the override")
    try:
        yield s3_server
    finally:
        s3_server.empty()


@pytest.fixture
def local_storage(settings: Any, tmp_path: Path) -> Path:
    """Artifacts in a folder of this test's own (the shared one holds other tests')."""
    location = tmp_path / "artifacts"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    settings.IRIS_STORAGE_BACKEND = "local"
    assert getattr(default_storage, "location", None) == str(location)
    return location
