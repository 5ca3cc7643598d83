"""Notes of a special type are translated when Word prints text from them.

A continuation notice ("(continued on next page)") and a custom separator that holds
words are shown to readers; a separator made of the separator mark, or of dashes, is
layout and stays untouched.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iris.docx import UnitKind, open_document
from iris.docx.text.pseudo import pseudo_targets
from iris.docx.verification.check import c14n, identity_differences
from iris.docx.verification.leftover import find_leftovers
from tests.docx.builders import Part, make_docx, p, r, read_part, story, texts, units_by_id, xpath
from tests.docx.conftest import corpus_dir

MARK = "<w:p><w:r><w:separator/></w:r></w:p>"
CONTINUATION_MARK = "<w:p><w:r><w:continuationSeparator/></w:r></w:p>"
NOTICE = "(continued on next page)"


def _notes(tag: str, kind: str, specials: dict[str, str]) -> Part:
    notes = "".join(
        f'<w:{tag} w:type="{note_type}" w:id="{index - 3}">{content}</w:{tag}>'
        for index, (note_type, content) in enumerate(specials.items())
    )
    real = f'<w:{tag} w:id="1">{p(r(f"A real {tag}."))}</w:{tag}>'
    return Part(f"word/{kind}.xml", kind, story(kind, notes + real))


def _document(tag: str, kind: str, specials: dict[str, str]) -> bytes:
    return make_docx(p(r("Body.")), parts=[_notes(tag, kind, specials)])


NOTE_KINDS = [
    ("footnote", "footnotes", UnitKind.FOOTNOTE),
    ("endnote", "endnotes", UnitKind.ENDNOTE),
]
WITH_TEXT = {
    "separator": p(r("Notes")) + MARK,
    "continuationSeparator": p(r("Notes, continued")) + CONTINUATION_MARK,
    "continuationNotice": p(r(NOTICE)),
}


@pytest.mark.parametrize(("tag", "kind", "unit_kind"), NOTE_KINDS)
def test_special_notes_with_text_are_extracted(tag: str, kind: str, unit_kind: UnitKind) -> None:
    units = units_by_id(_document(tag, kind, WITH_TEXT))
    notes = {u.plain: u for u in units.values() if u.part == f"word/{kind}.xml"}
    assert sorted(notes) == sorted([NOTICE, "Notes", "Notes, continued", f"A real {tag}."])
    assert all(u.translatable and u.kind is unit_kind for u in notes.values())


@pytest.mark.parametrize(("tag", "kind", "unit_kind"), NOTE_KINDS)
def test_special_notes_without_words_stay_untouched(
    tag: str, kind: str, unit_kind: UnitKind
) -> None:
    specials = {
        "separator": MARK,
        "continuationSeparator": p(r("———")) + CONTINUATION_MARK,
        "continuationNotice": "<w:p/>",
    }
    data = _document(tag, kind, specials)
    units = units_by_id(data)
    assert [u.plain for u in units.values() if u.part == f"word/{kind}.xml"] == [f"A real {tag}."]
    document = open_document(data)
    output = document.apply(pseudo_targets(document.units()), "de")
    before, after = read_part(data, f"word/{kind}.xml"), read_part(output, f"word/{kind}.xml")
    special = f"//w:{tag}[@w:type]"
    assert [texts(n) for n in xpath(after, special)] == [texts(n) for n in xpath(before, special)]


def test_the_notice_is_translated_and_the_separator_mark_kept() -> None:
    data = _document("footnote", "footnotes", WITH_TEXT)
    document = open_document(data)
    output = document.apply(pseudo_targets(document.units()), "de")
    notes = read_part(output, "word/footnotes.xml")
    notice = xpath(notes, "//w:footnote[@w:type='continuationNotice']")[0]
    assert texts(notice).startswith("[(çöñţíñüéð öñ ñéẋţ þáĝé)")
    assert len(xpath(notes, "//w:footnote[@w:type='separator']//w:separator")) == 1
    assert len(xpath(notes, "//w:continuationSeparator")) == 1
    assert find_leftovers(data, output) == []
    assert identity_differences(data) == []


# The public corpus holds continuation notices only without text (pandoc's fixtures),
# and one custom separator with words: oxmlsdk's bookmark sample prints "Appendix" and a
# STYLEREF field above its footnotes.
CORPUS_SEPARATOR = "oxmlsdk__bookmark.docx"
CORPUS_EMPTY_NOTICE = "pandoc__textbox_image.docx"


def _corpus(name: str) -> Path:
    path = corpus_dir() / name
    if not path.is_file():
        pytest.fail(f"corpus document {name} is missing from {corpus_dir()}")
    return path


def test_corpus_separator_with_words_is_translated() -> None:
    data = _corpus(CORPUS_SEPARATOR).read_bytes()
    units = open_document(data).units()
    separator = [u for u in units if u.part == "word/footnotes.xml" and "Appendix" in u.plain]
    assert separator
    assert all(u.kind is UnitKind.FOOTNOTE for u in separator)
    output = open_document(data).apply(pseudo_targets(units), "de")
    notes = read_part(output, "word/footnotes.xml")
    printed = texts(xpath(notes, "//w:footnote[@w:type='separator']")[0])
    assert "Appendix" not in printed
    assert "Áþþéñðíẋ" in printed
    assert identity_differences(data) == []


def test_corpus_empty_continuation_notice_stays_as_it_was() -> None:
    data = _corpus(CORPUS_EMPTY_NOTICE).read_bytes()
    document = open_document(data)
    output = document.apply(pseudo_targets(document.units()), "de")
    path = "//w:footnote[@w:type='continuationNotice']"
    before = xpath(read_part(data, "word/footnotes.xml"), path)
    after = xpath(read_part(output, "word/footnotes.xml"), path)
    assert len(before) == len(after) == 1
    assert texts(before[0]) == ""
    assert c14n(after[0]) == c14n(before[0])
