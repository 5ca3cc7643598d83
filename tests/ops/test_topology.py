"""The production topology, run as shipped: ``honcho -f deploy/Procfile start`` on
PostgreSQL through PgBouncer (transaction mode) and Redis — web (gunicorn with
deploy/gunicorn.conf.py), the documents, translation and control worker families and
beat. Three documents are uploaded through the API; the translation family is
SIGKILLed in the middle of a batch and started again, and web is reloaded (HUP) while
the jobs run. Every job completes, each delivery equals an eager run's, usage is
billed once per segment translated, nothing is lost, and the maintenance tick ran.

honcho stops every process when one exits, so the translation family runs under a
honcho of its own (``honcho start translation``, as on a machine of its own) and the
rest under another.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from iris.governance.actions import SYSTEM_ACTOR
from iris.governance.models import Role
from iris.governance.tokens import create_token
from iris.governance.users import create_user
from iris.jobs.models import BatchState, Job, JobState, Origin
from iris.jobs.usage import job_usage
from iris.ops.models import MaintenanceRun
from tests.documents import build_large_document
from tests.jobs.helpers import delivery, document_xml, forget_translations, run_eager
from tests.live_server import http, iris_process_env, upload_report
from tests.pgbouncer import PgBouncer
from tests.support import ROOT, free_port, wait_for

pytestmark = pytest.mark.services

#: small batches (many of them, so a kill lands mid-run) and a short lease, so the
#: killed family's batches are sent again within seconds (production: 60 s)
TOPOLOGY_ENV = {
    "IRIS_BATCH_SEGMENTS": "4",
    "IRIS_TASK_LEASE_SECONDS": "10",
    "IRIS_OUTBOX_SWEEP_SECONDS": "1",
    "IRIS_OUTBOX_RESEND_SECONDS": "5",
    "IRIS_MAINTENANCE_SECONDS": "3",
    "GUNICORN_WORKERS": "2",
    "IRIS_API_THROTTLE": "100000/minute",  # the test polls jobs several times a second
}
#: three documents, each into its own language: no job is served another's answers
#: from the engine cache, so each pays for exactly what it translated
DOCUMENTS = ((11, "fr"), (12, "de"), (13, "es"))
#: per batch, so that the translation family is caught holding one
DELAY_MS = 300
FINISHED = {"completed", "failed", "cancelled", "rejected"}


@dataclass
class Honcho:
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def pid_of(self, name: str) -> int:
        """The pid (and process group) of a Procfile process, from honcho's own line
        ``<name>.1 started (pid=N)``."""
        for line in self.output().splitlines():
            if f"{name}.1 started (pid=" in line:
                return int(line.rsplit("pid=", 1)[1].rstrip(")"))
        raise AssertionError(f"honcho did not start {name}:\n{self.output()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # honcho stops its processes
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)


def start_honcho(env: dict[str, str], folder: Path, *processes: str) -> Honcho:
    log = folder / f"honcho-{'-'.join(processes) or 'all'}-{free_port()}.log"
    command = [str(Path(sys.executable).parent / "honcho"), "-f", "deploy/Procfile"]
    # -e: no .env of the checkout's; the test's environment is the whole configuration
    command += ["--no-colour", "start", "-e", os.devnull, *processes]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Honcho(process, log)


def topology_env(bouncer: PgBouncer, folder: Path, port: int) -> dict[str, str]:
    """Every process's environment: the test database through PgBouncer, the test
    broker and secret key, the test process's storage folder, its own var folder."""
    env = iris_process_env(dict(connection.settings_dict), TOPOLOGY_ENV)
    (folder / "var").mkdir(exist_ok=True)
    env |= {
        "IRIS_DATABASE_URL": bouncer.url,
        "IRIS_DB_PGBOUNCER": "true",
        "IRIS_VAR_DIR": str(folder / "var"),
        "IRIS_STORAGE_DIR": str(settings.IRIS_STORAGE_DIR),
        "PORT": str(port),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    return env


def family_ready(honcho: Honcho, family: str) -> bool:
    return any(f"{family}@" in line and " ready." in line for line in honcho.output().splitlines())


def wait_started(honcho: Honcho, families: tuple[str, ...], url: str | None) -> None:
    def started() -> bool:
        assert honcho.process.poll() is None, honcho.output()[-5000:]
        ready = all(family_ready(honcho, family) for family in families)
        return ready and (url is None or http("GET", f"{url}/health/ready").status == 200)

    wait_for(started, 90, f"honcho start of {families}", interval=0.5)


@pytest.fixture
def topology(pgbouncer: PgBouncer, tmp_path: Path) -> Iterator[dict[str, Any]]:
    port = free_port()
    env = topology_env(pgbouncer, tmp_path, port)
    started: list[Honcho] = []

    def start(*processes: str) -> Honcho:
        honcho = start_honcho(env, tmp_path, *processes)
        started.append(honcho)
        return honcho

    try:
        yield {"start": start, "url": f"http://127.0.0.1:{port}"}
    finally:
        for honcho in reversed(started):
            honcho.stop()
        for honcho in started:  # shown when the test failed (captured output)
            print(f"--- {honcho.log.name} ---\n{honcho.output()[-15000:]}")


def upload(url: str, token: str, data: bytes, target: str) -> int:
    fields = {
        "source_lang": "en",
        "target_langs": target,
        "engine": "pseudo",
        "engine_options": json.dumps({"delay_ms": DELAY_MS}),
    }
    return int(upload_report(url, token, fields, data)["id"])


def kill_translation_mid_batch(honcho: Honcho, job_ids: list[int]) -> int:
    """SIGKILL the translation family's process group while it holds a batch (frozen
    first, so what the database says it holds cannot change); returns how many."""
    group = honcho.pid_of("translation")
    jobs = Job.objects.filter(pk__in=job_ids)
    for _attempt in range(30):
        wait_for(
            lambda: (
                BatchState.DONE in set(jobs.values_list("batches__state", flat=True))
                and BatchState.RUNNING in set(jobs.values_list("batches__state", flat=True))
            ),
            120,
            "some batches done while others run",
        )
        os.killpg(group, signal.SIGSTOP)
        running = jobs.filter(batches__state=BatchState.RUNNING).count()
        if running:
            os.killpg(group, signal.SIGKILL)
            honcho.process.wait(timeout=30)  # its only process died: honcho ends too
            return running
        os.killpg(group, signal.SIGCONT)
    raise AssertionError("the translation family was never caught holding a batch")


def gunicorn_workers(arbiter: int) -> set[int]:
    found = subprocess.run(["pgrep", "-P", str(arbiter)], capture_output=True, text=True)
    return {int(pid) for pid in found.stdout.split()}


def gunicorn_arbiter(honcho: Honcho) -> int:
    """The arbiter: the child of honcho's shell for the web process."""
    (arbiter,) = gunicorn_workers(honcho.pid_of("web"))
    return arbiter


def finished(url: str, token: str, job_ids: list[int]) -> bool:
    for job_id in job_ids:
        reply = http("GET", f"{url}/api/v1/jobs/{job_id}/", token=token)
        assert reply.status == 200, reply.body
        state = reply.json()["state"]
        if state != "completed":
            assert state not in FINISHED, reply.json()
            return False
    return True


def describe(job_ids: list[int]) -> list[dict[str, Any]]:
    return [
        {
            "job": job.pk,
            "state": job.state,
            "step": job.step,
            "done": f"{job.segments_done}/{job.segments_total}",
            "batches": sorted(job.batches.values_list("state", "attempts")),
        }
        for job in Job.objects.filter(pk__in=job_ids)
    ]


def test_topology_survives_a_killed_translation_family_and_a_web_reload(
    topology: dict[str, Any], settings
) -> None:
    documents = [build_large_document(paragraphs=16, seed=seed) for seed, _target in DOCUMENTS]
    targets = [target for _seed, target in DOCUMENTS]
    eager = [
        document_xml(run_eager(settings, data, target))
        for data, target in zip(documents, targets, strict=True)
    ]
    forget_translations()  # nothing the eager runs translated may serve the real ones
    user = create_user("operator", Role.MANAGER, ["ops"], SYSTEM_ACTOR)
    token = create_token(user, "topology", SYSTEM_ACTOR).secret
    url = topology["url"]

    main = topology["start"]("web", "documents", "control", "beat")
    translation = topology["start"]("translation")
    wait_started(main, ("documents", "control"), url)
    wait_started(translation, ("translation",), None)

    job_ids = [
        upload(url, token, data, target) for data, target in zip(documents, targets, strict=True)
    ]
    assert kill_translation_mid_batch(translation, job_ids) > 0
    assert main.process.poll() is None, "the other processes kept running"
    replacement = topology["start"]("translation")
    wait_started(replacement, ("translation",), None)

    arbiter = gunicorn_arbiter(main)
    old_workers = gunicorn_workers(arbiter)
    os.kill(arbiter, signal.SIGHUP)  # graceful reload: new workers, no refused request

    def reloaded() -> bool:
        assert http("GET", f"{url}/api/v1/jobs/", token=token).status == 200
        return not (gunicorn_workers(arbiter) & old_workers)

    wait_for(reloaded, 60, "web reload", interval=0.2)
    try:
        wait_for(lambda: finished(url, token, job_ids), 300, "every job done", interval=1)
    except TimeoutError:
        raise AssertionError(f"jobs not completed: {describe(job_ids)}") from None

    for job_id, expected in zip(job_ids, eager, strict=True):
        job = Job.objects.get(pk=job_id)
        assert job.state == JobState.COMPLETED, job.error
        assert job.segments_done == job.segments_total == job.segments.count() > 0
        assert not job.batches.exclude(state=BatchState.DONE).exists()
        billed = job_usage(job.pk).characters
        translated = sum(len(s.source) for s in job.segments.filter(origin=Origin.ENGINE))
        assert billed == translated, "usage billed once per segment translated"
        assert document_xml(delivery(job)) == expected
    assert max(Job.objects.filter(pk__in=job_ids).values_list("batches__attempts", flat=True)) >= 2
    wait_for(MaintenanceRun.objects.exists, 30, "a maintenance tick from beat")
