"""The broker goes away mid-job and comes back empty: every job still completes, with
the delivery an uninterrupted run gives and its engine usage counted once.

Real processes throughout: a private ``redis-server`` (no persistence, so a restart
loses every queued message, as the hostile test found), a ``celery worker`` and the
``iris translate`` command, on the test database. The test process never talks to the
private broker; it watches the database.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from iris.jobs.models import Batch, BatchState, Job, JobState, Origin, OutboxMessage
from iris.jobs.usage import job_usage
from tests.documents import build_large_document
from tests.jobs.helpers import delivery, document_xml, forget_translations, run_eager
from tests.support import ROOT, iris_env, wait_for
from tests.workers import database_url

pytestmark = pytest.mark.services

TARGETS = ("fr", "de", "es")
OUTAGE_SECONDS = 20
RECOVERY_SECONDS = 60


class PrivateRedis:
    """A redis-server on its own port that keeps nothing on disk."""

    def __init__(self, folder: Path) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed (scripts/system-deps.sh installs it)"
        self.binary = binary
        self.folder = folder
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _answers(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            return True
        except OSError:
            return False

    def start(self) -> None:
        options = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), *options, "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, 30, "redis-server start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        wait_for(lambda: not self._answers(), 30, "redis-server stop")


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_jobs_complete_after_the_broker_comes_back_empty(
    worker_factory, redis: PrivateRedis, settings, tmp_path: Path
) -> None:
    data = build_large_document(paragraphs=100)
    uninterrupted = {target: document_xml(run_eager(settings, data, target)) for target in TARGETS}
    forget_translations()  # so that nothing below can reuse their translations

    shared = {
        "IRIS_DATABASE_URL": database_url(dict(connection.settings_dict)),
        "IRIS_BROKER_URL": redis.url,
        # About 35 batches a job: enough to be caught midway, while what is left after
        # the outage takes a fraction of the 60 s the jobs have to complete (with 84
        # batches a job, the work left alone took 40 to 59 s of it on 2 CPUs).
        "IRIS_BATCH_SEGMENTS": "10",
        "IRIS_STORAGE_DIR": str(settings.IRIS_STORAGE_DIR),
    }
    worker_factory(**shared)
    source = tmp_path / "outage.docx"
    source.write_bytes(data)
    command = [sys.executable, "-m", "iris.cli", "translate", str(source), "-q"]
    command += [arg for target in TARGETS for arg in ("--to", target)]
    command += ["--from", "en", "--engine-option", "delay_ms=300", "-o", str(tmp_path / "out")]
    cli = subprocess.Popen(
        command,
        cwd=ROOT,
        env=iris_env({**shared, "IRIS_ASYNC": "true"}, tmp_path / "var"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def jobs() -> list[Job]:  # read anew each time
        return list(Job.objects.filter(source_name="outage.docx"))

    def midway() -> bool:
        batches = Batch.objects.filter(job__source_name="outage.docx")
        done = batches.filter(state=BatchState.DONE).count()
        left = batches.exclude(state=BatchState.DONE).count()
        return len(jobs()) == len(TARGETS) and done >= 3 and left >= 10

    wait_for(midway, 120, "jobs under way")

    redis.stop()
    time.sleep(OUTAGE_SECONDS)  # the outage itself, not a wait for a state
    redis.start()
    back = time.monotonic()

    wait_for(
        lambda: all(job.state == JobState.COMPLETED for job in jobs()),
        RECOVERY_SECONDS,
        "every job completed after the broker came back",
    )
    assert time.monotonic() - back <= RECOVERY_SECONDS
    out, err = cli.communicate(timeout=60)
    assert cli.returncode == 0, (out, err)
    for job in jobs():
        assert document_xml(delivery(job)) == uninterrupted[job.target_lang]
        billed = job_usage(job.pk).characters
        translated = sum(len(s.source) for s in job.segments.filter(origin=Origin.ENGINE))
        assert billed == translated, f"usage of job {job.pk} counted {billed} for {translated}"
    # The last task deletes its row just after committing the job's completion.
    wait_for(lambda: not OutboxMessage.objects.exists(), 30, "every task's outbox row gone")
