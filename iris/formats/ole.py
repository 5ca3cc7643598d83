"""What an OLE compound file (Office 97-2003 container) holds, read with olefile.

The same container carries legacy Word, Excel and PowerPoint files and also
password-protected OOXML files, so the magic number alone decides nothing: the names of
the streams in its directory do.
"""

from __future__ import annotations

import io
import struct

import olefile

from iris.docx import EncryptedDocumentError
from iris.formats.errors import UnsupportedFormatError

__all__ = ["OLE_MAGIC", "check_word_ole"]

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
NOT_WORD = "not a Word document (.docx, .doc, .rtf or .odt)"

# MS-OFFCRYPTO: an encrypted .docx/.xlsx/.pptx is a CFB holding these two streams.
_ENCRYPTED_OOXML = ("EncryptionInfo", "EncryptedPackage")
# MS-DOC FibBase: a 16-bit flag word at offset 0x0A of the WordDocument stream whose
# bit 0x0100 (fEncrypted) says the document body is encrypted with a password.
_FIB_FLAGS_OFFSET = 0x0A
_FIB_ENCRYPTED = 0x0100
# The stream or storage that marks each other Office 97-2003 application's files.
_OTHER_KINDS = (
    ("Workbook", "an Excel workbook (.xls)"),
    ("Book", "an Excel 5.0/95 workbook (.xls)"),
    ("PowerPoint Document", "a PowerPoint presentation (.ppt)"),
    ("VisioDocument", "a Visio drawing (.vsd)"),
    ("Quill", "a Publisher document (.pub)"),
    ("__properties_version1.0", "an Outlook message (.msg)"),
)
# What olefile (and the struct reads below) raise on a damaged or hostile container.
_UNREADABLE = (OSError, ValueError, IndexError, KeyError, OverflowError, struct.error)


def check_word_ole(data: bytes) -> None:
    """Return when ``data`` is an unencrypted Word 97-2003 document (.doc); raise otherwise.

    Raises :class:`EncryptedDocumentError` for a password-protected .docx or .doc and
    :class:`UnsupportedFormatError` for any other or unreadable compound file.
    """
    try:
        # Always a file object: olefile takes short ``bytes`` for a file *name*.
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            _check_streams(ole)
    except _UNREADABLE as error:
        raise UnsupportedFormatError(
            "The file is a damaged Office 97-2003 file that cannot be read; "
            "open it in Word and save it as .docx."
        ) from error


def _check_streams(ole: olefile.OleFileIO) -> None:
    if any(ole.exists(name) for name in _ENCRYPTED_OOXML):
        raise EncryptedDocumentError(
            "The file is a password-protected Word document (encrypted .docx); "
            "remove the password in Word and try again."
        )
    if not ole.exists("WordDocument"):
        raise UnsupportedFormatError(f"The file is {_describe(ole)}, {NOT_WORD}.")
    if _fib_flags(ole) & _FIB_ENCRYPTED:
        raise EncryptedDocumentError(
            "The file is a password-protected Word 97-2003 document (.doc); "
            "remove the password in Word and try again."
        )


def _fib_flags(ole: olefile.OleFileIO) -> int:
    head = ole.openstream("WordDocument").read(_FIB_FLAGS_OFFSET + 2)
    flags: int = struct.unpack_from("<H", head, _FIB_FLAGS_OFFSET)[0]
    return flags


def _describe(ole: olefile.OleFileIO) -> str:
    for name, kind in _OTHER_KINDS:
        if ole.exists(name):
            return kind
    return "an Office 97-2003 compound file of an unknown kind"
