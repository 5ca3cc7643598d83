"""Files that are not Word documents are refused with a message naming what they are."""

from __future__ import annotations

import io
import zipfile

import pytest

from iris.docx.errors import DocxError
from iris.formats import SourceFormat, UnsupportedFormatError, sniff_format
from tests.formats.cfb import cfb_file

NOT_WORD = "not a Word document (.docx, .doc, .rtf or .odt)"


def zip_with(entries: dict[str, bytes], method: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def odf(mimetype: str, method: int = zipfile.ZIP_STORED) -> bytes:
    return zip_with({"mimetype": mimetype.encode(), "content.xml": b"<office/>"}, method)


REFUSED = [
    (cfb_file({"Workbook": b"\x09\x08"}), "an Excel workbook (.xls)"),
    (cfb_file({"Book": b"\x09\x08"}), "an Excel 5.0/95 workbook (.xls)"),
    (cfb_file({"PowerPoint Document": b"\0"}), "a PowerPoint presentation (.ppt)"),
    (cfb_file({"Contents": b"\0"}), "an Office 97-2003 compound file of an unknown kind"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF"),
    (b"Dear customer,\nplease translate this.\n", "plain text"),
    ("Привет, мир\n".encode() * 1000, "plain text"),
    (b"\xef\xbb\xbf<?xml version='1.0'?><w:wordDocument/>", "an XML or HTML file"),
    (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "a PNG image"),
    (bytes(range(256)), "a file of unknown type"),
    (
        odf("application/vnd.oasis.opendocument.spreadsheet"),
        "an OpenDocument spreadsheet (.ods)",
    ),
    (
        odf("application/vnd.oasis.opendocument.presentation"),
        "an OpenDocument presentation (.odp)",
    ),
]


@pytest.mark.parametrize(("data", "named"), REFUSED, ids=[named for _, named in REFUSED])
def test_refusal_names_the_format(data: bytes, named: str) -> None:
    with pytest.raises(UnsupportedFormatError) as raised:
        sniff_format(data)
    assert str(raised.value) == f"The file is {named}, {NOT_WORD}."


def test_empty_input_is_refused_as_empty() -> None:
    with pytest.raises(UnsupportedFormatError, match=r"^The file is empty; upload a Word"):
        sniff_format(b"")


def test_unknown_odf_type_is_named_without_its_raw_bytes() -> None:
    with pytest.raises(UnsupportedFormatError, match=r"OpenDocument file of type 'chart\?\?x'"):
        sniff_format(odf("application/vnd.oasis.opendocument.chart<\nx"))


def test_format_errors_are_document_errors() -> None:
    # The CLI and the job steps turn any DocxError into "document rejected".
    assert issubclass(UnsupportedFormatError, DocxError)


@pytest.mark.parametrize(
    "method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED], ids=["stored", "deflated"]
)
def test_odf_text_is_odt_however_its_mimetype_is_stored(method: int) -> None:
    assert sniff_format(odf("application/vnd.oasis.opendocument.text", method)) is SourceFormat.ODT


@pytest.mark.parametrize(
    "data",
    [
        zip_with({"[Content_Types].xml": b"<Types/>"}),
        zip_with({"mimetype": b"application/epub+zip"}),
        zip_with({}),
        b"PK\x03\x04 damaged beyond repair",
    ],
    ids=["ooxml", "epub", "empty-zip", "damaged-zip"],
)
def test_other_zips_are_left_to_the_docx_reader(data: bytes) -> None:
    # open_package does the strict OOXML checks and names what is wrong.
    assert sniff_format(data) is SourceFormat.DOCX


@pytest.mark.parametrize(
    "data", [b"{\\rtf1\\ansi hello}", b"\xef\xbb\xbf{\\rtf1}", b" \r\n\t{\\rtf1 x}"]
)
def test_rtf_is_recognised_after_a_bom_or_blank_space(data: bytes) -> None:
    assert sniff_format(data) is SourceFormat.RTF
