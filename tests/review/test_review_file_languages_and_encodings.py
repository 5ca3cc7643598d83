"""A reviewer's XLIFF is read whatever Unicode encoding a tool saved it in (UTF-16 with
a byte order mark, or declared in the XML declaration), and refused when its source
language is not the job's, as its target language is."""

from __future__ import annotations

import pytest

from iris.review import formats
from iris.review.actions import submit_import
from iris.review.importer import JobFacts, judge
from iris.review.models import ImportStatus, ReviewFormat
from iris.review.package import PackageError, ReadPackage, ReviewPackage, ReviewState, ReviewUnit
from iris.review.xliff import write_xliff
from tests.review.helpers import exported, job_in_review

PACKAGE = ReviewPackage(
    "job-1",
    "pkg-1",
    "en",
    "fr",
    "report.docx",
    [ReviewUnit(1, "p1", "Hello ünïcode", "Bonjour ünïcode", ReviewState.TRANSLATED)],
)
UTF8 = write_xliff(PACKAGE)
UTF16_TEXT = UTF8.decode("utf-8").replace("encoding='UTF-8'", "encoding='UTF-16'")


@pytest.mark.parametrize(
    "data",
    [
        UTF16_TEXT.encode("utf-16-le"),
        b"\xff\xfe" + UTF16_TEXT.encode("utf-16-le"),
        b"\xfe\xff" + UTF16_TEXT.encode("utf-16-be"),
        UTF16_TEXT.encode("utf-16-be"),
    ],
    ids=["le-declared", "le-bom", "be-bom", "be-declared"],
)
def test_a_utf16_xliff_is_read_like_its_utf8_original(data: bytes) -> None:
    fmt, read = formats.read(data)
    assert fmt == ReviewFormat.XLIFF
    assert read == formats.read(UTF8)[1]
    assert read.units[0].target == "Bonjour ünïcode"


def test_bytes_that_only_look_like_utf16_are_still_refused_as_no_package() -> None:
    with pytest.raises(PackageError, match="neither an XLIFF file nor a bilingual DOCX"):
        formats.read("plain text".encode("utf-16-le"))


def _judged(source_lang: str | None, job_source: str) -> list[str]:
    read = ReadPackage("job-1", "pkg-1", source_lang, "fr", [])
    facts = JobFacts("job-1", "fr", frozenset({"pkg-1"}), job_source)
    return [problem.code for problem in judge(read, facts, {}).errors]


def test_a_file_whose_source_language_is_not_the_jobs_is_refused() -> None:
    read = ReadPackage("job-1", "pkg-1", "de", "fr", [])
    report = judge(read, JobFacts("job-1", "fr", frozenset({"pkg-1"}), "en"), {})
    assert [problem.code for problem in report.errors] == ["wrong_language"]
    assert report.errors[0].message == (
        "The file's source language is de; this job translates from en."
    )


@pytest.mark.parametrize(
    ("in_file", "in_job"), [("EN", "en"), (None, "en"), ("de", "auto"), ("de", "")]
)
def test_the_source_language_is_checked_only_when_both_sides_name_one(
    in_file: str | None, in_job: str
) -> None:
    assert _judged(in_file, in_job) == []


@pytest.mark.django_db(transaction=True)
def test_an_import_with_another_source_language_changes_nothing() -> None:
    job = job_in_review()
    data = exported(job, ReviewFormat.XLIFF).replace(b'srcLang="en"', b'srcLang="de"', 1)
    row = submit_import(job.pk, data, "other-source.xlf")
    row.refresh_from_db()
    assert row.status == ImportStatus.REJECTED
    assert [error["code"] for error in row.report["errors"]] == ["wrong_language"]
