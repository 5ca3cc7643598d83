"""The segment review editor: a job's segments side by side, filtered and paged by
keyset on ``order``, each edited or waived through `iris.review.actions` (the same
rules and QA as an import of one unit). Reviewers edit; everyone who sees the job
reads; a job that is not in review is shown read-only."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from iris.console.access import actor, can, fragment, job_for, requires
from iris.docx import TagError, escape_text, plain_text, scan, tag_strings
from iris.governance.permissions import Permission as P
from iris.jobs.models import Job, JobState, Origin, QaStatus, Segment
from iris.review.actions import ReviewError, SegmentEdit, edit_segment, waive_qa_error
from iris.review.coverage import Coverage, coverage
from iris.review.package import ReviewState

#: segments per page; the keyset (``order``) keeps every page as cheap as the first
PAGE_SIZE = 50
#: fuzzy bands of the filter: value -> (label, lowest score, highest score)
BANDS: dict[str, tuple[str, int | None, int | None]] = {
    "100": ("100 % and up", 100, None),
    "95": ("95–99 %", 95, 99),
    "85": ("85–94 %", 85, 94),
    "75": ("75–84 %", 75, 84),
    "50": ("50–74 %", 50, 74),
    "none": ("no match", None, None),
}
#: the states a reviewer may choose (``initial`` is what an empty target is)
STATES = [ReviewState.TRANSLATED, ReviewState.REVIEWED, ReviewState.FINAL]
#: what the editor reads of a segment (not the plain text, hash or machine target)
_FIELDS = (
    "order",
    "unit_id",
    "source",
    "target",
    "words",
    "origin",
    "qa_status",
    "qa_issues",
    "qa_waiver",
    "tm_matches",
    "tm_score",
    "terms",
    "review_state",
    "reviewed_by",
    "reviewed_at",
    "review_comment",
)
SHORTCUTS = "Control+Enter Alt+ArrowDown Alt+ArrowUp Control+Shift+S Control+Shift+T"


# --- filters and pages ---------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The editor's filters as the query string gives them (unknown values ignored)."""

    qa: bool = False
    unreviewed: bool = False
    band: str = ""
    q: str = ""

    @classmethod
    def of(cls, request: HttpRequest) -> Filters:
        band = request.GET.get("band", "")
        return cls(
            qa=request.GET.get("qa") == "error",
            unreviewed=request.GET.get("unreviewed") == "1",
            band=band if band in BANDS else "",
            q=request.GET.get("q", "").strip()[:200],
        )

    def query(self) -> str:
        """The filters as a query string (without the page's keyset)."""
        pairs = [("qa", "error" if self.qa else ""), ("unreviewed", "1" if self.unreviewed else "")]
        pairs += [("band", self.band), ("q", self.q)]
        return urlencode([(key, value) for key, value in pairs if value])

    def apply(self, rows: QuerySet[Segment]) -> QuerySet[Segment]:
        if self.qa:
            rows = rows.filter(qa_status=QaStatus.ERROR)
        if self.unreviewed:
            rows = rows.exclude(review_state__in=[ReviewState.REVIEWED, ReviewState.FINAL])
        if self.band:
            rows = rows.filter(_band(self.band))
        if self.q:
            # The source's plain text is stored; the target is tagged, so its escapes count.
            rows = rows.filter(
                Q(plain__icontains=self.q) | Q(target__icontains=escape_text(self.q))
            )
        return rows


def _band(band: str) -> Q:
    _, low, high = BANDS[band]
    if low is None:
        return Q(tm_score__isnull=True)
    return Q(tm_score__gte=low) & (Q(tm_score__lte=high) if high is not None else Q())


def _key(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@dataclass
class Page:
    """One page of segments: its rows and the keys of the pages around it."""

    rows: list[Row]
    after: int | None  # the next page starts after this order (None: last page)
    before: int | None  # the previous page ends before this order (None: first page)


def page_of(job: Job, filters: Filters, after: int | None, before: int | None) -> list[Segment]:
    """Up to PAGE_SIZE + 1 segments after (or before) a key, in document order: one
    query that walks the (job, order) index, however deep the page."""
    rows = Segment.objects.filter(job_id=job.pk).exclude(origin=Origin.NOT_TRANSLATABLE)
    rows = filters.apply(rows).only(*_FIELDS)
    if before is not None:
        found = list(rows.filter(order__lt=before).order_by("-order")[: PAGE_SIZE + 1])
        return found[::-1]
    if after is not None:
        rows = rows.filter(order__gt=after)
    return list(rows.order_by("order")[: PAGE_SIZE + 1])


def _page(job: Job, filters: Filters, request: HttpRequest, editable: bool) -> Page:
    after, before = _key(request, "after"), _key(request, "before")
    found = page_of(job, filters, after, None if after is not None else before)
    more = len(found) > PAGE_SIZE
    if before is not None and after is None:
        found, earlier = (found[1:], True) if more else (found, False)
        rows = [row_of(s, editable) for s in found]
        return Page(rows, found[-1].order if found else None, found[0].order if earlier else None)
    found = found[:PAGE_SIZE]
    rows = [row_of(s, editable) for s in found]
    next_key = found[-1].order if more and found else None
    return Page(rows, next_key, found[0].order if after is not None and found else None)


def _progress(job: Job, now: Coverage | None = None) -> dict[str, int]:
    """Reviewed segments and open QA errors of the job (``now``: its coverage, when an
    action has just computed it; else one aggregate query)."""
    now = now or coverage(job.pk, by_reviewer=False)
    return {
        "total": now.segments_total,
        "reviewed": now.segments_reviewed,
        "errors": now.qa_errors_open,
    }


# --- one segment as the editor shows it ----------------------------------------------------


@dataclass
class Row:
    """A segment with what its template needs worked out once, in Python."""

    segment: Segment
    editable: bool
    source_html: SafeString
    target_html: SafeString
    source_tags: list[str]
    issues: list[dict[str, Any]]
    matches: list[tuple[Any, SafeString]] = field(default_factory=list)
    target: str = ""  # the target text shown: the stored one, or what a refused save sent
    error: str = ""
    state: str = ""
    notes: list[str] = field(default_factory=list)
    version: str = ""  # what the form posts back as ``base``: see `version_of`
    comment: str = ""  # the comment shown: the stored one, or what a refused save sent
    conflict: Conflict | None = None

    @property
    def anchor(self) -> str:
        """What, after `_base`, opens the editor on the page that starts with this segment."""
        order = self.segment.order
        return f"?after={order - 1}#seg-{order}" if order else f"#seg-{order}"

    @property
    def key(self) -> str:
        """The order as text: templates localise numbers, which costs on every use."""
        return str(self.segment.order)


@dataclass(frozen=True)
class Conflict:
    """What a refused save sent, shown beside the segment as stored now."""

    stored_html: SafeString
    sent_html: SafeString
    sent_comment: str


def version_of(segment: Segment) -> str:
    """The segment as a page shows it, in 16 hex digits: the form posts it back as
    ``base``, and a save whose segment no longer has it (someone saved or imported in
    the meantime) is refused instead of writing the page's old text over theirs."""
    shown = json.dumps([segment.target, segment.review_state, segment.review_comment])
    return hashlib.sha256(shown.encode("utf-8")).hexdigest()[:16]


def row_of(segment: Segment, editable: bool, target: str | None = None, error: str = "") -> Row:
    shown = segment.target if target is None else target
    plain = _plain(shown)
    spans = [_span(issue.get("span"), plain) for issue in segment.qa_issues]
    issues = [
        {**issue, "excerpt": _excerpt(plain, span) if span else ""}
        for issue, span in zip(segment.qa_issues, spans, strict=True)
    ]
    return Row(
        segment=segment,
        editable=editable,
        source_html=chips(segment.source),
        target_html=chips(shown, [s for s in spans if s and target is None]),
        source_tags=_tags(segment.source),
        issues=issues,
        matches=[(m.get("score"), chips(str(m.get("target", "")))) for m in segment.tm_matches],
        target=shown,
        error=error,
        state=_shown_state(segment),
        version=version_of(segment),
        comment=segment.review_comment,
    )


def _shown_state(segment: Segment) -> str:
    return segment.review_state or (ReviewState.TRANSLATED if segment.target else "")


def _tags(tagged: str) -> list[str]:
    try:
        scan(tagged)
    except TagError:
        return []
    return tag_strings(tagged)


def _plain(tagged: str) -> str | None:
    try:
        return plain_text(tagged)
    except TagError:
        return None


def _span(value: object, plain: str | None) -> tuple[int, int] | None:
    if plain is None or not isinstance(value, list) or len(value) != 2:
        return None
    start, end = value
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (start, end)):
        return None
    return (start, end) if 0 <= start <= end <= len(plain) else None


def _excerpt(plain: str | None, span: tuple[int, int]) -> SafeString:
    assert plain is not None
    start, end = span
    before = plain[max(0, start - 20) : start]
    return format_html(
        "{}{}<mark>{}</mark>{}{}",
        "…" if start > 20 else "",
        before,
        plain[start:end] or "▏",
        plain[end : end + 20],
        "…" if end + 20 < len(plain) else "",
    )


def chips(tagged: str, spans: list[tuple[int, int]] | None = None) -> SafeString:
    """Tagged text as HTML: text escaped, each tag a chip that cannot be edited inside
    (the editor moves it whole and writes ``data-tag`` back), QA spans marked."""
    try:
        tokens = scan(tagged)
    except TagError:
        return escape(tagged)  # shown as it was sent
    parts: list[str] = []
    offset = 0
    for token in tokens:
        if token.kind == "text":
            parts.append(_marked(token.text, offset, spans or []))
            offset += len(token.text)
        else:
            parts.append(_chip(token.text))
    return mark_safe("".join(parts))  # every part is escaped on its way in


def _chip(tag: str) -> str:
    label = tag.strip("<>").rstrip("/")
    return (
        f'<span class="tag chip" contenteditable="false" draggable="true" '
        f'data-tag="{escape(tag)}" title="tag {escape(label)}">{escape(label)}</span>'
    )


def _marked(text: str, offset: int, spans: list[tuple[int, int]]) -> str:
    inside = [
        (max(start, offset) - offset, min(end, offset + len(text)) - offset)
        for start, end in spans
        if start < end and start < offset + len(text) and end > offset
    ]
    if not inside:
        return str(escape(text))
    out, at = [], 0
    for start, end in sorted(inside):
        start = max(start, at)
        if start >= end:
            continue
        out += [
            str(escape(text[at:start])),
            f'<mark class="qa-span">{escape(text[start:end])}</mark>',
        ]
        at = end
    return "".join(out) + str(escape(text[at:]))


# --- views -----------------------------------------------------------------------------------


def _editable(request: HttpRequest, job: Job) -> bool:
    return job.state == JobState.IN_REVIEW and can(request.user, P.REVIEW_EDIT)


def _context(request: HttpRequest, job: Job) -> dict[str, Any]:
    filters = Filters.of(request)
    editable = _editable(request, job)
    return {
        "section": "jobs",
        "job": job,
        "filters": filters,
        "query": filters.query(),
        "bands": [(value, label) for value, (label, _, _) in BANDS.items()],
        "page": _page(job, filters, request, editable),
        "editable": editable,
        "states": STATES,
        "shortcuts": SHORTCUTS,
        "base": _base(job),
    }


def _base(job: Job) -> str:
    """The editor's URL; a segment's URLs extend it (see urlpatterns below), so a page
    of fifty segments reverses one URL instead of two hundred."""
    return reverse("console:review", args=[job.pk])


@require_GET
@requires(P.JOB_VIEW)
def review_page(request: HttpRequest, job_id: int) -> HttpResponse:
    """The editor: filters, shortcuts and the first (or ``after``/``before``) page."""
    job = job_for(request, job_id)
    context = _context(request, job)
    if fragment(request):
        return render(request, "console/review/_segments.html", context)
    context["progress"] = _progress(job)
    context["in_review"] = job.state == JobState.IN_REVIEW
    return render(request, "console/review/page.html", context)


@require_GET
@requires(P.JOB_VIEW)
def review_segments(request: HttpRequest, job_id: int) -> HttpResponse:
    """The rows of one page, for "more segments" (appended by htmx)."""
    job = job_for(request, job_id)
    context = {**_context(request, job), "appended": True}  # no "previous" mid-list
    return render(request, "console/review/_segments.html", context)


@require_GET
@requires(P.JOB_VIEW)
def review_segment(request: HttpRequest, job_id: int, order: int) -> HttpResponse:
    """One segment's editor (as stored: what "discard changes" swaps back)."""
    job = job_for(request, job_id)
    segment = _segment(job, order)
    return _one(request, job, row_of(segment, _editable(request, job)))


def _segment(job: Job, order: int) -> Segment:
    found = Segment.objects.filter(job_id=job.pk, order=order).only(*_FIELDS).first()
    if found is None or found.origin == Origin.NOT_TRANSLATABLE:
        raise Http404(f"job {job.pk} has no translatable segment {order}")
    return found


def _one(
    request: HttpRequest,
    job: Job,
    row: Row,
    status: int = 200,
    also: list[Row] | None = None,
    now: Coverage | None = None,
) -> HttpResponse:
    """The segment as htmx swaps it in; without htmx, back to the editor after a save,
    or the segment on a page of its own with the refusal and the reviewer's text."""
    if not fragment(request) and not row.error:
        messages.success(request, f"Segment {row.segment.order} saved.")
        return redirect(_base(job) + row.anchor)
    context = {
        "job": job,
        "row": row,
        "states": STATES,
        "shortcuts": SHORTCUTS,
        "base": _base(job),
        "also": also or [],
        # the page's count of reviewed segments and open errors, swapped in beside
        "progress": _progress(job, now) if _changed(request, status) else None,
    }
    template = "console/review/_saved.html" if fragment(request) else "console/review/one.html"
    return render(request, template, context, status=status)


@require_POST
@requires(P.REVIEW_EDIT)
def review_save(request: HttpRequest, job_id: int, order: int) -> HttpResponse:
    """Save one segment through `edit_segment`, only the fields the reviewer changed; a
    refusal (the segment changed since the page showed it, an empty target, broken
    tags, the job no longer in review) comes back inline with the reviewer's text (422)."""
    job = job_for(request, job_id)
    # The job's row lock (the one `edit_segment` takes) is held from the comparison with
    # the page's ``base`` to the write, so two saves cannot both pass the comparison.
    with transaction.atomic():
        Job.objects.select_for_update().only("pk").get(pk=job.pk)
        segment = _segment(job, order)
        if request.POST.get("base") != version_of(segment):
            return _one(request, job, _conflict_row(request, job, segment), status=422)
        edit = _edit_of(request, segment)
        refused = _empty_target(segment, edit.target)
        try:
            if refused:
                raise ReviewError(refused)
            edited = edit_segment(job.pk, order, edit, actor(request))
        except ReviewError as exc:
            return _one(request, job, _refused_row(request, job, segment, str(exc)), status=422)
    job.refresh_from_db(fields=["state"])
    editable = _editable(request, job)
    row = row_of(edited.segment, editable)
    if job.state != JobState.IN_REVIEW:
        row.notes.append(f"Saved. The review gate is met: the job is now {job.state}.")
    also = [row_of(s, editable) for s in edited.followers]
    return _one(request, job, row, also=also, now=edited.coverage)


def _edit_of(request: HttpRequest, segment: Segment) -> SegmentEdit:
    """The fields the form changed from the segment it showed (which is the stored one:
    `review_save` compared them); a field left as shown is not written again."""
    target, comment, state = (
        request.POST.get("target"),
        request.POST.get("comment"),
        _state(request),
    )
    if state is not None and not request.POST.get("confirm") and state == _shown_state(segment):
        state = None
    return SegmentEdit(
        None if target == segment.target else target,
        state,
        None if comment == segment.review_comment else comment,
    )


def _empty_target(segment: Segment, target: str | None) -> str:
    """Why an emptied target is refused: the delivery keeps the source's text where a
    target is empty, so it would ship untranslated with no more than a QA waiver."""
    if target is None or not (_plain(segment.source) or "").strip():
        return ""
    plain = _plain(target)  # None: broken tags, which `edit_segment` reports
    if (target if plain is None else plain).strip():
        return ""
    return (
        "An empty translation is delivered as the source text: type the translation "
        "(Ctrl+Shift+S copies the source where it stays as it is)."
    )


def _refused_row(request: HttpRequest, job: Job, segment: Segment, error: str) -> Row:
    """The segment with what the refused save sent, and the page's ``base`` kept: the
    refusal does not make the page's view of the segment any newer."""
    row = row_of(segment, _editable(request, job), target=request.POST.get("target"), error=error)
    row.version = request.POST.get("base", "")
    row.comment = request.POST.get("comment", row.comment)
    return row


def _conflict_row(request: HttpRequest, job: Job, segment: Segment) -> Row:
    """The segment as stored now (a save from it is a save over what the reviewer has
    now seen), with what the refused save sent beside it to copy from."""
    row = row_of(segment, _editable(request, job))
    by = f", reviewed by {segment.reviewed_by}" if segment.reviewed_by else ""
    row.error = (
        f"Changed in Iris since this page was loaded (now {row.state or 'initial'}{by}): "
        "your save was not taken. The segment is shown as stored now and what you sent "
        "is below; reload the segment, or copy what should stay from your text and save again."
    )
    sent, comment = request.POST.get("target", ""), request.POST.get("comment", "")
    row.conflict = Conflict(chips(segment.target), chips(sent), comment)
    if not segment.review_comment:
        row.comment = comment  # it writes over nobody's comment: keep it in the form
    return row


def _changed(request: HttpRequest, status: int) -> bool:
    return fragment(request) and request.method == "POST" and status == 200


def _state(request: HttpRequest) -> ReviewState | None:
    if request.POST.get("confirm"):
        return ReviewState.REVIEWED
    value = request.POST.get("state", "")
    return ReviewState(value) if value in {str(s) for s in STATES} else None


@require_POST
@requires(P.REVIEW_EDIT)
def review_waive(request: HttpRequest, job_id: int, order: int) -> HttpResponse:
    """Waive a segment's QA error with a reason (audited by the action)."""
    job = job_for(request, job_id)
    segment = _segment(job, order)
    try:
        segment = waive_qa_error(job.pk, order, request.POST.get("reason", ""), actor(request))
    except ReviewError as exc:
        return _one(request, job, row_of(segment, _editable(request, job), error=str(exc)), 422)
    job.refresh_from_db(fields=["state"])
    return _one(request, job, row_of(segment, _editable(request, job)))


urlpatterns: list[URLPattern] = [
    path("jobs/<int:job_id>/review/", review_page, name="review"),
    path("jobs/<int:job_id>/review/segments", review_segments, name="review-segments"),
    path("jobs/<int:job_id>/review/segments/<int:order>/", review_segment, name="review-segment"),
    path("jobs/<int:job_id>/review/segments/<int:order>/save", review_save, name="review-save"),
    path("jobs/<int:job_id>/review/segments/<int:order>/waive", review_waive, name="review-waive"),
]
