"""The "source text left" check flags untranslated paragraphs and leftover words."""

from __future__ import annotations

from iris.docx import open_document
from iris.docx.verification.check import source_left
from tests.docx.builders import make_docx, p, r, translate

BODY = p(r("Quarterly revenue grew strongly.")) + p(r("Costs were stable."))


def test_untranslated_document_leaves_every_paragraph() -> None:
    data = make_docx(BODY)
    units = open_document(data).units()
    left = source_left(units, open_document(translate(data, {})).units())
    assert [item.split(":")[0] for item in left] == [
        "word/document.xml#p0",
        "word/document.xml#p1",
        "docProps/core.xml#title",
        "docProps/core.xml#subject",
    ]


def test_a_leftover_source_word_is_named() -> None:
    data = make_docx(BODY)
    units = open_document(data).units()
    targets = {u.id: "Übersetzt." for u in units}
    targets["word/document.xml#p1.s0"] = "Die Costs waren stabil."
    left = source_left(units, open_document(translate(data, targets)).units())
    assert left == ["word/document.xml#p1: Costs"]
