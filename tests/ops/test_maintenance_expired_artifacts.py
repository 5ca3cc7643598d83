"""The tick deletes expired artifacts: the object goes, the row stays as a tombstone
the maintenance actor signed, and the deletion is audited; a second tick finds
nothing left and what has not expired stays."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from iris.artifacts.models import Artifact, ArtifactKind
from iris.artifacts.storage import store_artifact
from iris.governance.models import AuditRecord
from iris.ops.maintenance import run_tick
from tests.artifacts.helpers import assert_tombstone, make_job
from tests.ops.maintenance_helpers import expired_artifact

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.everywhere]


def test_expired_artifacts_become_audited_tombstones(local_storage) -> None:
    job = make_job()
    fresh = store_artifact(job, ArtifactKind.SOURCE, "a.docx", b"still kept")
    expired = expired_artifact(job)
    assert default_storage.exists(expired.storage_name)

    result = run_tick()

    assert result.run is not None
    assert result.run.summary["steps"]["expired_artifacts"]["count"] == 1
    assert not default_storage.exists(expired.storage_name)
    assert_tombstone(expired.pk, "maintenance", "expired")
    assert Artifact.objects.filter(pk=fresh.pk).exists()
    assert default_storage.exists(fresh.storage_name)

    again = run_tick()

    assert again.run is not None
    assert again.run.summary["steps"]["expired_artifacts"]["count"] == 0
    assert AuditRecord.objects.filter(action="artifact.deleted").count() == 1
