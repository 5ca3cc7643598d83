"""retrieve_context applies a person's approved (promoted) translation of a segment, with
the segment's own outer whitespace, even when an unreviewed candidate of the same
source scores higher (a context match left by an earlier engine run)."""

from __future__ import annotations

import pytest

from iris.jobs.models import Job, JobState, Origin, Segment
from iris.jobs.steps import context, extraction
from iris.memory.models import TranslationUnit, UnitStatus
from iris.memory.store import NewUnit, memory, neighbours_hash
from tests.jobs.test_query_counts import new_job

pytestmark = pytest.mark.django_db(transaction=True)


def _first_segment(settings) -> tuple[Job, int, Segment]:
    settings.IRIS_BATCH_SEGMENTS = 10
    job = new_job(5)
    extraction.extract_segments(job)
    Job.objects.filter(pk=job.pk).update(state=JobState.TRANSLATING)
    batch_id = job.batches.order_by("number")[0].pk
    segment = Segment.objects.filter(batch_id=batch_id).order_by("order")[2]
    return job, batch_id, segment


def _neighbours(job: Job, segment: Segment) -> str:
    sources = dict(job.segments.values_list("order", "source"))
    return neighbours_hash(sources, segment.order)


def test_promoted_exact_match_wins_over_a_candidate_context_match(settings) -> None:
    job, batch_id, segment = _first_segment(settings)
    memory().add(
        [
            NewUnit(segment.source, "Engine output. ", "en", "fr", _neighbours(job, segment)),
            NewUnit(segment.source, "Approved.", "en", "fr", status=UnitStatus.PROMOTED),
        ]
    )
    context.retrieve_context(job, batch_id)
    segment.refresh_from_db()
    assert segment.origin == Origin.REUSED
    assert segment.target.strip() == "Approved."
    # The approved translation is shown first, the candidate after it.
    assert [(m["target"].strip(), m["score"]) for m in segment.tm_matches] == [
        ("Approved.", 100),
        ("Engine output.", 101),
    ]
    assert segment.tm_score == 100  # the analysis counts what the segment got
    promoted = TranslationUnit.objects.get(status=UnitStatus.PROMOTED)
    assert promoted.usage_count == 1


def test_a_promoted_exact_match_is_not_applied_when_only_context_matches_are(settings) -> None:
    settings.IRIS_TM_APPLY = "context"
    job, batch_id, segment = _first_segment(settings)
    memory().add(
        [
            NewUnit(segment.source, "Engine output.", "en", "fr", _neighbours(job, segment)),
            NewUnit(segment.source, "Approved.", "en", "fr", status=UnitStatus.PROMOTED),
        ]
    )
    context.retrieve_context(job, batch_id)
    segment.refresh_from_db()
    assert segment.origin == Origin.PENDING
    assert segment.target == ""


def test_many_candidates_do_not_push_the_promoted_match_out(settings) -> None:
    job, batch_id, segment = _first_segment(settings)
    neighbours = _neighbours(job, segment)
    memory().add(
        [NewUnit(segment.source, f"Engine {n}.", "en", "fr", neighbours) for n in range(8)]
        + [NewUnit(segment.source, "Engine 0.", "en", "fr", status=UnitStatus.PROMOTED)]
    )
    context.retrieve_context(job, batch_id)
    segment.refresh_from_db()
    assert segment.origin == Origin.REUSED
    assert segment.target.strip() == "Engine 0."
    assert segment.tm_matches[0]["status"] == UnitStatus.PROMOTED
    assert len(segment.tm_matches) == 5


def test_an_applied_unit_gets_the_segments_outer_space(settings) -> None:
    job, batch_id, segment = _first_segment(settings)
    assert segment.source.endswith(". ")  # a sentence follows in its paragraph
    memory().add(
        [NewUnit(segment.source.strip(), "Approuvé.", "en", "fr", status=UnitStatus.PROMOTED)]
    )
    context.retrieve_context(job, batch_id)
    segment.refresh_from_db()
    assert (segment.origin, segment.target) == (Origin.REUSED, "Approuvé. ")
    assert segment.tm_score == 100
