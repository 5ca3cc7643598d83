"""Which converter is used, what happens without one, and a converter's output is checked."""

from __future__ import annotations

import pytest

from iris.formats import (
    AsposeConverter,
    ConversionError,
    Converter,
    LibreOfficeConverter,
    SourceFormat,
    choose_converter,
    from_docx,
    to_docx,
)
from tests.formats.cfb import cfb_file
from tests.formats.conftest import SAMPLE, require_soffice

DOC = cfb_file({"WordDocument": bytes.fromhex("eca5c100") + bytes(8)})


class Returns(Converter):
    """A converter that returns fixed bytes: only the checks around it are under test."""

    name = "Fixed"

    def __init__(self, output: bytes) -> None:
        self.output = output

    def available(self) -> bool:
        return True

    def convert(self, data: bytes, source: SourceFormat, target: SourceFormat) -> bytes:
        return self.output


def test_aspose_is_chosen_when_enabled_even_with_libreoffice_installed() -> None:
    converter = choose_converter(True, timeout=30)
    assert isinstance(converter, AsposeConverter)
    assert converter.timeout == 30


@pytest.mark.libreoffice
def test_libreoffice_is_chosen_when_aspose_is_disabled() -> None:
    converter = choose_converter(False, soffice=require_soffice(), timeout=30)
    assert isinstance(converter, LibreOfficeConverter)
    assert converter.timeout == 30


def test_no_converter_when_aspose_is_disabled_and_libreoffice_missing() -> None:
    assert choose_converter(False, soffice="/nonexistent/soffice") is None


def test_legacy_input_without_a_converter_says_what_to_install() -> None:
    with pytest.raises(ConversionError) as raised:
        to_docx(DOC, None)
    assert str(raised.value) == (
        "The file is a Word 97-2003 document (.doc) and no converter is installed "
        "(install LibreOffice or enable Aspose with IRIS_ASPOSE_ENABLED)."
    )


def test_delivery_in_a_legacy_format_without_a_converter_fails_clearly() -> None:
    with pytest.raises(ConversionError, match=r"^Delivering as \.rtf needs a converter"):
        from_docx(SAMPLE.read_bytes(), SourceFormat.RTF, None)


def test_delivery_as_docx_needs_no_converter() -> None:
    docx = SAMPLE.read_bytes()
    assert from_docx(docx, SourceFormat.DOCX, None) is docx


@pytest.mark.parametrize(
    ("output", "complaint"),
    [
        (b"{\\rtf1 not a docx}", "into a Rich Text Format document (.rtf) instead of a .docx"),
        (b"Error: source file could not be loaded", "into something unreadable: The file is"),
    ],
)
def test_converter_output_that_is_not_docx_is_a_conversion_error(
    output: bytes, complaint: str
) -> None:
    with pytest.raises(ConversionError, match=r"^Fixed turned the \.doc file ") as raised:
        to_docx(DOC, Returns(output))
    assert complaint in str(raised.value)


def test_delivered_file_must_be_in_the_target_format() -> None:
    with pytest.raises(
        ConversionError, match=r"into a Word document \(\.docx\) instead of a \.odt"
    ):
        from_docx(SAMPLE.read_bytes(), SourceFormat.ODT, Returns(SAMPLE.read_bytes()))
