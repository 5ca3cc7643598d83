"""``manage.py iris_status``: per queue, how many tasks wait and which workers consume it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from iris.celery import QUEUES, app


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


class Command(BaseCommand):
    help = "Show each task queue's depth and the workers consuming it."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.IRIS_ASYNC:
            self.stdout.write("async is off (IRIS_ASYNC=false): tasks run in-process, no queues.")
            return
        try:
            depths = queue_depths()
            consumers = queue_consumers()
        except Exception as exc:  # any broker failure becomes one clear line
            raise CommandError(f"broker {settings.IRIS_BROKER_URL} unreachable: {exc}") from exc
        width = max(len(name) for name in QUEUES)
        self.stdout.write(f"{'queue':<{width}}  depth  workers")
        for name in QUEUES:
            workers = ", ".join(consumers.get(name, [])) or "none"
            self.stdout.write(f"{name:<{width}}  {depths[name]:>5}  {workers}")
