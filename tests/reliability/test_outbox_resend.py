"""When the broker answers again after not answering, every task it may have lost (sent
but never claimed) is due at once; claimed ones are left to their leases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from iris.jobs.models import OutboxMessage
from iris.jobs.outbox import claim, resend_unclaimed
from iris.ops.queues import broker_reachable
from tests.support import closed_port

pytestmark = pytest.mark.django_db(transaction=True)


def test_unclaimed_tasks_are_due_at_once_when_the_broker_is_back() -> None:
    later = timezone.now() + timedelta(minutes=10)
    waiting = OutboxMessage.objects.create(task="t", args=[1], next_attempt=later)
    running = OutboxMessage.objects.create(
        task="t", args=[2], next_attempt=later, claimed_by="task-1", claimed_at=timezone.now()
    )
    assert resend_unclaimed() == 1
    waiting.refresh_from_db()
    running.refresh_from_db()
    assert waiting.next_attempt <= timezone.now()
    assert running.next_attempt == later


def test_a_broker_that_does_not_answer_is_not_reachable() -> None:
    assert not broker_reachable(f"redis://127.0.0.1:{closed_port()}/0", timeout=1)


def test_a_delivery_claims_only_the_row_of_its_own_task_and_arguments() -> None:
    """A message another database left in the broker may carry this row's id: it is
    ignored, and the row stays for its own delivery."""
    row = OutboxMessage.objects.create(task="iris.jobs.tasks.docx_reassemble", args=[7])
    assert not claim(row.pk, "stale-1", "iris.jobs.tasks.translate_batch", [7, 3])
    assert not claim(row.pk, "stale-2", "iris.jobs.tasks.docx_reassemble", [8])
    row.refresh_from_db()
    assert row.claimed_by == ""
    assert claim(row.pk, "real", "iris.jobs.tasks.docx_reassemble", (7,))
    row.refresh_from_db()
    assert row.claimed_by == "real"
