"""``manage.py iris_status``: per queue, how many tasks wait and which workers consume it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from iris.celery import QUEUES
from iris.ops.queues import queue_consumers, queue_depths
from iris.ops.redact import masked


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
            where = masked(settings.IRIS_BROKER_URL)
            raise CommandError(f"broker {where} unreachable: {exc}") from exc
        width = max(len(name) for name in QUEUES)
        self.stdout.write(f"{'queue':<{width}}  depth  workers")
        for name in QUEUES:
            workers = ", ".join(consumers.get(name, [])) or "none"
            self.stdout.write(f"{name:<{width}}  {depths[name]:>5}  {workers}")
