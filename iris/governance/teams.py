"""Teams: the owners of jobs (their members see them)."""

from __future__ import annotations

from django.db import transaction

from iris.governance.actions import Actor, record_audit
from iris.governance.models import Team


def create_team(name: str, actor: Actor) -> Team:
    with transaction.atomic():
        team = Team.objects.create(name=name)
        record_audit(actor, "team.created", team, after={"name": name})
    return team
