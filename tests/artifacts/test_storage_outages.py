"""Storage that cannot be reached: a moment's refusal is ridden out by retries, a
lasting one is a clear "storage is unavailable" naming the settings to check, and a
download link answers 503 with Retry-After rather than a bare server error."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from botocore.config import Config
from django.core.files.storage import default_storage

from iris.artifacts.links import issue_link
from iris.artifacts.models import Artifact, ArtifactKind
from iris.artifacts.outages import WORKER, Patience, StorageUnavailableError, with_retries
from iris.artifacts.storage import read_artifact, store_artifact
from iris.governance.models import AuditRecord
from tests.artifacts.helpers import make_job
from tests.s3 import S3Server
from tests.support import closed_port, free_port

pytestmark = [pytest.mark.django_db, pytest.mark.everywhere]

DATA = b"PK\x03\x04 the translated document " * 100
SECRET = "a-secret-key-never-shown"


class Gate:
    """A TCP forwarder on a fixed loopback port in front of the S3 server. Closed, its
    port refuses connections and those open are cut, as when the service restarts;
    opened again, the same bucket answers with all it held."""

    def __init__(self, target_port: int) -> None:
        self.port = free_port()
        self._target = target_port
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None

    def open(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def close(self) -> None:
        for sock in [self._listener, *self._sockets]:
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
        self._listener, self._sockets = None, []

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
                upstream = socket.create_connection(("127.0.0.1", self._target))
            except OSError:
                return  # closed
            self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            sink.sendall(data)
    for sock in (source, sink):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def use_endpoint(settings: Any, endpoint_url: str, **options: Any) -> None:
    """The test process's storage: the tests' bucket, reached at ``endpoint_url``."""
    storages = S3Server(endpoint_url=endpoint_url).storages_setting
    storages["default"]["OPTIONS"].update(secret_key=SECRET, **options)
    settings.STORAGES = storages
    settings.IRIS_S3_ENDPOINT_URL = endpoint_url


@pytest.fixture
def gate(settings: Any, s3_storage: S3Server) -> Iterator[Gate]:
    """The test's storage is the S3 server's bucket, reached through an open Gate."""
    gate = Gate(int(s3_storage.endpoint_url.rsplit(":", 1)[1]))
    gate.open()
    use_endpoint(settings, f"http://127.0.0.1:{gate.port}")
    try:
        yield gate
    finally:
        gate.close()


def reopen_after(gate: Gate, seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, gate.open)
    timer.start()
    return timer


def test_a_store_rides_out_storage_refusing_connections_for_a_moment(gate, s3_storage):
    gate.close()
    timer = reopen_after(gate, 2.0)
    started = time.monotonic()

    artifact = store_artifact(make_job(), ArtifactKind.DELIVERY, "report.fr.docx", DATA)

    timer.join()
    assert time.monotonic() - started >= 2.0
    assert s3_storage.keys() == [artifact.storage_name]
    assert read_artifact(artifact) == DATA


def test_a_read_rides_out_storage_refusing_connections_for_a_moment(gate):
    artifact = store_artifact(make_job(), ArtifactKind.SOURCE, "report.docx", DATA)
    gate.close()
    timer = reopen_after(gate, 2.0)

    assert read_artifact(artifact) == DATA
    timer.join()


def test_storage_still_refusing_after_the_retries_is_a_clear_error(settings, s3_storage):
    use_endpoint(settings, f"http://127.0.0.1:{closed_port()}")
    started = time.monotonic()

    with pytest.raises(StorageUnavailableError) as raised:
        store_artifact(make_job(), ArtifactKind.DELIVERY, "report.fr.docx", DATA)

    assert time.monotonic() - started >= sum(WORKER.pauses)
    message = str(raised.value)
    assert message.startswith("artifact storage is unavailable: writing jobs/")
    assert f"after {len(WORKER.pauses) + 1} attempts" in message
    assert "EndpointConnectionError" in message
    assert "IRIS_S3_ENDPOINT_URL" in message
    assert "IRIS_S3_BUCKET" in message
    assert SECRET not in message
    assert not Artifact.all_objects.exists()


@pytest.fixture
def hanging_endpoint() -> Iterator[str]:
    """A port that takes connections and never answers (a service that hangs)."""
    with socket.create_server(("127.0.0.1", 0), backlog=16) as listener:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_a_storage_that_hangs_is_given_up_once_the_patience_is_spent(
    settings, s3_storage, hanging_endpoint
):
    """Each attempt against a hanging service lasts the client's timeout: no new
    attempt starts once the patience's seconds are spent, however many pauses remain."""
    timeouts = Config(
        s3={"addressing_style": "path"},
        connect_timeout=1,
        read_timeout=1,
        retries={"max_attempts": 1},
    )
    use_endpoint(settings, hanging_endpoint, client_config=timeouts)
    patience = Patience(pauses=(0.1,) * 20, seconds=2.5)
    started = time.monotonic()

    with pytest.raises(StorageUnavailableError, match="ReadTimeoutError"):
        with_retries(partial(default_storage.exists, "jobs/probe"), "probing", patience)

    assert time.monotonic() - started < 6


class KeepRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def view_log() -> Iterator[KeepRecords]:
    handler = KeepRecords()
    logger = logging.getLogger("iris.artifacts.views")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def make_storage_unreachable(settings: Any, backend: str) -> None:
    if backend == "s3":
        use_endpoint(settings, f"http://127.0.0.1:{closed_port()}")
    else:  # the storage folder is not a folder any more (a mount gone wrong)
        location = Path(default_storage.location)  # type: ignore[attr-defined]
        location.rename(location.with_name("moved"))
        location.write_bytes(b"")


def test_a_link_answers_503_while_storage_cannot_be_reached(
    db, client, settings, view_log, backend
):
    artifact = store_artifact(make_job(), ArtifactKind.DELIVERY, "report.fr.docx", DATA)
    link = issue_link(artifact)
    make_storage_unreachable(settings, backend)

    response = client.get(link.url)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert b"storage cannot be reached" in response.content
    assert b"PK" not in response.content
    [record] = view_log.records
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert "artifact storage is unavailable" in record.getMessage()
    assert SECRET not in record.getMessage()
    audit = AuditRecord.objects.filter(action="artifact.downloaded").get()
    assert (audit.after["reason"], audit.after["status"]) == ("storage_unavailable", 503)


def test_production_s3_options_give_up_an_attempt_in_seconds() -> None:
    """botocore waits 60 s for a storage that hangs; Iris's own retries need each
    attempt to end sooner."""
    from iris.settings import _storage

    config = _storage("s3")["OPTIONS"]["client_config"]  # type: ignore[index]
    assert (config.connect_timeout, config.read_timeout) == (5, 30)
    assert config.signature_version == "s3v4"
