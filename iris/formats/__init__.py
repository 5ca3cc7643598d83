"""Document formats: what a file really is, and legacy Word formats to .docx and back.

Pure library, no Django (like :mod:`iris.docx`): configuration comes in as arguments.
:func:`sniff_format` decides from the bytes alone; :func:`to_docx` turns a .doc, .rtf
or .odt into .docx with a :class:`Converter` (LibreOffice or Aspose.Words, each run in
a separate process with a time limit) and :func:`from_docx` converts back for delivery.
"""

from __future__ import annotations

from iris.formats.aspose import AsposeConverter
from iris.formats.base import Converter
from iris.formats.converters import choose_converter, from_docx, to_docx
from iris.formats.errors import ConversionError, ConverterUnavailableError, UnsupportedFormatError
from iris.formats.libreoffice import LibreOfficeConverter
from iris.formats.sniff import CONTENT_TYPE, DESCRIPTION, EXTENSION, SourceFormat, sniff_format

__all__ = [
    "CONTENT_TYPE",
    "DESCRIPTION",
    "EXTENSION",
    "AsposeConverter",
    "ConversionError",
    "Converter",
    "ConverterUnavailableError",
    "LibreOfficeConverter",
    "SourceFormat",
    "UnsupportedFormatError",
    "choose_converter",
    "from_docx",
    "sniff_format",
    "to_docx",
]
