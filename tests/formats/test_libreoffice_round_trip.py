"""LibreOffice turns real .doc, .rtf and .odt files into .docx the document library reads,
and delivers a .docx back in each legacy format."""

from __future__ import annotations

import pytest

from iris.docx import VALUE_KINDS, open_document
from iris.formats import LibreOfficeConverter, SourceFormat, from_docx, sniff_format, to_docx
from tests.formats.conftest import LEGACY, STEMS, require_soffice

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def libreoffice() -> LibreOfficeConverter:
    return LibreOfficeConverter(require_soffice(), timeout=120)


def missing_texts(original: bytes, converted: bytes) -> list[str]:
    """Texts of ``original``'s units that ``converted`` (read by iris.docx) lacks. A value
    kept as it is (a picture whose description is its file path) is not text of the
    document: LibreOffice's .doc and .rtf export drops such descriptions."""
    expected = [
        unit.plain
        for unit in open_document(original).units()
        if unit.plain.strip() and (unit.translatable or unit.kind not in VALUE_KINDS)
    ]
    assert expected, "the source document has text"
    found = "\n".join(unit.plain for unit in open_document(converted).units())
    return [text for text in expected if text not in found]


@pytest.mark.parametrize("stem", STEMS)
@pytest.mark.parametrize("fmt", LEGACY, ids=str)
def test_legacy_document_becomes_a_docx_with_its_text(
    legacy_documents: dict[tuple[str, str], bytes],
    docx_sources: dict[str, bytes],
    libreoffice: LibreOfficeConverter,
    stem: str,
    fmt: SourceFormat,
) -> None:
    source, docx = to_docx(legacy_documents[stem, fmt.value], libreoffice)
    assert source is fmt
    assert sniff_format(docx) is SourceFormat.DOCX
    assert missing_texts(docx_sources[stem], docx) == []


def test_docx_is_returned_unchanged_without_running_a_converter(
    docx_sources: dict[str, bytes],
) -> None:
    docx = docx_sources["report"]
    assert to_docx(docx, LibreOfficeConverter("/nonexistent/soffice")) == (
        SourceFormat.DOCX,
        docx,
    )


@pytest.mark.parametrize("target", LEGACY, ids=str)
def test_docx_is_delivered_in_each_legacy_format(
    docx_sources: dict[str, bytes], libreoffice: LibreOfficeConverter, target: SourceFormat
) -> None:
    delivered = from_docx(docx_sources["report"], target, libreoffice)
    assert sniff_format(delivered) is target
    # Back again, the delivered file still holds the document's words.
    _, docx = to_docx(delivered, libreoffice)
    assert missing_texts(docx_sources["report"], docx) == []
