"""Review actions: export packages, import a reviewer's file, edit or waive one
segment, check the gate, deliver now. Each owns its transaction and audit record; the
job moves on only through `iris.jobs.actions.release_review`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rapidfuzz.distance import Levenshtein

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import read_artifact, store_artifact
from iris.docx import plain_text
from iris.governance.actions import SYSTEM_ACTOR, Actor, record_audit
from iris.jobs import flow
from iris.jobs.actions import release_review
from iris.jobs.models import Job, JobState, Origin, QaStatus, Segment
from iris.jobs.steps.verification import QaContext, verify
from iris.review import formats
from iris.review.coverage import Coverage, coverage, gate, take_snapshot
from iris.review.importer import (
    Change,
    ConflictChoice,
    ImportReport,
    JobFacts,
    Problem,
    SegmentNow,
    judge,
)
from iris.review.models import ImportStatus, ReviewExport, ReviewFormat, ReviewImport
from iris.review.package import (
    REVIEWED_STATES,
    PackageError,
    ReadPackage,
    ReadUnit,
    ReviewState,
    unit_name,
)
from iris.review.packaging import review_package

#: job states in which review packages can be exported (targets exist)
EXPORTABLE = frozenset({JobState.IN_REVIEW, JobState.COMPLETED})
_ARTIFACT_KIND = {
    ReviewFormat.XLIFF: ArtifactKind.REVIEW_XLIFF,
    ReviewFormat.DOCX: ArtifactKind.REVIEW_DOCX,
}


class ReviewError(ValueError):
    """A review action that cannot be done now (wrong state, unknown segment, no reason
    given…): one sentence for the user."""


class ReviewFileTooLargeError(ReviewError):
    """A reviewer's file over ``IRIS_MAX_UPLOAD_MB``: refused before anything is stored."""


# --- export -----------------------------------------------------------------------------


def export_package(job_id: int, fmt: ReviewFormat, actor: Actor = SYSTEM_ACTOR) -> ReviewExport:
    """Write the job's review package in ``fmt`` and store it as an artifact."""
    job = Job.objects.get(pk=job_id)
    if job.state not in EXPORTABLE:
        raise ReviewError(
            f"Job {job_id} is {job.state}: review packages exist once it is in review."
        )
    export = ReviewExport(job=job, format=fmt, created_by=actor.label[:150])
    package = review_package(job, str(export.package))
    data = formats.write(package, fmt)
    name = formats.file_name(job.source_name, job.target_lang, fmt)
    with transaction.atomic():
        export.artifact = store_artifact(job, _ARTIFACT_KIND[fmt], name, data)
        export.units = len(package.units)
        export.save()
        record_audit(
            actor,
            "review.export",
            job,
            after={"format": fmt, "package": str(export.package), "units": export.units},
        )
    return export


def prepare_review(job_id: int) -> None:
    """What the review step does as a job enters review: both packages exported (once),
    a first coverage snapshot, and the gate checked (a policy may need nothing)."""
    job = Job.objects.get(pk=job_id)
    if job.state != JobState.IN_REVIEW:
        return
    done = set(job.review_exports.values_list("format", flat=True))
    for fmt in ReviewFormat:
        if fmt not in done:
            export_package(job_id, fmt)
    after_review(job_id, snapshot=True)


# --- import -----------------------------------------------------------------------------


def submit_import(
    job_id: int,
    data: bytes,
    name: str,
    actor: Actor = SYSTEM_ACTOR,
    *,
    repair: bool = False,
    conflicts: ConflictChoice = "",
) -> ReviewImport:
    """Keep the reviewer's file (an artifact, whatever happens next) and queue its
    import on the review queue; the import's report says what it did."""
    limit = settings.IRIS_MAX_UPLOAD_MB
    if len(data) > limit * 2**20:
        raise ReviewFileTooLargeError(f"the file is larger than {limit} MiB; nothing was stored")
    job = Job.objects.get(pk=job_id)
    if job.state != JobState.IN_REVIEW:
        raise ReviewError(f"Job {job_id} is {job.state}: only a job in review takes a review file.")
    if conflicts not in ("", "package", "iris"):
        raise ReviewError("conflicts takes package or iris.")
    with transaction.atomic():
        artifact = store_artifact(job, ArtifactKind.REVIEW_IMPORT, name, data, replace=False)
        row = ReviewImport.objects.create(
            job=job,
            created_by=actor.user if actor.user is not None and actor.user.pk else None,
            created_by_label=actor.label[:150],
            artifact=artifact,
            options={"repair": repair, "conflicts": conflicts},
        )
        flow.send_review_import(job_id, row.pk)
    return row


def run_import(import_id: int) -> ReviewImport:
    """Read, judge and (all or nothing) apply an uploaded file. Idempotent: an import
    already finished is returned as it is."""
    row = ReviewImport.objects.select_related("job", "artifact", "created_by").get(pk=import_id)
    if row.status != ImportStatus.PENDING:
        return row
    actor = Actor(user=row.created_by, name=row.created_by_label)
    try:
        assert row.artifact is not None
        fmt, read = formats.read(read_artifact(row.artifact))
    except PackageError as error:
        return _finish(
            row, "", ImportReport(errors=[Problem("unreadable_file", str(error))]), actor
        )
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=row.job_id)
        if job.state != JobState.IN_REVIEW:
            problem = Problem("not_in_review", f"The job is {job.state}, no longer in review.")
            return _finish(row, fmt, ImportReport(errors=[problem]), actor)
        rows = _segments_now(job.pk)
        facts = JobFacts(str(job.uuid), job.target_lang, _packages(job), job.source_lang)
        options = row.options
        report = judge(
            read,
            facts,
            rows,
            repair=bool(options.get("repair")),
            conflicts=options.get("conflicts", ""),
        )
        if report.accepted:
            apply_changes(job, report.changes, actor)
        row = _finish(row, fmt, report, actor)
    if report.accepted:
        after_review(job.pk, snapshot=True)
    return row


def _finish(row: ReviewImport, fmt: str, report: ImportReport, actor: Actor) -> ReviewImport:
    row.format = fmt
    row.report = report.as_json()
    row.status = ImportStatus.APPLIED if report.accepted else ImportStatus.REJECTED
    row.finished_at = timezone.now()
    row.save(update_fields=["format", "report", "status", "finished_at"])
    record_audit(
        actor,
        "review.import",
        row.job,
        after={
            "import": row.pk,
            "status": row.status,
            "changed": row.report["segments_changed"],
            "errors": len(report.errors),
        },
    )
    return row


def _packages(job: Job) -> frozenset[str]:
    return frozenset(str(p) for p in job.review_exports.values_list("package", flat=True))


def _segments_now(job_id: int, order: int | None = None) -> dict[int, SegmentNow]:
    """The job's translatable segments as the judge sees them (only ``order``'s when
    given: one segment is edited)."""
    fields = ("order", "source", "target", "review_state", "review_comment")
    rows = Segment.objects.filter(job_id=job_id).exclude(origin=Origin.NOT_TRANSLATABLE)
    if order is not None:
        rows = rows.filter(order=order)
    return {r[0]: SegmentNow(*r) for r in rows.values_list(*fields)}


# --- applying changes ---------------------------------------------------------------------

_FIELDS = [
    "target",
    "origin",
    "machine_target",
    "edit_distance",
    "qa_status",
    "qa_issues",
    "qa_waiver",
    "review_state",
    "reviewed_by",
    "reviewed_at",
    "review_comment",
]


def apply_changes(job: Job, changes: Sequence[Change], actor: Actor) -> list[Segment]:
    """Write ``changes`` to the job's segments (inside the caller's transaction): new
    targets re-checked by QA, who reviewed what and when, and the edit distance from the
    machine output. A duplicate that still had its original's old target follows it.
    Returns every segment written: the changed ones, then the duplicates that followed
    each."""
    by_order = {change.order: change for change in changes}
    if not by_order:
        return []
    rows = Segment.objects.select_for_update().filter(job_id=job.pk)
    segments = {s.order: s for s in rows.filter(order__in=list(by_order))}
    qa = QaContext.of(job)
    now = timezone.now()
    touched = []
    for order, change in by_order.items():
        segment = segments[order]
        old_target = segment.target
        # Only a review decision (a new target or state) names the actor as reviewer; a
        # comment alone leaves who reviewed the segment as it was.
        decided = change.target is not None or change.state != segment.review_state
        if change.target is not None:
            _new_target(segment, change.target, qa)
        _review(segment, change.state, change.comment, actor, now, decided=decided)
        touched.append(segment)
        if change.target is not None:
            touched += _followers(job.pk, segment, old_target, set(by_order), qa, actor, now)
    Segment.objects.bulk_update(touched, _FIELDS, batch_size=500)
    return touched


def _new_target(segment: Segment, target: str, qa: QaContext) -> None:
    if not segment.machine_target and segment.origin != Origin.HUMAN:
        segment.machine_target = segment.target
    verdict = verify(segment.source, target, Origin.HUMAN, qa=qa.with_terms(segment.terms))
    segment.target = verdict.target
    segment.origin = Origin.HUMAN
    segment.qa_status = verdict.status
    segment.qa_issues = verdict.issues
    segment.qa_waiver = ""
    base = plain_text(segment.machine_target) if segment.machine_target else ""
    segment.edit_distance = Levenshtein.distance(base, plain_text(segment.target))


def _review(
    segment: Segment,
    state: ReviewState,
    comment: str,
    actor: Actor,
    now: Any,
    *,
    decided: bool = True,
) -> None:
    segment.review_state = state
    segment.review_comment = comment
    if decided and state in REVIEWED_STATES:
        segment.reviewed_by = actor.label[:150]
        segment.reviewed_at = now


def _followers(
    job_id: int,
    original: Segment,
    old_target: str,
    changed: set[int],
    qa: QaContext,
    actor: Actor,
    now: Any,
) -> list[Segment]:
    """Duplicates of ``original`` (same source, translated once) that still carry its
    old target take the new one, unless the same import changes them itself."""
    found = Segment.objects.select_for_update().filter(
        job_id=job_id, duplicate_of_order=original.order, target=old_target
    )
    followers = []
    for segment in found.exclude(order__in=list(changed)):
        _new_target(segment, original.target, qa)
        _review(segment, ReviewState(original.review_state), original.review_comment, actor, now)
        followers.append(segment)
    return followers


# --- one segment at a time (API, console) ----------------------------------------------


@dataclass(frozen=True)
class SegmentEdit:
    target: str | None = None
    state: ReviewState | None = None
    comment: str | None = None


@dataclass(frozen=True)
class Edited:
    """A segment as an edit left it, the duplicates that followed its new target, and
    the job's coverage after it."""

    segment: Segment
    followers: list[Segment]
    coverage: Coverage


def edit_segment(job_id: int, order: int, edit: SegmentEdit, actor: Actor) -> Edited:
    """Change one segment of a job in review (target, state, comment): the same rules
    and QA as an import of one unit. Raises `ReviewError` with the tag problem."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.state != JobState.IN_REVIEW:
            raise ReviewError(f"Job {job_id} is {job.state}: only a job in review is edited.")
        rows = _segments_now(job_id, order)
        if order not in rows:
            raise ReviewError(f"Job {job_id} has no translatable segment {order}.")
        comment = rows[order].review_comment if edit.comment is None else edit.comment
        unit = ReadUnit(order, unit_name(order), edit.target, edit.state, None, comment)
        facts = JobFacts(str(job.uuid), job.target_lang, frozenset())
        read = ReadPackage(facts.uuid, None, None, None, [unit])
        report = judge(read, facts, rows)
        if not report.accepted:
            raise ReviewError(report.errors[0].message)
        written = apply_changes(job, report.changes, actor)
        record_audit(actor, "review.edit", job, after={"segment": order, **_edit_json(edit)})
    now = after_review(job_id)
    followers = [s for s in written if s.order != order]
    return Edited(Segment.objects.get(job_id=job_id, order=order), followers, now)


def _edit_json(edit: SegmentEdit) -> dict[str, Any]:
    return {k: v for k, v in vars(edit).items() if v is not None}


def waive_qa_error(job_id: int, order: int, reason: str, actor: Actor) -> Segment:
    """Accept a segment's QA error as it is, with a reason (audited)."""
    reason = reason.strip()
    if not reason:
        raise ReviewError("A waiver needs a reason.")
    with transaction.atomic():
        segment = Segment.objects.select_for_update().filter(job_id=job_id, order=order).first()
        if segment is None or segment.qa_status != QaStatus.ERROR:
            raise ReviewError(f"Segment {order} of job {job_id} has no QA error to waive.")
        segment.qa_waiver = reason
        segment.save(update_fields=["qa_waiver"])
        record_audit(actor, "review.waive", segment.job, after={"segment": order, "reason": reason})
    after_review(job_id)
    return segment


# --- the gate ------------------------------------------------------------------------------


def after_review(job_id: int, *, snapshot: bool = False) -> Coverage:
    """After review work: coverage computed once, stored as a snapshot when asked (an
    import, the job entering review; single edits are snapshotted by the maintenance
    tick when coverage changed, not one row per save of a reviewer), and the gate
    released when its policy delivers automatically. Returns the coverage."""
    now = coverage(job_id, by_reviewer=snapshot)
    if snapshot:
        take_snapshot(job_id, now)
    job = Job.objects.get(pk=job_id)
    if job.state == JobState.IN_REVIEW:
        found = gate(job, now)
        if found.met and found.policy.auto_deliver:
            release_review(job_id)
    return now


def deliver_now(job_id: int, reason: str, actor: Actor) -> Job:
    """A manager's "deliver now": the job goes on to delivery whatever its review
    coverage, and the audit log records who, why and the coverage it had.

    Only a delivery that happened is recorded: the job is locked while its state is
    checked, and the audit record is written after the move, in the same transaction,
    so of concurrent requests one delivers and is audited and the others are refused."""
    if not reason.strip():
        raise ReviewError("Delivering before the review gate is met needs a reason.")
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.state != JobState.IN_REVIEW:
            raise ReviewError(f"Job {job_id} is {job.state}, not waiting for review.")
        now = gate(job)
        released = release_review(job_id, actor)
        assert released is not None  # it raises rather than move nothing
        record_audit(
            actor,
            "review.deliver_now",
            released,
            after={
                "reason": reason.strip(),
                "gate_met": now.met,
                "coverage": now.coverage.as_json(),
            },
        )
    return released
