"""The job state machine: the table of legal transitions and the one function that
changes a job's state (and audits it)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from iris.governance.actions import SYSTEM_ACTOR, Actor, record_audit
from iris.jobs.models import Job, JobState

S = JobState

#: state -> states it may move to. Retry leaves ``failed`` for the step that failed;
#: resume leaves ``paused`` for the state the job was paused in.
TRANSITIONS: dict[JobState, frozenset[JobState]] = {
    S.QUEUED: frozenset({S.CONVERTING, S.EXTRACTING, S.PAUSED, S.CANCELLED, S.FAILED}),
    S.CONVERTING: frozenset({S.EXTRACTING, S.CANCELLED, S.FAILED, S.REJECTED}),
    S.EXTRACTING: frozenset({S.TRANSLATING, S.CANCELLED, S.FAILED, S.REJECTED}),
    S.TRANSLATING: frozenset({S.VERIFYING, S.PAUSED, S.CANCELLED, S.FAILED}),
    S.VERIFYING: frozenset({S.IN_REVIEW, S.REASSEMBLING, S.CANCELLED, S.FAILED}),
    S.IN_REVIEW: frozenset({S.REASSEMBLING, S.CANCELLED, S.FAILED}),
    S.REASSEMBLING: frozenset({S.COMPLETED, S.CANCELLED, S.FAILED}),
    S.PAUSED: frozenset({S.QUEUED, S.TRANSLATING, S.CANCELLED}),
    S.FAILED: frozenset(
        {
            S.QUEUED,
            S.CONVERTING,
            S.EXTRACTING,
            S.TRANSLATING,
            S.VERIFYING,
            S.REASSEMBLING,
            S.CANCELLED,
        }
    ),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
    S.REJECTED: frozenset(),
}
TERMINAL = frozenset({S.COMPLETED, S.CANCELLED, S.REJECTED})
ACTIVE = frozenset(set(JobState) - TERMINAL - {S.FAILED, S.PAUSED})


class IllegalTransition(Exception):
    """The job cannot go from its current state to the one asked for."""


def transition(
    job_id: int,
    target: JobState,
    *,
    actor: Actor = SYSTEM_ACTOR,
    expect: frozenset[JobState] | None = None,
    reason: str = "",
    **fields: Any,
) -> Job | None:
    """Move job ``job_id`` to ``target``, audited, in one transaction.

    With ``expect``, a job found in another state is left alone and ``None`` is
    returned: workers racing for the same step use this so that exactly one wins.
    Without it, an illegal transition raises :class:`IllegalTransition`.
    """
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        current = JobState(job.state)
        if expect is not None and current not in expect:
            return None
        if target not in TRANSITIONS[current]:
            raise IllegalTransition(f"job {job_id} cannot go from {current} to {target}")
        before = {"state": current.value}
        fields["state"] = target
        if target in TERMINAL:
            fields["finished_at"] = timezone.now()
        if current == S.QUEUED and target in ACTIVE and job.started_at is None:
            fields["started_at"] = timezone.now()  # the ETA measures from here
        for name, value in fields.items():
            setattr(job, name, value)
        # Only the named fields: progress counters are updated concurrently elsewhere.
        job.save(update_fields=list(fields))
        after: dict[str, Any] = {"state": target.value}
        if reason:
            after["reason"] = reason
        record_audit(actor, f"job.{target.value}", job, before=before, after=after)
        return job
