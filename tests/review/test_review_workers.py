"""Review through the real broker and a real worker: the review_io task exports the
packages as the job enters review, then imports the reviewer's file, and the job is
delivered with the edit."""

from __future__ import annotations

import time

import pytest

from iris.jobs.models import JobState, Origin, Segment
from iris.review.actions import submit_import
from iris.review.models import ImportStatus, ReviewFormat
from tests.documents import build_document
from tests.jobs.helpers import delivery, document_xml, wait_finished, wait_until
from tests.review.helpers import edit_bilingual, exported, submit_for_review

pytestmark = pytest.mark.services


def test_the_worker_exports_and_imports_and_the_edit_is_delivered(worker_factory) -> None:
    worker_factory()
    job = submit_for_review(build_document(paragraphs=6))
    wait_until(job, lambda j: j.state == JobState.IN_REVIEW, what="review")
    wait_until(job, lambda j: j.review_exports.count() == 2, what="both packages")
    rows = Segment.objects.filter(job=job).exclude(origin=Origin.NOT_TRANSLATABLE)
    order = rows.values_list("order", flat=True)[0]
    data = edit_bilingual(exported(job, ReviewFormat.DOCX), {order: " (revu)"})

    row = submit_import(job.pk, data, "report.fr.review.docx")

    deadline = time.monotonic() + 120
    while row.status == ImportStatus.PENDING and time.monotonic() < deadline:
        time.sleep(0.2)
        row.refresh_from_db()
    assert row.status == ImportStatus.APPLIED, row.report
    job = wait_finished(job)
    assert job.state == JobState.COMPLETED, job.error
    assert b" (revu)" in document_xml(delivery(job))
