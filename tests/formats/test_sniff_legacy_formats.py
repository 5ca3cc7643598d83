"""Real .doc, .rtf and .odt files (made by LibreOffice from real .docx) sniff as themselves."""

from __future__ import annotations

import pytest

from iris.formats import SourceFormat, sniff_format
from tests.formats.conftest import LEGACY, STEMS

pytestmark = pytest.mark.libreoffice


@pytest.mark.parametrize("stem", STEMS)
@pytest.mark.parametrize("fmt", LEGACY, ids=str)
def test_converted_document_sniffs_as_its_format(
    legacy_documents: dict[tuple[str, str], bytes], stem: str, fmt: SourceFormat
) -> None:
    assert sniff_format(legacy_documents[stem, fmt.value]) is fmt


@pytest.mark.parametrize("stem", STEMS)
def test_source_docx_sniffs_as_docx(docx_sources: dict[str, bytes], stem: str) -> None:
    assert sniff_format(docx_sources[stem]) is SourceFormat.DOCX


def test_doc_saved_under_a_docx_name_is_still_doc(
    legacy_documents: dict[tuple[str, str], bytes], tmp_path
) -> None:
    misnamed = tmp_path / "report.docx"
    misnamed.write_bytes(legacy_documents["report", "doc"])
    assert sniff_format(misnamed.read_bytes()) is SourceFormat.DOC
