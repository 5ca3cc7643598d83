"""The tick's review-coverage step: a snapshot of each job in review whose coverage
changed since its last one (none when nothing changed; none in a dry run)."""

from __future__ import annotations

import pytest

from iris.jobs.models import JobState, Segment
from iris.ops.maintenance import run_tick
from iris.review.models import CoverageSnapshot
from tests.artifacts.helpers import make_job

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.everywhere]


def _segment(job, order: int, state: str = "") -> None:
    Segment.objects.create(
        job=job,
        order=order,
        unit_id=f"u{order}",
        part="word/document.xml",
        kind="body",
        source="Hello",
        source_hash=str(order),
        plain="Hello",
        target="Bonjour",
        origin="engine",
        words=1,
        review_state=state,
        reviewed_by="rita" if state else "",
    )


def test_snapshots_follow_changes_of_jobs_in_review_only() -> None:
    waiting = make_job(JobState.IN_REVIEW)
    done = make_job(JobState.COMPLETED)
    for job in (waiting, done):
        _segment(job, 0, "reviewed")
        _segment(job, 1)

    dry = run_tick(dry_run=True)
    assert dry.run is not None
    assert dry.run.summary["steps"]["review_coverage"]["count"] == 1
    assert not CoverageSnapshot.objects.exists()

    run_tick()
    (snapshot,) = CoverageSnapshot.objects.all()
    assert snapshot.job_id == waiting.pk
    assert (snapshot.segments_reviewed, snapshot.segments_total) == (1, 2)
    assert snapshot.by_reviewer == {"rita": {"segments": 1, "words": 1}}

    run_tick()  # nothing changed: no new snapshot
    assert CoverageSnapshot.objects.count() == 1
    Segment.objects.filter(job=waiting, order=1).update(review_state="final", reviewed_by="sam")
    run_tick()
    latest = CoverageSnapshot.objects.filter(job=waiting).order_by("-id").first()
    assert latest is not None
    assert latest.segments_reviewed == 2
    assert CoverageSnapshot.objects.count() == 2
