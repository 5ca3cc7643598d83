"""Bulk writes store exactly what the ORM stores, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iris.jobs.actions import TranslationRequest, create_jobs
from iris.jobs.bulk import in_pages, insert_values, update_values
from iris.jobs.models import Batch, Job, Origin, QaStatus, Segment
from tests.documents import build_document

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.everywhere]

FIELDS: tuple[str, ...] = ("job", "order", "unit_id", "part", "location", "kind", "source")
FIELDS += ("source_hash", "plain", "qa_status")
VALUES = ("target", "origin", "batch", "words", "heading_level", "qa_issues")


def _job() -> Job:
    request = TranslationRequest("a.docx", build_document(2), ["fr"], "en")
    (job,) = create_jobs(request, start=False)
    return job


def _row(job: Job, order: int) -> tuple[object, ...]:
    return (job.pk, order, f"u{order}", "word/document.xml", "", "paragraph", "s", "h", "p", "")


def _stored(job: Job) -> list[tuple[object, ...]]:
    rows = Segment.objects.filter(job=job).order_by("order")
    return list(rows.values_list("order", *VALUES))


CASES = [
    # text with quotes, a number, JSON with text of every script, NULLs
    ('l\'été "x"', Origin.ENGINE, True, 7, 2, [{"message": "中文 עברית", "n": [1]}]),
    ("", Origin.PENDING, False, 0, None, [{"check": "tags", "message": "a\nb"}]),
]


def test_inserted_and_updated_rows_equal_the_orms() -> None:
    job, other = _job(), _job()
    batch = Batch.objects.create(job=job, number=0, first_order=0, last_order=1)
    expected_job = Batch.objects.create(job=other, number=0, first_order=0, last_order=1)

    def values(case: tuple[object, ...], batch_id: int) -> tuple[object, ...]:
        target, origin, has_batch, words, level, issues = case
        return (target, origin, batch_id if has_batch else None, words, level, issues)

    insert_values(
        Segment,
        FIELDS + VALUES,
        [_row(job, i) + values(case, batch.pk) for i, case in enumerate(CASES)],
    )
    for i, case in enumerate(CASES):
        fields = dict(
            zip(FIELDS + VALUES, _row(other, i) + values(case, expected_job.pk), strict=True)
        )
        fields["job"], fields["batch_id"] = other, fields.pop("batch")
        Segment.objects.create(**fields)

    def normalised(job: Job, batch_id: int) -> list[tuple[object, ...]]:
        return [(*row[:3], row[3] == batch_id, *row[4:]) for row in _stored(job)]

    assert normalised(job, batch.pk) == normalised(other, expected_job.pk)

    # Updates: the values swap rows; None is SQL NULL.
    pks = list(Segment.objects.filter(job=job).order_by("order").values_list("pk", flat=True))
    changes = [("t2", QaStatus.ERROR, [{"check": "x"}]), ("t1", QaStatus.PASSED, [])]
    update_values(
        Segment,
        ("target", "qa_status", "qa_issues"),
        [(pk, *c) for pk, c in zip(pks, changes, strict=True)],
    )
    update_values(Segment, ("heading_level",), [(pks[0], None)])
    rows = list(
        Segment.objects.filter(job=job)
        .order_by("order")
        .values_list("target", "qa_status", "qa_issues", "heading_level")
    )
    assert rows == [("t2", "error", [{"check": "x"}], None), ("t1", "passed", [], None)]


@pytest.mark.parametrize("size", [1, 2, 3, 7, 2000])
def test_in_pages_reads_every_row_once_in_key_order_a_page_per_query(size: int) -> None:
    job = _job()
    filled: tuple[object, ...] = ("", Origin.PENDING, None, 1, None, [])
    insert_values(Segment, FIELDS + VALUES, [_row(job, order) + filled for order in range(7)])
    rows = Segment.objects.filter(job=job)
    expected = list(rows.order_by("pk").values_list("pk", flat=True))

    with CaptureQueriesContext(connection) as queries:
        instances = [segment.pk for segment in in_pages(rows, size)]
    assert instances == expected
    # full pages, then the short (or empty) page that ends it
    assert len(queries) == len(expected) // size + 1

    tuples = list(in_pages(rows.values_list("pk", "order"), size, key=lambda row: row[0]))
    assert [pk for pk, _order in tuples] == expected
    assert list(in_pages(rows.filter(order__gt=99), size)) == []
