"""Deleting an artifact removes its object once the transaction commits and keeps its
row as an audited tombstone; an object that a live row still uses stays."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction

from iris.artifacts.models import Artifact, ArtifactKind
from iris.artifacts.storage import (
    delete_artifact,
    discard_artifacts,
    read_artifact,
    store_artifact,
)
from iris.governance.actions import Actor
from iris.governance.models import AuditRecord
from iris.jobs.models import JobState
from iris.jobs.steps.reassembly import discard_delivery
from tests.artifacts.helpers import assert_tombstone, make_job

pytestmark = [pytest.mark.django_db, pytest.mark.everywhere]


def test_delete_keeps_a_tombstone_and_removes_the_object(
    backend: str, django_capture_on_commit_callbacks
) -> None:
    user = get_user_model().objects.create_user("mara")
    artifact = store_artifact(make_job(), ArtifactKind.DELIVERY, "a.fr.docx", b"translated")
    with django_capture_on_commit_callbacks(execute=True):
        assert delete_artifact(artifact, Actor(user=user), "asked by the client")
    assert not default_storage.exists(artifact.storage_name)
    assert not Artifact.objects.filter(pk=artifact.pk).exists()
    record = assert_tombstone(artifact.pk, "mara", "asked by the client")
    assert record.before["sha256"] == artifact.sha256


def test_deleting_twice_changes_nothing_the_second_time(
    local_storage, django_capture_on_commit_callbacks
) -> None:
    artifact = store_artifact(make_job(), ArtifactKind.SOURCE, "a.docx", b"source")
    with django_capture_on_commit_callbacks(execute=True):
        assert delete_artifact(artifact, Actor(name="ops"), "first")
        again = Artifact.all_objects.get(pk=artifact.pk)
        assert not delete_artifact(again, Actor(name="other"), "second")
    assert Artifact.all_objects.get(pk=artifact.pk).deleted_reason == "first"
    assert AuditRecord.objects.filter(action="artifact.deleted").count() == 1


def test_rollback_keeps_row_and_object(local_storage, django_capture_on_commit_callbacks) -> None:
    artifact = store_artifact(make_job(), ArtifactKind.SOURCE, "a.docx", b"source")
    with django_capture_on_commit_callbacks(execute=True) as removals, transaction.atomic():
        delete_artifact(artifact, Actor(name="ops"), "mistake")
        transaction.set_rollback(True)
    assert removals == []
    assert Artifact.objects.filter(pk=artifact.pk).exists()
    assert default_storage.exists(artifact.storage_name)


def test_replaced_artifact_becomes_a_tombstone(
    backend: str, django_capture_on_commit_callbacks
) -> None:
    job = make_job()
    with django_capture_on_commit_callbacks(execute=True):
        old = store_artifact(job, ArtifactKind.DELIVERY, "a.fr.docx", b"first run")
        new = store_artifact(job, ArtifactKind.DELIVERY, "a.fr.docx", b"second run")
    tombstone = Artifact.all_objects.get(pk=old.pk)
    assert (tombstone.deleted_reason, tombstone.deleted_by) == ("replaced", "system")
    assert not default_storage.exists(old.storage_name)
    assert job.artifacts.get(kind=ArtifactKind.DELIVERY) == new
    assert read_artifact(new) == b"second run"


def test_object_shared_with_a_live_row_is_kept(
    backend: str, django_capture_on_commit_callbacks
) -> None:
    job = make_job()
    with django_capture_on_commit_callbacks(execute=True):
        first = store_artifact(job, ArtifactKind.DELIVERY, "a.fr.docx", b"same bytes")
    # A re-run gives other bytes, then the first ones again, in one transaction: the
    # first row's tombstone and the new live row share one object name.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        other = store_artifact(job, ArtifactKind.DELIVERY, "a.fr.docx", b"other bytes")
        again = store_artifact(job, ArtifactKind.DELIVERY, "a.fr.docx", b"same bytes")
    assert again.pk != first.pk
    assert again.storage_name == first.storage_name
    assert Artifact.all_objects.get(pk=first.pk).deleted_reason == "replaced"
    assert read_artifact(again) == b"same bytes"
    assert not default_storage.exists(other.storage_name)


def test_same_bytes_stored_after_deletion_come_back(
    backend: str, django_capture_on_commit_callbacks
) -> None:
    job = make_job()
    with django_capture_on_commit_callbacks(execute=True):
        first = store_artifact(job, ArtifactKind.SOURCE, "a.docx", b"source")
        delete_artifact(first, Actor(name="ops"), "by mistake")
    assert not default_storage.exists(first.storage_name)
    again = store_artifact(job, ArtifactKind.SOURCE, "a.docx", b"source")
    assert read_artifact(again) == b"source"


def test_rejected_job_leaves_tombstones(backend: str, django_capture_on_commit_callbacks) -> None:
    job = make_job()
    source = store_artifact(job, ArtifactKind.SOURCE, "a.docx", b"source")
    working = store_artifact(job, ArtifactKind.WORKING, "a.docx", b"working")
    with django_capture_on_commit_callbacks(execute=True):
        assert discard_artifacts(job) == 2
    tombstones = Artifact.all_objects.filter(job=job)
    assert {(a.kind, a.deleted_reason) for a in tombstones} == {
        ("source", "job rejected"),
        ("working", "job rejected"),
    }
    assert not default_storage.exists(source.storage_name)
    assert not default_storage.exists(working.storage_name)
    assert AuditRecord.objects.filter(action="artifact.deleted", actor_label="system").count() == 2


def test_cancelled_job_delivery_leaves_a_tombstone(
    local_storage, django_capture_on_commit_callbacks
) -> None:
    job = make_job(JobState.CANCELLED)
    source = store_artifact(job, ArtifactKind.SOURCE, "a.docx", b"source")
    delivered = store_artifact(job, ArtifactKind.DELIVERY, "a.fr.docx", b"translated")
    with django_capture_on_commit_callbacks(execute=True):
        discard_delivery(job.pk)
    assert Artifact.all_objects.get(pk=delivered.pk).deleted_reason == "job cancelled"
    assert not default_storage.exists(delivered.storage_name)
    assert list(job.artifacts.all()) == [source]
