"""Operational tasks."""

from __future__ import annotations

import socket
from typing import Any

from iris.celery import app


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
