"""Writing audit records (always inside the caller's transaction)."""

from __future__ import annotations

import getpass
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import models

from iris.governance.models import AuditRecord

SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """Who acts, and from where: a user of the API (or console), the person at the
    command line (``name``, their operating-system user) or the system itself."""

    user: User | None = None
    source_ip: str | None = None
    role: str = ""
    user_agent: str = ""
    request_id: str = ""
    #: who acts when no user does: the operating-system user for the command line
    name: str = ""

    @property
    def label(self) -> str:
        if self.user is not None:
            return str(self.user.get_username())
        return self.name or SYSTEM

    def to_message(self) -> dict[str, Any]:
        """What a task needs to record this actor in another process."""
        data = asdict(self)
        data["user"] = self.user.pk if self.user is not None else None
        return data

    @classmethod
    def from_message(cls, data: dict[str, Any]) -> Actor:
        user_id = data.get("user")
        user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
        return cls(**{**data, "user": user})


SYSTEM_ACTOR = Actor()


def command_line_actor() -> Actor:
    """The person running ``iris`` or ``manage.py``: their operating-system user."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, no USER variable (a bare container)
        name = "unknown"
    return Actor(name=f"os:{name}", role="cli")


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
        actor_label=actor.label[:150],
        role=actor.role,
        source_ip=actor.source_ip,
        user_agent=actor.user_agent[:512],
        request_id=actor.request_id[:64],
        action=action,
        object_type=object_type,
        object_id=object_id[:64],
        before=before or {},
        after=after or {},
    )
