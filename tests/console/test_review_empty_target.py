"""The review editor refuses to empty a target whose source has text: an empty target
is delivered as the source text, so the sentence would ship untranslated."""

from __future__ import annotations

import pytest

from iris.console.views.review import version_of
from iris.governance.models import AuditRecord
from iris.jobs.models import Segment
from tests.console.conftest import csrf_post, team_job

pytestmark = pytest.mark.django_db(transaction=True)

ORDER = 7


def test_an_empty_target_is_refused_for_a_source_with_text(clients) -> None:
    job = team_job(review=True)
    url = f"/console/jobs/{job.pk}/review/segments/{ORDER}/save"
    before = Segment.objects.get(job=job, order=ORDER)
    assert before.plain.strip()
    for empty in ("", "  "):
        fields = {"base": version_of(before), "target": empty, "confirm": "1"}
        answer = csrf_post(clients["reviewer"], url, fields, HTTP_HX_REQUEST="true")
        assert answer.status_code == 422
        assert "An empty translation is delivered as the source" in answer.content.decode()
        assert Segment.objects.get(job=job, order=ORDER).target == before.target
    assert not AuditRecord.objects.filter(action="review.edit").exists()


def test_a_target_of_tags_alone_is_empty_too(clients) -> None:
    job = team_job(review=True)
    url = f"/console/jobs/{job.pk}/review/segments/1/save"
    before = Segment.objects.get(job=job, order=1)
    assert "<g1>" in before.source
    fields = {"base": version_of(before), "target": "<g1></g1>", "confirm": "1"}
    answer = csrf_post(clients["reviewer"], url, fields, HTTP_HX_REQUEST="true")
    assert answer.status_code == 422
    assert Segment.objects.get(job=job, order=1).target == before.target
