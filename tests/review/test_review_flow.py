"""A job that needs review: packages exported as it enters review, a reviewer's file
imported (all or nothing), the gate, and the reviewed text in the delivery."""

from __future__ import annotations

import pytest

from iris.artifacts.models import ArtifactKind
from iris.governance.actions import Actor
from iris.governance.models import AuditRecord
from iris.jobs.models import JobState, Origin, QaStatus, Segment
from iris.review.actions import (
    ReviewError,
    ReviewFileTooLargeError,
    SegmentEdit,
    deliver_now,
    edit_segment,
    run_import,
    submit_import,
    waive_qa_error,
)
from iris.review.models import CoverageSnapshot, ImportStatus, ReviewFormat
from iris.review.package import ReviewState
from tests.jobs.helpers import delivery, document_xml
from tests.review.helpers import edit_bilingual, edit_xliff, exported, job_in_review

pytestmark = pytest.mark.django_db(transaction=True)
MARK = " (revu)"


def keys(job) -> list[int]:
    rows = Segment.objects.filter(job=job).exclude(origin=Origin.NOT_TRANSLATABLE)
    return list(rows.values_list("order", flat=True))


@pytest.mark.parametrize(
    ("fmt", "edit"), [(ReviewFormat.XLIFF, edit_xliff), (ReviewFormat.DOCX, edit_bilingual)]
)
def test_a_reviewed_file_is_delivered_with_its_edits(fmt, edit) -> None:
    job = job_in_review()
    assert set(job.review_exports.values_list("format", flat=True)) == {"xliff", "docx"}
    kinds = set(job.artifacts.values_list("kind", flat=True))
    assert {ArtifactKind.REVIEW_XLIFF, ArtifactKind.REVIEW_DOCX} <= kinds
    orders = keys(job)
    first, last = orders[0], orders[-1]
    before = {s.order: s.target for s in Segment.objects.filter(job=job, order__in=[first, last])}

    row = submit_import(job.pk, edit(exported(job, fmt), {first: MARK, last: MARK}), "back")

    row.refresh_from_db()
    assert row.status == ImportStatus.APPLIED, row.report
    assert row.format == fmt
    assert row.report["targets_edited"] == 2
    edited = Segment.objects.get(job=job, order=first)
    assert edited.target == before[first] + MARK
    assert edited.origin == Origin.HUMAN
    assert edited.machine_target == before[first]
    assert edited.edit_distance == len(MARK)
    assert edited.review_state == ReviewState.REVIEWED
    assert edited.reviewed_at is not None
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error  # the gate (100 %) was met
    assert MARK.encode() in document_xml(delivery(job))
    assert job.artifacts.filter(kind=ArtifactKind.REVIEW_IMPORT).count() == 1
    snapshot = CoverageSnapshot.objects.filter(job=job).first()
    assert snapshot is not None
    assert snapshot.segments_reviewed == len(orders)
    assert AuditRecord.objects.filter(action="review.import", object_id=str(job.pk)).exists()


def test_one_bad_unit_changes_nothing_and_the_file_is_kept() -> None:
    job = job_in_review()
    orders = keys(job)
    data = edit_xliff(exported(job, ReviewFormat.XLIFF), {orders[0]: MARK})
    broken = data.replace(f'id="s{orders[-1]}"'.encode(), b'id="s99999"')
    targets = dict(Segment.objects.filter(job=job).values_list("order", "target"))

    row = submit_import(job.pk, broken, "broken.xlf")

    row.refresh_from_db()
    assert row.status == ImportStatus.REJECTED
    assert [e["code"] for e in row.report["errors"]] == ["unknown_id"]
    assert dict(Segment.objects.filter(job=job).values_list("order", "target")) == targets
    assert not Segment.objects.filter(job=job).exclude(review_state="").exists()
    job.refresh_from_db()
    assert job.state == JobState.IN_REVIEW
    assert job.artifacts.get(kind=ArtifactKind.REVIEW_IMPORT).size == len(broken)


def test_a_file_that_is_no_package_is_refused_with_a_reason() -> None:
    job = job_in_review()
    row = submit_import(job.pk, b"%PDF-1.7 not a review file", "scan.pdf")
    row.refresh_from_db()
    assert row.status == ImportStatus.REJECTED
    assert row.report["errors"][0]["code"] == "unreadable_file"
    assert run_import(row.pk).status == ImportStatus.REJECTED  # idempotent


def test_a_package_of_another_job_is_refused() -> None:
    first, second = job_in_review(), job_in_review()
    data = edit_xliff(exported(first, ReviewFormat.XLIFF), {})
    row = submit_import(second.pk, data, "other.xlf")
    row.refresh_from_db()
    assert row.status == ImportStatus.REJECTED
    assert row.report["errors"][0]["code"] == "wrong_job"


def test_an_edit_in_iris_since_the_export_is_a_conflict_until_a_side_is_chosen() -> None:
    job = job_in_review()
    order = keys(job)[0]
    package = exported(job, ReviewFormat.XLIFF)
    segment = Segment.objects.get(job=job, order=order)
    in_iris = segment.target + " (Iris)"
    edit_segment(job.pk, order, SegmentEdit(target=in_iris), _reviewer())

    refused = submit_import(job.pk, edit_xliff(package, {order: MARK}, None), "a.xlf")
    refused.refresh_from_db()
    assert refused.status == ImportStatus.REJECTED
    (conflict,) = refused.report["errors"]
    assert conflict["code"] == "conflict"
    assert conflict["offer"]["iris"] == in_iris
    assert Segment.objects.get(job=job, order=order).target == in_iris

    taken = submit_import(
        job.pk, edit_xliff(package, {order: MARK}, None), "a.xlf", conflicts="package"
    )
    taken.refresh_from_db()
    assert taken.status == ImportStatus.APPLIED, taken.report
    assert Segment.objects.get(job=job, order=order).target == segment.target + MARK


def test_the_gate_waits_for_coverage_and_open_qa_errors() -> None:
    job = job_in_review(policy={"segments": 50, "words": 0})
    orders = keys(job)
    bad = orders[-1]
    Segment.objects.filter(job=job, order=bad).update(qa_status=QaStatus.ERROR)
    half = orders[: (len(orders) + 1) // 2]
    for order in half:
        edit_segment(job.pk, order, SegmentEdit(state=ReviewState.REVIEWED), _reviewer())
    job.refresh_from_db()
    assert job.state == JobState.IN_REVIEW  # coverage met, one QA error still open
    with pytest.raises(ReviewError):
        waive_qa_error(job.pk, bad, "   ", _reviewer())
    waive_qa_error(job.pk, bad, "the number is written out on purpose", _reviewer())
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error


def test_deliver_now_needs_a_reason_and_is_audited() -> None:
    job = job_in_review()
    with pytest.raises(ReviewError):
        deliver_now(job.pk, "", _reviewer())
    deliver_now(job.pk, "client deadline", _reviewer())
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED
    record = AuditRecord.objects.get(action="review.deliver_now", object_id=str(job.pk))
    assert record.after["reason"] == "client deadline"
    assert record.after["gate_met"] is False
    with pytest.raises(ReviewError):
        deliver_now(job.pk, "again", _reviewer())


def test_a_duplicate_follows_its_reviewed_original() -> None:
    job = job_in_review()
    duplicate = Segment.objects.filter(job=job, duplicate_of_order__isnull=False).first()
    assert duplicate is not None, "build_document repeats paragraphs"
    original = duplicate.duplicate_of_order
    assert original is not None
    old = duplicate.target
    edit_segment(job.pk, original, SegmentEdit(target=old + MARK), _reviewer())
    duplicate.refresh_from_db()
    assert duplicate.target == old + MARK
    assert duplicate.review_state == ReviewState.REVIEWED


def test_a_broken_edit_is_refused_with_the_tag_problem() -> None:
    job = job_in_review()
    segment = Segment.objects.filter(job=job, source__contains="<g").first()
    assert segment is not None
    with pytest.raises(ReviewError, match="tags"):
        edit_segment(job.pk, segment.order, SegmentEdit(target="sans balises"), _reviewer())
    assert Segment.objects.get(pk=segment.pk).target == segment.target


def _reviewer() -> Actor:
    return Actor(name="reviewer-1")


def test_an_oversized_review_file_is_refused_before_anything_is_stored(settings) -> None:
    job = job_in_review()
    settings.IRIS_MAX_UPLOAD_MB = 0
    with pytest.raises(ReviewFileTooLargeError, match="larger than 0 MiB"):
        submit_import(job.pk, b"<xliff/>", "big.xlf")
    assert not job.review_imports.exists()
    assert not job.artifacts.filter(kind=ArtifactKind.REVIEW_IMPORT).exists()
