"""Following jobs from the command line: what it asks the database while a job runs."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iris.cli.display import follow
from iris.jobs.actions import TranslationRequest, create_jobs
from iris.jobs.models import JobState
from tests.documents import build_document

pytestmark = pytest.mark.django_db(transaction=True)


def _status_queries(quiet: bool) -> int:
    """Queries this thread makes while following a job whose in-process run lasts
    0.6 s (the runner waits for a timer; the job itself stays queued)."""
    (job,) = create_jobs(TranslationRequest("a.docx", build_document(), ["fr"], "en"), start=False)
    released = threading.Event()
    runner = threading.Thread(target=released.wait)
    runner.start()
    threading.Timer(0.6, released.set).start()
    with CaptureQueriesContext(connection) as captured:
        statuses = follow([job.pk], quiet=quiet, runner=runner)
    assert not runner.is_alive()
    assert [status.state for status in statuses] == [JobState.QUEUED]
    return len(captured.captured_queries)


def test_a_quiet_run_in_this_process_reads_the_status_once_at_the_end() -> None:
    once = _status_queries(quiet=True)
    # Showing progress polls every POLL_SECONDS: several reads in 0.6 s.
    assert _status_queries(quiet=False) > once > 0
