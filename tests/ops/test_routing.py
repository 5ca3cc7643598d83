"""The queue contract: every queue is routed, declared and served by a real worker."""

from __future__ import annotations

import pytest

from iris.celery import QUEUES, TASK_FOR_QUEUE, app, load_tasks, queue_for
from iris.ops.tasks import ping

CONTRACT = (
    "docx_convert",
    "docx_extract",
    "retrieve_context",
    "translate_batch",
    "qa_verify",
    "review_io",
    "docx_reassemble",
    "job_control",
)


def test_the_queues_are_declared_once() -> None:
    assert QUEUES == CONTRACT
    declared = [queue.name for queue in app.conf.task_queues]
    assert declared == list(CONTRACT)


@pytest.mark.parametrize("queue", CONTRACT)
def test_each_queue_has_its_task_routed_to_it(queue: str) -> None:
    assert queue_for(TASK_FOR_QUEUE[queue]) == queue


@pytest.mark.parametrize("queue", CONTRACT)
def test_every_routed_queue_has_a_registered_task(queue: str) -> None:
    load_tasks()
    assert TASK_FOR_QUEUE[queue] in app.tasks, queue


def test_unrouted_tasks_go_to_the_control_queue() -> None:
    assert queue_for(ping.name) == "job_control"


def test_task_options_follow_the_contract() -> None:
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert conf.worker_send_task_events is True


def test_eager_in_the_embedded_default(settings) -> None:
    assert settings.IRIS_ASYNC is False
    assert app.conf.task_always_eager is True
    assert ping.delay("hello").get(timeout=5)["payload"] == "hello"


@pytest.mark.services
@pytest.mark.parametrize("queue", CONTRACT)
def test_a_task_sent_through_each_queue_runs_on_the_real_worker(celery_worker, queue) -> None:
    result = ping.apply_async(args=(f"through {queue}",), queue=queue)
    reply = result.get(timeout=30)
    assert reply["payload"] == f"through {queue}"
    assert reply["hostname"] == celery_worker.name
    assert reply["queue"] == queue
