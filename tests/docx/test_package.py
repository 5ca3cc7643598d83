"""Opening, resolving and rewriting real and hand-built OPC packages."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest
from lxml import etree

from iris.docx.opc.package import Package, open_package

REPO_ROOT = Path(__file__).resolve().parents[2]
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
REL_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
STRICT_FILES = {
    "oxmlsdk__2D_Column-O12-Word-Charts.docx",
    "oxmlsdk__Strict01.docx",
    "oxmlsdk__proofErr-Proofing_Error_Anchor_-_gramStart_and_gramEnd.docx",
    "pandoc__command-7691.docx",
}


def corpus_dir() -> Path:
    """The public corpus; missing is a failure in CI and a skip-free error locally too."""
    configured = os.environ.get("IRIS_CORPUS_DIR")
    path = Path(configured) if configured else REPO_ROOT / ".." / "shared" / "corpus" / "public"
    return path.resolve()


def corpus_files() -> list[Path]:
    files = sorted(corpus_dir().glob("*.docx"))
    if not files:
        # Never skip: a missing corpus would make every corpus test vacuous.
        raise RuntimeError(f"no .docx corpus found in {corpus_dir()} (set IRIS_CORPUS_DIR)")
    return files


CORPUS = corpus_files()


def content_types(main_type: str = MAIN_TYPE, extra: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main_type}"/>{extra}</Types>'
    ).encode()


def relationships(*rels: tuple[str, str, str] | tuple[str, str, str, str]) -> bytes:
    items = "".join(
        f'<Relationship Id="{r[0]}" Type="{r[1]}" Target="{r[2]}"'
        + (f' TargetMode="{r[3]}"' if len(r) == 4 else "")
        + "/>"
        for r in rels
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Relationships xmlns="{RELS_NS}">{items}</Relationships>'
    ).encode()


def document_xml(text: str = "Hello") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
        "</w:body></w:document>"
    ).encode()


def minimal_parts() -> dict[str, bytes]:
    """The smallest package Word opens: content types, package rels, main part."""
    return {
        "[Content_Types].xml": content_types(),
        "_rels/.rels": relationships(("rId1", REL_DOC, "word/document.xml")),
        "word/document.xml": document_xml(),
    }


def zip_parts(parts: Mapping[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def entries(data: bytes) -> list[tuple[str, int, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(i.filename, i.compress_type, archive.read(i)) for i in archive.infolist()]


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_corpus_file_opens_with_main_part_and_resolved_relationships(path: Path) -> None:
    package = open_package(path)
    assert package.main_part in package.names
    assert package.content_type(package.main_part) is not None
    for name in [*package.names, ""]:
        for rel in package.rels(name):
            assert rel.external or rel.target in package, (name, rel)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_unmodified_corpus_file_is_written_back_entry_for_entry(path: Path) -> None:
    data = path.read_bytes()
    assert entries(open_package(data).to_bytes()) == entries(data)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_reserialised_corpus_parts_keep_their_xml_and_declaration(path: Path) -> None:
    package = open_package(path.read_bytes())
    main = package.main_part
    original = package.read(main)
    package.mark_modified(main)
    reopened = open_package(package.to_bytes())
    rewritten = reopened.read(main)
    assert rewritten.startswith(b"<?xml version='1.0' encoding='UTF-8'")
    assert _standalone(rewritten) == _standalone(original)
    assert etree.tostring(reopened.xml(main)) == etree.tostring(package.xml(main))


def _standalone(data: bytes) -> bool | None:
    return etree.fromstring(data).getroottree().docinfo.standalone


def test_strict_files_are_detected_by_namespace() -> None:
    strict = {p.name for p in CORPUS if open_package(p).is_strict}
    assert strict == STRICT_FILES


def test_strict_headers_are_found_through_purl_relationship_types() -> None:
    package = open_package(corpus_dir() / "oxmlsdk__Strict01.docx")
    types = {rel.type for rel in package.rels(package.main_part)}
    assert any(t.startswith("http://purl.oclc.org/ooxml/") for t in types)
    headers = package.related(package.main_part, "header")
    assert headers
    assert all(name.startswith("word/header") for name in headers)


def test_xml_returns_the_same_tree_on_every_call() -> None:
    package = open_package(zip_parts(minimal_parts()))
    assert package.xml("word/document.xml") is package.xml("word/document.xml")


def test_modified_tree_is_written_and_others_are_untouched() -> None:
    package = open_package(zip_parts(minimal_parts()))
    text = package.xml("word/document.xml").find(f".//{{{W_NS}}}t")
    assert text is not None
    text.text = "Bonjour"
    package.mark_modified("word/document.xml")
    reopened = open_package(package.to_bytes())
    assert b"Bonjour" in reopened.read("word/document.xml")
    assert b"standalone='yes'" in reopened.read("word/document.xml")
    assert reopened.read("_rels/.rels") == minimal_parts()["_rels/.rels"]


def test_stored_entries_stay_stored_and_deflated_stay_deflated() -> None:
    parts = minimal_parts()
    stored = zip_parts(parts, zipfile.ZIP_STORED)
    package = open_package(stored)
    package.mark_modified("word/document.xml")
    assert {kind for _, kind, _ in entries(package.to_bytes())} == {zipfile.ZIP_STORED}


def test_processing_instruction_before_root_survives_reserialisation() -> None:
    parts = minimal_parts()
    parts["customXml/item1.xml"] = b"<?mso-contentType?><root/>"
    package = open_package(zip_parts(parts))
    package.mark_modified("customXml/item1.xml")
    assert open_package(package.to_bytes()).read("customXml/item1.xml").count(b"<?mso") == 1


def _package_with_document_rels(*rels: tuple[str, str, str] | tuple[str, str, str, str]) -> Package:
    parts = minimal_parts()
    parts["word/_rels/document.xml.rels"] = relationships(*rels)
    parts["word/header1.xml"] = b"<hdr/>"
    parts["media/image 1.png"] = b"png"
    parts["word/sub/x.xml"] = b"<x/>"
    return open_package(zip_parts(parts))


def test_relative_absolute_and_percent_encoded_targets_resolve_to_part_names() -> None:
    package = _package_with_document_rels(
        ("r1", REL_HEADER, "header1.xml"),
        ("r2", REL_HEADER, "/word/header1.xml"),
        ("r3", "http://x/image", "../media/image%201.png"),
        ("r4", "http://x/sub", "sub/../sub/x.xml"),
        ("r5", "http://x/hyperlink", "https://example.com/a%20b", "External"),
    )
    targets = {rel.id: rel.target for rel in package.rels("word/document.xml")}
    assert targets == {
        "r1": "word/header1.xml",
        "r2": "word/header1.xml",
        "r3": "media/image 1.png",
        "r4": "word/sub/x.xml",
        "r5": "https://example.com/a%20b",
    }
    assert package.rels("word/document.xml")[4].external


def test_related_returns_only_existing_internal_targets_of_that_type() -> None:
    package = _package_with_document_rels(
        ("r1", REL_HEADER, "header1.xml"),
        ("r2", REL_HEADER, "header9.xml"),
        ("r3", "http://purl.oclc.org/ooxml/officeDocument/relationships/footer", "sub/x.xml"),
    )
    assert package.related("word/document.xml", "header") == ["word/header1.xml"]
    assert package.related("word/document.xml", "footer") == ["word/sub/x.xml"]
    assert package.rels("word/header1.xml") == []


def test_content_type_uses_override_then_extension_default() -> None:
    package = open_package(zip_parts(minimal_parts()))
    assert package.content_type("word/document.xml") == MAIN_TYPE
    assert package.content_type("_rels/.rels") == (
        "application/vnd.openxmlformats-package.relationships+xml"
    )
    assert package.content_type("word/unknown.bin") is None


def test_set_bytes_replaces_a_part_and_appends_a_new_one_at_the_end() -> None:
    package = open_package(zip_parts(minimal_parts()))
    package.set_bytes("word/document.xml", document_xml("Replaced"))
    package.set_bytes("word/new.xml", b"<new/>")
    written = entries(package.to_bytes())
    assert [name for name, _, _ in written][-1] == "word/new.xml"
    assert {n: d for n, _, d in written}["word/document.xml"] == document_xml("Replaced")


def test_template_main_part_is_accepted() -> None:
    template = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
    parts = minimal_parts()
    parts["[Content_Types].xml"] = content_types(template)
    assert open_package(zip_parts(parts)).main_part == "word/document.xml"


def test_directory_entries_are_kept() -> None:
    parts = {"word/": b"", **minimal_parts()}
    package = open_package(zip_parts(parts))
    assert package.names[0] == "word/"
    assert entries(package.to_bytes())[0][0] == "word/"
