"""Who may see and do what in the console: the API's permission matrix
(iris/governance/permissions.py) and job scoping (iris/api/scoping.py), applied to
session users. A view names the permission it needs; templates ask `can`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from iris.api.scoping import visible_jobs
from iris.governance.actions import Actor
from iris.governance.permissions import Permission, allows, role_of
from iris.governance.requests import request_actor
from iris.jobs.models import Job

View = Callable[..., HttpResponseBase]


def requires(permission: Permission) -> Callable[[View], View]:
    """A console view for signed-in users whose role has ``permission``: others are
    sent to the login page (anonymous) or shown a 403 page that says what is missing."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), "console:login")
            if not allows(role_of(user), permission):
                return forbidden(request, permission)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def forbidden(request: HttpRequest, permission: Permission) -> HttpResponse:
    role = role_of(request.user) or "no role"
    context = {"permission": permission.value, "role": role}
    return render(request, "console/forbidden.html", context, status=403)


def can(user: User | AnonymousUser, permission: Permission) -> bool:
    return allows(role_of(user), permission)


def job_for(request: HttpRequest, job_id: int) -> Job:
    """A job the user may see (their teams'; every job for admins), else 404."""
    job = visible_jobs(request.user).filter(pk=job_id).select_related("creator", "team").first()
    if job is None:
        raise Http404(f"no job {job_id} you can see")
    return job


def actor(request: HttpRequest) -> Actor:
    """The session user as the audit log records them, with address and user agent."""
    return request_actor(request)


def permissions(request: HttpRequest) -> dict[str, Any]:
    """Template context: ``can.job_control`` … for every permission, and the role."""
    user = getattr(request, "user", None)  # None on pages outside the console (API docs)
    role = role_of(user) if user is not None and user.is_authenticated else None
    flags = {p.name.lower(): allows(role, p) for p in Permission}
    return {"can": flags, "role": str(role or "")}


def fragment(request: HttpRequest) -> bool:
    """An htmx request: answer with the fragment it swaps in, not the whole page."""
    return request.headers.get("HX-Request") == "true"
