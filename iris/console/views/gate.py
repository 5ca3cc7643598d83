"""The review gate's console actions (iris/review): a reviewer's file imported, a
manager's "deliver now"."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from iris.console.access import actor, job_for, requires
from iris.governance.permissions import Permission as P
from iris.review.actions import ReviewError, deliver_now, submit_import
from iris.review.models import ImportStatus


class ImportForm(forms.Form):
    file = forms.FileField(label="Review file (XLIFF or bilingual DOCX)")
    repair = forms.BooleanField(label="Take repaired targets where tags are broken", required=False)
    conflicts = forms.ChoiceField(
        label="Where Iris and the file both changed a segment",
        choices=[("", "refuse the file"), ("package", "the file wins"), ("iris", "Iris wins")],
        required=False,
    )


@require_POST
@requires(P.REVIEW_DELIVER)
def deliver(request: HttpRequest, job_id: int) -> HttpResponse:
    job = job_for(request, job_id)
    try:
        deliver_now(job.pk, request.POST.get("reason", ""), actor(request))
    except ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"job {job.pk} goes on to delivery")
    return redirect("console:job", job_id=job.pk)


@require_POST
@requires(P.REVIEW_EDIT)
def import_review(request: HttpRequest, job_id: int) -> HttpResponse:
    """A reviewer's file, imported on the review queue (eagerly: at once); the report's
    outcome is the message, every refusal listed (the file itself is kept)."""
    job = job_for(request, job_id)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "import: choose the review file to import")
        return redirect("console:job", job_id=job.pk)
    upload = form.cleaned_data["file"]
    try:
        row = submit_import(
            job.pk,
            upload.read(),
            (upload.name or "review")[-200:],
            actor(request),
            repair=form.cleaned_data["repair"],
            conflicts=form.cleaned_data["conflicts"] or "",
        )
    except ReviewError as exc:
        messages.error(request, f"import: {exc}")
        return redirect("console:job", job_id=job.pk)
    row.refresh_from_db()
    report = row.report
    if row.status == ImportStatus.APPLIED:
        messages.success(request, f"imported: {report['segments_changed']} segment(s) changed")
    elif row.status == ImportStatus.REJECTED:
        problems = "; ".join(
            f"{p['unit'] + ': ' if p.get('unit') else ''}{p['message']}"
            for p in report["errors"][:10]
        )
        messages.error(request, f"import refused, nothing changed: {problems}")
    else:
        messages.info(request, f"import {row.pk} waits for a worker on the review queue")
    return redirect("console:job", job_id=job.pk)
