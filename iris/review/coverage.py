"""Review coverage and the review gate: how much of a job has been reviewed, and
whether it may be delivered."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from iris.jobs.models import Job, Origin, QaStatus, Segment
from iris.review.models import CoverageSnapshot
from iris.review.package import REVIEWED_STATES
from iris.review.policy import ReviewPolicy

_REVIEWED = [str(state) for state in REVIEWED_STATES]


@dataclass(frozen=True)
class Coverage:
    """Translatable segments and words of a job, how many are reviewed (by whom), and
    the QA errors neither fixed nor waived."""

    segments_total: int = 0
    segments_reviewed: int = 0
    words_total: int = 0
    words_reviewed: int = 0
    qa_errors_open: int = 0
    by_reviewer: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def segments_pct(self) -> float:
        return _pct(self.segments_reviewed, self.segments_total)

    @property
    def words_pct(self) -> float:
        return _pct(self.words_reviewed, self.words_total)

    def as_json(self) -> dict[str, object]:
        return {
            "segments_total": self.segments_total,
            "segments_reviewed": self.segments_reviewed,
            "segments_pct": round(self.segments_pct, 1),
            "words_total": self.words_total,
            "words_reviewed": self.words_reviewed,
            "words_pct": round(self.words_pct, 1),
            "qa_errors_open": self.qa_errors_open,
            "by_reviewer": self.by_reviewer,
        }


def _pct(part: int, whole: int) -> float:
    return 100.0 if whole == 0 else 100.0 * part / whole


def coverage(job_id: int, *, by_reviewer: bool = True) -> Coverage:
    """The job's coverage now: one aggregate query, whatever the job's size (a segment
    save asks for it), and a second for the share of each reviewer unless
    ``by_reviewer`` is False (the gate does not need it)."""
    rows = Segment.objects.filter(job_id=job_id).exclude(origin=Origin.NOT_TRANSLATABLE)
    reviewed = Q(review_state__in=_REVIEWED)
    totals = rows.aggregate(
        n_segments=Count("pk"),
        n_words=Coalesce(Sum("words"), 0),
        n_reviewed=Count("pk", filter=reviewed),
        n_words_reviewed=Coalesce(Sum("words", filter=reviewed), 0),
        n_errors=Count("pk", filter=Q(qa_status=QaStatus.ERROR, qa_waiver="")),
    )
    shares: dict[str, dict[str, int]] = {}
    per_reviewer = rows.filter(reviewed).values("reviewed_by").order_by()
    for row in (
        per_reviewer.annotate(n_segments=Count("pk"), n_words=Sum("words")) if by_reviewer else ()
    ):
        mine = shares.setdefault(row["reviewed_by"] or "unknown", {"segments": 0, "words": 0})
        mine["segments"] += row["n_segments"]
        mine["words"] += row["n_words"] or 0
    return Coverage(
        totals["n_segments"],
        totals["n_reviewed"],
        totals["n_words"],
        totals["n_words_reviewed"],
        totals["n_errors"],
        shares,
    )


@dataclass(frozen=True)
class Gate:
    """Whether a job in review may be delivered, and if not, why (one sentence each)."""

    met: bool
    reasons: list[str]
    coverage: Coverage
    policy: ReviewPolicy


def gate(job: Job, now: Coverage | None = None) -> Gate:
    """The review gate of ``job`` under its policy (``now``: its coverage, when the
    caller has just computed it)."""
    policy = ReviewPolicy.from_json(job.review_policy)
    now = now or coverage(job.pk)
    reasons = []
    if now.segments_pct < policy.segments:
        reasons.append(
            f"{now.segments_pct:.1f} % of segments reviewed, {policy.segments} % required"
        )
    if now.words_pct < policy.words:
        reasons.append(f"{now.words_pct:.1f} % of words reviewed, {policy.words} % required")
    if now.qa_errors_open:
        reasons.append(f"{now.qa_errors_open} QA error(s) neither fixed nor waived")
    return Gate(not reasons, reasons, now, policy)


def take_snapshot(job_id: int, now: Coverage | None = None) -> CoverageSnapshot:
    """Store the job's coverage (``now`` when the caller has just computed it)."""
    now = now or coverage(job_id)
    return CoverageSnapshot.objects.create(
        job_id=job_id,
        segments_total=now.segments_total,
        segments_reviewed=now.segments_reviewed,
        words_total=now.words_total,
        words_reviewed=now.words_reviewed,
        qa_errors_open=now.qa_errors_open,
        by_reviewer=now.by_reviewer,
    )


def refresh_snapshots(job_ids: list[int]) -> int:
    """A snapshot for each job whose coverage changed since its last one (or that has
    none); the number taken. The maintenance tick calls this for jobs in review."""
    taken = 0
    for job_id in job_ids:
        now = coverage(job_id)
        last = CoverageSnapshot.objects.filter(job_id=job_id).order_by("-taken_at", "-id").first()
        if last is None or _counts(last) != _counts(now):
            take_snapshot(job_id, now)
            taken += 1
    return taken


def _counts(cover: Coverage | CoverageSnapshot) -> tuple[object, ...]:
    return (
        cover.segments_total,
        cover.segments_reviewed,
        cover.words_total,
        cover.words_reviewed,
        cover.qa_errors_open,
        cover.by_reviewer,
    )
