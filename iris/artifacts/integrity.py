"""Does storage agree with the artifact rows? Objects missing for live rows, objects no
live row points at, objects whose bytes changed, completed jobs without a delivery.

Only reports: deciding what to repair or delete is the caller's (the operations
schedule). Works through Django's storage API, so on every storage backend.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter

from django.core.files.storage import default_storage
from django.db.models import Exists, OuterRef, Q

from iris.artifacts.models import Artifact, ArtifactKind
from iris.artifacts.storage import REPLACED, stored_sha256
from iris.jobs.bulk import in_pages
from iris.jobs.models import Job, JobState

#: artifact objects live under this prefix; others (health probes) are not ours to judge
PREFIX = "jobs"


@dataclass
class IntegrityFindings:
    #: ids of live artifacts whose object is gone
    missing_objects: list[int] = field(default_factory=list)
    #: storage names under jobs/ that no live artifact points at (an object being
    #: stored right now, its row not yet committed, is one too: act on repeat findings)
    orphan_objects: list[str] = field(default_factory=list)
    #: ids of live artifacts whose object's sha256 differs from the row's
    checksum_mismatches: list[int] = field(default_factory=list)
    #: ids of completed jobs with no live delivery and no deletion that explains it
    completed_without_delivery: list[int] = field(default_factory=list)
    #: whether objects were read in full to compare checksums
    checksums_verified: bool = False

    @property
    def clean(self) -> bool:
        return not (
            self.missing_objects
            or self.orphan_objects
            or self.checksum_mismatches
            or self.completed_without_delivery
        )


def stored_names(folder: str = PREFIX) -> Iterator[str]:
    """Every object name under ``folder``, walking it with ``Storage.listdir``."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # a local storage where nothing was written yet
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from stored_names(f"{folder}/{sub}")


def find_integrity_problems(*, verify_checksums: bool = False) -> IntegrityFindings:
    """Compare storage with the artifact rows; ``verify_checksums`` also reads every
    live object in full (in chunks) and compares its sha256."""
    findings = IntegrityFindings(checksums_verified=verify_checksums)
    objects = set(stored_names())
    live = Artifact.objects.values_list("pk", "storage_name", "sha256")
    referenced = set()
    for pk, storage_name, sha256 in in_pages(live, key=itemgetter(0)):
        referenced.add(storage_name)
        if storage_name not in objects:
            findings.missing_objects.append(pk)
        elif verify_checksums:
            _verify(findings, pk, storage_name, sha256)
    findings.orphan_objects = sorted(objects - referenced)
    findings.completed_without_delivery = completed_without_delivery()
    return findings


def _verify(findings: IntegrityFindings, pk: int, storage_name: str, sha256: str) -> None:
    try:
        if stored_sha256(storage_name) != sha256:
            findings.checksum_mismatches.append(pk)
    except FileNotFoundError:  # removed since the listing
        findings.missing_objects.append(pk)


def completed_without_delivery() -> list[int]:
    """Completed jobs with no live delivery. A delivery deleted on purpose (expired,
    removed by a user) explains its absence; one that was only replaced does not."""
    deliveries = Artifact.all_objects.filter(job=OuterRef("pk"), kind=ArtifactKind.DELIVERY)
    live = deliveries.filter(deleted_at__isnull=True)
    deleted_on_purpose = deliveries.filter(~Q(deleted_reason=REPLACED), deleted_at__isnull=False)
    jobs = Job.objects.filter(state=JobState.COMPLETED).filter(
        ~Exists(live), ~Exists(deleted_on_purpose)
    )
    return list(jobs.order_by("pk").values_list("pk", flat=True))
