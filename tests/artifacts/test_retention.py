"""An artifact expires after the days its job's policy gives its kind, else the days
IRIS_RETENTION_DAYS_BY_KIND gives it, else IRIS_RETENTION_DAYS."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import retention_days, store_artifact
from tests.artifacts.helpers import make_job

pytestmark = [pytest.mark.django_db, pytest.mark.everywhere]


@pytest.fixture(autouse=True)
def days(settings) -> None:
    settings.IRIS_RETENTION_DAYS = 30
    settings.IRIS_RETENTION_DAYS_BY_KIND = {"delivery": 90, "source": 7}


def test_default_days_for_a_kind_not_named() -> None:
    assert retention_days(make_job(), ArtifactKind.MANIFEST) == 30


def test_kind_days_over_the_default() -> None:
    assert retention_days(make_job(), ArtifactKind.SOURCE) == 7


def test_job_policy_over_kind_days() -> None:
    job = make_job(retention={"source": 2, "manifest": 400})
    assert retention_days(job, ArtifactKind.SOURCE) == 2
    assert retention_days(job, ArtifactKind.MANIFEST) == 400
    assert retention_days(job, ArtifactKind.DELIVERY) == 90


@pytest.mark.parametrize("days", [0, "7", 1.5, True])
def test_malformed_job_policy_is_an_error(days) -> None:
    job = make_job(retention={"source": days})
    with pytest.raises(ValueError, match="not a whole number of days"):
        retention_days(job, ArtifactKind.SOURCE)


def test_stored_artifact_expires_after_its_days(local_storage) -> None:
    job = make_job(retention={"delivery": 365})
    before = timezone.now()
    delivered = store_artifact(job, ArtifactKind.DELIVERY, "a.fr.docx", b"translated")
    source = store_artifact(job, ArtifactKind.SOURCE, "a.docx", b"source")
    after = timezone.now()
    assert before + timedelta(days=365) <= delivered.expires_at <= after + timedelta(days=365)
    assert before + timedelta(days=7) <= source.expires_at <= after + timedelta(days=7)
