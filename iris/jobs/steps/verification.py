"""Step ``qa_verify``: duplicates take their original's translation and verdict, any
segment still unchecked is checked (damaged tags repaired first), and the QA report
artifact is stored. Segments are checked as their batch is saved (translate_batch), so
on a normal run only the duplicates and the report are left to this step.

Idempotent: only segments still ``pending`` are checked, and their results are written
in one transaction, so a re-run after a crash checks nothing twice (a repaired target
is never re-checked as if the engine had written it) and writes the same report.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import store_json
from iris.docx.errors import TagError
from iris.docx.tags import repair_tags, validate_tags
from iris.jobs.bulk import update_values
from iris.jobs.models import Job, Origin, QaStatus, Segment, count_done
from iris.qa.checks import Issue, Severity, run_checks

REPAIRED = Issue("tags", Severity.WARNING, "tags were repaired after translation")


def _tags_valid(source: str, target: str) -> bool:
    try:
        return not validate_tags(source, target)
    except TagError:
        return False


@dataclass(frozen=True)
class Verdict:
    target: str
    status: QaStatus
    issues: list[dict[str, str]]


def verify(source: str, target: str, origin: str, engine_flag: str = "") -> Verdict:
    """Check one translated segment: its (possibly repaired) target, status, issues.

    Damaged tags are repaired first (a warning); the repaired target is then checked
    like any other, the tag check included, so a failed repair is an error. What the
    engine flagged itself (``engine_flag``) is an error.
    """
    issues: list[Issue] = [Issue("engine", Severity.ERROR, engine_flag)] if engine_flag else []
    if origin != Origin.NOT_TRANSLATABLE:
        valid = _tags_valid(source, target)
        if not valid:
            target = repair_tags(source, target)
            issues.append(REPAIRED)
        issues += run_checks(source, target, skip={"tags"} if valid else ())
    severities = {issue.severity for issue in issues}
    status = (
        QaStatus.ERROR
        if Severity.ERROR in severities
        else QaStatus.WARNING
        if severities
        else QaStatus.PASSED
    )
    return Verdict(target, status, [issue.as_dict() for issue in issues])


def fill_duplicates(job_id: int) -> None:
    """Copy each original's translation to the segments that repeat its source."""
    duplicates = list(
        Segment.objects.filter(
            job_id=job_id, duplicate_of_order__isnull=False, origin=Origin.PENDING
        ).values_list("pk", "duplicate_of_order", "words")
    )
    if not duplicates:
        return
    originals = {
        order: rest
        for order, *rest in Segment.objects.filter(
            job_id=job_id, order__in={order for _, order, _ in duplicates}
        ).values_list("order", "target", "qa_status", "qa_issues")
    }
    # Same source, same target: the original's verdict is the duplicate's (an original
    # still unchecked leaves its duplicates unchecked too, for _check_pending).
    # duplicate_of_order is never null here: the query selects on it.
    copied = [(pk, *originals[order or 0], Origin.REUSED) for pk, order, _ in duplicates]
    update_values(Segment, ("target", "qa_status", "qa_issues", "origin"), copied)
    count_done(job_id, len(duplicates), sum(words for _, _, words in duplicates))


def _check_pending(job: Job) -> None:
    """Check every translated segment not checked yet (duplicates wait for theirs)."""
    pending = job.segments.filter(qa_status=QaStatus.PENDING).exclude(origin=Origin.PENDING)
    flagged = []
    rows = pending.exclude(origin=Origin.NOT_TRANSLATABLE).values_list(
        "pk", "source", "target", "origin"
    )
    for pk, source, target, origin in rows:
        verdict = verify(source, target, origin)
        if verdict.status != QaStatus.PASSED:
            flagged.append((pk, verdict.target, verdict.status, verdict.issues))
    update_values(Segment, ("target", "qa_status", "qa_issues"), flagged)
    pending.update(qa_status=QaStatus.PASSED)  # every other pending segment passed


def verify_job(job: Job) -> None:
    """Fill duplicates, check every unchecked segment, store the QA report."""
    with transaction.atomic():
        # The job row's lock makes a concurrent re-run wait, so duplicates are filled
        # and counted once and no segment is checked twice.
        Job.objects.select_for_update().only("pk").get(pk=job.pk)
        _check_pending(job)  # originals first: a duplicate copies its original's verdict
        fill_duplicates(job.pk)
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
