"""The segment review editor (/console/jobs/<id>/review/): segments with tag chips,
filters, keyset pages with a bounded query count, saves and waivers through the review
actions (QA re-runs, the gate releases), refusals shown in place, and roles."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from iris.console.views.review import PAGE_SIZE, version_of
from iris.governance.models import AuditRecord, Role
from iris.jobs.models import Job, JobState, Origin, QaStatus, Segment
from tests.api.conftest import make_member
from tests.console.conftest import csrf_post, team_job
from tests.support import require_chromium

pytestmark = pytest.mark.django_db(transaction=True)

#: in the sample report: segment 1 has <g1>…</g1> around "1,250 customers"
TAGGED = 1
SCRIPT = Path(__file__).resolve().parents[2] / "iris/console/static/console/review.js"
ARTICLE = re.compile(r'<article class="seg[^"]*" id="seg-(\d+)"')


def review_url(job: Job, rest: str = "") -> str:
    return f"/console/jobs/{job.pk}/review/{rest}"


def orders(response) -> list[int]:
    return [int(n) for n in ARTICLE.findall(response.content.decode())]


def translatable(job: Job) -> list[int]:
    rows = Segment.objects.filter(job=job).exclude(origin=Origin.NOT_TRANSLATABLE)
    return list(rows.order_by("order").values_list("order", flat=True))


def add_segments(job: Job, count: int, start: int = 1000) -> list[int]:
    """Extra translatable segments in bulk (as a long document would have them)."""
    Segment.objects.bulk_create(
        Segment(
            job=job,
            order=order,
            unit_id=f"bulk{order}",
            part="word/document.xml",
            kind="paragraph",
            source=f"Line {order} of the <g1>report</g1>.",
            source_hash=f"{order:064x}",
            plain=f"Line {order} of the report.",
            target=f"Ligne {order} du <g1>rapport</g1>.",
            origin=Origin.ENGINE,
            words=5,
            qa_status=QaStatus.PASSED,
        )
        for order in range(start, start + count)
    )
    return list(range(start, start + count))


def shown(job: Job, order: int) -> dict[str, str]:
    """The ``base`` a page loaded now posts with a save of the segment."""
    segment = Segment.objects.filter(job=job, order=order).first()
    return {"base": version_of(segment)} if segment else {}


def save(client: Client, job: Job, order: int, **fields: str):
    return csrf_post(
        client,
        review_url(job, f"segments/{order}/save"),
        {**shown(job, order), **fields},
        HTTP_HX_REQUEST="true",
    )


def test_the_editor_shows_segments_side_by_side_with_tag_chips(clients) -> None:
    job = team_job(review=True)
    page = clients["reviewer"].get(review_url(job))
    assert page.status_code == 200
    html = page.content.decode()
    assert orders(page) == translatable(job)  # document order, numbers-only cells left out
    assert Origin.NOT_TRANSLATABLE in Segment.objects.filter(job=job).values_list(
        "origin", flat=True
    )
    segment = re.search(r'id="seg-1".*?</article>', html, re.S)
    assert segment is not None
    chip = 'contenteditable="false" draggable="true" data-tag="&lt;g1&gt;" title="tag g1">g1</span>'
    assert chip in segment.group()
    assert 'data-tag="&lt;/g1&gt;" title="tag /g1">/g1</span>' in segment.group()
    assert 'data-source-tags="&lt;g1&gt; &lt;/g1&gt;"' in segment.group()
    # the text area the script replaces holds the tagged text itself
    assert "&lt;g1&gt;1,250 çüšţöɱéŕš&lt;/g1&gt;" in segment.group()
    assert 'contenteditable="true" role="textbox"' in segment.group()
    assert 'aria-keyshortcuts="Control+Enter Alt+ArrowDown' in segment.group()
    assert 'dir="auto"' in segment.group()
    assert 'id="review-keys"' in html
    assert "console/review.js" in html


def test_the_job_page_links_to_the_editor_for_reviewers_only(clients) -> None:
    job = team_job(review=True)
    link = f'href="{review_url(job)}" data-review-link'
    assert link in clients["reviewer"].get(f"/console/jobs/{job.pk}/").content.decode()
    assert link not in clients["viewer"].get(f"/console/jobs/{job.pk}/").content.decode()


def test_filters_by_qa_errors_review_state_fuzzy_band_and_text(clients) -> None:
    job = team_job(review=True)
    rows = Segment.objects.filter(job=job)
    rows.filter(order__in=[1, 2]).update(qa_status=QaStatus.ERROR)
    rows.filter(order=3).update(tm_score=101)
    rows.filter(order=4).update(tm_score=97)
    rows.filter(order=5).update(tm_score=80)
    rows.filter(order=6).update(tm_score=60)
    rows.filter(order=0).update(review_state="reviewed")
    client = clients["reviewer"]
    assert orders(client.get(review_url(job) + "?qa=error")) == [1, 2]
    assert orders(client.get(review_url(job) + "?band=100")) == [3]
    assert orders(client.get(review_url(job) + "?band=95")) == [4]
    assert orders(client.get(review_url(job) + "?band=75")) == [5]
    assert orders(client.get(review_url(job) + "?band=50")) == [6]
    no_match = orders(client.get(review_url(job) + "?band=none"))
    assert no_match == [o for o in translatable(job) if o not in (3, 4, 5, 6)]
    unreviewed = orders(client.get(review_url(job) + "?unreviewed=1"))
    assert unreviewed == [o for o in translatable(job) if o != 0]
    assert orders(client.get(review_url(job) + "?q=WEEKENDS")) == [21]  # source, any case
    assert orders(client.get(review_url(job) + "?q=ŵééķéñðš")) == [21]  # target
    assert orders(client.get(review_url(job) + "?qa=error&q=1,250")) == [1]
    none = client.get(review_url(job) + "?q=nowhere+to+be+found")
    assert b"No segments match." in none.content


def test_pages_follow_the_order_key_forwards_and_back(clients) -> None:
    job = team_job(review=True)
    added = add_segments(job, 2 * PAGE_SIZE)
    every = translatable(job)
    client = clients["reviewer"]
    first = client.get(review_url(job))
    assert orders(first) == every[:PAGE_SIZE]
    last_key = every[PAGE_SIZE - 1]
    assert f'?after={last_key}" rel="next"'.encode() in first.content
    second = client.get(review_url(job) + f"?after={last_key}")
    assert orders(second) == every[PAGE_SIZE : 2 * PAGE_SIZE]
    assert f'?before={every[PAGE_SIZE]}" rel="prev"'.encode() in second.content
    back = client.get(review_url(job) + f"?before={every[PAGE_SIZE]}")
    assert orders(back) == every[:PAGE_SIZE]
    tail = client.get(review_url(job, "segments") + f"?after={added[-3]}", HTTP_HX_REQUEST="true")
    assert orders(tail) == added[-2:]
    assert b"<html" not in tail.content
    assert b'rel="next"' not in tail.content
    assert b'rel="prev"' not in tail.content  # appended below the page, not a page of its own
    filtered = client.get(review_url(job) + f"?q=Line&after={added[10]}")
    assert orders(filtered) == added[11 : 11 + PAGE_SIZE]
    assert f"?q=Line&amp;after={added[10 + PAGE_SIZE]}".encode() in filtered.content


def test_a_page_costs_the_same_few_queries_however_many_rows_it_shows(
    clients, django_assert_max_num_queries
) -> None:
    job = team_job(review=True)
    added = add_segments(job, 3 * PAGE_SIZE)
    client = clients["reviewer"]
    client.get(review_url(job))  # the session and templates are warm

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    full = queries(review_url(job) + f"?after={added[0]}")
    few = queries(review_url(job) + f"?after={added[-3]}")
    assert full == few
    with django_assert_max_num_queries(9):
        page = client.get(review_url(job) + f"?after={added[PAGE_SIZE]}")
    assert len(orders(page)) == PAGE_SIZE


def test_a_save_changes_the_target_state_qa_and_reviewer(clients) -> None:
    job = team_job(review=True)
    target = "[Ŕéšüļţš] <g1>sans chiffres</g1> &amp; rien d'autre"
    answer = save(clients["reviewer"], job, TAGGED, target=target, confirm="1", comment="ok")
    assert answer.status_code == 200
    assert b"<html" not in answer.content
    segment = Segment.objects.get(job=job, order=TAGGED)
    assert segment.target == target
    assert segment.review_state == "reviewed"
    assert segment.reviewed_by == "reviewer"
    assert segment.review_comment == "ok"
    assert segment.origin == Origin.HUMAN
    # QA ran again on the new target: the source's number is missing from it
    assert any(issue["check"] == "numbers" for issue in segment.qa_issues)
    assert f'data-qa="{segment.qa_status}"'.encode() in answer.content
    assert b'data-review-state="reviewed"' in answer.content
    assert b"sans chiffres" in answer.content
    total = len(translatable(job))
    progress = f'hx-swap-oob="true">1 of {total} segments reviewed; QA errors open:'
    assert progress in answer.content.decode()
    assert AuditRecord.objects.filter(action="review.edit", actor__username="reviewer").exists()


def test_a_duplicate_that_follows_its_original_is_swapped_in_too(clients) -> None:
    job = team_job(review=True)
    copy = Segment.objects.filter(job=job, duplicate_of_order__isnull=False).first()
    assert copy is not None
    assert copy.duplicate_of_order is not None
    target = "[Rapport trimestriel du service]"
    answer = save(clients["reviewer"], job, copy.duplicate_of_order, target=target, confirm="1")
    assert answer.status_code == 200
    assert Segment.objects.get(pk=copy.pk).target == target
    html = answer.content.decode()
    assert html.count("<article ") == 2
    follower = re.search(rf'<article [^>]*id="seg-{copy.order}"[^>]*>.*?</article>', html, re.S)
    assert follower is not None
    assert 'hx-swap-oob="true"' in follower.group()
    assert target in follower.group()


def test_confirming_the_last_segment_releases_the_gate(clients) -> None:
    job = team_job(review=True)
    client = clients["reviewer"]
    *first, last = translatable(job)
    for order in first:
        assert save(client, job, order, confirm="1").status_code == 200
        assert Job.objects.get(pk=job.pk).state == JobState.IN_REVIEW
    answer = save(client, job, last, state="final")
    assert answer.status_code == 200
    assert Job.objects.get(pk=job.pk).state == JobState.COMPLETED
    assert b"The review gate is met" in answer.content
    assert b'name="target"' not in answer.content  # the job left review: read-only now
    page = client.get(review_url(job))
    assert b'id="read-only"' in page.content
    assert b"is completed" in page.content


def test_a_target_with_broken_tags_is_refused_in_place_and_nothing_changes(clients) -> None:
    job = team_job(review=True)
    before = Segment.objects.get(job=job, order=TAGGED)
    broken = "Ce rapport a servi <g1>1 250 clients entre juillet et septembre."
    answer = save(clients["reviewer"], job, TAGGED, target=broken, confirm="1")
    assert answer.status_code == 422
    html = answer.content.decode()
    assert 'role="alert"' in html
    assert "tags do not match the source" in html
    assert "&lt;g1&gt;1 250 clients entre juillet" in html  # the reviewer's text stays
    after = Segment.objects.get(job=job, order=TAGGED)
    assert (after.target, after.review_state, after.qa_status) == (
        before.target,
        before.review_state,
        before.qa_status,
    )
    assert not AuditRecord.objects.filter(action="review.edit").exists()
    # without the script, the refusal comes on a page of its own, the text still there
    url = review_url(job, f"segments/{TAGGED}/save")
    form = {**shown(job, TAGGED), "confirm": "1"}
    page = csrf_post(clients["reviewer"], url, {**form, "target": broken})
    assert page.status_code == 422
    assert b"<html" in page.content
    assert b"tags do not match the source" in page.content
    assert b"&lt;g1&gt;1 250 clients entre juillet" in page.content
    fixed = csrf_post(clients["reviewer"], url, {**form, "target": broken + "</g1>"})
    assert fixed.status_code == 302
    assert fixed["Location"] == review_url(job) + f"?after={TAGGED - 1}#seg-{TAGGED}"
    assert Segment.objects.get(job=job, order=TAGGED).target == broken + "</g1>"


def test_a_qa_error_is_waived_with_a_reason(clients) -> None:
    job = team_job(review=True)
    issue = {"check": "numbers", "severity": "error", "message": "1,250 is missing", "span": [1, 5]}
    Segment.objects.filter(job=job, order=2).update(qa_status=QaStatus.ERROR, qa_issues=[issue])
    page = clients["reviewer"].get(review_url(job) + "?qa=error")
    assert b"1,250 is missing" in page.content
    assert b"<mark>" in page.content  # the span, in the excerpt and in the target
    assert b'class="qa-span"' in page.content
    assert b"data-waive" in page.content
    url = review_url(job, "segments/2/waive")
    empty = csrf_post(clients["reviewer"], url, {"reason": " "}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 422
    assert b"needs a reason" in empty.content
    assert csrf_post(clients["viewer"], url, {"reason": "forged"}).status_code == 403
    assert Segment.objects.get(job=job, order=2).qa_waiver == ""
    done = csrf_post(
        clients["reviewer"], url, {"reason": "client's own figure"}, HTTP_HX_REQUEST="true"
    )
    assert done.status_code == 200
    assert Segment.objects.get(job=job, order=2).qa_waiver == "client's own figure"
    assert b"Waived:" in done.content
    assert b"data-waive" not in done.content


def test_a_viewer_reads_the_review_and_a_forged_save_is_refused(clients) -> None:
    job = team_job(review=True)
    page = clients["viewer"].get(review_url(job))
    assert page.status_code == 200
    assert orders(page) == translatable(job)
    for editing in (b'name="target"', b"data-confirm", b'contenteditable="true"', b"data-waive"):
        assert editing not in page.content
    assert b'id="read-only"' in page.content
    before = Segment.objects.get(job=job, order=TAGGED)
    forged = save(clients["viewer"], job, TAGGED, target="pwned", confirm="1")
    assert forged.status_code == 403
    after = Segment.objects.get(job=job, order=TAGGED)
    assert (after.target, after.review_state) == (before.target, before.review_state)
    assert not AuditRecord.objects.filter(action="review.edit").exists()


def test_a_job_not_in_review_is_read_only_and_says_why(clients) -> None:
    job = team_job()
    assert job.state == JobState.COMPLETED
    page = clients["reviewer"].get(review_url(job))
    assert page.status_code == 200
    assert b"is completed: segments are edited only while a job is in review" in page.content
    assert b'name="target"' not in page.content
    refused = save(clients["reviewer"], job, TAGGED, target="x", confirm="1")
    assert refused.status_code == 422
    assert b"only a job in review is edited" in refused.content


def test_a_job_of_another_team_is_not_found(clients) -> None:
    job = team_job(review=True)
    outsider = make_member("outsider", Role.REVIEWER, ["beta"])
    client = Client()
    client.force_login(outsider.user)
    assert client.get(review_url(job)).status_code == 404
    assert client.get(review_url(job, f"segments/{TAGGED}/")).status_code == 404
    assert save(client, job, TAGGED, target="x").status_code == 404
    assert Segment.objects.get(job=job, order=TAGGED).origin != Origin.HUMAN


#: drives the editor's script in a real browser on the page's own markup, without htmx
#: (a form's submit is stopped after the script has written the target into it)
HARNESS = """<!doctype html><html><body>%s<pre id="out"></pre>
<script src="review.js"></script><script>
document.addEventListener("submit", function (e) { e.preventDefault(); });
window.addEventListener("load", function () {
  var out = {}, ed = document.querySelector("#seg-1 .editable"), form = ed.closest("form");
  var raw = form.querySelector("textarea.raw");
  function key(k, code, o) {
    ed.dispatchEvent(new KeyboardEvent("keydown", Object.assign({key: k, code: code,
      bubbles: true, cancelable: true}, o)));
  }
  function saved() { form.requestSubmit(); return raw.value; }
  function caretAtEnd() {
    var r = document.createRange(); r.selectNodeContents(ed); r.collapse(false);
    getSelection().removeAllRanges(); getSelection().addRange(r);
  }
  out.enhanced = !ed.hidden && raw.hidden;
  out.focus = document.activeElement.closest(".seg").id;
  out.unchanged = saved();
  ed.focus(); key("S", "KeyS", {ctrlKey: true, shiftKey: true});
  out.source = saved();
  ed.querySelector('[data-tag="</g1>"]').remove();
  caretAtEnd(); key("T", "KeyT", {ctrlKey: true, shiftKey: true});
  out.tag = saved();
  caretAtEnd();
  var dt = new DataTransfer(); dt.setData("text/plain", " x<y");
  ed.dispatchEvent(new ClipboardEvent("paste",
    {clipboardData: dt, bubbles: true, cancelable: true}));
  out.pasted = saved();
  key("ArrowDown", "ArrowDown", {altKey: true});
  out.next = document.activeElement.closest(".seg").id;
  document.getElementById("out").textContent = JSON.stringify(out);
});
</script></body></html>"""


def run_in_browser(page: str, folder: Path) -> dict[str, object]:
    segments = re.search(r'<div id="segments">.*</div>(?=\s*</main>)', page, re.S)
    assert segments is not None
    (folder / "review.js").write_text(SCRIPT.read_text())
    (folder / "page.html").write_text(HARNESS % segments.group(), encoding="utf-8")
    command = [require_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"]
    done = subprocess.run(
        [*command, (folder / "page.html").as_uri()], capture_output=True, text=True, timeout=90
    )
    found = re.search(r'<pre id="out">(.*?)</pre>', done.stdout, re.S)
    assert found is not None, done.stderr[-2000:]
    return dict(json.loads(html.unescape(found.group(1))))


def test_the_script_writes_tags_and_escapes_back_and_the_shortcuts_work(clients, tmp_path) -> None:
    job = team_job(review=True)
    target = "A &amp; B &lt;c&gt; <g1>1 250 clients</g1> servis"
    Segment.objects.filter(job=job, order=TAGGED).update(target=target)
    source = Segment.objects.get(job=job, order=TAGGED).source
    page = clients["reviewer"].get(review_url(job)).content.decode()
    seen = run_in_browser(page, tmp_path)
    assert seen["enhanced"] is True
    assert seen["focus"] == "seg-0"  # the first target takes the focus
    assert seen["unchanged"] == target  # chips and escapes make the same tagged text
    assert seen["source"] == source  # Ctrl+Shift+S
    # </g1> removed, then put back at the caret (the end) by Ctrl+Shift+T
    assert seen["tag"] == source.replace("</g1>", "") + "</g1>"
    assert seen["pasted"] == seen["tag"] + " x&lt;y"  # pasted text is escaped
    assert seen["next"] == "seg-2"  # Alt+Down
