"""Jobs: the list with live progress, one job's detail with its controls, and the
controls themselves (pause, resume, cancel, retry), each an action of iris/jobs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from iris.api.scoping import visible_jobs
from iris.artifacts.links import issue_link
from iris.console.access import actor, fragment, job_for, requires
from iris.governance.permissions import Permission as P
from iris.jobs.actions import ALLOWED, Command, request_control
from iris.jobs.models import Job, JobState
from iris.jobs.progress import for_status, report_of, status_of
from iris.jobs.states import IllegalTransition
from iris.review.coverage import gate

PAGE_SIZE = 25
#: how often open pages ask for fresh progress (htmx polling), in seconds
POLL_SECONDS = 2


def _filtered(request: HttpRequest) -> tuple[Any, dict[str, str]]:
    jobs = visible_jobs(request.user)
    chosen = {key: request.GET.get(key, "").strip() for key in ("state", "lang", "q")}
    if chosen["state"]:
        jobs = jobs.filter(state=chosen["state"])
    if chosen["lang"]:
        jobs = jobs.filter(target_lang__iexact=chosen["lang"])
    if chosen["q"]:
        jobs = jobs.filter(Q(source_name__icontains=chosen["q"]) | Q(uuid__startswith=chosen["q"]))
    return jobs, chosen


@requires(P.JOB_VIEW)
def job_list(request: HttpRequest) -> HttpResponse:
    jobs, chosen = _filtered(request)
    page = Paginator(for_status(jobs), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "section": "jobs",
        "page": page,
        "statuses": [status_of(job) for job in page],
        "chosen": chosen,
        "states": JobState.choices,
        "query": _without_page(request),
        "here": request.GET.urlencode(),
        "poll": POLL_SECONDS,
    }
    template = "console/jobs/_rows.html" if fragment(request) else "console/jobs/list.html"
    return render(request, template, context)


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _job_context(job: Job) -> dict[str, Any]:
    report = report_of(job)
    artifacts = [(a, issue_link(a, None).url) for a in job.artifacts.order_by("kind", "created")]
    in_review = job.state == JobState.IN_REVIEW
    return {
        "section": "jobs",
        "job": job,
        "report": report,
        "status": report.status,
        "artifacts": artifacts,
        "controls": [c for c in Command if job.state in ALLOWED[c]],
        "gate": gate(job) if in_review or job.review_required else None,
        "poll": POLL_SECONDS,
        "live": not report.status.finished and not report.status.waits_for_people,
    }


@requires(P.JOB_VIEW)
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = job_for(request, job_id)
    context = _job_context(job)
    template = "console/jobs/_live.html" if fragment(request) else "console/jobs/detail.html"
    return render(request, template, context)


@require_POST
@requires(P.JOB_CONTROL)
def job_control(request: HttpRequest, job_id: int, command: str) -> HttpResponse:
    job = job_for(request, job_id)
    try:
        request_control(job, Command(command), actor(request))
    except (ValueError, IllegalTransition) as exc:
        messages.error(request, f"{command}: {exc}")
    else:
        messages.success(request, f"{command} requested for job {job.pk}")
    return redirect("console:job", job_id=job.pk)
