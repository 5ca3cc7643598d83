"""Documents found damaged or hostile while the pipeline reads them are *rejected*: the
command exits 3 with the document's own message, the job ends ``rejected`` (no retry:
the same bytes would fail the same way) and no copy of the refused input is kept.

Each document here passes the cheap checks made at submission (the zip directory,
content types, package relationships) and fails only when extraction reads its parts.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from iris.artifacts.models import Artifact
from iris.docx.opc.package import open_package
from iris.governance.models import AuditRecord
from iris.jobs.actions import Command, request_control
from iris.jobs.models import Job, JobState, Step
from iris.jobs.states import IllegalTransition
from tests.documents import build_document
from tests.docx.test_hostile_input import RawEntry, raw_zip
from tests.jobs.helpers import submit, wait_finished
from tests.jobs.test_cli import iris

DOCUMENT = "word/document.xml"


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def _zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buffer.getvalue()


def _edit(part: str, change: Callable[[bytes], bytes]) -> bytes:
    parts = _parts(build_document(paragraphs=4))
    parts[part] = change(parts[part])
    return _zipped(parts)


def _in_first_text(insert: bytes) -> Callable[[bytes], bytes]:
    return lambda xml: re.sub(rb"(<w:t(?: [^>]*)?>)", lambda m: m.group(1) + insert, xml, count=1)


def _with_dtd(xml: bytes) -> bytes:
    declaration, rest = xml.split(b"?>", 1)
    return declaration + b'?><!DOCTYPE w:document [<!ENTITY e "expanded">]>' + rest


def _relationship_outside(rels: bytes) -> bytes:
    return re.sub(rb'Target="styles.xml"', b'Target="../../../etc/passwd"', rels, count=1)


def _nested_tables(xml: bytes, depth: int = 300) -> bytes:
    cell = b"<w:p><w:r><w:t>deep</w:t></w:r></w:p>"
    for _ in range(depth):
        cell = b"<w:tbl><w:tr><w:tc>" + cell + b"</w:tc></w:tr></w:tbl><w:p/>"
    return xml.replace(b"<w:body>", b"<w:body>" + cell, 1)


def _outside() -> bytes:
    return _edit("word/_rels/document.xml.rels", _relationship_outside)


def _lying_header() -> bytes:
    parts = _parts(build_document(paragraphs=4))
    entries = [
        RawEntry(name.encode(), data, declared_size=100 if name == DOCUMENT else None)
        for name, data in parts.items()
    ]
    return raw_zip(entries)


REJECTED: dict[str, tuple[Callable[[], bytes], str]] = {
    "NUL character reference": (lambda: _edit(DOCUMENT, _in_first_text(b"&#0;")), "XML"),
    "surrogate character reference": (lambda: _edit(DOCUMENT, _in_first_text(b"&#xD800;")), "XML"),
    "invalid UTF-8": (lambda: _edit(DOCUMENT, _in_first_text(b"\xff\xfe\xc3")), "XML"),
    "relationship outside the package": (_outside, "outside the document"),
    "tables nested beyond the parser's depth": (lambda: _edit(DOCUMENT, _nested_tables), "nested"),
}


@pytest.mark.parametrize("case", sorted(REJECTED))
def test_a_document_refused_by_extraction_exits_3_and_keeps_nothing(tmp_path, case) -> None:
    build, words = REJECTED[case]
    data = build()
    open_package(data)  # it passes the checks made at submission
    source = tmp_path / "hostile.docx"
    source.write_bytes(data)
    done = iris(tmp_path, "translate", str(source), "--to", "fr", "--from", "en", "-q")
    assert done.returncode == 3, (done.stdout, done.stderr)
    line = done.stderr.strip()
    assert line.startswith(f"iris: {source} cannot be translated: "), line
    assert words in line, line
    assert "\n" not in line, line
    assert "rejected in docx_extract" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    stored = [p for p in (tmp_path / "var" / "artifacts").rglob("*") if p.is_file()]
    assert not stored, stored
    assert not list(tmp_path.glob("hostile.fr.*"))
    assert source.read_bytes() == data


def test_a_zip_header_lying_about_a_size_is_refused_at_submission(tmp_path) -> None:
    """Every member is inflated and checked when the package is opened (CRC and
    declared sizes), so a lying header is found before any work, not at extraction."""
    source = tmp_path / "lying.docx"
    source.write_bytes(_lying_header())
    done = iris(tmp_path, "translate", str(source), "--to", "fr", "--from", "en", "-q")
    assert done.returncode == 3, (done.stdout, done.stderr)
    assert "zip header declares" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "var" / "artifacts").exists() or not any(
        p.is_file() for p in (tmp_path / "var" / "artifacts").rglob("*")
    )


@pytest.mark.parametrize("part", [DOCUMENT, "customXml/item1.xml"])
def test_a_doctype_in_any_part_is_refused_at_submission(tmp_path, part) -> None:
    # Parsed (the story) or copied as it is (custom XML): refused alike, before any work.
    parts = _parts(build_document(paragraphs=4))
    parts[part] = _with_dtd(parts.get(part, b'<?xml version="1.0"?><x/>'))
    source = tmp_path / "custom.docx"
    source.write_bytes(_zipped(parts))
    done = iris(tmp_path, "translate", str(source), "--to", "fr", "--from", "en", "-q")
    assert done.returncode == 3, (done.stdout, done.stderr)
    assert part in done.stderr
    assert "DTD" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "var" / "artifacts").exists() or not any(
        p.is_file() for p in (tmp_path / "var" / "artifacts").rglob("*")
    )


def _assert_rejected(job: Job) -> None:
    job = wait_finished(job)
    assert job.state == JobState.REJECTED, (job.state, job.error)
    assert job.failed_step == Step.EXTRACT
    assert "outside the document" in job.error
    assert not Artifact.objects.filter(job=job).exists()
    assert not job.segments.exists()
    assert not job.batches.exists()
    assert job.finished_at is not None
    assert AuditRecord.objects.filter(action="job.rejected", object_id=str(job.pk)).exists()
    for command in Command:
        with pytest.raises(IllegalTransition):
            request_control(job, command)
    assert Job.objects.get(pk=job.pk).state == JobState.REJECTED


@pytest.mark.django_db(transaction=True)
def test_a_rejected_job_is_final_audited_and_keeps_no_copy() -> None:
    (job,) = submit(_outside(), "fr")
    _assert_rejected(job)


@pytest.mark.services
def test_a_worker_rejects_the_document_the_same_way(worker_factory) -> None:
    worker_factory()
    (job,) = submit(_outside(), "fr")
    (sibling,) = submit(build_document(paragraphs=4), "fr")
    _assert_rejected(job)
    assert wait_finished(sibling).state == JobState.COMPLETED


def test_every_target_of_a_rejected_document_is_rejected(tmp_path: Path) -> None:
    data = _outside()
    source = tmp_path / "hostile.docx"
    source.write_bytes(data)
    done = iris(tmp_path, "translate", str(source), "--to", "fr", "--to", "de", "--from", "en")
    assert done.returncode == 3, (done.stdout, done.stderr)
    assert done.stdout.count("rejected in docx_extract") == 2
    folders = [p for p in (tmp_path / "var" / "artifacts").rglob("*") if p.is_file()]
    assert not folders
