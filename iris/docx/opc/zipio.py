"""Zip container access for .docx packages: sniffing, directory reading, bounded
inflation and a minimal writer that can copy untouched entries' compressed bytes.

Only stored and deflated entries exist in Word files; the writer never needs zip64
because :class:`~iris.docx.opc.limits.Limits` keeps packages far below 4 GiB.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass

from iris.docx.errors import (
    EncryptedDocumentError,
    MalformedPackageError,
    NotADocxError,
    UnsafePackageError,
)

__all__ = [
    "OutEntry",
    "ZipEntry",
    "ZipWriter",
    "compress",
    "inflate",
    "inflate_head",
    "raw_data",
    "read_entries",
    "read_source",
    "sniff",
    "verify",
]

_CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
_CENTRAL_HEADER = struct.Struct("<IHHHHHHIIIHHHHHII")
_END_OF_CENTRAL = struct.Struct("<IHHHHIIH")
_UTF8_FLAG = 0x800
_ENCRYPTED_FLAGS = 0x41  # bit 0: encrypted, bit 6: strong encryption
_ZIP32_MAX = 0xFFFFFFFF
# Verification streams an entry through zlib a slice of input at a time, holding at
# most one chunk of output: a member of any size costs a few hundred KiB of memory.
_VERIFY_INPUT = 256 * 1024
_VERIFY_OUTPUT = 1024 * 1024
# What zipfile raises on a damaged directory: NotImplementedError comes from a
# garbled "version needed" field, struct.error from a short record.
_UNREADABLE_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    ValueError,
    OSError,
    NotImplementedError,
    struct.error,
)


@dataclass(frozen=True)
class ZipEntry:
    """One zip entry as read from the central directory, with its data location."""

    name: str
    compress_type: int
    crc: int
    compress_size: int
    file_size: int
    header_offset: int
    data_offset: int
    date_time: tuple[int, int, int, int, int, int]
    utf8_name: bool
    external_attr: int
    #: whether the entry's local header spells the name the directory gives it
    local_name_matches: bool


def read_source(source: bytes | str | os.PathLike[str], max_size: int) -> bytes:
    """The bytes of ``source`` (bytes or a path), refusing more than ``max_size``."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    else:
        size = os.stat(source).st_size
        if size > max_size:
            raise UnsafePackageError(_too_big(size, max_size))
        with open(source, "rb") as handle:
            data = handle.read(max_size + 1)
    if len(data) > max_size:
        raise UnsafePackageError(_too_big(len(data), max_size))
    return data


def _too_big(size: int, max_size: int) -> str:
    return f"The file is {size} bytes, more than the limit of {max_size} bytes."


def sniff(data: bytes) -> None:
    """Reject inputs that are not zip archives with the most helpful error we can give."""
    if not data:
        raise NotADocxError("The file is empty; upload a Word document (.docx).")
    if data.startswith(_CFB_MAGIC):
        _reject_cfb(data)
    if not data.startswith(b"PK"):
        raise NotADocxError(f"The file is {_describe(data)}, not a Word document (.docx).")


def _reject_cfb(data: bytes) -> None:
    # An encrypted OOXML file is a CFB container holding an "EncryptedPackage" stream;
    # a legacy binary .doc is a CFB container holding a "WordDocument" stream.
    if "EncryptedPackage".encode("utf-16-le") not in data and (
        "WordDocument".encode("utf-16-le") in data
    ):
        raise NotADocxError(
            "The file is a legacy Word 97-2003 document (.doc); save it as .docx and try again."
        )
    raise EncryptedDocumentError(
        "The document is password-protected; remove the password in Word and try again."
    )


def _describe(data: bytes) -> str:
    for magic, kind in ((b"%PDF", "a PDF"), (b"{\\rtf", "an RTF document"), (b"<", "text/XML")):
        if data.startswith(magic):
            return kind
    return "not a zip archive"


def read_entries(data: bytes) -> list[ZipEntry]:
    """Entries of the zip directory in order, with the offset of each entry's data."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except _UNREADABLE_ZIP as exc:
        raise NotADocxError(
            "The file is not a valid Word document (.docx): its zip structure is damaged."
        ) from exc
    return [_entry(info, data) for info in infos]


def _entry(info: zipfile.ZipInfo, data: bytes) -> ZipEntry:
    if info.flag_bits & _ENCRYPTED_FLAGS:
        raise EncryptedDocumentError(
            "The document's zip entries are encrypted; remove the password and try again."
        )
    return ZipEntry(
        name=info.filename,
        compress_type=info.compress_type,
        crc=info.CRC,
        compress_size=info.compress_size,
        file_size=info.file_size,
        header_offset=info.header_offset,
        data_offset=_data_offset(info, data),
        date_time=info.date_time,
        utf8_name=bool(info.flag_bits & _UTF8_FLAG),
        external_attr=info.external_attr,
        local_name_matches=_local_name(info, data) == _directory_name(info),
    )


def _data_offset(info: zipfile.ZipInfo, data: bytes) -> int:
    start = info.header_offset
    if start < 0 or start + _LOCAL_HEADER.size > len(data):
        raise MalformedPackageError(f"The document is truncated near part {info.filename!r}.")
    fields: tuple[int, ...] = _LOCAL_HEADER.unpack_from(data, start)
    if fields[0] != 0x04034B50:
        raise MalformedPackageError(f"The document's zip entry {info.filename!r} is damaged.")
    return start + _LOCAL_HEADER.size + fields[9] + fields[10]


def _local_name(info: zipfile.ZipInfo, data: bytes) -> bytes:
    """The name bytes of the entry's local header (whose signature is checked)."""
    start = info.header_offset + _LOCAL_HEADER.size
    length: int = _LOCAL_HEADER.unpack_from(data, info.header_offset)[9]
    return data[start : start + length]


def _directory_name(info: zipfile.ZipInfo) -> bytes:
    """The entry's name as the central directory spells it, in bytes (zipfile decodes
    it as UTF-8 when the flag says so and as cp437 otherwise, so this round-trips)."""
    return info.orig_filename.encode("utf-8" if info.flag_bits & _UTF8_FLAG else "cp437")


def raw_data(entry: ZipEntry, data: bytes) -> bytes:
    """The compressed bytes of ``entry`` inside the archive ``data``."""
    return data[entry.data_offset : entry.data_offset + entry.compress_size]


def inflate(entry: ZipEntry, raw: bytes) -> bytes:
    """Decompress one entry, never producing more than its declared size, and check its CRC."""
    stored = entry.compress_type == zipfile.ZIP_STORED
    data = raw if stored else _inflate_bounded(entry, raw)
    if len(data) != entry.file_size or zlib.crc32(data) != entry.crc:
        raise _checksum_error(entry)
    return data


def verify(entry: ZipEntry, raw: bytes | memoryview) -> None:
    """Check that an entry is what the directory declares (its local header's name, its
    data's size and CRC) without keeping its data: the parts copied into the translation
    unread depend on this, and a name the local header spells differently makes zip
    readers (zipfile among them) refuse or disagree about the entry.

    A deflated entry is inflated and discarded chunk by chunk, never beyond its declared
    size plus one byte, so the limits checked on the directory bound the work.
    """
    if not entry.local_name_matches:
        raise MalformedPackageError(
            f"The document's zip entry {entry.name!r} is damaged (its local header names "
            "another entry); re-save the document in Word."
        )
    if entry.compress_type == zipfile.ZIP_STORED:
        size, crc = len(raw), zlib.crc32(raw)
    else:
        size, crc = _inflated_size_and_crc(entry, memoryview(raw))
        if size > entry.file_size:
            raise _bomb_error(entry)
    if size != entry.file_size or crc != entry.crc:
        raise _checksum_error(entry)


def _inflated_size_and_crc(entry: ZipEntry, raw: memoryview) -> tuple[int, int]:
    decompressor = zlib.decompressobj(-15)
    size = crc = 0
    try:
        for start in range(0, len(raw), _VERIFY_INPUT):
            pending: bytes | memoryview = raw[start : start + _VERIFY_INPUT]
            while pending and not decompressor.eof:
                # One byte more than declared is enough to prove the header lies.
                room = min(_VERIFY_OUTPUT, entry.file_size + 1 - size)
                chunk = decompressor.decompress(pending, room)
                pending = decompressor.unconsumed_tail
                size += len(chunk)
                crc = zlib.crc32(chunk, crc)
                if size > entry.file_size:
                    return size, crc
            if decompressor.eof:
                break
    except zlib.error as exc:
        raise _undecompressable_error(entry) from exc
    return size, crc


def _inflate_bounded(entry: ZipEntry, raw: bytes) -> bytes:
    decompressor = zlib.decompressobj(-15)
    try:
        # One byte more than declared is enough to prove the header lies.
        data = decompressor.decompress(raw, entry.file_size + 1)
    except zlib.error as exc:
        raise _undecompressable_error(entry) from exc
    if len(data) > entry.file_size:
        raise _bomb_error(entry)
    return data


def _checksum_error(entry: ZipEntry) -> MalformedPackageError:
    return MalformedPackageError(
        f"The part {entry.name!r} is damaged (its checksum does not match); "
        "re-save the document in Word."
    )


def _undecompressable_error(entry: ZipEntry) -> MalformedPackageError:
    return MalformedPackageError(f"The part {entry.name!r} is damaged and cannot be decompressed.")


def _bomb_error(entry: ZipEntry) -> UnsafePackageError:
    return UnsafePackageError(
        f"The part {entry.name!r} expands beyond the size its zip header declares "
        "(a zip bomb); the document cannot be opened."
    )


def inflate_head(entry: ZipEntry, raw: bytes, size: int) -> bytes:
    """The first ``size`` bytes of an entry (fewer if it is shorter), unchecked: enough
    to look at a part's beginning without decompressing all of it."""
    if entry.compress_type == zipfile.ZIP_STORED:
        return raw[:size]
    try:
        return zlib.decompressobj(-15).decompress(raw, size)
    except zlib.error as exc:
        raise _undecompressable_error(entry) from exc


def compress(data: bytes, compress_type: int) -> bytes:
    """Payload for a zip entry: deflated at level 6 (like Word) or stored as is."""
    if compress_type == zipfile.ZIP_STORED:
        return data
    return zlib.compress(data, 6, wbits=-15)


@dataclass(frozen=True)
class OutEntry:
    name: bytes
    flags: int
    compress_type: int
    crc: int
    file_size: int
    dos_time: int
    dos_date: int
    external_attr: int

    @classmethod
    def copy_of(cls, entry: ZipEntry) -> OutEntry:
        return cls.fresh(entry.name, b"", entry.compress_type, entry, crc=entry.crc)

    @classmethod
    def fresh(
        cls,
        name: str,
        data: bytes,
        compress_type: int,
        like: ZipEntry | None,
        crc: int | None = None,
    ) -> OutEntry:
        encoded, flags = _encode_name(name, like.utf8_name if like else False)
        dos_time, dos_date = _dos_stamp(like.date_time if like else (1980, 1, 1, 0, 0, 0))
        return cls(
            name=encoded,
            flags=flags,
            compress_type=compress_type,
            crc=zlib.crc32(data) if crc is None else crc,
            file_size=like.file_size if crc is not None and like else len(data),
            dos_time=dos_time,
            dos_date=dos_date,
            external_attr=like.external_attr if like else 0,
        )


def _encode_name(name: str, utf8: bool) -> tuple[bytes, int]:
    if not utf8:
        try:
            return name.encode("cp437"), 0
        except UnicodeEncodeError:
            pass
    return name.encode("utf-8"), _UTF8_FLAG


def _dos_stamp(stamp: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = stamp
    year = min(max(year, 1980), 2107)
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day


class ZipWriter:
    """Minimal zip writer: local headers, data, central directory (no zip64 needed)."""

    def __init__(self) -> None:
        self._out = io.BytesIO()
        self._central: list[bytes] = []

    def add(self, entry: OutEntry, payload: bytes) -> None:
        offset = self._out.tell()
        if max(offset, len(payload), entry.file_size) >= _ZIP32_MAX:
            raise UnsafePackageError("The translated document is too large to write.")
        common = (entry.flags, entry.compress_type, entry.dos_time, entry.dos_date, entry.crc)
        self._out.write(
            _LOCAL_HEADER.pack(
                0x04034B50, 20, *common, len(payload), entry.file_size, len(entry.name), 0
            )
        )
        self._out.write(entry.name)
        self._out.write(payload)
        self._central.append(
            _CENTRAL_HEADER.pack(
                0x02014B50,
                20,
                20,
                *common,
                len(payload),
                entry.file_size,
                len(entry.name),
                0,
                0,
                0,
                0,
                entry.external_attr,
                offset,
            )
            + entry.name
        )

    def finish(self) -> bytes:
        start = self._out.tell()
        for record in self._central:
            self._out.write(record)
        size = self._out.tell() - start
        count = len(self._central)
        self._out.write(_END_OF_CENTRAL.pack(0x06054B50, 0, 0, count, count, size, start, 0))
        return self._out.getvalue()
