"""`compare` finds structural losses: a missing image, a lost paragraph, a changed
number of formatting stretches; a faithful translation compares clean."""

from __future__ import annotations

import io
import zipfile

from iris.docx.text.pseudo import pseudo_targets
from iris.docx.verification.compare import compare
from tests.docx.builders import make_docx, p, r, translate, units_by_id
from tests.docx.test_inline_codes import DRAWING

BODY = p(r("Text with ") + r("bold", "<w:b/>") + r(" and an image ") + DRAWING + r(" here.")) + p(
    r("Second.")
)


def _replace_part(data: bytes, name: str, edit) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, edit(content) if info.filename == name else content)
    return out.getvalue()


def test_pseudo_translation_compares_clean() -> None:
    data = make_docx(BODY)
    output = translate(data, pseudo_targets(units_by_id(data).values()))
    report = compare(data, output)
    assert report.exact, report.differences + report.formatting
    assert report.paragraphs_compared == 4  # two paragraphs, title and subject


def test_a_lost_image_is_reported() -> None:
    data = make_docx(BODY)
    broken = _replace_part(data, "word/document.xml", lambda x: x.replace(DRAWING.encode(), b""))
    report = compare(data, broken)
    assert "word/document.xml: drawings 1 → 0" in report.differences
    assert any("inline codes" in d for d in report.differences)


def test_lost_formatting_and_paragraphs_are_reported() -> None:
    data = make_docx(BODY)
    flat = _replace_part(data, "word/document.xml", lambda x: x.replace(b"<w:b/>", b""))
    flat_report = compare(data, flat)
    assert flat_report.clean
    assert flat_report.formatting == ["word/document.xml#p0: formatting stretches 3 → 1"]
    shorter = _replace_part(
        data, "word/document.xml", lambda x: x.replace(p(r("Second.")).encode(), b"")
    )
    differences = compare(data, shorter).differences
    assert "word/document.xml: paragraphs 2 → 1" in differences
    assert "word/document.xml#p1: paragraph text is gone" in differences
