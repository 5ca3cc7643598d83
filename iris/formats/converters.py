"""Turning any accepted document into .docx for the pipeline, and back for delivery."""

from __future__ import annotations

from iris.docx import DocxError
from iris.formats.aspose import AsposeConverter
from iris.formats.base import Converter, file_of
from iris.formats.errors import ConversionError, ConverterUnavailableError
from iris.formats.libreoffice import LibreOfficeConverter
from iris.formats.sniff import DESCRIPTION, EXTENSION, SourceFormat, sniff_format

__all__ = ["choose_converter", "from_docx", "to_docx"]

_INSTALL_HINT = "install LibreOffice or enable Aspose with IRIS_ASPOSE_ENABLED"


def choose_converter(
    aspose_enabled: bool, soffice: str = "soffice", timeout: float = 120
) -> Converter | None:
    """Aspose.Words when enabled, else LibreOffice when installed, else None."""
    if aspose_enabled:
        return AsposeConverter(timeout=timeout)
    libreoffice = LibreOfficeConverter(soffice, timeout)
    return libreoffice if libreoffice.available() else None


def to_docx(data: bytes, converter: Converter | None) -> tuple[SourceFormat, bytes]:
    """The format ``data`` really is, and the document as .docx.

    A .docx comes back unchanged (the same bytes, no conversion); the others are
    converted. Raises what :func:`sniff_format` raises, and :class:`ConversionError`.
    """
    source = sniff_format(data)
    if source is SourceFormat.DOCX:
        return source, data
    if converter is None:
        raise ConverterUnavailableError(
            f"The file is {DESCRIPTION[source]} and no converter is installed ({_INSTALL_HINT})."
        )
    return source, _convert_checked(data, source, SourceFormat.DOCX, converter)


def from_docx(data: bytes, target: SourceFormat, converter: Converter | None) -> bytes:
    """The .docx ``data`` as a ``target`` file, to deliver in the source's own format."""
    if target is SourceFormat.DOCX:
        return data
    if converter is None:
        raise ConverterUnavailableError(
            f"Delivering as {EXTENSION[target]} needs a converter and none is installed "
            f"({_INSTALL_HINT})."
        )
    return _convert_checked(data, SourceFormat.DOCX, target, converter)


def _convert_checked(
    data: bytes, source: SourceFormat, target: SourceFormat, converter: Converter
) -> bytes:
    # A converter that "succeeds" with the wrong thing (an error page, a text export)
    # must fail here, not later in a step that would blame the user's document.
    converted = converter.convert(data, source, target)
    try:
        produced = sniff_format(converted)
    except DocxError as error:
        raise ConversionError(
            f"{converter.name} turned {file_of(source)} into something unreadable: {error}"
        ) from error
    if produced is not target:
        raise ConversionError(
            f"{converter.name} turned {file_of(source)} into {DESCRIPTION[produced]} "
            f"instead of a {EXTENSION[target]} file."
        )
    return converted
