"""Typed errors of the format layer.

Both derive from :class:`iris.docx.errors.DocxError`, so every caller that already turns
a rejected document into a user-facing message (the CLI's exit code 3, a job's failure
reason) covers them too. Messages are one sentence that names the format.
"""

from __future__ import annotations

from iris.docx import DocxError

__all__ = ["ConversionError", "ConverterUnavailableError", "UnsupportedFormatError"]


class UnsupportedFormatError(DocxError):
    """The input is not a Word document Iris can read (.docx, .doc, .rtf or .odt)."""


class ConversionError(DocxError):
    """A legacy format could not be converted to or from .docx (no converter, crash, time-out)."""


class ConverterUnavailableError(ConversionError):
    """No converter is installed, or it cannot be started: the installation is at fault,
    not the document, so a job stopped by it can be retried once that is fixed."""
