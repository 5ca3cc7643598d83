"""Writing audit records (always inside the caller's transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import models

from iris.governance.models import AuditRecord

SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """Who acts: a user (with the IP the request came from) or the system."""

    user: User | None = None
    source_ip: str | None = None

    @property
    def label(self) -> str:
        return self.user.get_username() if self.user is not None else SYSTEM


SYSTEM_ACTOR = Actor()


def record_audit(
    actor: Actor,
    action: str,
    obj: models.Model,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditRecord:
    """Store one audit record for ``action`` on ``obj``."""
    return AuditRecord.objects.create(
        actor=actor.user if actor.user is not None and actor.user.pk else None,
        actor_label=actor.label,
        source_ip=actor.source_ip,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before or {},
        after=after or {},
    )
