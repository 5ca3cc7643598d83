"""Start and stop real Celery worker processes for integration tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iris.celery import QUEUES, app
from tests.support import ROOT, wait_for


def database_url(database: dict[str, Any]) -> str:
    """The IRIS_DATABASE_URL of the database the test process uses (the test database)."""
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"


@dataclass
class WorkerProcess:
    name: str
    process: subprocess.Popen[bytes]
    log: Path
    extra: dict[str, str] = field(default_factory=dict)

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and its pool children)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def freeze(self) -> None:
        """SIGSTOP the whole worker: it commits nothing more until `thaw` or `kill`."""
        os.killpg(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.killpg(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _responds(name: str) -> bool:
    return bool(app.control.ping(destination=[name], timeout=0.5))


def start_worker(
    database: dict[str, Any],
    folder: Path,
    *,
    concurrency: int = 2,
    env: dict[str, str] | None = None,
) -> WorkerProcess:
    """Start ``celery -A iris worker`` on every queue; returns once it answers a ping."""
    name = f"iris-test-{uuid.uuid4().hex[:8]}@localhost"
    # tests.settings: the real settings plus the test-only engines; the environment
    # (database aside) is the test process's, so both share one storage folder.
    process_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": str(ROOT),
    }
    process_env["IRIS_DATABASE_URL"] = database_url(database)
    process_env.update(env or {})
    log = folder / f"{name}.log"
    command = [sys.executable, "-m", "celery", "-A", "iris", "worker", "-n", name]
    command += ["-Q", ",".join(QUEUES), "-c", str(concurrency), "--loglevel", "INFO"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=process_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = WorkerProcess(name, process, log)

    def ready() -> bool:
        # Its own log says so (a worker on another broker cannot answer our ping).
        return process.poll() is not None or " ready." in worker.output() or _responds(name)

    try:
        wait_for(ready, 60, "worker start")
    except TimeoutError:
        worker.stop()
        raise
    if process.poll() is not None:
        raise RuntimeError(f"worker exited at start:\n{worker.output()[-3000:]}")
    return worker
