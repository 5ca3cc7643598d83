"""The only place that touches artifact bytes: Django's storage API behind a few
functions. Storage names are built here; nothing else builds paths."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from iris.artifacts.models import Artifact, ArtifactKind

CONTENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
}


def _storage_name(job_uuid: str, kind: str, name: str, digest: str) -> str:
    # The digest in the name makes a re-run that produces the same bytes land on the
    # same object, and a different result never overwrite what another row points at.
    return f"jobs/{job_uuid}/{kind}/{digest[:16]}/{name}"


def store_artifact(job: Any, kind: ArtifactKind, name: str, data: bytes) -> Artifact:
    """Save ``data`` as the job's artifact of ``kind`` (replacing an earlier one)."""
    digest = hashlib.sha256(data).hexdigest()
    storage_name = _storage_name(str(job.uuid), kind, name, digest)
    if not default_storage.exists(storage_name):
        saved = default_storage.save(storage_name, ContentFile(data))
        if saved != storage_name:  # a concurrent writer won the same name: same bytes
            default_storage.delete(saved)
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    with transaction.atomic():
        previous = Artifact.objects.filter(job=job, kind=kind).exclude(storage_name=storage_name)
        stale = list(previous.values_list("storage_name", flat=True))
        previous.delete()
        artifact, _ = Artifact.objects.update_or_create(
            job=job,
            kind=kind,
            defaults={
                "name": name,
                "storage_name": storage_name,
                "sha256": digest,
                "size": len(data),
                "content_type": CONTENT_TYPES.get(suffix, "application/octet-stream"),
                "expires_at": timezone.now() + timedelta(days=settings.IRIS_RETENTION_DAYS),
            },
        )
        transaction.on_commit(lambda: delete_all(stale))
    return artifact


def store_json(job: Any, kind: ArtifactKind, name: str, payload: Any) -> Artifact:
    # Compact: an indent would take json off its C encoder (manifests list every unit).
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return store_artifact(job, kind, name, data)


class ArtifactIntegrityError(OSError):
    """The stored object is missing or does not match the checksum taken when it was
    written: it is never served."""


CHUNK = 2**20


@contextmanager
def open_artifact(artifact: Artifact) -> Iterator[IO[bytes]]:
    """The artifact's object opened for reading at its start, after its bytes were
    read once in chunks and found to match its sha256 (the storage backend keeps
    large objects on disk, not in memory)."""
    try:
        handle = default_storage.open(artifact.storage_name, "rb")
    except FileNotFoundError as exc:
        raise ArtifactIntegrityError(f"artifact {artifact.pk}: its object is missing") from exc
    with handle:
        digest = hashlib.sha256()
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
        if digest.hexdigest() != artifact.sha256:
            raise ArtifactIntegrityError(
                f"artifact {artifact.pk} ({artifact.name}) does not match its checksum"
            )
        handle.seek(0)
        yield handle


def read_artifact(artifact: Artifact) -> bytes:
    """The artifact's bytes, verified against its checksum."""
    with open_artifact(artifact) as handle:
        return bytes(handle.read())


def discard_artifacts(job: Any) -> None:
    """Delete all of the job's artifacts: the rows now, the stored objects once the
    transaction commits (a rollback keeps both)."""
    doomed = Artifact.objects.filter(job=job)
    names = list(doomed.values_list("storage_name", flat=True))
    doomed.delete()
    transaction.on_commit(lambda: delete_all(names))


def delete_stored(storage_name: str) -> None:
    default_storage.delete(storage_name)


def delete_all(storage_names: list[str]) -> None:
    for name in storage_names:
        delete_stored(name)
