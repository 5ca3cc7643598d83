"""The review gate's console action: a manager's "deliver now" (iris/review)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from iris.console.access import actor, job_for, requires
from iris.governance.permissions import Permission as P
from iris.review.actions import ReviewError, deliver_now


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
