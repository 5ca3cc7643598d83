"""The memory with real workers on PostgreSQL (services configuration): a promoted
job's translations are reused by the next job with no engine call, and glossary terms
reach QA, whichever worker process runs which batch."""

from __future__ import annotations

import pytest

from iris.glossary.interchange import TermData
from iris.glossary.service import add_term
from iris.governance.actions import SYSTEM_ACTOR
from iris.jobs.models import JobState, Origin
from iris.jobs.usage import job_usage
from iris.memory.models import TranslationUnit, UnitStatus
from iris.memory.service import set_status
from tests.jobs.helpers import submit, wait_finished
from tests.memory.test_pipeline_memory import SENTENCES, _document

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_promoted_translations_are_reused_across_workers(worker_factory) -> None:
    worker_factory(IRIS_BATCH_SEGMENTS="2")
    add_term("en", "es", TermData(source="contract", targets=("acuerdo",)))
    (first,) = submit(_document(SENTENCES), "es", engine="apertium")
    first = wait_finished(first)
    assert first.state == JobState.COMPLETED, first.error
    units = TranslationUnit.objects.filter(origin_job_id=first.pk)
    assert units.count() == len(SENTENCES)
    assert "glossary" in {i["check"] for i in first.segments.get(order=0).qa_issues}

    set_status(units, UnitStatus.PROMOTED, SYSTEM_ACTOR, ("jobs.job", str(first.pk)))
    (second,) = submit(_document([*SENTENCES, "Nobody has seen this one."]), "es",
                       engine="apertium")  # fmt: skip
    second = wait_finished(second)
    assert second.state == JobState.COMPLETED, second.error
    assert second.segments.filter(origin=Origin.REUSED).count() == len(SENTENCES)
    assert job_usage(second.pk).characters == len("Nobody has seen this one.")
