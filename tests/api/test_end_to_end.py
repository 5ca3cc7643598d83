"""The round trip the README shows, with every part real: a token from ``manage.py
iris_user``, an upload over HTTP to gunicorn, a Celery worker translating on
PostgreSQL, the delivery stored in an S3 bucket (moto), downloaded through its signed
link without credentials, and the download in the audit trail."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import zipfile
from typing import Any

import pytest
from django.db import connection

from iris.artifacts.models import Artifact
from tests.live_server import LiveWebServer, http, iris_process_env, upload_report
from tests.support import ROOT, wait_for

pytestmark = pytest.mark.services

FINISHED_BADLY = {"failed", "cancelled", "rejected"}


def create_token_on_the_command_line() -> str:
    """``manage.py iris_user create … --token``, as an operator runs it: the secret is
    the last line of its output."""
    command = [sys.executable, "manage.py", "iris_user", "create", "e2e"]
    command += ["--role", "manager", "--team", "t", "--token"]
    run = subprocess.run(
        command,
        cwd=ROOT,
        env=iris_process_env(dict(connection.settings_dict), {}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout.strip().splitlines()[-1]


def follow(server: LiveWebServer, token: str, job_id: int) -> dict[str, Any]:
    """Poll the job until it completes (a job that ends otherwise fails at once)."""
    seen: dict[str, Any] = {}

    def completed() -> bool:
        reply = http("GET", f"{server.url}/api/v1/jobs/{job_id}/", token=token)
        assert reply.status == 200, reply.body
        seen.update(reply.json())
        assert seen["state"] not in FINISHED_BADLY, seen
        return bool(seen["state"] == "completed")

    wait_for(completed, 120, f"job {job_id} completed")
    return seen


def test_upload_follow_and_download_through_the_api_with_s3(
    s3_server, worker_factory, live_web_server_factory
) -> None:
    worker_factory(**s3_server.env)
    server = live_web_server_factory(**s3_server.env)
    token = create_token_on_the_command_line()

    job = upload_report(server.url, token)
    assert job["team"] == "t"
    assert job["engine"] == "pseudo"
    detail = follow(server, token, job["id"])

    reply = http("GET", f"{server.url}/api/v1/jobs/{job['id']}/artifacts/", token=token)
    assert reply.status == 200, reply.body
    artifacts = {row["kind"]: row for row in reply.json()}
    delivery = artifacts["delivery"]
    assert delivery["sha256"] == detail["delivery"]["sha256"]

    download = http("GET", delivery["download_url"])  # the link alone: no Authorization
    assert download.status == 200, download.body
    assert hashlib.sha256(download.body).hexdigest() == delivery["sha256"]
    assert len(download.body) == delivery["size"]
    with zipfile.ZipFile(io.BytesIO(download.body)) as package:
        assert "word/document.xml" in package.namelist()
    assert "attachment" in download.headers["Content-Disposition"]

    stored = Artifact.objects.get(pk=delivery["id"])
    assert s3_server.keys(prefix=stored.storage_name) == [stored.storage_name]
    body = s3_server.client().get_object(Bucket=s3_server.bucket, Key=stored.storage_name)
    assert hashlib.sha256(body["Body"].read()).hexdigest() == delivery["sha256"]

    reply = http("GET", f"{server.url}/api/v1/audit/?action=artifact.downloaded", token=token)
    assert reply.status == 200, reply.body
    records = [r for r in reply.json()["results"] if r["object_id"] == str(delivery["id"])]
    assert len(records) == 1, records
    (record,) = records
    assert record["source_ip"] == "127.0.0.1"
    assert record["after"]["outcome"] == "served"
    assert record["actor_label"] == "anonymous"
