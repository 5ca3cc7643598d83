"""An import takes back nothing decided in Iris since the export: where Iris's newer text
stays, its review state and reviewer stay too, and a state the reviewer left as
exported does not replace the state Iris has now (two reviewers splitting one export
keep each other's work)."""

from __future__ import annotations

import pytest

from iris.governance.actions import Actor
from iris.jobs.models import Origin, Segment
from iris.review.actions import SegmentEdit, edit_segment, submit_import
from iris.review.coverage import coverage
from iris.review.importer import JobFacts, SegmentNow, judge
from iris.review.models import ImportStatus, ReviewFormat
from iris.review.package import ReadPackage, ReadUnit, ReviewState, target_fingerprint
from tests.review.helpers import edit_bilingual, edit_xliff, exported, job_in_review

MARK = " (revu)"
HOLD = {"segments": 100, "words": 100, "auto_deliver": False}
JOB = JobFacts("job-1", "fr", frozenset({"pkg-1"}), "en")


def judged(unit: ReadUnit, now: SegmentNow):
    return judge(ReadPackage("job-1", "pkg-1", "en", "fr", [unit]), JOB, {now.order: now})


def as_exported(target: str, state: ReviewState, **fields: object) -> ReadUnit:
    values: dict[str, object] = {"target": target, "state": state, "base_state": state}
    values.update(fields)
    return ReadUnit(
        key=1,
        raw_id="s1",
        base=target_fingerprint("Bonjour"),
        **values,  # type: ignore[arg-type]
    )


def test_a_kept_iris_edit_keeps_its_state_and_changes_nothing() -> None:
    now = SegmentNow(1, "Hello", "Bonjour !", ReviewState.REVIEWED, "")
    report = judged(as_exported("Bonjour", ReviewState.TRANSLATED), now)
    assert report.accepted
    assert report.changes == []
    assert [w.code for w in report.warnings] == ["kept_iris_edit"]
    assert report.as_json()["segments_changed"] == 0


def test_a_state_left_as_exported_keeps_the_newer_state_in_iris() -> None:
    now = SegmentNow(1, "Hello", "Bonjour", ReviewState.FINAL, "")
    assert judged(as_exported("Bonjour", ReviewState.TRANSLATED), now).changes == []


def test_a_state_the_reviewer_changed_is_taken_even_when_lower() -> None:
    now = SegmentNow(1, "Hello", "Bonjour", ReviewState.FINAL, "")
    unit = as_exported("Bonjour", ReviewState.TRANSLATED, base_state=ReviewState.FINAL)
    (change,) = judged(unit, now).changes
    assert (change.target, change.state) == (None, ReviewState.TRANSLATED)


def test_a_file_without_the_exported_state_gives_its_state_as_before() -> None:
    now = SegmentNow(1, "Hello", "Bonjour", ReviewState.REVIEWED, "")
    unit = as_exported("Bonjour", ReviewState.TRANSLATED, base_state=None)
    (change,) = judged(unit, now).changes
    assert change.state == ReviewState.TRANSLATED


def _orders(job) -> list[int]:
    rows = Segment.objects.filter(job=job).exclude(origin=Origin.NOT_TRANSLATABLE)
    return list(rows.order_by("order").values_list("order", flat=True))


def _reviewed(job) -> dict[int, str]:
    rows = Segment.objects.filter(job=job, review_state=ReviewState.REVIEWED)
    return dict(rows.values_list("order", "reviewed_by"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("fmt", "edit"), [(ReviewFormat.XLIFF, edit_xliff), (ReviewFormat.DOCX, edit_bilingual)]
)
def test_two_reviewers_of_one_export_keep_each_others_work(fmt, edit) -> None:
    job = job_in_review(policy=HOLD)
    first, second = _orders(job)[:2]
    package = exported(job, fmt)

    one = submit_import(job.pk, edit(package, {first: MARK}, None), "a", Actor(name="ana"))
    one.refresh_from_db()
    assert one.status == ImportStatus.APPLIED, one.report
    by_ana = _reviewed(job)  # the first segment, and its duplicates that followed it
    assert by_ana[first] == "ana"
    assert second not in by_ana
    other = submit_import(job.pk, edit(package, {second: MARK}, None), "b", Actor(name="ben"))
    other.refresh_from_db()

    assert other.status == ImportStatus.APPLIED, other.report
    assert (other.report["segments_changed"], other.report["targets_edited"]) == (1, 1)
    warned = [(w["code"], int(w["unit"][1:])) for w in other.report["warnings"]]
    assert warned == [("kept_iris_edit", order) for order in sorted(by_ana)]
    assert _reviewed(job) == by_ana | {second: "ben"}
    assert coverage(job.pk).segments_reviewed == len(by_ana) + 1

    again = submit_import(job.pk, package, "untouched", Actor(name="cy"))
    again.refresh_from_db()
    assert again.status == ImportStatus.APPLIED, again.report
    assert again.report["segments_changed"] == 0
    assert _reviewed(job) == by_ana | {second: "ben"}


@pytest.mark.django_db(transaction=True)
def test_a_state_set_in_iris_since_the_export_survives_an_untouched_file() -> None:
    job = job_in_review(policy=HOLD)
    order = _orders(job)[0]
    package = exported(job, ReviewFormat.XLIFF)
    edit_segment(job.pk, order, SegmentEdit(state=ReviewState.FINAL), Actor(name="ana"))

    row = submit_import(job.pk, edit_xliff(package, {}, None), "a.xlf", Actor(name="ben"))
    row.refresh_from_db()

    assert row.status == ImportStatus.APPLIED, row.report
    segment = Segment.objects.get(job=job, order=order)
    assert (segment.review_state, segment.reviewed_by) == (ReviewState.FINAL, "ana")


@pytest.mark.django_db(transaction=True)
def test_a_comment_alone_leaves_the_reviewer_as_it_was() -> None:
    job = job_in_review(policy=HOLD)
    order = _orders(job)[0]
    edit_segment(job.pk, order, SegmentEdit(state=ReviewState.REVIEWED), Actor(name="ana"))
    edit_segment(job.pk, order, SegmentEdit(comment="tone?"), Actor(name="ben"))
    segment = Segment.objects.get(job=job, order=order)
    assert (segment.review_comment, segment.reviewed_by) == ("tone?", "ana")
