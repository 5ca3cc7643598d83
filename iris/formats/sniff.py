"""Which format a document really is, decided from its bytes alone (never its name).

Word (.docx), Word 97-2003 (.doc), RTF and OpenDocument text (.odt) are accepted;
everything else is refused with a message that names what the file is. Only the
container is recognised here: :func:`iris.docx.opc.package.open_package` does the strict
checks of a .docx later, and a converter reads the legacy formats.
"""

from __future__ import annotations

import codecs
import io
import re
import struct
import zipfile
from enum import StrEnum

from iris.formats.errors import UnsupportedFormatError
from iris.formats.ole import NOT_WORD, OLE_MAGIC, check_word_ole

__all__ = ["CONTENT_TYPE", "DESCRIPTION", "EXTENSION", "SourceFormat", "sniff_format"]


class SourceFormat(StrEnum):
    """A document format Iris accepts; the value is the usual file extension."""

    DOCX = "docx"
    DOC = "doc"
    RTF = "rtf"
    ODT = "odt"


EXTENSION = {fmt: f".{fmt.value}" for fmt in SourceFormat}
CONTENT_TYPE = {
    SourceFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    SourceFormat.DOC: "application/msword",
    SourceFormat.RTF: "application/rtf",
    SourceFormat.ODT: "application/vnd.oasis.opendocument.text",
}
DESCRIPTION = {
    SourceFormat.DOCX: "a Word document (.docx)",
    SourceFormat.DOC: "a Word 97-2003 document (.doc)",
    SourceFormat.RTF: "a Rich Text Format document (.rtf)",
    SourceFormat.ODT: "an OpenDocument text document (.odt)",
}

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a first entry, or the end record of an empty zip
_UTF8_BOM = b"\xef\xbb\xbf"
_HEAD = 4096  # how much of the start is looked at to recognise RTF or text
_ODF_PREFIX = "application/vnd.oasis.opendocument."
_ODF_TEXT = "text"
#: a zip entry's local header, up to its name: signature, versions, flags, method,
#: time, date, CRC, compressed and full sizes, name and extra field lengths
_LOCAL_HEADER = struct.Struct("<4s5HLLLHH")
_MIMETYPE_MAX = 128  # the longest ODF mimetype is 60 bytes; read no more than this
_ODF_KINDS = {
    _ODF_TEXT: "an OpenDocument text (.odt)",
    "spreadsheet": "an OpenDocument spreadsheet (.ods)",
    "presentation": "an OpenDocument presentation (.odp)",
    "graphics": "an OpenDocument drawing (.odg)",
    "formula": "an OpenDocument formula (.odf)",
    "text-template": "an OpenDocument text template (.ott)",
    "text-master": "an OpenDocument master document (.odm)",
}
_OTHER_MAGIC = (
    (b"%PDF", "a PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
)
# What zipfile raises on a damaged archive; such a file is left for open_package to name.
_UNREADABLE_ZIP = (zipfile.BadZipFile, EOFError, ValueError, OSError, NotImplementedError)


def sniff_format(data: bytes) -> SourceFormat:
    """The format of ``data``, or :class:`UnsupportedFormatError` naming what it is.

    Raises :class:`iris.docx.errors.EncryptedDocumentError` for a password-protected
    .docx or .doc. A zip that is not OpenDocument is reported as DOCX without further
    checks: :func:`iris.docx.opc.package.open_package` rejects a damaged or foreign one.
    """
    if not data:
        raise UnsupportedFormatError(
            "The file is empty; upload a Word document (.docx, .doc, .rtf or .odt)."
        )
    if data.startswith(OLE_MAGIC):
        check_word_ole(data)
        return SourceFormat.DOC
    if data.startswith(_ZIP_MAGIC):
        return _sniff_zip(data)
    if _text_head(data).startswith(b"{\\rtf"):
        return SourceFormat.RTF
    raise UnsupportedFormatError(f"The file is {_describe_other(data)}, {NOT_WORD}.")


def _sniff_zip(data: bytes) -> SourceFormat:
    mimetype = _odf_mimetype(data)
    if mimetype is None or not mimetype.startswith(_ODF_PREFIX):
        return SourceFormat.DOCX
    kind = mimetype.removeprefix(_ODF_PREFIX)
    if kind == _ODF_TEXT:
        return SourceFormat.ODT
    # The mimetype comes from the file: keep only harmless characters for the message.
    shown = _ODF_KINDS.get(kind) or f"an OpenDocument file of type {_printable(kind)!r}"
    raise UnsupportedFormatError(f"The file is {shown}, {NOT_WORD}.")


def _odf_mimetype(data: bytes) -> str | None:
    """The zip's ``mimetype`` entry (OpenDocument's type marker), None when absent."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("mimetype")
            if info.file_size > _MIMETYPE_MAX:
                return None
            with archive.open(info) as entry:
                raw = entry.read(_MIMETYPE_MAX + 1)  # bounded even if the size lies
    except (KeyError, RuntimeError):  # RuntimeError: encrypted entry
        return None
    except _UNREADABLE_ZIP:
        first = _first_stored_mimetype(data)  # a damaged zip can still say what it was
        if first is not None and first.startswith(_ODF_PREFIX.encode()):
            kind = first.decode("ascii", "replace").strip().removeprefix(_ODF_PREFIX)
            shown = _ODF_KINDS.get(kind) or "an OpenDocument file"
            raise UnsupportedFormatError(
                f"The file is {shown} whose zip structure is damaged (cut short?); "
                "it cannot be read."
            ) from None
        return None
    return raw.decode("ascii", "replace").strip()


def _first_stored_mimetype(data: bytes) -> bytes | None:
    """The ``mimetype`` entry read from the zip's first local header, where
    OpenDocument puts it (first, stored, uncompressed): what a file whose central
    directory is lost (cut short, damaged) still says about its type."""
    if len(data) < _LOCAL_HEADER.size:
        return None
    _magic, _version, _flags, method, _time, _date, _crc, size, _full, name_length, extra = (
        _LOCAL_HEADER.unpack_from(data)
    )
    start = _LOCAL_HEADER.size
    name = data[start : start + name_length]
    if name != b"mimetype" or method != zipfile.ZIP_STORED or size > _MIMETYPE_MAX:
        return None
    body = start + name_length + extra
    return data[body : body + size]


def _text_head(data: bytes) -> bytes:
    return data[:_HEAD].removeprefix(_UTF8_BOM).lstrip()


def _describe_other(data: bytes) -> str:
    for magic, kind in _OTHER_MAGIC:
        if data.startswith(magic):
            return kind
    head = _text_head(data)
    if not _is_text(head):
        return "a file of unknown type"
    return "an XML or HTML file" if head.startswith(b"<") else "plain text"


def _is_text(head: bytes) -> bool:
    # Incremental decoding: the head may end inside a multi-byte character.
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return b"\0" not in head


def _printable(text: str) -> str:
    return re.sub(r"[^a-z0-9.+-]", "?", text[:40])
