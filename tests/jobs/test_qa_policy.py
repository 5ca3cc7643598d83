"""A job's QA: the checks it runs and the severities it changes (its ``qa_policy``,
``--qa-skip`` / ``--qa-error``), checked at submission; its languages reach the checks;
the job checks (inconsistent translations) mark the segments concerned, once."""

from __future__ import annotations

import io

import pytest
from docx import Document

from iris.jobs.actions import JobRequestError, TranslationRequest, create_jobs
from iris.jobs.models import Job, JobState, QaStatus, Segment
from iris.jobs.steps import verification
from tests.engine_openai.server import fake_chat_server
from tests.jobs.test_cli import iris

pytestmark = pytest.mark.django_db(transaction=True)


def document(*paragraphs: str) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def run(data: bytes, **options: object) -> Job:
    request = TranslationRequest("a.docx", data, ["fr"], "en", **options)  # type: ignore[arg-type]
    (job,) = create_jobs(request)
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    return job


def checks_of(job: Job) -> set[str]:
    return {
        issue["check"]
        for issues in job.segments.values_list("qa_issues", flat=True)
        for issue in issues
    }


def test_an_unknown_check_is_refused_at_submission() -> None:
    with pytest.raises(JobRequestError, match="did you mean 'length'"):
        run(document("Hello."), qa_policy={"disable": ["lenght"]})
    assert not Job.objects.exists()


def test_the_command_line_refuses_an_unknown_check(tmp_path) -> None:
    source = tmp_path / "a.docx"
    source.write_bytes(document("Hello world."))
    done = iris(tmp_path, "translate", str(source), "--to", "fr", "--qa-skip", "nonsense")
    assert done.returncode == 2, done.stderr
    assert "nonsense" in done.stderr


def test_a_skipped_check_finds_nothing(settings) -> None:
    data = document("The report is ready for our customers.", "The summary is ready.")
    with fake_chat_server() as server:
        settings.IRIS_OPENAI_BASE_URL = server.url
        settings.IRIS_OPENAI_MODEL = "test-model"
        server.spoil, server.spoil_stubbornly = "report", True
        assert "control_characters" in checks_of(run(data, engine="openai"))
        skipped = run(data, engine="openai", qa_policy={"disable": ["control_characters"]})
    assert "control_characters" not in checks_of(skipped)
    # Not an error then: nothing was sent back to the engine either.
    assert "repair_failed" not in checks_of(skipped)


def test_a_raised_check_is_an_error() -> None:
    qa = verification.QaContext.of(
        Job(engine="pseudo", qa_policy={"severity": {"double_space": "error"}})
    )
    verdict = verification.verify("One two.", "Un  deux.", "engine", qa=qa)
    assert verdict.status == QaStatus.ERROR
    assert [i["severity"] for i in verdict.issues if i["check"] == "double_space"] == ["error"]
    plain = verification.verify("One two.", "Un  deux.", "engine")
    assert plain.status == QaStatus.WARNING


def test_the_job_checks_mark_inconsistent_translations_once() -> None:
    job = run(document("The report is ready.", "The summary is ready."))
    segments = list(job.segments.filter(source__endswith="is ready.").order_by("order"))
    assert len(segments) == 2
    # Two different sources given one translation: what a careless engine or editor does.
    Segment.objects.filter(pk=segments[1].pk).update(target=segments[0].target)
    for _ in range(2):  # a re-run of the step replaces its findings, never adds them twice
        verification._check_job(job, verification.QaContext.of(job))
    for segment in Segment.objects.filter(pk__in=[s.pk for s in segments]):
        found = [i for i in segment.qa_issues if i["check"] == "inconsistency"]
        assert len(found) == 1, segment.qa_issues
        assert segment.qa_status != QaStatus.PASSED


def test_the_job_languages_reach_the_checks() -> None:
    qa = verification.QaContext.of(Job(source_lang="en", target_lang="de", engine="openai"))
    english = "The quarterly report shows that our customers waited less than last year."
    verdict = verification.verify(english, english.replace("quarterly", "yearly"), "engine", qa=qa)
    assert "language" in {issue["check"] for issue in verdict.issues}, verdict.issues


def test_pseudo_localisation_is_not_judged_for_its_language() -> None:
    english = "The quarterly report shows that our customers waited less than last year."
    qa = verification.QaContext.of(Job(source_lang="en", target_lang="de", engine="pseudo"))
    verdict = verification.verify(english, english.replace("quarterly", "yearly"), "engine", qa=qa)
    assert "language" not in {issue["check"] for issue in verdict.issues}
