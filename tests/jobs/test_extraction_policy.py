"""A job's extraction policy: asked for by switch, refused at once when a switch or a
value is wrong, recorded on the job in full, and applied by the job's extraction and
reassembly (embedded configuration, eager tasks)."""

from __future__ import annotations

from dataclasses import fields

import pytest

from iris.cli.commands import main
from iris.docx import Policy
from iris.jobs.actions import JobRequestError, TranslationRequest, create_jobs
from iris.jobs.extraction_policy import job_policy
from iris.jobs.models import Job, JobState
from iris.jobs.progress import job_report
from tests.docx.builders import W, body_of, texts
from tests.docx.test_exclude_styles import styled_docx
from tests.jobs.helpers import delivery

pytestmark = pytest.mark.django_db(transaction=True)

CODE = "print(page) # prints the page"


def translated(extraction: dict[str, object] | None) -> Job:
    request = TranslationRequest(
        "code.docx", styled_docx(), ["fr"], "en", engine="pseudo", extraction=extraction
    )
    (job,) = create_jobs(request)
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    return job


def delivered_paragraphs(job: Job) -> list[str]:
    return [texts(paragraph) for paragraph in body_of(delivery(job)).iter(f"{{{W}}}p")]


def test_an_excluded_style_is_never_sent_and_comes_back_as_it_was() -> None:
    job = translated({"excluded_styles": ["HTML Preformatted"]})
    assert not job.segments.filter(source__contains="print(page)").exists()
    paragraphs = delivered_paragraphs(job)
    assert paragraphs[1] == CODE  # the excluded paragraph, untouched
    assert "printer" not in paragraphs[0]  # the others are translated
    # A style based on the excluded one is excluded too.
    assert paragraphs[2] == "for page in pages: print(page)"


def test_by_default_the_same_paragraph_is_translated() -> None:
    job = translated(None)
    assert job.segments.filter(source__contains="print(page)").exists()
    assert delivered_paragraphs(job)[1] != CODE


def test_the_job_records_every_switch_as_applied() -> None:
    job = translated({"excluded_styles": "HTML Preformatted,Code", "alt_text": False})
    assert set(job.extraction) == {switch.name for switch in fields(Policy)}
    assert job.extraction["excluded_styles"] == ["Code", "HTML Preformatted"]
    assert job.extraction["alt_text"] is False
    assert job.extraction["comments"] is Policy().comments  # a default, written down
    assert job_policy(job.extraction) == Policy(
        excluded_styles=frozenset({"HTML Preformatted", "Code"}), alt_text=False
    )
    assert job_report(job.pk).extraction == job.extraction


def test_a_job_recorded_before_policies_or_with_a_retired_switch_opens_with_the_rest() -> None:
    assert job_policy({}) == Policy()
    assert job_policy({"hidden": False, "a_switch_since_removed": True}) == Policy(hidden=False)


@pytest.mark.parametrize(
    ("extraction", "said"),
    [
        ({"colour": "blue"}, "Unknown policy option 'colour'"),
        ({"alt_text": "maybe"}, "'alt_text' takes true or false, not 'maybe'"),
        ({"revisions": "reject"}, "'revisions' takes one of accept, keep, not 'reject'"),
    ],
)
def test_a_wrong_switch_is_refused_and_nothing_is_stored(
    extraction: dict[str, object], said: str
) -> None:
    request = TranslationRequest("code.docx", styled_docx(), ["fr"], "en", extraction=extraction)
    with pytest.raises(JobRequestError, match="extraction policy: ") as refused:
        create_jobs(request)
    assert said in str(refused.value)
    assert not Job.objects.exists()


def test_the_cli_previews_what_a_policy_extracts(tmp_path, capsys) -> None:
    source = tmp_path / "code.docx"
    source.write_bytes(styled_docx())

    def preview(*policy: str) -> str:
        switches = [arg for switch in policy for arg in ("--policy", switch)]
        assert main(["translate", str(source), "--to", "fr", "--preview", *switches]) == 0
        return str(capsys.readouterr().out)

    everything = preview()
    without_code = preview("excluded_styles=HTML Preformatted")
    assert "what would be extracted" in everything

    def body_units(printed: str) -> int:
        (row,) = [line.split() for line in printed.splitlines() if "word/document.xml" in line]
        return int(row[2])

    assert body_units(everything) == body_units(without_code) + 2
    assert not Job.objects.exists()  # a preview submits nothing


def test_the_cli_refuses_a_wrong_switch_with_usage_exit(tmp_path, capsys) -> None:
    source = tmp_path / "code.docx"
    source.write_bytes(styled_docx())
    code = main(["translate", str(source), "--to", "fr", "--preview", "--policy", "hidden"])
    assert code == 2
    assert "policy switch 'hidden' is not KEY=VALUE" in capsys.readouterr().err
