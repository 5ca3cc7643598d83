"""Step ``qa_verify``: duplicates take their original's translation, damaged tags are
repaired, every segment is checked, and a QA report artifact is stored.

Idempotent: only segments still ``pending`` are checked, and their results are written
in one transaction, so a re-run after a crash checks nothing twice (a repaired target
is never re-checked as if the engine had written it) and writes the same report.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import store_json
from iris.docx.errors import TagError
from iris.docx.tags import repair_tags, validate_tags
from iris.jobs.bulk import update_rows
from iris.jobs.models import Job, Origin, QaStatus, Segment, count_done
from iris.qa.checks import Issue, Severity, run_checks

REPAIRED = Issue("tags", Severity.WARNING, "tags were repaired after translation")
FIELDS = ("job", "order", "unit_id", "source", "target", "origin")


def _tags_valid(segment: Segment) -> bool:
    try:
        return not validate_tags(segment.source, segment.target)
    except TagError:
        return False


def verify_segment(segment: Segment) -> None:
    """Set ``qa_status`` and ``qa_issues`` of one translated segment.

    Damaged tags are repaired first (a warning); the repaired target is then checked
    like any other, the tag check included, so a failed repair is an error.
    """
    issues: list[Issue] = []
    if segment.origin != Origin.NOT_TRANSLATABLE:
        valid = _tags_valid(segment)
        if not valid:
            segment.target = repair_tags(segment.source, segment.target)
            issues.append(REPAIRED)
        issues += run_checks(segment.source, segment.target, skip={"tags"} if valid else ())
    severities = {issue.severity for issue in issues}
    segment.qa_issues = [issue.as_dict() for issue in issues]
    segment.qa_status = (
        QaStatus.ERROR
        if Severity.ERROR in severities
        else QaStatus.WARNING
        if severities
        else QaStatus.PASSED
    )


def fill_duplicates(job_id: int) -> None:
    """Copy each original's translation to the segments that repeat its source."""
    duplicates = list(
        Segment.objects.filter(
            job_id=job_id, duplicate_of_order__isnull=False, origin=Origin.PENDING
        ).only("job", "order", "words", "duplicate_of_order")
    )
    if not duplicates:
        return
    originals = dict(
        Segment.objects.filter(
            job_id=job_id, order__in={d.duplicate_of_order for d in duplicates}
        ).values_list("order", "target")
    )
    for duplicate in duplicates:
        original = duplicate.duplicate_of_order
        assert original is not None  # selected by duplicate_of_order__isnull=False
        duplicate.target, duplicate.origin = originals[original], Origin.REUSED
    update_rows(duplicates, ["target", "origin"])
    count_done(job_id, duplicates)


def _check_pending(job: Job) -> None:
    pending = job.segments.filter(qa_status=QaStatus.PENDING)
    flagged = []
    for segment in pending.exclude(origin=Origin.NOT_TRANSLATABLE).only(*FIELDS):
        verify_segment(segment)
        if segment.qa_status != QaStatus.PASSED:
            flagged.append(segment)
    update_rows(flagged, ["target", "qa_status", "qa_issues"])
    pending.update(qa_status=QaStatus.PASSED)  # every other pending segment passed


def verify_job(job: Job) -> None:
    """Fill duplicates, check every unchecked segment, store the QA report."""
    with transaction.atomic():
        # The job row's lock makes a concurrent re-run wait, so duplicates are filled
        # and counted once and no segment is checked twice.
        Job.objects.select_for_update().only("pk").get(pk=job.pk)
        fill_duplicates(job.pk)
        _check_pending(job)
    store_json(job, ArtifactKind.QA_REPORT, "qa-report.json", qa_report(job))


def qa_report(job: Job) -> dict[str, object]:
    """The QA report: status counts and every segment's issues, from the database."""
    counts = dict(job.segments.order_by().values_list("qa_status").annotate(n=Count("id")))
    flagged = job.segments.exclude(qa_status=QaStatus.PASSED).order_by("order")
    return {
        "job": str(job.uuid),
        "segments": sum(counts.values()),
        "status_counts": dict(sorted(counts.items())),
        "issues": [
            {"unit_id": unit_id, "order": order, "issues": issues}
            for unit_id, order, issues in flagged.values_list("unit_id", "order", "qa_issues")
            if issues
        ],
    }
