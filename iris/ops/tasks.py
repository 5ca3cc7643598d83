"""Operational tasks."""

from __future__ import annotations

import socket
from typing import Any

from iris.celery import app
from iris.ops.maintenance import run_tick


@app.task(
    name="iris.ops.tasks.ping",
    acks_late=True,
    soft_time_limit=10,
    time_limit=20,
    bind=True,
    ignore_result=False,  # its echo is its point (the pipeline's tasks store none)
)
def ping(self: Any, payload: str) -> dict[str, str]:
    """Echo ``payload`` with where it ran: proves a queue is consumed end to end."""
    info = self.request.delivery_info or {}
    return {
        "payload": payload,
        "hostname": self.request.hostname or socket.gethostname(),
        "queue": str(info.get("routing_key") or ""),
    }


@app.task(name="iris.ops.tasks.maintenance_tick", acks_late=True)
def maintenance_tick() -> None:
    """One maintenance tick (iris/ops/maintenance.py), as beat schedules it on the
    control queue; its summary is stored as a MaintenanceRun and logged. Safe to
    deliver twice: a tick redone finds nothing left, one overlapping exits at once."""
    run_tick()
