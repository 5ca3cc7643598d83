"""Words of numbering labels (``w:lvlText``) are one unit per numbering definition level,
by policy (on by default); their ``%N`` level references are tags and come back exactly."""

from __future__ import annotations

import io
import re
import zipfile

from iris.docx import Policy, UnitKind, open_document
from iris.docx.text.pseudo import pseudo_targets
from iris.docx.verification.check import identity_differences
from tests.docx.builders import DECLARATIONS, REL, W, make_docx, p, r, read_part
from tests.docx.conftest import corpus_dir, require_corpus

NUMBERING = (
    f"<w:numbering {DECLARATIONS}>"
    '<w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="Article %1."/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:numFmt w:val="decimal"/><w:lvlText w:val="Lab %1-%2: "/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2.%3"/></w:lvl>'
    "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="1">'
    '<w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl>'
    "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    "</w:numbering>"
)
ARTICLE, LAB = "word/numbering.xml#l0", "word/numbering.xml#l1"


def numbered(text: str, level: int = 0, list_id: int = 1) -> str:
    numbering = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{list_id}"/></w:numPr>'
    return p(r(text), numbering)


BODY = (
    numbered("Scope of the agreement.")
    + numbered("Duties of the parties.")
    + numbered("Setting up the bench.", 1)
    + numbered("Bring a pencil.", 0, 2)
)


def numbered_docx(numbering: str = NUMBERING) -> bytes:
    """A package with a numbering part related to the main part."""
    source = zipfile.ZipFile(io.BytesIO(make_docx(BODY)))
    extra = {
        "word/_rels/document.xml.rels": (
            "</Relationships>",
            f'<Relationship Id="rIdNum" Type="{REL}numbering" Target="numbering.xml"/>'
            "</Relationships>",
        ),
        "[Content_Types].xml": (
            "</Types>",
            '<Override PartName="/word/numbering.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>',
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            text = source.read(name).decode()
            if name in extra:
                text = text.replace(*extra[name])
            archive.writestr(name, text)
        archive.writestr("word/numbering.xml", numbering)
    return buffer.getvalue()


def labels(data: bytes) -> list[str]:
    """Every ``w:lvlText`` value of the numbering part, in order."""
    root = read_part(data, "word/numbering.xml")
    return [e.get(f"{{{W}}}val") or "" for e in root.iter(f"{{{W}}}lvlText")]


def translate(data: bytes, targets: dict[str, str], **options: object) -> bytes:
    return open_document(data, **options).apply(targets, "de")  # type: ignore[arg-type]


def test_each_label_with_words_is_one_unit_per_level() -> None:
    units = [u for u in open_document(numbered_docx()).units() if u.part == "word/numbering.xml"]
    assert [(u.id, u.source, u.plain) for u in units] == [
        (ARTICLE, "Article <x1/>.", "Article %1."),
        (LAB, "Lab <x1/>-<x2/>: ", "Lab %1-%2: "),
    ]
    assert all(u.kind is UnitKind.NUMBERING and u.translatable for u in units)
    assert units[1].tags == {1: "level-number", 2: "level-number"}
    assert [u.words for u in units] == [1, 1]
    assert units[0].location == "numbering list 0, level 1"


def test_translated_labels_keep_their_level_references() -> None:
    targets = {ARTICLE: "Artikel <x1/>.", LAB: "<x2/>-<x1/> Labor: "}
    output = translate(numbered_docx(), targets)
    assert labels(output) == ["Artikel %1.", "%2-%1 Labor: ", "%1.%2.%3", "o"]


def test_a_reference_the_engine_drops_is_put_back() -> None:
    output = translate(numbered_docx(), {ARTICLE: "Artikel"})
    (label,) = labels(output)[:1]
    assert label.startswith("Artikel")
    assert re.findall(r"%\d", label) == ["%1"]


def test_a_reference_the_engine_invents_keeps_the_source_label() -> None:
    output = translate(numbered_docx(), {ARTICLE: "Artikel <x1/>.%3", LAB: "Labor <x1/>-<x2/>: "})
    assert labels(output)[:2] == ["Article %1.", "Labor %1-%2: "]


def test_labels_are_left_alone_when_the_policy_says_so() -> None:
    policy = Policy(numbering_labels=False)
    data = numbered_docx()
    document = open_document(data, policy=policy)
    assert not [u for u in document.units() if u.kind is UnitKind.NUMBERING]
    output = document.apply(pseudo_targets(document.units()), "de")
    with zipfile.ZipFile(io.BytesIO(output)) as after, zipfile.ZipFile(io.BytesIO(data)) as before:
        assert after.read("word/numbering.xml") == before.read("word/numbering.xml")


def test_identity_round_trip_holds_with_labels() -> None:
    assert identity_differences(numbered_docx()) == []


def test_corpus_labels_with_two_level_references_are_translated() -> None:
    # pandoc__adjacent_codeblocks.docx numbers its lab sheets "Day %1 - " and
    # "Lab %1-%2: " (and prompts "mysql> ") in several numbering definitions.
    path = corpus_dir() / "pandoc__adjacent_codeblocks.docx"
    data = require_corpus(path if path.is_file() else None).read_bytes()
    document = open_document(data)
    units = [u for u in document.units() if u.kind is UnitKind.NUMBERING]
    assert "Lab <x1/>-<x2/>: " in {u.source for u in units}
    assert identity_differences(data) == []
    before = labels(data)
    after = labels(document.apply(pseudo_targets(document.units()), "de"))
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert len(changed) == len(units)
    for old, new in changed:
        assert re.findall(r"%\d", new) == re.findall(r"%\d", old)
        assert "Lab " not in new
        assert "Day " not in new
