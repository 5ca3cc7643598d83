"""Step ``qa_verify``: duplicates take their original's translation and verdict, any
segment still unchecked is checked (damaged tags repaired first), the job checks
(inconsistent translations across the job) add their findings, and the QA report is
stored as JSON and as one HTML page. Segments are checked as their batch is saved
(translate_batch), with the job's languages and QA policy (:class:`QaContext`), so on a
normal run only the duplicates, the job checks and the report are left to this step.

Idempotent: only segments still ``pending`` are checked, and their results are written
in one transaction, so a re-run after a crash checks nothing twice (a repaired target
is never re-checked as if the engine had written it) and writes the same report.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction
from django.db.models import Count

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import store_artifact, store_json
from iris.docx import TagError, repair_tags, validate_tags
from iris.engines.base import PermanentError, Term
from iris.engines.registry import engine_class
from iris.jobs.bulk import update_values
from iris.jobs.models import Job, Origin, QaStatus, Segment, count_done
from iris.jobs.steps.context import job_analysis
from iris.qa.checks import JOB_REGISTRY, Issue, QaPolicy, Severity, run_checks, run_job_checks
from iris.qa.report import counts_by_check, render_html

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
    issues: list[dict[str, Any]]


@dataclass(frozen=True)
class QaContext:
    """What QA knows of a job besides each segment: its languages, the glossary terms
    of the segment at hand (:meth:`with_terms`) and its QA policy (the checks it runs,
    the severities it changes: the job's ``qa_policy`` option)."""

    source_lang: str = ""
    target_lang: str = ""
    terms: Sequence[Term] = ()
    policy: QaPolicy = field(default_factory=lambda: QaPolicy.from_spec(None))

    def with_terms(self, terms: Sequence[dict[str, Any]]) -> QaContext:
        """This context for one segment: the glossary terms found in its source (as
        ``Segment.terms`` stores them)."""
        if not terms and not self.terms:
            return self
        return replace(self, terms=tuple(Term(**term) for term in terms))

    @classmethod
    def of(cls, job: Job) -> QaContext:
        policy = QaPolicy.from_spec(job.qa_policy or None)
        if not engine_class(job.engine).translates:
            # Pseudo-localisation is in no language: judging it would flag every line.
            policy = replace(policy, enabled=policy.enabled - {"language"})
        return cls(job.source_lang, job.target_lang, (), policy)


def verify(
    source: str,
    target: str,
    origin: str,
    engine_flag: str = "",
    qa: QaContext | None = None,
) -> Verdict:
    """Check one translated segment: its (possibly repaired) target, status, issues.

    Damaged tags are repaired first (a warning); the repaired target is then checked
    like any other, the tag check included, so a failed repair is an error. What the
    engine flagged itself (``engine_flag``) is an error.
    """
    qa = qa or QaContext()
    issues: list[Issue] = [Issue("engine", Severity.ERROR, engine_flag)] if engine_flag else []
    if origin != Origin.NOT_TRANSLATABLE:
        valid = _tags_valid(source, target)
        if not valid:
            target = repair_tags(source, target)
            issues.append(REPAIRED)
        issues += run_checks(
            source,
            target,
            source_lang=qa.source_lang,
            target_lang=qa.target_lang,
            terms=qa.terms,
            enabled=qa.policy.enabled,
            skip={"tags"} if valid else (),
        )
    found = [issue.as_dict() for issue in qa.policy.apply(issues)]
    return Verdict(target, _status(found), found)


def _status(issues: list[dict[str, Any]]) -> QaStatus:
    severities = {issue["severity"] for issue in issues}
    if Severity.ERROR in severities:
        return QaStatus.ERROR
    return QaStatus.WARNING if severities else QaStatus.PASSED


def repair_outcome(before: Verdict, after: Verdict, findings: str) -> Verdict:
    """What the repair loop keeps of a translation with QA errors (``before``) and the
    engine's second answer given the ``findings`` (``after``): the second when it has
    no error left, noted as repaired; otherwise the one with fewer errors, noted as a
    failed repair (an error for review, counted in the summary)."""
    if after.status != QaStatus.ERROR:
        note = Issue(
            "repaired",
            Severity.WARNING,
            f"the first translation failed QA ({findings}); the engine's second answer passed",
        )
        issues = [*after.issues, note.as_dict()]
        return Verdict(after.target, _status(issues), issues)

    def errors(verdict: Verdict) -> int:
        return sum(1 for issue in verdict.issues if issue["severity"] == Severity.ERROR)

    kept = after if errors(after) < errors(before) else before
    note = Issue(
        "repair_failed",
        Severity.ERROR,
        "sent back to the engine once with the findings; its second answer failed QA too",
    )
    issues = [*kept.issues, note.as_dict()]
    return Verdict(kept.target, QaStatus.ERROR, issues)


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


def _check_pending(job: Job, qa: QaContext) -> None:
    """Check every translated segment not checked yet (duplicates wait for theirs)."""
    pending = job.segments.filter(qa_status=QaStatus.PENDING).exclude(origin=Origin.PENDING)
    flagged = []
    rows = pending.exclude(origin=Origin.NOT_TRANSLATABLE).values_list(
        "pk", "source", "target", "origin", "terms"
    )
    for pk, source, target, origin, terms in rows:
        verdict = verify(source, target, origin, qa=qa.with_terms(terms))
        if verdict.status != QaStatus.PASSED:
            flagged.append((pk, verdict.target, verdict.status, verdict.issues))
    update_values(Segment, ("target", "qa_status", "qa_issues"), flagged)
    pending.update(qa_status=QaStatus.PASSED)  # every other pending segment passed


def _check_job(job: Job, qa: QaContext) -> None:
    """The job checks (inconsistent translations across the job) over every translated
    segment, their findings added to the segments concerned. Tagged texts are
    compared: the same words with different formatting are different translations."""
    translated = job.segments.exclude(origin=Origin.NOT_TRANSLATABLE)
    found = run_job_checks(
        translated.values_list("pk", "source", "target"), enabled=qa.policy.enabled
    )
    if not found:
        return
    rows = translated.filter(pk__in=list(found)).values_list("pk", "qa_issues")
    updated = []
    for pk, issues in rows:
        # A re-run of the step replaces what the job checks found, never adds it twice.
        kept = [issue for issue in issues or () if issue["check"] not in JOB_REGISTRY]
        added = [issue.as_dict() for issue in qa.policy.apply(found[pk])]
        updated.append((pk, _status(kept + added), kept + added))
    update_values(Segment, ("qa_status", "qa_issues"), updated)


def verify_job(job: Job) -> None:
    """Fill duplicates, check every unchecked segment, store the QA report; raise
    :class:`NothingTranslated` when the engine's every answer was unusable."""
    with transaction.atomic():
        # The job row's lock makes a concurrent re-run wait, so duplicates are filled
        # and counted once and no segment is checked twice.
        Job.objects.select_for_update().only("pk").get(pk=job.pk)
        qa = QaContext.of(job)
        _check_pending(job, qa)  # originals first: a duplicate copies its original's verdict
        fill_duplicates(job.pk)
        _check_job(job, qa)
    report = qa_report(job)
    store_json(job, ArtifactKind.QA_REPORT, "qa-report.json", report)
    store_json(job, ArtifactKind.ANALYSIS, "analysis.json", job_analysis(job.pk))
    store_artifact(job, ArtifactKind.QA_REPORT_HTML, "qa-report.html", render_html(report).encode())
    if not job.review_required:  # after the reports: they list what the engine answered
        _refuse_if_nothing_translated(job)


class NothingTranslated(PermanentError):
    """Every segment the engine was sent came back unusable (flagged by the engine):
    the document would be delivered in its source language."""


def _refuse_if_nothing_translated(job: Job) -> None:
    """Fail the job rather than deliver the source as its translation: the engine's
    answer to every segment it was sent failed its own checks (a model that refuses or
    does not answer in the JSON asked for, a wrong model or server). A job whose
    engine translated some segments is delivered, its failures flagged for review; a
    job in review is left to its reviewers."""
    sent = job.segments.filter(origin=Origin.ENGINE)
    if sent.exclude(qa_status=QaStatus.ERROR).exists():
        return  # one usable answer is enough (the cheap, usual case)
    reasons = []
    for issues in sent.values_list("qa_issues", flat=True).iterator():
        flagged = [i["message"] for i in issues or () if i.get("check") == "engine"]
        if not flagged:
            return
        reasons.append(flagged[0])
    if reasons:
        raise NothingTranslated(
            f"the engine gave no usable translation for any of the {len(reasons)} "
            f"segment(s) it was sent (the first: {reasons[0]}); nothing is delivered: "
            f"check the {job.engine} engine's settings (model, server) and translate again"
        )


def qa_report(job: Job) -> dict[str, object]:
    """The QA report, from the database: the job, status counts, counts by check and
    severity, and every flagged segment's issues with its tagged source and target."""
    counts = dict(job.segments.order_by().values_list("qa_status").annotate(n=Count("id")))
    flagged = job.segments.exclude(qa_status=QaStatus.PASSED).order_by("order")
    rows = flagged.values_list("unit_id", "order", "qa_issues", "source", "target")
    entries = [
        {"unit_id": unit_id, "order": order, "issues": issues, "source": source, "target": target}
        for unit_id, order, issues, source, target in rows
        if issues
    ]
    return {
        "job": str(job.uuid),
        "title": job.title,
        "source_lang": job.source_lang,
        "target_lang": job.target_lang,
        "engine": job.engine,
        "segments": sum(counts.values()),
        "status_counts": dict(sorted(counts.items())),
        "counts_by_check": counts_by_check(entries),
        "terms": term_compliance(job.pk),
        "issues": entries,
    }


TERM_CHECKS = ("glossary", "forbidden_terms")


def term_compliance(job_id: int) -> dict[str, Any]:
    """Glossary compliance: of the terms found in the job's sources (each required term
    and forbidden variant once per segment), the share QA found followed."""
    rows = Segment.objects.filter(job_id=job_id).exclude(terms=[]).values_list("terms", "qa_issues")
    return compliance_of(rows)


def compliance_of(
    rows: Iterable[tuple[list[dict[str, Any]], list[dict[str, Any]] | None]],
) -> dict[str, Any]:
    """:func:`term_compliance` of (terms, qa_issues) rows of the segments with terms."""
    checked = violations = 0
    for terms, issues in rows:
        checked += len({(term["source"], term["forbidden"]) for term in terms})
        violations += sum(1 for issue in issues or () if issue.get("check") in TERM_CHECKS)
    share = None if not checked else round(100 * (checked - violations) / checked, 1)
    return {"terms": checked, "violations": violations, "compliance": share}
