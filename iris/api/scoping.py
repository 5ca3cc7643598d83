"""Which rows a caller may see: all for an admin, their teams' for everyone else.
Rows outside the scope answer 404 (a 403 would say they exist)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from iris.governance.models import Role, Team
from iris.governance.permissions import role_of, team_ids
from iris.jobs.models import Job


def visible_jobs(user: User | AnonymousUser | None) -> QuerySet[Job]:
    jobs = Job.objects.select_related("creator", "team")
    role = role_of(user)
    if role is None or not isinstance(user, User):
        return jobs.none()
    return jobs if role == Role.ADMIN else jobs.filter(team_id__in=team_ids(user))


def visible_teams(user: User | AnonymousUser | None) -> QuerySet[Team]:
    role = role_of(user)
    if role is None or not isinstance(user, User):
        return Team.objects.none()
    return Team.objects.all() if role == Role.ADMIN else Team.objects.filter(pk__in=team_ids(user))
