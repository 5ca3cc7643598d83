"""The ``review_io`` task: as a job enters review, its packages are exported and its
gate checked; with an import id, a reviewer's uploaded file is imported. Thin, like
every pipeline task (iris/jobs/tasks.py): ids in, one action, idempotent."""

from __future__ import annotations

from typing import Any

from iris.celery import TASK_FOR_QUEUE, app
from iris.jobs.outbox import delivered
from iris.review.actions import prepare_review, run_import


@app.task(name=TASK_FOR_QUEUE["review_io"], bind=True, acks_late=True)
def review_io(
    self: Any, job_id: int, import_id: int | None = None, message: int | None = None
) -> None:
    if import_id is None:
        delivered(self, message, lambda: prepare_review(job_id))
    else:
        delivered(self, message, lambda: run_import(import_id))
