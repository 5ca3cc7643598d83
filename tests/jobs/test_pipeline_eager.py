"""A document through the whole pipeline on the embedded default (eager tasks)."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import pytest

from iris.artifacts.models import ArtifactKind
from iris.docx import open_document
from iris.governance.models import AuditRecord
from iris.jobs import tasks
from iris.jobs.actions import TranslationRequest, create_jobs
from iris.jobs.models import BatchState, JobState, Origin, QaStatus
from iris.jobs.steps.extraction import extract_segments
from iris.jobs.steps.translation import batch_span
from tests.documents import build_document
from tests.jobs.helpers import delivery, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_job_completes_with_every_artifact() -> None:
    data = build_document()
    (job,) = submit(data, "fr")
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    kinds = set(job.artifacts.values_list("kind", flat=True))
    # A .docx source needs no converted working copy; a job without review has no
    # review packages or reviewers' files.
    review = {ArtifactKind.REVIEW_XLIFF, ArtifactKind.REVIEW_DOCX, ArtifactKind.REVIEW_IMPORT}
    assert kinds == {k.value for k in ArtifactKind} - {ArtifactKind.WORKING} - review
    for artifact in job.artifacts.all():
        assert len(artifact.sha256) == 64
        assert artifact.size > 0
        assert artifact.expires_at > artifact.created


def test_segments_match_the_extraction_and_all_have_targets() -> None:
    data = build_document()
    (job,) = submit(data, "fr")
    job.refresh_from_db()
    units = open_document(data, source_lang="en").units()
    segments = list(job.segments.order_by("order"))
    assert [s.unit_id for s in segments] == [u.id for u in units]
    assert job.segments_total == len(units) == job.segments_done
    assert job.words_total == sum(u.words for u in units) == job.words_done
    assert all(s.target for s in segments if s.plain.strip())
    assert not job.segments.filter(origin=Origin.PENDING).exists()
    assert not job.batches.exclude(state=BatchState.DONE).exists()


def test_delivered_text_is_translated() -> None:
    (job,) = submit(build_document(), "fr")
    job.refresh_from_db()
    delivered = "\n".join(u.plain for u in open_document(delivery(job)).units())
    engine_segments = job.segments.filter(origin=Origin.ENGINE)
    assert engine_segments.exists()
    for segment in engine_segments:
        assert segment.plain not in delivered


def test_repeated_sentences_are_translated_once() -> None:
    (job,) = submit(build_document(repeats=2), "fr")
    reused = job.segments.filter(origin=Origin.REUSED)
    assert reused.count() >= 2
    for segment in reused:
        assert segment.duplicate_of_order is not None
        original = job.segments.get(order=segment.duplicate_of_order)
        assert segment.target == original.target
        assert (segment.qa_status, segment.qa_issues) == (original.qa_status, original.qa_issues)
        assert segment.batch_id is None


def test_every_engine_segment_gets_its_neighbours_headings_and_title(settings) -> None:
    # Small batches, so that heading chains and neighbours cross batch boundaries.
    settings.IRIS_BATCH_SEGMENTS = 3
    data = build_document(paragraphs=12, repeats=2)
    request = TranslationRequest("report.docx", data, ["fr"], "en")
    (job,) = create_jobs(request, start=False)
    extract_segments(job)
    job.refresh_from_db()
    units = open_document(data, source_lang="en").units()
    expected = {}
    above: list[tuple[int, str]] = []  # the reference: a plain walk over the units
    for i, unit in enumerate(units):
        expected[unit.id] = (
            units[i - 1].plain if i else "",
            units[i + 1].plain if i + 1 < len(units) else "",
            tuple(text for _, text in above),
        )
        if unit.heading_level is not None:
            above = [h for h in above if h[0] < unit.heading_level] + [
                (unit.heading_level, unit.plain)
            ]
    unit_ids = dict(job.segments.values_list("pk", "unit_id"))
    seen = 0
    for batch in job.batches.all():
        members, contexts = batch_span(job, batch.pk)
        assert {row.pk for row in members} == set(contexts)
        for pk, context in contexts.items():
            assert context.title == "Quarterly service report"
            assert (context.previous, context.next, context.headings) == expected[unit_ids[pk]]
            seen += 1
    assert seen == job.segments.filter(batch__isnull=False).count() > 12
    assert any(
        len(c.headings) == 2 for b in job.batches.all() for c in batch_span(job, b.pk)[1].values()
    )


def test_qa_status_is_stored_per_segment() -> None:
    (job,) = submit(build_document(), "fr")
    assert not job.segments.filter(qa_status=QaStatus.PENDING).exists()
    assert job.segments.filter(qa_status=QaStatus.PASSED).exists()


def test_state_changes_are_audited_in_order() -> None:
    (job,) = submit(build_document(), "fr")
    actions = list(
        AuditRecord.objects.filter(object_type="jobs.job", object_id=str(job.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "job.created",
        "job.extracting",
        "job.translating",
        "job.verifying",
        "job.reassembling",
        "job.completed",
    ]
    assert set(AuditRecord.objects.values_list("actor_label", flat=True)) == {"system"}


def test_several_targets_make_sibling_jobs() -> None:
    jobs = submit(build_document(), "fr", "de", "ja")
    assert len({job.request_id for job in jobs}) == 1
    for job in jobs:
        job.refresh_from_db()
        assert job.state == JobState.COMPLETED, job.error
    assert sorted(job.target_lang for job in jobs) == ["de", "fr", "ja"]


def test_eager_tasks_run_one_after_another_not_nested() -> None:
    # Each task sends what follows from its commit hook; run from there, the next task
    # would run inside it, every step a level deeper than the one before.
    depth: dict[str, int] = {}
    wrapped = {name: getattr(tasks, name) for name in ("docx_extract", "docx_reassemble")}
    originals = {name: task.run for name, task in wrapped.items()}

    def recorder(name: str) -> Callable[..., object]:
        def run(*args: object, **kwargs: object) -> object:
            depth[name] = len(inspect.stack(0))
            return originals[name](*args, **kwargs)

        return run

    for name, task in wrapped.items():
        task.run = recorder(name)
    try:
        (job,) = submit(build_document(), "fr")
    finally:
        for name, task in wrapped.items():
            task.run = originals[name]
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    assert depth["docx_reassemble"] == depth["docx_extract"], depth
