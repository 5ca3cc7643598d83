"""'Deliver now' is audited only when it delivered: a refused request (the job already
delivered, cancelled, or taken by a concurrent request) leaves no audit record."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from iris.governance.actions import Actor
from iris.governance.models import AuditRecord
from iris.jobs.models import Job, JobState
from iris.jobs.states import IllegalTransition, transition
from iris.review.actions import ReviewError, deliver_now

pytestmark = pytest.mark.django_db(transaction=True)
MANAGER = Actor(name="manager")
REFUSED = (ReviewError, IllegalTransition)


def _audited(job: Job) -> int:
    return AuditRecord.objects.filter(action="review.deliver_now", object_id=str(job.pk)).count()


def _waiting_for_review() -> Job:
    """A job in review (no segments: the gate is not met, deliver now goes on anyway)."""
    return Job.objects.create(
        source_name="a.docx",
        source_lang="en",
        target_lang="fr",
        engine="pseudo",
        review_required=True,
        state=JobState.IN_REVIEW,
    )


def _in_thread(call: Callable[[], object]) -> Callable[[], object]:
    """``call`` in a thread of its own (its own database connection); the returned
    function waits for it and gives its result or raises its error."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["result"] = call()
        except Exception as exc:
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()

    def result() -> object:
        thread.join(30)
        assert not thread.is_alive()
        if "error" in outcome:
            raise outcome["error"]  # type: ignore[misc]
        return outcome["result"]

    return result


def _wait_for_a_lock_wait(timeout: float = 10) -> None:
    """Until another session of this database waits for a row lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("deliver_now never waited for the job's lock")


def test_a_second_deliver_now_is_refused_and_not_audited() -> None:
    job = _waiting_for_review()
    deliver_now(job.pk, "client deadline", MANAGER)
    with pytest.raises(REFUSED):
        deliver_now(job.pk, "again", MANAGER)
    assert _audited(job) == 1


@pytest.mark.services  # row locks: PostgreSQL
def test_a_job_that_leaves_review_while_deliver_now_waits_is_not_audited() -> None:
    """The job is cancelled while a deliver now for it is under way: that one is
    refused, and nothing records a delivery that did not happen."""
    job = _waiting_for_review()
    with transaction.atomic():
        Job.objects.select_for_update().get(pk=job.pk)
        result = _in_thread(lambda: deliver_now(job.pk, "client deadline", MANAGER))
        _wait_for_a_lock_wait()
        transition(job.pk, JobState.CANCELLED)
    with pytest.raises(REFUSED):
        result()
    assert _audited(job) == 0


@pytest.mark.services  # concurrent writers: PostgreSQL
def test_of_concurrent_deliver_now_one_delivers_and_only_it_is_audited() -> None:
    job = _waiting_for_review()
    start = threading.Barrier(20)

    def deliver(n: int) -> str:
        start.wait()
        try:
            deliver_now(job.pk, f"request {n}", MANAGER)
        except REFUSED:
            return "refused"
        finally:
            connections.close_all()
        return "delivered"

    with ThreadPoolExecutor(20) as pool:
        outcomes = list(pool.map(deliver, range(20)))
    assert sorted(outcomes) == ["delivered"] + ["refused"] * 19
    assert _audited(job) == 1
