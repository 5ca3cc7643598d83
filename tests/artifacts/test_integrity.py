"""The integrity report finds what storage and the artifact rows disagree on, on every
storage backend."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from iris.artifacts.integrity import IntegrityFindings, find_integrity_problems
from iris.artifacts.models import Artifact, ArtifactKind
from iris.artifacts.storage import delete_artifact, store_artifact
from iris.governance.actions import Actor
from iris.jobs.models import Job, JobState
from tests.artifacts.helpers import make_job, overwrite_object

pytestmark = [pytest.mark.django_db, pytest.mark.everywhere]


def completed_job_with_delivery() -> tuple[Job, Artifact]:
    job = make_job(JobState.COMPLETED)
    store_artifact(job, ArtifactKind.SOURCE, "a.docx", b"source")
    return job, store_artifact(job, ArtifactKind.DELIVERY, "a.fr.docx", b"translated")


def test_consistent_storage_is_clean(backend: str) -> None:
    completed_job_with_delivery()
    findings = find_integrity_problems(verify_checksums=True)
    assert findings == IntegrityFindings(checksums_verified=True)
    assert findings.clean


def test_empty_storage_is_clean(backend: str) -> None:
    assert find_integrity_problems().clean


def test_missing_object_is_found(backend: str) -> None:
    _, delivered = completed_job_with_delivery()
    default_storage.delete(delivered.storage_name)
    findings = find_integrity_problems()
    assert findings.missing_objects == [delivered.pk]
    assert not findings.clean


def test_orphan_object_is_found_and_other_folders_ignored(backend: str) -> None:
    completed_job_with_delivery()
    orphan = default_storage.save("jobs/0000/delivery/abcd/lost.docx", ContentFile(b"lost"))
    default_storage.save("health/probe-left-over.bin", ContentFile(b"probe"))
    assert find_integrity_problems().orphan_objects == [orphan]


def test_tombstone_object_left_behind_is_an_orphan(backend: str) -> None:
    # The removal after commit failed (storage down): the object outlived its row.
    _, delivered = completed_job_with_delivery()
    delete_artifact(delivered, Actor(name="ops"), "expired")  # no commit: object stays
    assert find_integrity_problems().orphan_objects == [delivered.storage_name]


def test_checksum_mismatch_is_found_only_when_verifying(backend: str) -> None:
    _, delivered = completed_job_with_delivery()
    overwrite_object(delivered.storage_name, b"tampered!!")
    assert find_integrity_problems().clean
    assert find_integrity_problems(verify_checksums=True).checksum_mismatches == [delivered.pk]


def test_completed_job_without_delivery_is_found(local_storage) -> None:
    job = make_job(JobState.COMPLETED)
    store_artifact(job, ArtifactKind.SOURCE, "a.docx", b"source")
    make_job(JobState.TRANSLATING)  # not delivered yet: nothing wrong
    assert find_integrity_problems().completed_without_delivery == [job.pk]


def test_delivery_deleted_on_purpose_is_not_a_finding(
    local_storage, django_capture_on_commit_callbacks
) -> None:
    _, delivered = completed_job_with_delivery()
    with django_capture_on_commit_callbacks(execute=True):
        delete_artifact(delivered, Actor(name="retention"), "expired")
    assert find_integrity_problems().clean


def test_delivery_only_replaced_then_lost_is_a_finding(
    local_storage, django_capture_on_commit_callbacks
) -> None:
    job, _ = completed_job_with_delivery()
    with django_capture_on_commit_callbacks(execute=True):
        newer = store_artifact(job, ArtifactKind.DELIVERY, "a.fr.docx", b"second run")
    newer.delete()  # the live row vanished without a tombstone
    assert find_integrity_problems().completed_without_delivery == [job.pk]
