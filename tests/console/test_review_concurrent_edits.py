"""Two people editing one segment in the review editor: a save from a page that showed
the segment before someone else changed it is refused with both texts, never written
over the other's work; a save writes only the fields the reviewer changed."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from iris.governance.models import AuditRecord
from iris.jobs.models import Job, Segment
from tests.console.conftest import csrf_post, team_job

pytestmark = pytest.mark.django_db(transaction=True)

ORDER = 7


class SegmentForm(HTMLParser):
    """The fields one segment's form posts, as a browser would send them."""

    def __init__(self, order: int) -> None:
        super().__init__()
        self.action = f"segments/{order}/save"
        self.inside = False
        self.fields: dict[str, str] = {}
        self.text_of: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form" and (found.get("action") or "").endswith(self.action):
            self.inside = True
        if not self.inside:
            return
        name = found.get("name") or ""
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            self.fields[name] = found.get("value") or ""
        elif tag == "textarea":
            self.text_of, self.fields[name] = name, ""
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in found:
            self.fields[self.select] = found.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.text_of = None

    def handle_data(self, data: str) -> None:
        if self.inside and self.text_of:
            self.fields[self.text_of] += data


def loaded_form(client: Client, job: Job, order: int = ORDER) -> dict[str, str]:
    page = client.get(f"/console/jobs/{job.pk}/review/")
    form = SegmentForm(order)
    form.feed(page.content.decode())
    assert "target" in form.fields
    return form.fields


def submit(client: Client, job: Job, fields: dict[str, str], order: int = ORDER):
    url = f"/console/jobs/{job.pk}/review/segments/{order}/save"
    return csrf_post(client, url, fields, HTTP_HX_REQUEST="true")


def test_a_save_from_a_page_loaded_before_another_edit_is_refused_with_both_texts(
    clients,
) -> None:
    job = team_job(review=True)
    reviewer, manager = clients["reviewer"], clients["manager"]
    seen_by_a, seen_by_b = loaded_form(reviewer, job), loaded_form(manager, job)
    machine = seen_by_a["target"]
    corrected = machine + " (corrigé)"
    confirmed = submit(reviewer, job, {**seen_by_a, "target": corrected, "confirm": "1"})
    assert confirmed.status_code == 200
    # B only types a comment; B's page still shows the machine output
    late = submit(manager, job, {**seen_by_b, "comment": "check the figure"})
    assert late.status_code == 422
    stored = Segment.objects.get(job=job, order=ORDER)
    assert stored.target == corrected
    assert (stored.review_state, stored.reviewed_by) == ("reviewed", "reviewer")
    assert stored.review_comment == ""
    answer = late.content.decode()
    assert 'role="alert"' in answer
    assert "Changed in Iris since this page was loaded" in answer
    assert "(corrigé)" in answer  # the stored text
    assert "check the figure" in answer  # what B sent is kept in view, not lost
    assert "Reload the segment</a>" in answer
    assert AuditRecord.objects.filter(action="review.edit").count() == 1
    # the refusal shows the segment as stored now: saving from it again is accepted
    # (with B's comment kept in it: the stored segment had none to lose)
    fresh = SegmentForm(ORDER)
    fresh.feed(answer)
    assert fresh.fields["comment"] == "check the figure"
    again = submit(manager, job, fresh.fields)
    assert again.status_code == 200
    stored = Segment.objects.get(job=job, order=ORDER)
    assert (stored.target, stored.review_comment) == (corrected, "check the figure")


def test_a_save_without_the_state_the_page_showed_is_refused(clients) -> None:
    job = team_job(review=True)
    before = Segment.objects.get(job=job, order=ORDER)
    blind = submit(clients["reviewer"], job, {"target": "écrasé", "confirm": "1"})
    assert blind.status_code == 422
    assert Segment.objects.get(job=job, order=ORDER).target == before.target


def test_a_comment_alone_does_not_send_the_target_back(clients) -> None:
    job = team_job(review=True)
    client = clients["reviewer"]
    fields = loaded_form(client, job)
    answer = submit(client, job, {**fields, "comment": "fine as it is"})
    assert answer.status_code == 200
    (record,) = AuditRecord.objects.filter(action="review.edit")
    assert record.after == {"segment": ORDER, "comment": "fine as it is"}
    stored = Segment.objects.get(job=job, order=ORDER)
    assert stored.review_comment == "fine as it is"
    assert stored.edit_distance is None  # the target was not edited


def test_a_refused_save_keeps_the_other_reviewers_comment_in_the_form(clients) -> None:
    job = team_job(review=True)
    reviewer, manager = clients["reviewer"], clients["manager"]
    seen_by_a, seen_by_b = loaded_form(reviewer, job), loaded_form(manager, job)
    assert submit(reviewer, job, {**seen_by_a, "comment": "A's note"}).status_code == 200
    late = submit(manager, job, {**seen_by_b, "comment": "B's note"})
    assert late.status_code == 422
    shown = SegmentForm(ORDER)
    shown.feed(late.content.decode())
    assert shown.fields["comment"] == "A's note"  # B's is shown beside, to copy from
    assert "B&#x27;s note" in late.content.decode()
    assert Segment.objects.get(job=job, order=ORDER).review_comment == "A's note"
