"""Backup and restore as deploy/backup.md tells an operator to do it, with every part
real: jobs run by a Celery worker on PostgreSQL with artifacts in a local folder;
``pg_dump --format=custom`` of the database first, then a copy of the folder; a
``pg_restore`` into a new database and the copy into a new folder; ``manage.py
migrate`` and ``manage.py check_integrity`` against the restored instance; a delivery
downloaded from gunicorn serving it.

And the reverse order fails: a storage copy taken before the dump misses the objects
of a job that finished in between, and the integrity check says which.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from iris.artifacts.links import issue_link
from iris.artifacts.models import Artifact, ArtifactKind
from iris.artifacts.storage import read_artifact
from iris.celery import app
from iris.jobs.models import Job, JobState
from tests.documents import build_document
from tests.jobs.helpers import FINISHED, submit, wait_finished, wait_until
from tests.live_server import LiveWebServer, http, iris_process_env, start_web_server
from tests.support import ROOT, wait_for
from tests.workers import WorkerProcess, database_url, start_worker

pytestmark = pytest.mark.services

TOOLS = ("pg_dump", "pg_restore")


@dataclass(frozen=True)
class Instance:
    """A database and a storage folder that together are one Iris."""

    database: dict[str, Any]
    storage: Path

    def storage_env(self) -> dict[str, str]:
        return {"IRIS_STORAGE_BACKEND": "local", "IRIS_STORAGE_DIR": str(self.storage)}

    def process_variables(self) -> dict[str, str]:
        """What a process (``manage.py``, gunicorn) on this instance is given beyond the
        database. Tasks run in-process: nothing it might enqueue reaches the original
        instance's worker on the shared broker."""
        return {**self.storage_env(), "IRIS_ASYNC": "false"}

    def env(self) -> dict[str, str]:
        return iris_process_env(self.database, self.process_variables())


def restored_worker_env(instance: Instance) -> dict[str, str]:
    # The old instance's leases are abandoned: a short lease lets the sweeper send
    # their tasks again within seconds instead of a minute.
    return {**instance.storage_env(), "IRIS_BATCH_SEGMENTS": "5", "IRIS_TASK_LEASE_SECONDS": "5"}


def require_client_tools() -> None:
    """pg_dump and pg_restore installed, and not older than the server (pg_dump
    refuses to dump a newer server)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        (version_num,) = cursor.fetchone() or ("0",)
    server_major = int(version_num) // 10000
    for tool in TOOLS:
        path = shutil.which(tool)
        if path is None:
            pytest.fail(f"{tool} is missing: install postgresql-client (Debian)")
        version = subprocess.run([path, "--version"], capture_output=True, text=True, check=True)
        found = re.search(r"(\d+)\.\d+", version.stdout)
        assert found, version.stdout
        assert int(found.group(1)) >= server_major, f"{version.stdout} for server {server_major}"


def run(command: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def dump_database(database: dict[str, Any], dump: Path) -> None:
    done = run(["pg_dump", "--format=custom", f"--file={dump}", database_url(database)])
    assert done.returncode == 0, done.stderr


def copy_storage(source: Path, copy: Path) -> None:
    shutil.copytree(source, copy)


def admin_connection(database: dict[str, Any]) -> psycopg.Connection[Any]:
    """A connection to the server's ``postgres`` database, for CREATE/DROP DATABASE."""
    return psycopg.connect(
        host=database.get("HOST") or "127.0.0.1",
        port=database.get("PORT") or 5432,
        user=database.get("USER") or "postgres",
        password=database.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture
def new_database(transactional_db: None) -> Iterator[Callable[[], dict[str, Any]]]:
    """Create empty databases beside the test database (from template0, as pg_restore
    wants); every one is dropped after the test, connections or not."""
    original = dict(connection.settings_dict)
    created: list[str] = []

    def create() -> dict[str, Any]:
        name = f"iris_restored_{uuid.uuid4().hex[:12]}"
        with admin_connection(original) as admin:
            admin.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name))
            )
        created.append(name)
        return {**original, "NAME": name}

    try:
        yield create
    finally:
        with admin_connection(original) as admin:
            for name in created:
                statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                admin.execute(statement.format(sql.Identifier(name)))


def restore(dump: Path, storage_copy: Path, database: dict[str, Any], folder: Path) -> Instance:
    """pg_restore into ``database`` (new, empty), the storage copy into ``folder``, then
    ``manage.py migrate``, which has nothing to do: the code is the dump's version."""
    done = run(
        ["pg_restore", "--no-owner", "--exit-on-error", "-d", database_url(database), str(dump)]
    )
    assert done.returncode == 0, done.stderr
    shutil.copytree(storage_copy, folder)
    instance = Instance(database, folder)
    migrated = manage(instance, "migrate", "--no-input")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert "No migrations to apply." in migrated.stdout, migrated.stdout
    return instance


def manage(instance: Instance, *args: str) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "manage.py", *args], env=instance.env())


def check_integrity(instance: Instance) -> tuple[int, dict[str, Any]]:
    """``manage.py check_integrity --verify-checksums --json`` on ``instance``: its exit
    status and its findings."""
    done = manage(instance, "check_integrity", "--verify-checksums", "--json")
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def admin_token(instance: Instance) -> str:
    done = manage(instance, "iris_user", "create", "restorer", "--role", "admin", "--token")
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip().splitlines()[-1]


def download_delivery(server: LiveWebServer, token: str, job_id: int) -> bytes:
    """The job's delivery through the API's signed link, as a client fetches it; its
    bytes match the sha256 the API lists."""
    reply = http("GET", f"{server.url}/api/v1/jobs/{job_id}/artifacts/", token=token)
    assert reply.status == 200, reply.body
    (delivery,) = [row for row in reply.json() if row["kind"] == ArtifactKind.DELIVERY]
    download = http("GET", delivery["download_url"])
    assert download.status == 200, f"{download.body[:500]!r}\n{server.output()[-3000:]}"
    assert sha256(download.body) == delivery["sha256"]
    return download.body


def remove_orphans(instance: Instance, orphans: list[str]) -> None:
    """deploy/backup.md's step before workers start: no orphan may be adopted."""
    for name in orphans:
        (instance.storage / name).unlink()


def job_state(instance: Instance, job_id: int) -> str:
    """The job's state in the instance's database, read as any client of it would."""
    with psycopg.connect(database_url(instance.database)) as conn:
        table = sql.Identifier(Job._meta.db_table)
        query = sql.SQL("SELECT state FROM {} WHERE id = %s").format(table)
        row = conn.execute(query, (job_id,)).fetchone()
    assert row is not None, f"job {job_id} is not in the restored database"
    return str(row[0])


def wait_completed(instance: Instance, job_id: int, worker: WorkerProcess) -> None:
    def completed() -> bool:
        state = job_state(instance, job_id)
        assert state not in FINISHED - {JobState.COMPLETED}, worker.output()[-5000:]
        return state == JobState.COMPLETED

    wait_for(completed, 120, f"job {job_id} completed on the restored instance")


def completed_jobs(*jobs: Job) -> list[Job]:
    finished = [wait_finished(job) for job in jobs]
    assert all(job.state == JobState.COMPLETED for job in finished), [j.error for j in finished]
    return finished


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_dump_then_storage_copy_restores_every_object_and_a_delivery_downloads(
    worker_factory, local_storage: Path, new_database, tmp_path: Path
) -> None:
    require_client_tools()
    original = Instance(dict(connection.settings_dict), local_storage)
    original_worker = worker_factory(IRIS_BATCH_SEGMENTS="5", **original.storage_env())
    done = completed_jobs(*submit(build_document(paragraphs=8), "fr", "de"))
    deliveries = {job.pk: job.artifacts.get(kind=ArtifactKind.DELIVERY) for job in done}
    link_before_backup = issue_link(deliveries[done[0].pk])
    # A job still writing objects while the backup runs, as in production.
    (running,) = submit(build_document(paragraphs=40, seed=11), "es", delay_ms="400")
    wait_until(running, lambda j: j.state == JobState.TRANSLATING)

    dump = tmp_path / "iris.dump"
    dump_database(original.database, dump)
    copy_storage(local_storage, tmp_path / "storage-backup")
    running.refresh_from_db()
    assert running.state not in FINISHED, "the job finished before the backup: nothing in flight"

    restored = restore(
        dump, tmp_path / "storage-backup", new_database(), tmp_path / "storage-restored"
    )
    status, findings = check_integrity(restored)
    assert findings["missing_objects"] == [], findings
    assert findings["checksum_mismatches"] == [], findings
    assert findings["completed_without_delivery"] == [], findings
    assert findings["checksums_verified"] is True
    assert status == 0, findings
    # The restored rows are the backed-up ones: every artifact of the finished jobs.
    assert findings["live_artifacts"] >= Artifact.objects.filter(job__in=done).count()

    server = start_web_server(restored.database, tmp_path, restored.process_variables())
    try:
        token = admin_token(restored)
        for job in done:
            body = download_delivery(server, token, job.pk)
            assert body == read_artifact(deliveries[job.pk])  # the original instance's bytes
        # A link issued before the backup still works: same rows, same IRIS_SECRET_KEY.
        old = http("GET", server.url + link_before_backup.url)
        assert old.status == 200, old.body
        assert sha256(old.body) == deliveries[done[0].pk].sha256

        # The restored instance carries on: the job running at the backup finishes
        # there, its tasks sent again from the restored outbox.
        original_worker.stop()
        app.control.purge()  # the shared broker: nothing of the original may reach it
        remove_orphans(restored, findings["orphan_objects"])
        worker = start_worker(restored.database, tmp_path, env=restored_worker_env(restored))
        try:
            wait_completed(restored, running.pk, worker)
        finally:
            worker.stop()
        status, findings = check_integrity(restored)
        assert findings["orphan_objects"] == [], findings
        assert status == 0, findings
        download_delivery(server, token, running.pk)
    finally:
        server.stop()


def test_storage_copied_before_the_dump_misses_objects_and_the_check_says_which(
    worker_factory, local_storage: Path, new_database, tmp_path: Path
) -> None:
    require_client_tools()
    original = Instance(dict(connection.settings_dict), local_storage)
    worker_factory(**original.storage_env())
    completed_jobs(*submit(build_document(paragraphs=6), "fr"))

    copy_storage(local_storage, tmp_path / "storage-backup")  # the wrong order
    (between,) = completed_jobs(*submit(build_document(paragraphs=6, seed=3), "de"))
    dump = tmp_path / "iris.dump"
    dump_database(original.database, dump)

    restored = restore(
        dump, tmp_path / "storage-backup", new_database(), tmp_path / "storage-restored"
    )
    status, findings = check_integrity(restored)
    lost = sorted(Artifact.objects.filter(job=between).values_list("pk", flat=True))
    assert lost, "the job finished in between stored nothing"
    assert findings["missing_objects"] == lost, findings
    assert findings["damaged"] is True
    assert status == 1, findings
