"""What the operations schedule leaves behind: one row per maintenance tick."""

from __future__ import annotations

from django.db import models


class MaintenanceRun(models.Model):
    """One run of ``maintenance_tick`` (iris/ops/maintenance.py) and its summary.

    ``summary``: ``steps`` holds, per step, what it did or found (``count``), one line
    for a person (``text``) and the ids behind the count (``detail``), or the ``error``
    that stopped the step; ``order`` the steps in the order they ran; ``seconds`` the
    duration. A tick that found another one running leaves no row.
    """

    started = models.DateTimeField(db_index=True)
    finished = models.DateTimeField()
    #: a rehearsal: the summary says what the tick would have done, nothing changed
    dry_run = models.BooleanField(default=False)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started", "-id"]

    def __str__(self) -> str:
        kind = "dry run" if self.dry_run else "tick"
        return f"maintenance {kind} {self.started:%Y-%m-%d %H:%M:%S}"
