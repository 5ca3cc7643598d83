"""Password-protected Word files are reported as such, whether .docx or .doc."""

from __future__ import annotations

import io

import olefile
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from iris.docx.errors import EncryptedDocumentError
from iris.formats import SourceFormat, sniff_format
from tests.formats.cfb import cfb_file
from tests.formats.conftest import SAMPLE

FIB_FLAGS_OFFSET = 0x0A
F_ENCRYPTED = 0x0100


def encrypted_docx() -> bytes:
    """``samples/report.docx`` encrypted with a password the way Word does (ECMA-376 agile)."""
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(SAMPLE.read_bytes())).encrypt("secret", out)
    return out.getvalue()


def with_fib_flag(doc: bytes, flag: int) -> bytes:
    """``doc`` with ``flag`` set in its FIB flag word (same stream size, so olefile can write)."""
    buffer = io.BytesIO(doc)
    with olefile.OleFileIO(buffer, write_mode=True) as ole:
        stream = bytearray(ole.openstream("WordDocument").read())
        flags = int.from_bytes(stream[FIB_FLAGS_OFFSET : FIB_FLAGS_OFFSET + 2], "little")
        stream[FIB_FLAGS_OFFSET : FIB_FLAGS_OFFSET + 2] = (flags | flag).to_bytes(2, "little")
        ole.write_stream("WordDocument", bytes(stream))
    return buffer.getvalue()


def test_real_password_protected_docx_is_encrypted() -> None:
    with pytest.raises(EncryptedDocumentError, match=r"password-protected .*\.docx"):
        sniff_format(encrypted_docx())


@pytest.mark.parametrize("streams", [["EncryptionInfo"], ["EncryptedPackage"]])
def test_either_encryption_stream_alone_is_enough(streams: list[str]) -> None:
    with pytest.raises(EncryptedDocumentError, match="password"):
        sniff_format(cfb_file(dict.fromkeys(streams, b"\x04\x00\x04\x00")))


@pytest.mark.libreoffice
def test_doc_with_the_fib_encrypted_bit_is_encrypted(
    legacy_documents: dict[tuple[str, str], bytes],
) -> None:
    doc = legacy_documents["report", "doc"]
    with pytest.raises(EncryptedDocumentError, match=r"password-protected .*\(\.doc\)"):
        sniff_format(with_fib_flag(doc, F_ENCRYPTED))


@pytest.mark.libreoffice
def test_other_fib_flags_leave_a_doc_readable(
    legacy_documents: dict[tuple[str, str], bytes],
) -> None:
    doc = legacy_documents["report", "doc"]
    assert (
        sniff_format(with_fib_flag(doc, 0x0001 | 0x0400)) is SourceFormat.DOC
    )  # fDot, fReadOnlyRec.
