"""The QA repair loop: an engine translation with QA errors goes back to the engine
once with the findings, is checked again, and is kept repaired, or kept with its
findings and counted."""

from __future__ import annotations

import json
from typing import Any

import pytest

from iris.jobs.actions import TranslationRequest, create_jobs
from iris.jobs.models import Job, JobState, QaStatus, Segment
from iris.jobs.progress import job_report
from iris.jobs.usage import job_usage
from iris.qa.checks import REGISTRY
from tests.documents import build_document
from tests.engine_openai.server import FakeChatServer
from tests.jobs.helpers import forget_translations

pytestmark = pytest.mark.django_db(transaction=True)

#: a word of the generated documents' vocabulary: the segments holding it are spoiled
MARK = "report"


@pytest.fixture
def server(openai_server: FakeChatServer, settings) -> FakeChatServer:
    return openai_server


def run(engine: str = "openai") -> Job:
    request = TranslationRequest("a.docx", build_document(), ["de"], "en", engine=engine)
    (job,) = create_jobs(request)
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    return job


def spoiled(job: Job) -> list[Segment]:
    return list(job.segments.filter(source__contains=MARK, duplicate_of_order__isnull=True))


def checks(segment: Segment) -> set[str]:
    return {issue["check"] for issue in segment.qa_issues}


def test_a_translation_failing_qa_is_sent_back_once_and_repaired(server) -> None:
    assert "control_characters" in REGISTRY
    server.spoil = MARK
    job = run()
    segments = spoiled(job)
    assert segments
    for segment in segments:
        assert "\u0007" not in segment.target
        assert segment.qa_status == QaStatus.WARNING
        assert "repaired" in checks(segment)
    # Each spoiled segment was asked twice, the second time with the findings.
    repairs = [s for body in server.requests for s in _segments(body) if "qa_problem" in s]
    assert len(repairs) == len(segments)
    assert all("U+0007" in s["qa_problem"] for s in repairs)
    # Counted per segment of the document: repeats carry their original's verdict.
    assert (
        job_report(job.pk).qa_checks["repaired"]
        == job.segments.filter(source__contains=MARK).count()
    )


def test_a_failed_repair_is_kept_with_its_findings_and_counted(server) -> None:
    server.spoil, server.spoil_stubbornly = MARK, True
    job = run()
    segments = spoiled(job)
    for segment in segments:
        assert segment.qa_status == QaStatus.ERROR
        assert {"control_characters", "repair_failed"} <= checks(segment)
    # The repair loop asks once (the engine's own retries of a malformed answer aside).
    asked = {s["id"] for body in server.requests for s in _segments(body) if "qa_problem" in s}
    assert asked == {str(segment.pk) for segment in segments}
    assert (
        job_report(job.pk).qa_checks["repair_failed"]
        == job.segments.filter(source__contains=MARK).count()
    )


def test_a_clean_run_asks_nothing_twice(server) -> None:
    job = run()
    ids = [s["id"] for body in server.requests for s in _segments(body)]
    assert len(ids) == len(set(ids))
    assert "repaired" not in job_report(job.pk).qa_checks


def _segments(body: dict[str, Any]) -> list[dict[str, Any]]:
    segments: list[dict[str, Any]] = json.loads(body["messages"][-1]["content"])["segments"]
    return segments


def test_no_repair_goes_over_the_budget(server, settings) -> None:
    settings.IRIS_PRICES = {"openai": {"input_tokens": 1000.0, "output_tokens": 1000.0}}
    clean = run()
    full = job_usage(clean.pk).cost
    forget_translations()
    server.spoil = MARK
    request = TranslationRequest(
        "a.docx", build_document(), ["de"], "en", engine="openai", budget=full * 1.2
    )
    (job,) = create_jobs(request)
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    assert job_usage(job.pk).cost <= full * 1.2
    for segment in spoiled(job):
        # Kept with its findings for review: sending it back had no room in the budget.
        assert "control_characters" in checks(segment)
        assert not {"repaired", "repair_failed"} & checks(segment)
    assert not [s for body in server.requests for s in _segments(body) if "qa_problem" in s]
