"""The only place that touches artifact bytes: Django's storage API behind a few
functions. Storage names are built here; nothing else builds paths.

A deleted artifact keeps its row as a tombstone (who, when, why); its object goes once
the deleting transaction commits, unless a live row of the same bytes still uses it.
Writes and reads are retried while storage fails for a moment (outages.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from iris.artifacts.models import Artifact, ArtifactKind
from iris.artifacts.outages import WORKER, Patience, with_retries
from iris.governance.actions import SYSTEM_ACTOR, Actor, record_audit
from iris.jobs.models import Job

CONTENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".xlf": "application/xliff+xml",
}

#: why the pipeline deletes artifacts (users give reasons of their own)
REPLACED = "replaced"
JOB_REJECTED = "job rejected"
JOB_CANCELLED = "job cancelled"


def retention_days(job: Job, kind: str) -> int:
    """Days an artifact of ``kind`` of ``job`` is kept: the job's policy
    (``Job.retention``) over IRIS_RETENTION_DAYS_BY_KIND over IRIS_RETENTION_DAYS."""
    days = job.retention.get(kind)
    if days is None:
        return int(settings.IRIS_RETENTION_DAYS_BY_KIND.get(kind, settings.IRIS_RETENTION_DAYS))
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError(
            f"job {job.pk}: retention of {kind!r} is {days!r}, not a whole number of days"
        )
    return days


#: the longest file name (one path component) file systems take, in bytes of UTF-8
NAME_BYTES = 255
#: the longest name shown to users (``Artifact.name``), in characters
NAME_CHARACTERS = 255
#: a name's extensions (``.zh-Hant.docx``) are kept when it is shortened, up to this long
_EXTENSIONS_KEPT = 40


def fitted_name(name: str, *, characters: int = NAME_CHARACTERS, utf8_bytes: int = 0) -> str:
    """``name`` shortened to ``characters`` (and, when given, ``utf8_bytes`` bytes of
    UTF-8) by cutting its stem, so that its extensions stay: an upload's name is only
    checked in characters, and a Japanese name of 95 characters is 275 bytes."""

    def fits(candidate: str) -> bool:
        if len(candidate) > characters:
            return False
        return not utf8_bytes or len(candidate.encode("utf-8", "surrogatepass")) <= utf8_bytes

    if fits(name):
        return name
    start = len(name)
    for _ in range(3):  # up to three extensions: report.zh-Hant.review.docx
        dot = name.rfind(".", 0, start)
        if dot <= 0 or len(name) - dot > _EXTENSIONS_KEPT:
            break
        start = dot
    stem, extensions = name[:start], name[start:]
    while stem and not fits(stem + extensions):
        stem = stem[:-1]
    shortened = stem + extensions
    while not fits(shortened):  # the extensions alone are too long: cut from the end
        shortened = shortened[:-1]
    return shortened


def _storage_name(job_uuid: str, kind: str, name: str, digest: str) -> str:
    # The digest in the name makes a re-run that produces the same bytes land on the
    # same object, and a different result never overwrite what another row points at.
    # The file name itself must be one a file system takes (local storage).
    return f"jobs/{job_uuid}/{kind}/{digest[:16]}/{fitted_name(name, utf8_bytes=NAME_BYTES)}"


def _write_object(storage_name: str, data: bytes) -> None:
    if default_storage.exists(storage_name):
        if default_storage.size(storage_name) == len(data):
            return  # the digest is in the name: these bytes are already stored
        # A partial object (a copy interrupted, a restore from a torn backup): replace it.
        default_storage.delete(storage_name)
    saved = default_storage.save(storage_name, ContentFile(data))
    if saved != storage_name:  # a concurrent writer won the same name: same bytes
        default_storage.delete(saved)


def store_artifact(
    job: Job, kind: ArtifactKind, name: str, data: bytes, *, replace: bool = True
) -> Artifact:
    """Save ``data`` as the job's artifact of ``kind``, with its sha256, size, content
    type and retention date. An earlier artifact of that kind holding other bytes
    becomes a tombstone ("replaced"), unless ``replace`` is False: then every artifact
    of the kind stays (each reviewer's file uploaded for review)."""
    digest = hashlib.sha256(data).hexdigest()
    name = fitted_name(name)
    storage_name = _storage_name(str(job.uuid), kind, name, digest)
    # Retried whole: it is idempotent (an object of the right size is kept).
    with_retries(partial(_write_object, storage_name, data), f"writing {storage_name}", WORKER)
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    lookup: dict[str, Any] = {"job": job, "kind": kind}
    if not replace:
        lookup["storage_name"] = storage_name
    with transaction.atomic():
        previous = Artifact.objects.select_for_update().filter(**lookup).first()
        if previous is not None and previous.storage_name != storage_name:
            delete_artifact(previous, SYSTEM_ACTOR, REPLACED)
        # The same bytes again: the live row stays, its retention starts anew.
        artifact, _ = Artifact.objects.update_or_create(
            **lookup,
            defaults={
                "name": name,
                "storage_name": storage_name,
                "sha256": digest,
                "size": len(data),
                "content_type": CONTENT_TYPES.get(suffix, "application/octet-stream"),
                "expires_at": timezone.now() + timedelta(days=retention_days(job, kind)),
            },
        )
    return artifact


def store_json(job: Job, kind: ArtifactKind, name: str, payload: Any) -> Artifact:
    # Compact: an indent would take json off its C encoder (manifests list every unit).
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return store_artifact(job, kind, name, data)


class ArtifactIntegrityError(OSError):
    """The stored object is missing or does not match the checksum taken when it was
    written: it is never served."""


class ArtifactMissingError(ArtifactIntegrityError):
    """The artifact's object is not in storage (removed or lost behind Iris's back)."""


CHUNK = 2**20


def _sha256_of(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def stored_sha256(storage_name: str) -> str:
    """The sha256 of the object as stored now, read in chunks (FileNotFoundError when
    there is none; StorageUnavailableError when storage cannot be read)."""
    read = partial(_read_through, storage_name)
    handle, digest = with_retries(read, f"reading {storage_name}", WORKER)
    handle.close()
    return digest


def _read_through(storage_name: str) -> tuple[IO[bytes], str]:
    # Opening an S3 object fetches nothing; the first read does: both are retried.
    handle = default_storage.open(storage_name, "rb")
    try:
        return handle, _sha256_of(handle)
    except BaseException:
        handle.close()
        raise


@contextmanager
def open_artifact(artifact: Artifact, *, patience: Patience = WORKER) -> Iterator[IO[bytes]]:
    """The artifact's object opened for reading at its start, after its bytes were
    read once in chunks and found to match its sha256 (the storage backend keeps
    large objects on disk, not in memory). ArtifactMissingError when the object is
    gone, ArtifactIntegrityError when its bytes changed, StorageUnavailableError when
    storage still fails after retries as ``patience`` allows."""
    what = f"reading artifact {artifact.pk} ({artifact.storage_name})"
    try:
        handle, digest = with_retries(partial(_read_through, artifact.storage_name), what, patience)
    except FileNotFoundError as exc:
        raise ArtifactMissingError(f"artifact {artifact.pk}: its object is missing") from exc
    with handle:
        if digest != artifact.sha256:
            raise ArtifactIntegrityError(
                f"artifact {artifact.pk} ({artifact.name}) does not match its checksum"
            )
        handle.seek(0)
        yield handle


def read_artifact(artifact: Artifact) -> bytes:
    """The artifact's bytes, verified against its checksum."""
    with open_artifact(artifact) as handle:
        return bytes(handle.read())


def delete_artifact(artifact: Artifact, actor: Actor, reason: str) -> bool:
    """Make ``artifact`` a tombstone saying who deleted it, when and why, audited as
    ``artifact.deleted``; its object is removed once the transaction commits (a
    rollback keeps both). False, and nothing recorded, when it was already deleted."""
    now = timezone.now()
    tombstone = {"deleted_at": now, "deleted_by": actor.label[:150], "deleted_reason": reason[:255]}
    with transaction.atomic():
        # Conditional: of two deletions racing, exactly one changes the row.
        if not Artifact.objects.filter(pk=artifact.pk).update(**tombstone):
            return False
        before = {"kind": artifact.kind, "name": artifact.name, "sha256": artifact.sha256}
        after = {**tombstone, "deleted_at": now.isoformat()}
        record_audit(actor, "artifact.deleted", artifact, before=before, after=after)
        transaction.on_commit(partial(_remove_unused, artifact.storage_name), robust=True)
    for field, value in tombstone.items():
        setattr(artifact, field, value)
    return True


def _remove_unused(storage_name: str) -> None:
    # Storing the same bytes again gives a live row the tombstone's name: keep it then.
    # A removal that fails leaves an orphan object for the integrity check to find.
    if not Artifact.objects.filter(storage_name=storage_name).exists():
        default_storage.delete(storage_name)


def discard_artifacts(job: Job, reason: str = JOB_REJECTED, actor: Actor = SYSTEM_ACTOR) -> int:
    """Delete every live artifact of the job (tombstones, objects removed on commit);
    returns how many were deleted."""
    with transaction.atomic():
        doomed = list(Artifact.objects.filter(job=job).order_by("pk"))
        return sum(delete_artifact(artifact, actor, reason) for artifact in doomed)
