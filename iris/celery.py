"""The Celery application and the queue contract (DESIGN.md §3), declared only here.

Every pipeline step has its own queue, and the task that does the step is named after
the queue (``iris.<app>.tasks.<queue>``), so routing is one table. Which step uses
which queue, and what runs after it, is the flow table's business (iris/jobs/flow.py).
Workers choose what they consume with ``-Q``; one worker may consume all of
:data:`QUEUES`.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

from celery import Celery
from celery.signals import worker_init, worker_process_init
from django.conf import settings
from kombu import Queue

from iris.ops.process import settle_heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iris.settings")

#: queue name -> dotted name of the task that serves it
TASK_FOR_QUEUE: dict[str, str] = {
    "docx_convert": "iris.jobs.tasks.docx_convert",
    "docx_extract": "iris.jobs.tasks.docx_extract",
    "retrieve_context": "iris.jobs.tasks.retrieve_context",
    "translate_batch": "iris.jobs.tasks.translate_batch",
    "qa_verify": "iris.jobs.tasks.qa_verify",
    "review_io": "iris.review.tasks.review_io",
    "docx_reassemble": "iris.jobs.tasks.docx_reassemble",
    "job_control": "iris.jobs.tasks.job_control",
}
QUEUES: tuple[str, ...] = tuple(TASK_FOR_QUEUE)
#: Operational tasks (health probes, maintenance) ride on the control queue.
DEFAULT_QUEUE = "job_control"

app = Celery("iris")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_queues=[Queue(name, routing_key=name) for name in QUEUES],
    task_default_queue=DEFAULT_QUEUE,
    task_default_routing_key=DEFAULT_QUEUE,
    task_routes={task: {"queue": queue} for queue, task in TASK_FOR_QUEUE.items()},
    # A task is acknowledged only when it finished, so a killed worker's task is
    # redelivered; tasks are idempotent (DESIGN.md §3) for exactly that reason.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_send_sent_event=True,
    worker_send_task_events=True,
    task_eager_propagates=True,
    # Django's LOGGING (iris/ops/logging.py) stays in charge inside workers too.
    worker_hijack_root_logger=False,
    broker_connection_retry_on_startup=True,
)
#: packages whose ``tasks`` module Celery imports (workers at start, others on first send)
TASK_PACKAGES = ["iris.ops", "iris.jobs", "iris.review"]
app.autodiscover_tasks(TASK_PACKAGES)

# The one schedule, declared only here: beat sends a maintenance tick to the control
# queue every IRIS_MAINTENANCE_SECONDS. A tick no worker took within its interval
# expires: the next one does the same work, and a backlog of ticks would only queue up.
app.conf.beat_schedule = {
    "maintenance_tick": {
        "task": "iris.ops.tasks.maintenance_tick",
        "schedule": float(settings.IRIS_MAINTENANCE_SECONDS),
        "options": {"queue": DEFAULT_QUEUE, "expires": float(settings.IRIS_MAINTENANCE_SECONDS)},
    },
}


@worker_init.connect
@worker_process_init.connect
def _settle(**_kwargs: Any) -> None:
    """A worker (and each pool child) starts its work with a settled heap."""
    settle_heap()


def load_tasks() -> None:
    """Import the task modules now (a process that sends tasks before any worker-style
    start-up, such as an eager run). Unlike ``import_default_modules`` this does not
    run Celery's Django fix-up, which would set Django up a second time."""
    app.autodiscover_tasks(TASK_PACKAGES, force=True)


def task_named(name: str) -> Any:
    """The registered task called ``name``, importing its module first when this process
    has not (Celery imports task modules on first use, not before). A task is named
    after its module (``iris.jobs.tasks.docx_extract``): an eager run imports the
    pipeline's tasks, not every package's."""
    if name not in app.tasks:
        module, _, _ = name.rpartition(".")
        if module.removesuffix(".tasks") in TASK_PACKAGES:
            importlib.import_module(module)
    if name not in app.tasks:
        load_tasks()
    return app.tasks[name]


def queue_for(task_name: str) -> str:
    """The queue a task name is routed to (the default queue when no route matches)."""
    route = app.amqp.router.route({}, task_name)
    queue = route["queue"]
    return str(queue.name)
