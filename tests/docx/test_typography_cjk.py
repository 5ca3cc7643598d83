"""CJK targets: ``w:lang/@w:eastAsia``, an East Asian font from a per-language map
(overridable), ``w:hint="eastAsia"`` when the run's font has no CJK glyphs."""

from __future__ import annotations

from iris.docx import open_document
from tests.docx.builders import W, body_of, make_docx, p, r, translate

UNIT = "word/document.xml#p0.s0"
BODY = p(
    r(
        "Hello world.",
        '<w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsiaTheme="minorEastAsia"/>',
    )
)


def _run(output: bytes):
    return next(body_of(output).iter(f"{{{W}}}r"))


def test_japanese_runs_get_language_font_and_hint() -> None:
    run = _run(translate(make_docx(BODY), {UNIT: "こんにちは世界。"}, "ja"))
    fonts = run.find(f"{{{W}}}rPr/{{{W}}}rFonts")
    assert fonts.get(f"{{{W}}}eastAsia") == "Yu Mincho"
    assert fonts.get(f"{{{W}}}hint") == "eastAsia"
    assert fonts.get(f"{{{W}}}eastAsiaTheme") is None
    assert fonts.get(f"{{{W}}}ascii") == "Calibri"
    assert run.find(f"{{{W}}}rPr/{{{W}}}lang").get(f"{{{W}}}eastAsia") == "ja-JP"


def test_traditional_chinese_and_font_map_override() -> None:
    data = make_docx(BODY)
    run = _run(translate(data, {UNIT: "你好世界。"}, "zh-Hant"))
    assert run.find(f"{{{W}}}rPr/{{{W}}}rFonts").get(f"{{{W}}}eastAsia") == "PMingLiU"
    assert run.find(f"{{{W}}}rPr/{{{W}}}lang").get(f"{{{W}}}eastAsia") == "zh-TW"
    custom = open_document(data).apply(
        {UNIT: "안녕하세요."}, "ko", font_map={"ko": "Malgun Gothic"}
    )
    assert _run(custom).find(f"{{{W}}}rPr/{{{W}}}rFonts").get(f"{{{W}}}eastAsia") == "Malgun Gothic"


def test_cjk_font_needs_no_hint() -> None:
    body = p(r("Hello.", '<w:rFonts w:ascii="MS Mincho" w:hAnsi="MS Mincho"/>'))
    run = _run(translate(make_docx(body), {UNIT: "こんにちは。"}, "ja"))
    assert run.find(f"{{{W}}}rPr/{{{W}}}rFonts").get(f"{{{W}}}hint") is None
