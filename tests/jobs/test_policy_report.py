"""What the extraction policy changed is recorded on the job: with the default policy a
document's tracked changes are accepted, which the fidelity comparison cannot see, so
``job.fidelity``, fidelity.json and the printed summary say how many insertions and
deletions were accepted and how many comments were left untranslated (embedded
configuration, eager tasks)."""

from __future__ import annotations

import json

import pytest

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import read_artifact
from iris.cli.display import summary
from iris.jobs.actions import TranslationRequest, create_jobs
from iris.jobs.models import Job, JobState
from iris.jobs.progress import job_report
from tests.docx.builders import Part, make_docx, p, r, read_part, story
from tests.docx.test_data_binding import ORDER_NS, bound_document
from tests.jobs.helpers import delivery, submit

pytestmark = pytest.mark.django_db(transaction=True)

MARK = 'w:author="A" w:date="2024-01-01T00:00:00Z"'
TRACKED = p(
    r("The price is ")
    + f'<w:del w:id="1" {MARK}><w:r><w:delText xml:space="preserve">ten euros </w:delText>'
    "</w:r></w:del>" + f'<w:ins w:id="2" {MARK}>{r("twelve euros ")}</w:ins>' + r("per item.")
) + p(
    r("Delivery is ")
    + f'<w:del w:id="3" {MARK}><w:r><w:delText xml:space="preserve">slow </w:delText>'
    "</w:r></w:del>"
    + f'<w:ins w:id="4" {MARK}>{r("fast ")}</w:ins>'
    + f'<w:ins w:id="5" {MARK}>{r("and free ")}</w:ins>'
    + r("this week.")
)
COMMENTS = Part(
    "word/comments.xml",
    "comments",
    story("comments", '<w:comment w:id="0" w:author="A">' + p(r("Check it.")) + "</w:comment>"),
)


def fidelity_json(job: Job) -> dict[str, object]:
    report: dict[str, object] = json.loads(
        read_artifact(job.artifacts.get(kind=ArtifactKind.FIDELITY_REPORT))
    )
    return report


def test_accepted_revisions_are_recorded_and_printed() -> None:
    (job,) = submit(make_docx(TRACKED), "fr")
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    accepted = {"insertions": 3, "deletions": 2}
    assert job.fidelity == {
        "clean": True,
        "differences": 0,
        "policy": {"revisions_accepted": accepted},
    }
    assert fidelity_json(job)["policy"] == {"revisions_accepted": accepted}
    printed = summary([job_report(job.pk)], {}, 1.0)
    assert "fidelity clean; revisions accepted: 3 insertions, 2 deletions" in printed


def test_comments_left_out_are_recorded() -> None:
    request = TranslationRequest(
        name="report.docx",
        data=make_docx(TRACKED, parts=[COMMENTS]),
        target_langs=("fr",),
        source_lang="en",
        engine="pseudo",
        extraction={"comments": False, "revisions": "keep"},
    )
    (job,) = create_jobs(request)
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    assert job.fidelity["policy"] == {"comments_not_translated": 1}
    printed = summary([job_report(job.pk)], {}, 1.0)
    assert "comments not translated: 1" in printed
    assert "revisions accepted" not in printed


def test_a_document_the_policy_did_not_change_records_nothing() -> None:
    (job,) = submit(make_docx(p(r("Nothing tracked here."))), "fr")
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    assert job.fidelity == {"clean": True, "differences": 0}
    assert fidelity_json(job)["policy"] == {}
    assert "fidelity clean\n" in summary([job_report(job.pk)], {}, 1.0) + "\n"


def test_bound_content_controls_are_recorded() -> None:
    (job,) = submit(bound_document(), "fr")
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    # customer, due, note, status, subject written; shipped and item[last()] left
    assert job.fidelity["policy"] == {"data_bindings": {"updated": 5, "left": 2}}
    report = fidelity_json(job)
    assert len(report["bindings_left"]) == 2  # type: ignore[arg-type]
    customer = read_part(delivery(job), "customXml/item1.xml").find(f"{{{ORDER_NS}}}customer")
    assert customer is not None
    assert customer.text not in (None, "Joe Bloggs ordered apples.")
    printed = summary([job_report(job.pk)], {}, 1.0)
    assert "data-bound controls: 5 XML nodes updated, 2 not rewritten" in printed
