"""The notes a review package gives a reviewer read naturally: a forbidden glossary
variant is named as one to avoid, and the best memory match is shown as plain text
(no inline tags, escaped once by the file's XML)."""

from __future__ import annotations

import pytest
from lxml import etree

from iris.jobs.models import Origin, Segment
from iris.review.packaging import review_package
from iris.review.xliff import XLIFF_NS, write_xliff
from tests.review.helpers import job_in_review

pytestmark = pytest.mark.django_db(transaction=True)

TERMS = [
    {"source": "contract", "target": "contrato", "forbidden": False},
    {"source": "acuerdo", "target": "", "forbidden": True},
]
MATCH = {"score": 101, "target": "El portal de &lt;autoservicio&gt; <g1>bajó</g1><x2/> hoy"}


def _notes() -> tuple[list[str], bytes]:
    job = job_in_review()
    rows = Segment.objects.filter(job=job).exclude(origin=Origin.NOT_TRANSLATABLE)
    order = rows.order_by("order").values_list("order", flat=True)[0]
    rows.filter(order=order).update(terms=TERMS, tm_matches=[MATCH])
    package = review_package(job, "pkg")
    (unit,) = [u for u in package.units if u.key == order]
    return [note.text for note in unit.notes], write_xliff(package)


def test_term_notes_name_the_rendering_and_the_variant_to_avoid() -> None:
    texts, _ = _notes()
    assert "term: contract → contrato" in texts
    assert 'term: avoid "acuerdo" (forbidden)' in texts
    assert not any(text.endswith("as ") for text in texts)


def test_the_memory_match_is_plain_text_escaped_once_in_the_file() -> None:
    texts, xliff = _notes()
    assert "memory match 101 %: El portal de <autoservicio> bajó hoy" in texts
    notes = etree.fromstring(xliff).iter(f"{{{XLIFF_NS}}}note")
    assert "memory match 101 %: El portal de <autoservicio> bajó hoy" in [n.text for n in notes]
    assert b"&lt;autoservicio&gt; baj" in xliff
    assert b"&amp;lt;" not in xliff
    assert b"&lt;g1&gt;" not in xliff
