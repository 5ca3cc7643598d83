"""Legacy sources (.doc, .rtf, .odt) through the whole pipeline, as a user runs it:
real files made by LibreOffice from real documents, converted, translated, delivered."""

from __future__ import annotations

from pathlib import Path

import pytest

from iris.docx import open_document
from iris.formats import SourceFormat, sniff_format
from tests.formats.cfb import cfb_file
from tests.jobs.test_cli import iris

pytestmark = pytest.mark.libreoffice


def translated(source_docx: bytes, output: bytes) -> None:
    """``output`` reads as a document and no sentence of the source is left in it."""
    before = [u.plain for u in open_document(source_docx).units() if u.translatable]
    after = "\n".join(u.plain for u in open_document(output).units())
    assert before
    left = [sentence for sentence in before if len(sentence) > 12 and sentence in after]
    assert not left, left[:3]


@pytest.mark.parametrize("fmt", ["doc", "rtf", "odt"])
def test_a_legacy_document_is_converted_and_translated(
    tmp_path, docx_sources, legacy_documents, fmt
) -> None:
    source = tmp_path / f"report.{fmt}"
    source.write_bytes(legacy_documents["report", fmt])
    done = iris(tmp_path, "translate", str(source), "--to", "fr", "--from", "en", "-q")
    assert done.returncode == 0, done.stderr
    output = tmp_path / "report.fr.docx"
    assert f"written to {output}" in done.stdout
    assert sniff_format(output.read_bytes()) == SourceFormat.DOCX
    translated(docx_sources["report"], output.read_bytes())


def test_keep_format_delivers_in_the_source_format(tmp_path, legacy_documents) -> None:
    source = tmp_path / "notes.doc"
    source.write_bytes(legacy_documents["pandoc__notes", "doc"])
    done = iris(tmp_path, "translate", str(source), "--to", "de", "--keep-format", "-q")
    assert done.returncode == 0, done.stderr
    output = tmp_path / "notes.de.doc"
    assert sniff_format(output.read_bytes()) == SourceFormat.DOC


def test_a_doc_named_docx_is_sniffed_and_converted(
    tmp_path, docx_sources, legacy_documents
) -> None:
    source = tmp_path / "disguised.docx"
    source.write_bytes(legacy_documents["report", "doc"])
    done = iris(tmp_path, "translate", str(source), "--to", "fr", "--from", "en", "-q")
    assert done.returncode == 0, done.stderr
    output = (tmp_path / "disguised.fr.docx").read_bytes()
    assert sniff_format(output) == SourceFormat.DOCX
    translated(docx_sources["report"], output)


def test_an_unsupported_file_is_rejected_naming_its_format(tmp_path) -> None:
    source = tmp_path / "budget.docx"
    source.write_bytes(cfb_file({"Workbook": bytes(64)}))
    done = iris(tmp_path, "translate", str(source), "--to", "fr")
    assert done.returncode == 3, done.stderr
    assert "Excel" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "var" / "artifacts").exists() or not any(
        (tmp_path / "var" / "artifacts").rglob("*.docx")
    )


def test_an_unconvertible_document_is_rejected_at_conversion(tmp_path) -> None:
    # A compound file with a WordDocument stream that holds nothing Word can read.
    source = tmp_path / "broken.doc"
    source.write_bytes(cfb_file({"WordDocument": bytes(4096)}))
    done = iris(tmp_path, "translate", str(source), "--to", "fr", "-q")
    assert done.returncode == 3, (done.stdout, done.stderr)
    assert "rejected in docx_convert" in done.stdout
    assert not any(p.is_file() for p in (tmp_path / "var" / "artifacts").rglob("*"))
    assert "broken.doc cannot be translated" in done.stderr
    assert ".doc" in done.stderr.split("cannot be translated", 1)[1]  # names the format
    assert "Traceback" not in done.stdout + done.stderr


def test_aspose_that_cannot_start_fails_the_job_cleanly(tmp_path, legacy_documents) -> None:
    # The installation is at fault, not the document: the job fails (exit 1) and keeps
    # its source, so a retry once the converter is fixed can succeed.
    source = tmp_path / "report.doc"
    source.write_bytes(legacy_documents["report", "doc"])
    done = iris(tmp_path, "translate", str(source), "--to", "fr", "-q", IRIS_ASPOSE_ENABLED="true")
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "failed in docx_convert" in done.stdout
    assert any(p.suffix == ".doc" for p in (tmp_path / "var" / "artifacts").rglob("*"))
    assert "Aspose" in done.stderr
    assert not Path(tmp_path / "report.fr.docx").exists()


def test_a_broken_libreoffice_fails_the_job_and_a_retry_converts_it(
    tmp_path, legacy_documents
) -> None:
    """soffice that converts nothing (here /bin/false) is the installation's fault, not
    the document's: the job fails and keeps its source, and once soffice works, a retry
    delivers. Before, the document was rejected for good and its source deleted."""
    source = tmp_path / "report.rtf"
    source.write_bytes(legacy_documents["report", "rtf"])
    done = iris(
        tmp_path, "translate", str(source), "--to", "fr", "-q", IRIS_SOFFICE_PATH="/bin/false"
    )
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "failed in docx_convert" in done.stdout
    assert "the installation is at fault, not the document" in done.stderr
    assert any(p.suffix == ".rtf" for p in (tmp_path / "var" / "artifacts").rglob("*"))
    retried = iris(tmp_path, "retry", "1")
    assert retried.returncode == 0, (retried.stdout, retried.stderr)
    assert open_document((tmp_path / "report.fr.docx").read_bytes()).units()
