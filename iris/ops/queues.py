"""The broker's view of the queues: depths, consumers, and why a job is not moving."""

from __future__ import annotations

from django.conf import settings

from iris.celery import QUEUES, app
from iris.ops.redact import masked


def broker_reachable(url: str | None = None, timeout: int = 2) -> bool:
    """Whether the broker (``url``, else the configured one) answers a connection now
    (one quick try)."""
    try:
        with app.connection_for_write(url, connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)
    except Exception:  # any transport failure: not reachable
        return False
    return True


def queue_depths() -> dict[str, int]:
    """Messages waiting in each queue, read from the broker without consuming any."""
    depths: dict[str, int] = {}
    with app.connection_for_write(connect_timeout=3) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=3)
        channel = conn.default_channel
        for name in QUEUES:
            declared = channel.queue_declare(  # type: ignore[attr-defined]
                queue=name, passive=False, durable=True
            )
            depths[name] = int(declared.message_count)
    return depths


def queue_consumers(timeout: float = 1.5) -> dict[str, list[str]]:
    """Worker host names per queue, as the workers themselves report them."""
    consumers: dict[str, list[str]] = {name: [] for name in QUEUES}
    replies = app.control.inspect(timeout=timeout).active_queues() or {}
    for worker, queues in sorted(replies.items()):
        for queue in queues:
            consumers.setdefault(queue["name"], []).append(worker)
    return consumers


def why_waiting(queue: str | None) -> str:
    """A sentence on why work for ``queue`` may not be progressing: the broker cannot
    be reached, or no worker consumes the queue; empty when neither is the case."""
    try:
        consumers = queue_consumers()
    except Exception as exc:  # any broker failure: its cause is the answer
        return f"the broker at {masked(settings.IRIS_BROKER_URL)} cannot be reached ({exc})"
    if not any(consumers.values()):
        return "no worker is running (start one: celery -A iris worker)"
    if queue is not None and not consumers.get(queue):
        return f"no worker consumes the queue {queue} (start one with -Q {queue})"
    return ""
