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
    obj: models.Model | tuple[str, str],
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditRecord:
    """Store one audit record for ``action`` on ``obj``: a model instance, or (type,
    id) for what is not one row (a memory import, every unit an engine produced)."""
    object_type, object_id = obj if isinstance(obj, tuple) else (obj._meta.label_lower, str(obj.pk))
    return AuditRecord.objects.create(
        actor=actor.user if actor.user is not None and actor.user.pk else None,
        actor_label=actor.label,
        source_ip=actor.source_ip,
        action=action,
        object_type=object_type,
        object_id=object_id[:64],
        before=before or {},
        after=after or {},
    )
