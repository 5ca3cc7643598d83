"""Hostile and broken inputs end in the library's own typed error, quickly.

Every test builds its hostile file itself, then reads the package the way the
library does (open, then every part read and every XML part parsed).
"""

from __future__ import annotations

import struct
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from iris.docx.errors import (
    DocxError,
    EncryptedDocumentError,
    MacroEnabledError,
    MalformedPackageError,
    NotADocxError,
    UnsafePackageError,
)
from iris.docx.opc.package import Limits, Package, open_package
from tests.docx.test_package import (
    REL_DOC,
    content_types,
    document_xml,
    minimal_parts,
    relationships,
    zip_parts,
)

MiB = 1024 * 1024
TIME_LIMIT = 2.0
MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
PLAIN_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
VBA_TYPE = "application/vnd.ms-office.vbaProject"
REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
REL_VBA_DATA = "http://schemas.microsoft.com/office/2006/relationships/wordVbaData"
REL_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"


def read_everything(data: bytes) -> Package:
    """Open ``data`` and touch every part the way a full extraction would."""
    package = open_package(data)
    for name in package.names:
        package.read(name)
        if name.endswith((".xml", ".rels")):
            package.xml(name)
    return package


def assert_fails_fast(expected: type[DocxError], action: Callable[[], object]) -> DocxError:
    start = time.monotonic()
    with pytest.raises(expected) as caught:
        action()
    elapsed = time.monotonic() - start
    assert elapsed < TIME_LIMIT, f"took {elapsed:.2f}s"
    message = str(caught.value)
    assert message.endswith(".")
    assert "\n" not in message
    return caught.value


@dataclass
class RawEntry:
    """A zip entry written byte by byte, so headers can lie."""

    name: bytes
    data: bytes
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0
    declared_size: int | None = None


def raw_zip(entries: list[RawEntry]) -> bytes:
    out, central = bytearray(), bytearray()
    for entry in entries:
        payload = entry.data
        if entry.method == zipfile.ZIP_DEFLATED:
            payload = zlib.compress(entry.data, 6, wbits=-15)
        size = len(entry.data) if entry.declared_size is None else entry.declared_size
        fields = (entry.flags, entry.method, 0, 0x21, zlib.crc32(entry.data), len(payload), size)
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, *fields, len(entry.name), 0)
        out += entry.name + payload
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, *fields, len(entry.name), 0, 0, 0, 0, 0,
            offset,
        )  # fmt: skip
        central += entry.name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central),
                      len(out), 0)  # fmt: skip
    return bytes(out + central + end)


def raw_package(**overrides: RawEntry) -> bytes:
    """The minimal package as raw entries, with some entries replaced or added."""
    entries = {name: RawEntry(name.encode(), data) for name, data in minimal_parts().items()}
    entries.update(overrides)
    return raw_zip(list(entries.values()))


def with_parts(parts: dict[str, bytes]) -> bytes:
    return zip_parts({**minimal_parts(), **parts})


# -- zip bombs and limits -------------------------------------------------------


def test_zip_bomb_beyond_the_part_limit_is_refused_before_decompressing() -> None:
    data = with_parts({"word/media/bomb.bin": b"\0" * (20 * MiB)})
    assert len(data) < MiB
    limits = Limits(max_part_size=16 * MiB)
    error = assert_fails_fast(UnsafePackageError, lambda: open_package(data, limits=limits))
    assert "more than the limit of 16777216 bytes" in str(error)


def test_zip_bomb_beyond_the_total_limit_is_refused_before_decompressing() -> None:
    data = with_parts({f"word/media/bomb{i}.bin": b"\0" * (6 * MiB) for i in range(3)})
    limits = Limits(max_total_uncompressed=16 * MiB)
    error = assert_fails_fast(UnsafePackageError, lambda: open_package(data, limits=limits))
    assert "would expand to" in str(error)


def test_a_legitimately_repetitive_document_is_not_taken_for_a_bomb() -> None:
    # One sentence repeated over a long paragraph compresses like a bomb (~400:1) but
    # unpacks to far less than the limits: it is a document, and it opens.
    text = "The same sentence again. " * 120_000
    data = with_parts({"word/document.xml": document_xml(text)})
    assert len(data) * 200 < len(text)
    package = read_everything(data)
    assert text in package.read("word/document.xml").decode()


def test_zip_bomb_whose_header_understates_its_size_stops_at_the_declared_size() -> None:
    lying = RawEntry(b"word/document.xml", document_xml("x" * (40 * MiB)), declared_size=1000)
    data = raw_package(**{"word/document.xml": lying})
    error = assert_fails_fast(UnsafePackageError, lambda: read_everything(data))
    assert "expands beyond the size its zip header declares" in str(error)


def test_many_small_entries_adding_up_beyond_the_total_limit_are_refused() -> None:
    limits = Limits(max_total_uncompressed=3 * MiB)
    data = with_parts({f"word/media/f{i}.bin": bytes(range(256)) * 4096 for i in range(4)})
    assert_fails_fast(UnsafePackageError, lambda: open_package(data, limits=limits))


def test_overlapping_entries_are_refused() -> None:
    data = bytearray(zip_parts(minimal_parts()))
    # Point the second central-directory record at the first local header.
    first = data.find(b"PK\x01\x02")
    second = data.find(b"PK\x01\x02", first + 4)
    data[second + 42 : second + 46] = struct.pack("<I", 0)
    error = assert_fails_fast(UnsafePackageError, lambda: read_everything(bytes(data)))
    assert "overlap" in str(error)


def test_too_many_parts_are_refused() -> None:
    data = with_parts({f"word/p{i}.xml": b"<p/>" for i in range(2001)})
    error = assert_fails_fast(UnsafePackageError, lambda: open_package(data))
    assert "parts" in str(error)


def test_a_file_larger_than_the_input_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.docx"
    path.write_bytes(zip_parts(minimal_parts()))
    limits = Limits(max_input_size=100)
    assert_fails_fast(UnsafePackageError, lambda: open_package(path, limits=limits))


# -- entry names ---------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [b"../evil", b"word/../../evil", b"/etc/passwd", b"word\\..\\evil.xml", b"C:/evil.xml"],
    ids=["dotdot", "nested-dotdot", "absolute", "backslash", "drive-letter"],
)
def test_entry_names_escaping_the_package_are_refused(name: bytes) -> None:
    data = raw_package(evil=RawEntry(name, b"x"))
    error = assert_fails_fast(UnsafePackageError, lambda: open_package(data))
    assert "unsafe name" in str(error)


@pytest.mark.parametrize("second", [b"word/document.xml", b"WORD/Document.xml"])
def test_duplicate_entry_names_are_refused(second: bytes) -> None:
    data = raw_package(dup=RawEntry(second, document_xml("Shadow")))
    error = assert_fails_fast(UnsafePackageError, lambda: open_package(data))
    assert "twice" in str(error)


# -- encryption, macros, wrong kinds of file ------------------------------------


def cfb_file(stream_name: str) -> bytes:
    header = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
    directory = stream_name.encode("utf-16-le").ljust(128, b"\0")
    return header + directory + bytes(512 - len(directory))


def test_password_protected_office_file_is_reported_as_encrypted() -> None:
    data = cfb_file("EncryptedPackage") + cfb_file("EncryptionInfo")
    error = assert_fails_fast(EncryptedDocumentError, lambda: open_package(data))
    assert "password" in str(error)


def test_legacy_binary_doc_is_reported_as_not_a_docx() -> None:
    error = assert_fails_fast(NotADocxError, lambda: open_package(cfb_file("WordDocument")))
    assert ".doc" in str(error)


def test_encrypted_zip_entry_is_reported_as_encrypted() -> None:
    data = raw_package(**{"word/document.xml": RawEntry(b"word/document.xml", b"xx", flags=1)})
    assert_fails_fast(EncryptedDocumentError, lambda: open_package(data))


def macro_parts() -> dict[str, bytes]:
    parts = minimal_parts()
    parts["[Content_Types].xml"] = content_types(
        MACRO_MAIN,
        f'<Default Extension="bin" ContentType="{VBA_TYPE}"/>'
        '<Override PartName="/word/vbaData.xml" '
        'ContentType="application/vnd.ms-word.vbaData+xml"/>'
        '<Override PartName="/word/styles.xml" ContentType="application/styles+xml"/>',
    )
    parts["word/_rels/document.xml.rels"] = relationships(
        ("rId1", REL_VBA, "vbaProject.bin"), ("rId2", REL_STYLES, "styles.xml")
    )
    parts["word/vbaProject.bin"] = b'Attribute VB_Name = "Evil"' * 10
    parts["word/_rels/vbaProject.bin.rels"] = relationships(("rId1", REL_VBA_DATA, "vbaData.xml"))
    parts["word/vbaData.xml"] = b"<wne:vbaSuppData xmlns:wne='urn:x'/>"
    parts["word/styles.xml"] = b"<styles/>"
    return parts


def test_macro_enabled_document_is_refused_by_default() -> None:
    error = assert_fails_fast(MacroEnabledError, lambda: open_package(zip_parts(macro_parts())))
    assert "macros" in str(error)
    # It offers only what a user can do: no option that the command line lacks.
    assert "allow" not in str(error)
    assert "save it as a plain Word document (.docx)" in str(error)


def test_vba_project_without_macro_content_type_is_still_refused() -> None:
    parts = macro_parts()
    parts["[Content_Types].xml"] = content_types()
    assert_fails_fast(MacroEnabledError, lambda: open_package(zip_parts(parts)))


def test_macro_enabled_document_is_stripped_when_allowed() -> None:
    package = open_package(zip_parts(macro_parts()), allow_macros=True)
    output = open_package(package.to_bytes())  # a plain .docx now: no MacroEnabledError
    assert set(output.names) == {
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/_rels/document.xml.rels",
        "word/styles.xml",
    }
    assert output.content_type("word/document.xml") == PLAIN_MAIN
    types = output.read("[Content_Types].xml")
    assert b"vba" not in types.lower()
    assert [rel.target for rel in output.rels("word/document.xml")] == ["word/styles.xml"]


@pytest.mark.parametrize(
    "data",
    [
        b"Just some plain text, certainly not a Word document.\n",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        b"",
        zip_parts(minimal_parts())[:200],
        b"PK\x03\x04" + bytes(100),
    ],
    ids=["plain-text", "pdf", "empty", "truncated-zip", "zip-magic-only"],
)
def test_files_that_are_not_zip_packages_are_refused(data: bytes) -> None:
    assert_fails_fast(NotADocxError, lambda: open_package(data))


def test_damaged_deflate_data_with_intact_directory_is_malformed() -> None:
    data = bytearray(zip_parts(minimal_parts()))
    # The first local header names the content types; zero its compressed data.
    payload = data.find(b"[Content_Types].xml") + len(b"[Content_Types].xml")
    data[payload : payload + 20] = bytes(20)
    assert_fails_fast(MalformedPackageError, lambda: read_everything(bytes(data)))


@pytest.mark.parametrize(
    "parts",
    [
        {"[Content_Types].xml": content_types(), "word/document.xml": document_xml()},
        {**minimal_parts(), "_rels/.rels": relationships(("rId1", REL_DOC, "word/missing.xml"))},
        {"_rels/.rels": minimal_parts()["_rels/.rels"], "word/document.xml": document_xml()},
        {
            **minimal_parts(),
            "[Content_Types].xml": content_types(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
            ),
        },
        {"hello.txt": b"a zip, but not a package"},
    ],
    ids=["no-package-rels", "main-part-missing", "no-content-types", "workbook", "plain-zip"],
)
def test_zip_without_a_word_main_part_is_refused(parts: dict[str, bytes]) -> None:
    error = assert_fails_fast(NotADocxError, lambda: open_package(zip_parts(parts)))
    assert "Word document" in str(error)


# -- hostile XML -----------------------------------------------------------------

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%s;" % (b"" if i == 1 else b"%d" % (i - 1))) * 10)
        for i in range(1, 10)
    )
    + b"]>\n<w:document xmlns:w='urn:w'><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
    + b"</w:body></w:document>"
)


def test_billion_laughs_entity_expansion_is_refused() -> None:
    data = zip_parts({**minimal_parts(), "word/document.xml": BILLION_LAUGHS})
    error = assert_fails_fast(UnsafePackageError, lambda: read_everything(data))
    assert "DTD" in str(error)


def test_billion_laughs_in_utf16_is_refused() -> None:
    utf16 = BILLION_LAUGHS.replace(b'version="1.0"', b'version="1.0" encoding="UTF-16"')
    part = "\ufeff".encode("utf-16-le") + utf16.decode().encode("utf-16-le")
    data = zip_parts({**minimal_parts(), "word/document.xml": part})
    assert_fails_fast(UnsafePackageError, lambda: read_everything(data))


def test_doctype_in_content_types_is_refused_when_opening() -> None:
    types = content_types().replace(b"?>", b"?><!-- hi --><!DOCTYPE Types>", 1)
    data = zip_parts({**minimal_parts(), "[Content_Types].xml": types})
    assert_fails_fast(UnsafePackageError, lambda: open_package(data))


def test_external_entity_referencing_a_local_file_is_refused_and_not_read(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        "<w:document xmlns:w='urn:w'><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body>"
        "</w:document>"
    ).encode()
    data = zip_parts({**minimal_parts(), "word/document.xml": xxe})
    error = assert_fails_fast(UnsafePackageError, lambda: read_everything(data))
    assert "TOP-SECRET" not in str(error)


def test_broken_xml_part_is_malformed() -> None:
    broken = document_xml().replace(b"</w:body>", b"</w:bod>")
    data = zip_parts({**minimal_parts(), "word/document.xml": broken})
    error = assert_fails_fast(MalformedPackageError, lambda: read_everything(data))
    assert "word/document.xml" in str(error)


def test_relationship_pointing_outside_the_package_is_malformed() -> None:
    rels = relationships(("rId1", REL_DOC, "../../etc/passwd"))
    data = zip_parts({**minimal_parts(), "_rels/.rels": rels})
    assert_fails_fast(MalformedPackageError, lambda: open_package(data))


def test_corrupted_checksum_is_malformed() -> None:
    entry = RawEntry(b"word/document.xml", document_xml(), method=zipfile.ZIP_STORED)
    data = bytearray(raw_package(**{"word/document.xml": entry}))
    position = data.find(b"Hello")
    data[position : position + 5] = b"Jello"
    assert_fails_fast(MalformedPackageError, lambda: read_everything(bytes(data)))


def test_unsupported_compression_method_is_malformed() -> None:
    data = bytearray(zip_parts(minimal_parts(), zipfile.ZIP_BZIP2))
    assert_fails_fast(MalformedPackageError, lambda: open_package(bytes(data)))


@pytest.mark.parametrize(
    "part", ["customXml/item1.xml", "word/glossary/unknown.xml", "docProps/custom.bin"]
)
def test_doctype_in_a_part_never_parsed_is_refused_when_opening(part: str) -> None:
    # Parts Iris copies without parsing would carry the DTD into the translation.
    dtd = b'<?xml version="1.0"?>\n<!-- a note -->\n<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>'
    data = zip_parts({**minimal_parts(), part: dtd})
    error = assert_fails_fast(UnsafePackageError, lambda: open_package(data))
    assert part in str(error)
    assert "DTD" in str(error)


def test_doctype_in_a_utf16_part_never_parsed_is_refused() -> None:
    dtd = '\ufeff<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x SYSTEM "x.dtd"><x/>'
    data = zip_parts({**minimal_parts(), "customXml/item1.xml": dtd.encode("utf-16-le")})
    assert_fails_fast(UnsafePackageError, lambda: open_package(data))


def test_doctype_behind_a_prolog_longer_than_the_first_peek_is_found() -> None:
    comment = b"<!--" + b"x" * 50_000 + b"-->"
    dtd = b'<?xml version="1.0"?>' + comment + b"<!DOCTYPE x><x/>"
    data = zip_parts({**minimal_parts(), "customXml/item1.xml": dtd})
    assert_fails_fast(UnsafePackageError, lambda: open_package(data))


def test_a_prolog_longer_than_any_word_writes_is_refused() -> None:
    comment = b"<!--" + b"x" * (2 * MiB) + b"-->"
    data = zip_parts({**minimal_parts(), "customXml/item1.xml": comment + b"<x/>"})
    error = assert_fails_fast(UnsafePackageError, lambda: open_package(data))
    assert "before its root element" in str(error)


@pytest.mark.parametrize(
    "content",
    [
        b'<?xml version="1.0"?><x>a <!DOCTYPE inside text is only text></x>',
        b"\x89PNG\r\n\x1a\n<!DOCTYPE",  # binary parts are not XML
        b"",
        b"<!-- comment only -->",
    ],
)
def test_parts_without_a_doctype_in_their_prolog_open(content: bytes) -> None:
    data = zip_parts({**minimal_parts(), "customXml/item1.bin": content})
    assert "customXml/item1.bin" in open_package(data).names
