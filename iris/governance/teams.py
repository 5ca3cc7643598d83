"""Teams: the owners of jobs (their members see them)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from iris.governance.actions import Actor, record_audit
from iris.governance.models import Role, Team
from iris.governance.permissions import role_of, team_ids


def create_team(name: str, actor: Actor) -> Team:
    with transaction.atomic():
        team = Team.objects.create(name=name)
        record_audit(actor, "team.created", team, after={"name": name})
    return team


class TeamChoiceError(ValueError):
    """The team that would own new jobs cannot be decided: ``code`` says why
    (``unknown-team``, ``team-required``), the message what to do."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def owning_team(user: User, name: str = "") -> int | None:
    """The team that will own jobs ``user`` creates: the one named (among theirs), or
    their only team; an admin may leave it empty (no team: admins alone see the jobs).
    Raises `TeamChoiceError`."""
    role = role_of(user)
    teams = Team.objects.all() if role == Role.ADMIN else Team.objects.filter(pk__in=team_ids(user))
    if name:
        team = teams.filter(name=name).first()
        if team is None:
            raise TeamChoiceError("unknown-team", f"you are not in a team named {name!r}")
        return team.pk
    mine = [*teams[:2]] if role != Role.ADMIN else []
    if len(mine) == 1:
        return mine[0].pk
    if role == Role.ADMIN:
        return None
    if mine:
        raise TeamChoiceError("team-required", "name the team that owns the jobs (field team)")
    raise TeamChoiceError("team-required", "you belong to no team: an admin must add you to one")
