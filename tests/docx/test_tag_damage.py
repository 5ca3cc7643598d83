"""Whatever an engine does to the tags, apply writes a valid document that keeps every
image, note reference and field: damaged tags are repaired, never dropped."""

from __future__ import annotations

import io

import docx
import pytest

from iris.docx.verification.compare import compare
from tests.docx.builders import make_docx, p, r, translate, units_by_id
from tests.docx.test_inline_codes import DRAWING, NOTE_REF, NOTES

BODY = p(
    r("Press ")
    + r("Start", "<w:b/>")
    + r(" to begin")
    + NOTE_REF
    + r(", see the picture ")
    + DRAWING
    + r(" &amp; the note.")
)
UNIT = "word/document.xml#p0.s0"
DAMAGED = [
    "Drücken Sie <g1>Start",
    "Drücken Sie Start </g1><x9/> & <b>Bild</b>",
    "<x3/><x3/><x2/> Start <g1></g1> <g1>x</g1>",
    "Drücken &lt;x2/&gt; Sie",
]


@pytest.mark.parametrize("target", DAMAGED)
def test_damaged_targets_still_produce_a_faithful_document(target: str) -> None:
    data = make_docx(BODY, parts=[NOTES])
    assert units_by_id(data)[UNIT].source == (
        "Press <g1>Start</g1> to begin<x2/>, see the picture <x3/> &amp; the note."
    )
    output = translate(data, {UNIT: target})
    report = compare(data, output)
    assert report.differences == []
    assert docx.Document(io.BytesIO(output)).paragraphs


def test_an_empty_target_loses_the_text_but_no_code() -> None:
    data = make_docx(BODY, parts=[NOTES])
    report = compare(data, translate(data, {UNIT: ""}))
    assert report.differences == ["word/document.xml#p0: paragraph text is gone"]
