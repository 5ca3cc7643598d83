"""Step ``qa_verify``: tags are repaired where the engine damaged them, then every
segment is checked and its QA status and issues stored, plus a QA report artifact."""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import store_json
from iris.docx.errors import TagError
from iris.docx.tags import repair_tags, validate_tags
from iris.jobs.bulk import update_rows
from iris.jobs.models import Job, JobState, Origin, QaStatus, Segment, Step
from iris.jobs.states import transition
from iris.qa.checks import Issue, Severity, run_checks

REPAIRED = Issue("tags", Severity.WARNING, "tags were repaired after translation")


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


def _report(job: Job, segments: list[Segment]) -> dict[str, object]:
    counts = Counter(str(s.qa_status) for s in segments)
    return {
        "job": str(job.uuid),
        "segments": len(segments),
        "status_counts": dict(sorted(counts.items())),
        "issues": [
            {"unit_id": s.unit_id, "order": s.order, "issues": s.qa_issues}
            for s in segments
            if s.qa_issues
        ],
    }


def verify_job(job_id: int) -> bool:
    """Check every segment and move the job on; ``False`` if it is not verifying."""
    job = Job.objects.get(pk=job_id)
    if job.state != JobState.VERIFYING:
        return False
    segments = list(job.segments.order_by("order"))
    for segment in segments:
        verify_segment(segment)
    with transaction.atomic():
        update_rows(segments, ["target", "qa_status", "qa_issues"])
    store_json(job, ArtifactKind.QA_REPORT, "qa-report.json", _report(job, segments))
    # The review gate (in_review) arrives with the review issue; until then a verified
    # job goes straight to reassembly.
    moved = transition(
        job_id, JobState.REASSEMBLING, expect=frozenset({JobState.VERIFYING}), step=Step.REASSEMBLE
    )
    return moved is not None
