"""The two review formats behind one face: write a package in a format, read a file
in whichever format it is (sniffed from its bytes), name the file."""

from __future__ import annotations

from pathlib import PurePath

from iris.review.bilingual import read_bilingual, write_bilingual
from iris.review.models import ReviewFormat
from iris.review.package import PackageError, ReadPackage, ReviewPackage
from iris.review.xliff import read_xliff, write_xliff

_SUFFIX = {ReviewFormat.XLIFF: ".xlf", ReviewFormat.DOCX: ".review.docx"}


def write(package: ReviewPackage, fmt: ReviewFormat) -> bytes:
    return write_xliff(package) if fmt == ReviewFormat.XLIFF else write_bilingual(package)


def read(data: bytes) -> tuple[ReviewFormat, ReadPackage]:
    """The format of ``data`` and what it holds. Raises `PackageError`."""
    if data[:4] == b"PK\x03\x04":
        return ReviewFormat.DOCX, read_bilingual(data)
    if data.lstrip()[:1] == b"<" or data[:3] == b"\xef\xbb\xbf" or _utf16_xml(data):
        return ReviewFormat.XLIFF, read_xliff(data)
    raise PackageError(
        "This is neither an XLIFF file nor a bilingual DOCX: upload the review package "
        "Iris exported, as edited."
    )


def _utf16_xml(data: bytes) -> bool:
    """UTF-16 text that starts as XML does: with a byte order mark (LE or BE), or, without
    one, ``<`` as its first character (the XML declaration then names the encoding).
    lxml decodes it from the bytes."""
    return data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:2] in (b"<\x00", b"\x00<")


def file_name(source_name: str, target_lang: str, fmt: ReviewFormat) -> str:
    """``report.docx`` → ``report.fr.xlf`` / ``report.fr.review.docx``."""
    stem = PurePath(source_name).stem or "document"
    return f"{stem}.{target_lang}{_SUFFIX[fmt]}"
