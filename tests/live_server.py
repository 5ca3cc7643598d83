"""The production web process for tests: ``gunicorn iris.wsgi`` in a subprocess on the
test database, spoken to over HTTP as a client would.

``live_web_server_factory(**env)`` starts one with extra ``IRIS_*`` variables (the S3
server's, a throttle); ``live_web_server`` is one with none. Each is stopped after the
test, and a failed test shows the server's log. Not pytest-django's ``live_server``:
that one is a thread of the test process, which could not show what the real server
does (several processes, its own settings, connections and storage).

Services configuration only: the embedded configuration's SQLite test database lives
in the test process's memory, where no other process can see it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from tests.support import ROOT, free_port, wait_for
from tests.workers import database_url

#: how long the server may take to answer /health/live, and to stop on SIGTERM
START_SECONDS = 60
STOP_SECONDS = 20

_SERVERS = pytest.StashKey[list["LiveWebServer"]]()


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def multipart(
    fields: Mapping[str, str], files: Mapping[str, tuple[str, bytes]]
) -> tuple[bytes, str]:
    """A ``multipart/form-data`` body and its content type (``files``: field -> (name,
    bytes)), as a browser or ``curl -F`` sends it."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(head.encode() + value.encode() + b"\r\n")
    for name, (filename, data) in files.items():
        head = (
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def http(
    method: str,
    url: str,
    *,
    token: str | None = None,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> Reply:
    """One request with the standard library; an error status is a reply, not a raise."""
    sent = dict(headers or {})
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, method=method, headers=sent)
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return Reply(reply.status, dict(reply.headers), reply.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, dict(error.headers), error.read())


@dataclass
class LiveWebServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        """SIGTERM (gunicorn finishes its requests), then SIGKILL if it lingers."""
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_SECONDS)


def upload_report(
    server_url: str,
    token: str,
    fields: dict[str, str] | None = None,
    data: bytes | None = None,
) -> dict[str, Any]:
    """POST ``data`` (samples/report.docx by default) as report.docx to /api/v1/jobs/
    with the form ``fields`` (by default: for French); the one job created."""
    document = (ROOT / "samples" / "report.docx").read_bytes() if data is None else data
    body, content_type = multipart(
        fields or {"target_langs": "fr"}, {"file": ("report.docx", document)}
    )
    reply = http(
        "POST",
        f"{server_url}/api/v1/jobs/",
        token=token,
        body=body,
        headers={"Content-Type": content_type},
    )
    assert reply.status == 201, reply.body
    (job,) = reply.json()["jobs"]
    return dict(job)


def iris_process_env(database: dict[str, Any], extra: dict[str, str]) -> dict[str, str]:
    """The environment of an Iris process (web server, ``manage.py``): the test
    process's, on the test database, with its secret key (links one process signs
    verify in the others) and its broker."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": str(ROOT),
        "IRIS_DATABASE_URL": database_url(database),
        "IRIS_SECRET_KEY": settings.SECRET_KEY,
        "IRIS_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "IRIS_ASYNC": "true" if settings.IRIS_ASYNC else "false",
        "IRIS_BROKER_URL": settings.IRIS_BROKER_URL,
    }
    return env | extra


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as reply:
            return bool(reply.status == 200)
    except urllib.error.HTTPError:
        return False  # up, not live yet (or broken: the start's check reports it)
    except OSError:
        return False


def start_web_server(database: dict[str, Any], folder: Path, env: dict[str, str]) -> LiveWebServer:
    """``gunicorn iris.wsgi`` on a free loopback port; returns once /health/live answers."""
    port = free_port()
    log = folder / f"gunicorn-{port}.log"
    command = [sys.executable, "-m", "gunicorn", "iris.wsgi", "-b", f"127.0.0.1:{port}"]
    command += ["-w", "2", "--threads", "4", "--timeout", "60", "--access-logfile", "-"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=iris_process_env(database, env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # SIGTERM reaches the arbiter and its workers alone
        )
    server = LiveWebServer(f"http://127.0.0.1:{port}", process, log)
    try:
        wait_for(
            lambda: process.poll() is not None or _answers(server.url + "/health/live"),
            START_SECONDS,
            "gunicorn start",
        )
    except TimeoutError:
        server.stop()
        output = server.output()[-4000:]
        raise RuntimeError(f"gunicorn did not answer /health/live:\n{output}") from None
    if process.poll() is not None:
        raise RuntimeError(f"gunicorn exited at start:\n{server.output()[-4000:]}")
    return server


def _require_services() -> None:
    if connection.vendor == "sqlite":
        pytest.fail(
            "a live web server needs the services configuration (PostgreSQL): the "
            "embedded SQLite test database lives in this process's memory"
        )


@pytest.fixture
def live_web_server_factory(
    transactional_db: Any, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[..., LiveWebServer]]:
    """Start gunicorn with extra environment; every server is stopped after the test.

    ``transactional_db``: the server sees only committed rows, so tests commit theirs.
    """
    _require_services()
    started = request.node.stash.setdefault(_SERVERS, [])

    def start(**env: str) -> LiveWebServer:
        server = start_web_server(dict(connection.settings_dict), tmp_path, env)
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def live_web_server(live_web_server_factory: Callable[..., LiveWebServer]) -> LiveWebServer:
    return live_web_server_factory()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A failed test's report carries the log of each web server it started."""
    report = yield
    if report.failed:
        for server in item.stash.get(_SERVERS, []):
            report.sections.append((f"gunicorn log ({server.url})", server.output()[-20000:]))
    return report
