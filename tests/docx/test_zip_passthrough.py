"""Parts copied into the translation unread are checked when the package is opened.

Pictures, thumbnails and embedded files go into the output as the compressed bytes they
came in, so their CRC and sizes are checked (streaming, never kept) by ``open_package``:
a damaged or lying member is refused like a damaged document.xml, never delivered.
The local header of every entry must name the entry the central directory names.
"""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from iris.docx.cli import main
from iris.docx.errors import MalformedPackageError, UnsafePackageError
from iris.docx.opc.package import Limits, open_package
from tests.docx.test_hostile_input import (
    MiB,
    RawEntry,
    assert_fails_fast,
    raw_package,
    read_everything,
)
from tests.docx.test_package import minimal_parts, zip_parts

THUMBNAIL = "docProps/thumbnail.jpeg"
# Looks like a JPEG and compresses a little, as real pictures do.
PICTURE = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 64 + b"\xff\xd9"


def with_member(entry: RawEntry) -> bytes:
    return raw_package(**{entry.name.decode(): entry})


def flip_byte_of(data: bytes, content: bytes) -> bytes:
    """``data`` with one byte in the middle of ``content`` (found in it) changed."""
    position = data.index(content) + len(content) // 2
    damaged = bytearray(data)
    damaged[position] ^= 0x01
    return bytes(damaged)


def test_a_stored_thumbnail_with_one_byte_changed_is_refused_when_opening() -> None:
    data = with_member(RawEntry(THUMBNAIL.encode(), PICTURE, method=zipfile.ZIP_STORED))
    data = flip_byte_of(data, PICTURE)
    error = assert_fails_fast(MalformedPackageError, lambda: open_package(data))
    assert str(error) == (
        f"The part {THUMBNAIL!r} is damaged (its checksum does not match); "
        "re-save the document in Word."
    )


def test_a_deflated_picture_whose_crc_does_not_match_is_refused_when_opening() -> None:
    data = bytearray(with_member(RawEntry(b"word/media/image1.jpeg", PICTURE)))
    crc = struct.pack("<I", zlib.crc32(PICTURE))
    # The CRC sits in the local header and the directory record: change both alike.
    for position in (data.index(crc), data.rindex(crc)):
        data[position] ^= 0x01
    error = assert_fails_fast(MalformedPackageError, lambda: open_package(bytes(data)))
    assert "'word/media/image1.jpeg' is damaged (its checksum does not match)" in str(error)


def test_a_picture_whose_deflate_data_is_damaged_is_refused_when_opening() -> None:
    entry = RawEntry(b"word/media/image1.png", PICTURE)
    data = bytearray(with_member(entry))
    payload = data.index(entry.name) + len(entry.name)
    data[payload : payload + 8] = b"\xff" * 8
    error = assert_fails_fast(MalformedPackageError, lambda: open_package(bytes(data)))
    assert "'word/media/image1.png'" in str(error)


def test_a_member_that_inflates_far_beyond_its_declared_size_is_refused_when_opening() -> None:
    # Declares 1,000 bytes, inflates to 40 MiB: found after 1,001 bytes, never all.
    lying = RawEntry(b"word/media/lie.bin", b" " * (40 * MiB), declared_size=1000)
    data = with_member(lying)
    tracemalloc.start()
    try:
        error = assert_fails_fast(UnsafePackageError, lambda: open_package(data))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(error) == (
        "The part 'word/media/lie.bin' expands beyond the size its zip header declares "
        "(a zip bomb); the document cannot be opened."
    )
    assert peak < 4 * MiB


def test_a_member_that_inflates_to_less_than_its_declared_size_is_refused() -> None:
    short = RawEntry(b"word/embeddings/oleObject1.bin", PICTURE, declared_size=len(PICTURE) + 10)
    error = assert_fails_fast(MalformedPackageError, lambda: open_package(with_member(short)))
    assert "'word/embeddings/oleObject1.bin' is damaged" in str(error)


def test_a_big_member_is_checked_streaming_without_being_held_in_memory() -> None:
    # 96 MiB inflated, within the part limit: checked a chunk at a time.
    data = zip_parts({**minimal_parts(), "word/media/big.bin": bytes(96 * MiB)})
    tracemalloc.start()
    try:
        package = open_package(data, limits=Limits(max_part_size=100 * MiB))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "word/media/big.bin" in package
    # The archive itself is a few hundred KiB; one chunk of output is 1 MiB.
    assert peak < 8 * MiB


def test_the_cli_refuses_a_damaged_thumbnail_and_writes_nothing(tmp_path: Path) -> None:
    data = with_member(RawEntry(THUMBNAIL.encode(), PICTURE, method=zipfile.ZIP_STORED))
    source, output = tmp_path / "thumb.docx", tmp_path / "out.docx"
    source.write_bytes(flip_byte_of(data, PICTURE))
    assert main(["pseudo", str(source), "-o", str(output)]) == 2
    assert not output.exists()


def test_sound_members_still_open_and_the_written_package_tests_clean() -> None:
    stored = RawEntry(THUMBNAIL.encode(), PICTURE, method=zipfile.ZIP_STORED)
    deflated = RawEntry(b"word/media/image1.jpeg", PICTURE)
    empty = RawEntry(b"word/media/empty.bin", b"")
    data = raw_package(**{e.name.decode(): e for e in (stored, deflated, empty)})
    written = read_everything(data).to_bytes()
    with zipfile.ZipFile(io.BytesIO(written)) as archive:
        assert archive.testzip() is None
        assert archive.read(THUMBNAIL) == PICTURE


# -- local headers --------------------------------------------------------------


def test_a_local_header_naming_another_member_is_refused_when_opening() -> None:
    data = bytearray(zip_parts({**minimal_parts(), "word/styles.xml": b"<w:styles/>"}))
    # The first occurrence is the local header; the directory keeps the true name.
    position = data.index(b"word/styles.xml")
    data[position : position + 15] = b"word/stylez.xml"
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(bytes(data))).read("word/styles.xml")
    error = assert_fails_fast(MalformedPackageError, lambda: open_package(bytes(data)))
    assert str(error) == (
        "The document's zip entry 'word/styles.xml' is damaged (its local header names "
        "another entry); re-save the document in Word."
    )


@pytest.mark.parametrize(
    ("name", "flags"),
    [("word/media/bild-\u00e4.png".encode(), 0x800), (b"word/media/bild-\x84.png", 0)],
    ids=["utf8-flag", "cp437"],
)
def test_non_ascii_member_names_still_match_their_local_header(name: bytes, flags: int) -> None:
    entry = RawEntry(name, PICTURE, flags=flags)
    package = read_everything(raw_package(**{"extra": entry}))
    assert "word/media/bild-\u00e4.png" in package
