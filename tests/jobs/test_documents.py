"""The document an eager job's extraction opened is the one its reassembly writes into,
and never another job's or stale one."""

from __future__ import annotations

import pytest

from iris.jobs.actions import TranslationRequest, create_jobs
from iris.jobs.documents import open_for_extraction, open_for_reassembly
from iris.jobs.models import Job
from tests.documents import build_document

pytestmark = pytest.mark.django_db


def _job(source_lang: str = "en") -> Job:
    request = TranslationRequest("a.docx", build_document(3), ["fr"], source_lang)
    (job,) = create_jobs(request, start=False)
    return job


def test_reassembly_writes_into_the_document_extraction_opened(settings) -> None:
    settings.IRIS_ASYNC = False
    job, data = _job(), build_document(3)
    opened = open_for_extraction(job, data, job.source_lang)
    assert open_for_reassembly(job, data) is opened
    # Taken once: a second reassembly (a retry) opens the document again.
    again = open_for_reassembly(job, data)
    assert again is not opened
    assert [u.source for u in again.units()] == [u.source for u in opened.units()]


def test_another_job_other_bytes_or_language_open_anew(settings) -> None:
    settings.IRIS_ASYNC = False
    job, other, data = _job(), _job(), build_document(3)
    opened = open_for_extraction(job, data, job.source_lang)
    assert open_for_reassembly(other, data) is not opened
    opened = open_for_extraction(job, data, job.source_lang)
    assert open_for_reassembly(job, build_document(4)) is not opened
    opened = open_for_extraction(job, data, "de")
    assert open_for_reassembly(job, data) is not opened


def test_workers_keep_nothing(settings) -> None:
    # The next step may run in another process: holding the trees would only cost memory.
    settings.IRIS_ASYNC = True
    job, data = _job(), build_document(3)
    opened = open_for_extraction(job, data, job.source_lang)
    assert open_for_reassembly(job, data) is not opened
