"""Right-to-left targets: ``w:rtl`` only on stretches of right-to-left script (runs split
by script, other properties kept), complex-script twins and font, paragraphs ``w:bidi``
with alignment left as written, tables ``w:bidiVisual``, sections ``w:bidi`` and
``w:rtlGutter``; a left-to-right target removes all of these from what it translated."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from lxml import etree

from iris.docx import open_document
from iris.docx.text.pseudo import pseudo_targets
from iris.docx.writing.bidi import RTL_SCRIPT_RE, resolve_directions
from tests.docx.builders import (
    Part,
    W,
    all_text,
    body_of,
    make_docx,
    one,
    p,
    r,
    read_part,
    translate,
)
from tests.docx.conftest import corpus_dir, require_corpus

UNIT = "word/document.xml#p0.s0"
_ARIAL = '<w:rFonts w:ascii="Arial" w:hAnsi="Arial"/>'
SECTION = (
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" '
    'w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/>'
    '<w:docGrid w:linePitch="360"/></w:sectPr>'
)


def _local(element: etree._Element) -> str:
    return str(element.tag).rpartition("}")[2]


def _runs(paragraph: etree._Element) -> list[tuple[str, bool, bool]]:
    """(text, right-to-left, bold) of each text run."""
    out = []
    for run in paragraph.iter(f"{{{W}}}r"):
        text = "".join(t.text or "" for t in run.iter(f"{{{W}}}t"))
        rtl = run.find(f"{{{W}}}rPr/{{{W}}}rtl") is not None
        out.append((text, rtl, run.find(f"{{{W}}}rPr/{{{W}}}b") is not None))
    return out


def _translated() -> bytes:
    body = p(
        r("Hello ", '<w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:cstheme="minorBidi"/>')
        + r("bold", '<w:b/><w:sz w:val="28"/>')
        + r(" world."),
        '<w:spacing w:after="120"/><w:jc w:val="left"/>',
    )
    target = "<g1>مرحبا </g1><g2>عريض Word</g2> 2024 عالم (www.example.com)."
    return translate(make_docx(body), {UNIT: target}, "ar")


def test_only_right_to_left_script_is_in_rtl_runs() -> None:
    paragraph = one(body_of(_translated()), f"{{{W}}}p")
    assert _runs(paragraph) == [
        ("مرحبا ", True, False),
        ("عريض ", True, True),
        ("Word", False, True),
        (" 2024", False, False),
        (" عالم (", True, False),
        ("www.example.com", False, False),
        (").", True, False),
    ]


def test_split_runs_keep_properties_in_schema_order() -> None:
    paragraph = one(body_of(_translated()), f"{{{W}}}p")
    runs = list(paragraph.iter(f"{{{W}}}r"))
    arabic_bold, latin_bold = runs[1], runs[2]
    assert [_local(c) for c in one(arabic_bold, f"{{{W}}}rPr")] == [
        "rFonts",
        "b",
        "bCs",
        "sz",
        "szCs",
        "rtl",
        "lang",
    ]
    assert [_local(c) for c in one(latin_bold, f"{{{W}}}rPr")] == [
        "rFonts",
        "b",
        "bCs",
        "sz",
        "szCs",
        "lang",
    ]
    assert one(latin_bold, f"{{{W}}}rPr/{{{W}}}szCs").get(f"{{{W}}}val") == "28"
    assert one(latin_bold, f"{{{W}}}rPr/{{{W}}}lang").get(f"{{{W}}}bidi") == "ar-SA"


def test_complex_script_font_follows_the_latin_font_class() -> None:
    paragraph = one(body_of(_translated()), f"{{{W}}}p")
    first, bold = list(paragraph.iter(f"{{{W}}}r"))[:2]
    fonts = one(first, f"{{{W}}}rPr/{{{W}}}rFonts")
    assert fonts.get(f"{{{W}}}cs") == "Arial"  # Calibri is sans-serif
    assert fonts.get(f"{{{W}}}cstheme") is None
    assert fonts.get(f"{{{W}}}ascii") == "Calibri"
    # No font anywhere in the styles: Word's fallback, Times New Roman, a serif face.
    assert one(bold, f"{{{W}}}rPr/{{{W}}}rFonts").get(f"{{{W}}}cs") == "Times New Roman"


def test_paragraph_is_bidi_and_alignment_is_left_as_written() -> None:
    ppr = one(body_of(_translated()), f"{{{W}}}p/{{{W}}}pPr")
    assert [_local(c) for c in ppr] == ["bidi", "spacing", "jc"]
    assert one(ppr, f"{{{W}}}jc").get(f"{{{W}}}val") == "left"


def test_tables_and_sections_are_right_to_left_in_schema_order() -> None:
    cell = "<w:tc><w:tcPr/>" + p(r("Cell text.")) + "</w:tc>"
    table = (
        '<w:tbl><w:tblPr><w:tblStyle w:val="T"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
        f"<w:tblGrid/><w:tr>{cell}</w:tr></w:tbl>"
    )
    data = make_docx(p(r("Body text."), SECTION) + table)
    units = {u.plain: u.id for u in open_document(data).units()}
    output = translate(data, {units["Cell text."]: "نص الخلية."}, "ar")
    body = body_of(output)
    assert _runs(one(body, f"{{{W}}}tbl")) == [("نص الخلية.", True, False)]
    assert [_local(c) for c in one(body, f"{{{W}}}tbl/{{{W}}}tblPr")] == [
        "tblStyle",
        "bidiVisual",
        "tblW",
    ]
    for section in body.iter(f"{{{W}}}sectPr"):
        order = [_local(c) for c in section]
        assert order[-3:] == ["bidi", "rtlGutter", "docGrid"] or order == ["bidi", "rtlGutter"]


def test_document_defaults_and_theme_language_are_set() -> None:
    output = _translated()
    styles = read_part(output, "word/styles.xml")
    lang = one(styles, f".//{{{W}}}rPrDefault/{{{W}}}rPr/{{{W}}}lang")
    assert lang.get(f"{{{W}}}bidi") == "ar-SA"
    assert lang.get(f"{{{W}}}val") == "en-US"
    theme = one(read_part(output, "word/settings.xml"), f"{{{W}}}themeFontLang")
    assert theme.get(f"{{{W}}}bidi") == "ar-SA"


def test_numbers_and_punctuation_resolve_like_the_bidi_algorithm() -> None:
    def shown(text: str, rtl: bool) -> str:
        return "".join("R" if d else "L" for d in resolve_directions(text, rtl))

    assert shown("سعر 1,000.50 $ فقط", True) == "RRRRLLLLLLLLRRRRRR"
    assert shown("50% off", True) == "LLLRLLL"  # a number acts as R on neutrals
    assert shown("abc שלום def", False) == "LLLLRRRRLLLL"
    assert shown("ابc", False) == "RRL"
    assert shown("۱۲۳ تومان", True) == "RRRRRRRRR"  # Persian digits stay with the text


def _arabic_source() -> bytes:
    section = SECTION.replace("<w:docGrid", "<w:bidi/><w:rtlGutter/><w:docGrid")
    cell = "<w:tc><w:tcPr/>" + p(r("خلية", "<w:rtl/>"), "<w:bidi/>") + "</w:tc>"
    table = (
        '<w:tbl><w:tblPr><w:bidiVisual/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
        f"<w:tblGrid/><w:tr>{cell}</w:tr></w:tbl>"
    )
    return make_docx(
        p(r("مرحبا بالعالم.", "<w:rtl/>"), '<w:bidi/><w:jc w:val="right"/>')
        + p(r("2024", "<w:rtl/>"), "<w:bidi/>" + SECTION)
        + table
        + p(r("وداعا.", "<w:rtl/>"), "<w:bidi/>" + section)
    )


def test_left_to_right_target_removes_right_to_left_settings_from_what_it_translated() -> None:
    data = _arabic_source()
    units = {u.plain: u.id for u in open_document(data).units()}
    targets = {units["مرحبا بالعالم."]: "Hello world.", units["خلية"]: "Cell"}
    targets[units["وداعا."]] = "Goodbye (وداعا)."
    body = body_of(translate(data, targets, "en"))
    first, number, last = body.findall(f"{{{W}}}p")
    assert first.find(f"{{{W}}}pPr/{{{W}}}bidi") is None
    assert one(first, f"{{{W}}}pPr/{{{W}}}jc").get(f"{{{W}}}val") == "right"
    assert _runs(first) == [("Hello world.", False, False)]
    # Not translated, yet read in the document's new direction like its neighbours.
    assert number.find(f"{{{W}}}pPr/{{{W}}}bidi") is None
    assert _runs(last) == [
        ("Goodbye (", False, False),
        ("وداعا", True, False),
        (").", False, False),
    ]
    table = one(body, f"{{{W}}}tbl")
    assert table.find(f"{{{W}}}tblPr/{{{W}}}bidiVisual") is None
    assert table.find(f".//{{{W}}}rtl") is None
    assert table.find(f".//{{{W}}}bidi") is None
    for section in body.iter(f"{{{W}}}sectPr"):
        assert section.find(f"{{{W}}}bidi") is None
        assert section.find(f"{{{W}}}rtlGutter") is None


def test_style_bidi_is_turned_off_by_a_left_to_right_target() -> None:
    data = make_docx(p(r("مرحبا."), '<w:pStyle w:val="Arabic"/>'))
    styles = (
        '<w:style w:type="paragraph" w:styleId="Arabic"><w:name w:val="Arabic"/>'
        "<w:pPr><w:bidi/></w:pPr></w:style></w:styles>"
    )
    data = _replace_part(data, "word/styles.xml", lambda xml: xml.replace("</w:styles>", styles))
    output = translate(data, {UNIT: "Hello."}, "en")
    bidi = one(body_of(output), f"{{{W}}}p/{{{W}}}pPr/{{{W}}}bidi")
    assert bidi.get(f"{{{W}}}val") == "0"


def _replace_part(data: bytes, name: str, change: Callable[[str], str]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.namelist():
            content = source.read(item)
            if item == name:
                content = change(content.decode()).encode()
            out.writestr(item, content)
    return buffer.getvalue()


def _corpus(name: str) -> bytes:
    path = corpus_dir() / name
    return require_corpus(path if path.exists() else None).read_bytes()


def _text(run: etree._Element) -> str:
    return "".join(t.text or "" for t in run.iter(f"{{{W}}}t"))


def _direction_problems(paragraph: etree._Element) -> list[str]:
    """Runs with right-to-left letters but no ``w:rtl``, or the reverse with Latin ones."""
    problems = []
    for run in paragraph.iter(f"{{{W}}}r"):
        text, rtl = _text(run), run.find(f"{{{W}}}rPr/{{{W}}}rtl") is not None
        if RTL_SCRIPT_RE.search(text) and not rtl:
            problems.append(f"no w:rtl on {text!r}")
        if rtl and not RTL_SCRIPT_RE.search(text) and any(c.isalpha() for c in text):
            problems.append(f"w:rtl on {text!r}")
    return problems


def test_corpus_arabic_document_translated_into_english() -> None:
    """oxmlsdk__Comment066.docx: Arabic news text with Latin codes (AFP_ARB, HT)."""
    data = _corpus("oxmlsdk__Comment066.docx")
    source_body = body_of(data)
    assert source_body.find(f".//{{{W}}}pPr/{{{W}}}bidi") is not None
    document = open_document(data)
    body = body_of(document.apply(pseudo_targets(document.units()), "en"))
    translated = [p for p in body.iter(f"{{{W}}}p") if "~" in all_text(p)]
    assert len(translated) > 5
    problems = [problem for p in translated for problem in _direction_problems(p)]
    assert problems == []
    assert [p for p in translated if p.find(f"{{{W}}}pPr/{{{W}}}bidi") is not None] == []
    latin = [_text(run) for p in translated for run in p.iter(f"{{{W}}}r")]
    assert any("ÁƑÞ" in text or "ĤŢ" in text for text in latin)


def test_corpus_document_translated_into_arabic() -> None:
    """docx4j__arabic_align.docx: a table, bidi and plain paragraphs, Latin text."""
    data = _corpus("docx4j__arabic_align.docx")
    document = open_document(data)
    targets = {k: "نص " + v for k, v in pseudo_targets(document.units()).items()}
    body = body_of(document.apply(targets, "ar"))
    translated = [p for p in body.iter(f"{{{W}}}p") if "~" in all_text(p)]
    assert len(translated) > 5
    problems = [problem for p in translated for problem in _direction_problems(p)]
    assert problems == []
    assert all(p.find(f"{{{W}}}pPr/{{{W}}}bidi") is not None for p in translated)
    for table in body.iter(f"{{{W}}}tbl"):
        assert table.find(f"{{{W}}}tblPr/{{{W}}}bidiVisual") is not None
    section = one(body, f"{{{W}}}sectPr")
    assert section.find(f"{{{W}}}bidi") is not None
    assert section.find(f"{{{W}}}rtlGutter") is not None


A = "http://schemas.openxmlformats.org/drawingml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def _chart(rtl: bool, text: str) -> bytes:
    ppr = '<a:pPr rtl="1"/>' if rtl else ""
    chart = (
        f'<c:chartSpace xmlns:c="{C}" xmlns:a="{A}"><c:chart><c:title><c:tx><c:rich>'
        f'<a:bodyPr/><a:p>{ppr}<a:r><a:rPr lang="en-US"><a:latin typeface="Georgia"/>'
        f"</a:rPr><a:t>{text}</a:t></a:r></a:p></c:rich></c:tx></c:title></c:chart>"
        "</c:chartSpace>"
    )
    return make_docx(p(r("A chart.")), parts=[Part("word/charts/chart1.xml", "chart", chart)])


def test_drawing_paragraphs_follow_the_direction_of_the_target() -> None:
    data = _chart(False, "Sales")
    unit = next(u.id for u in open_document(data).units() if u.part.endswith("chart1.xml"))
    chart = read_part(translate(data, {unit: "المبيعات"}, "ar"), "word/charts/chart1.xml")
    assert one(chart, f".//{{{A}}}p/{{{A}}}pPr").get("rtl") == "1"
    rpr = one(chart, f".//{{{A}}}r/{{{A}}}rPr")
    # All-Arabic text: the run is right-to-left (a:rtl, DrawingML's w:rtl).
    assert [_local(c) for c in rpr] == ["latin", "cs", "rtl"]
    assert one(rpr, f"{{{A}}}cs").get("typeface") == "Times New Roman"  # Georgia: serif
    arabic = _chart(True, "المبيعات")
    unit = next(u.id for u in open_document(arabic).units() if u.part.endswith("chart1.xml"))
    chart = read_part(translate(arabic, {unit: "Sales"}, "en"), "word/charts/chart1.xml")
    assert one(chart, f".//{{{A}}}p/{{{A}}}pPr").get("rtl") is None


def test_hebrew_persian_and_urdu_targets() -> None:
    data = make_docx(p(r("Open Windows 11 now.", _ARIAL)))
    cases = {
        "he": ("פתח את Windows 11 עכשיו.", "he-IL"),
        "fa": ("اکنون Windows 11 را باز کنید.", "fa-IR"),
        "ur": ("ابھی Windows 11 کھولیں۔", "ur-PK"),
    }
    for lang, (target, culture) in cases.items():
        paragraph = one(body_of(translate(data, {UNIT: target}, lang)), f"{{{W}}}p")
        runs = _runs(paragraph)
        assert ("Windows 11", False, False) in runs, (lang, runs)
        assert all(rtl == bool(RTL_SCRIPT_RE.search(text)) for text, rtl, _ in runs), runs
        for run in paragraph.iter(f"{{{W}}}r"):
            assert one(run, f"{{{W}}}rPr/{{{W}}}rFonts").get(f"{{{W}}}cs") == "Arial"
            assert one(run, f"{{{W}}}rPr/{{{W}}}lang").get(f"{{{W}}}bidi") == culture
        assert paragraph.find(f"{{{W}}}pPr/{{{W}}}bidi") is not None


def test_paragraphs_left_as_they_were_take_the_direction_of_a_translated_document() -> None:
    """A code or a number keeps its text but reads in the document's direction: in a
    mirrored table it sits on the side its translated neighbours do. A document with
    nothing translated is left as it was."""
    row = "".join(f"<w:tc><w:tcPr/>{p(r(text))}</w:tc>" for text in ("Total", "A-100", "540"))
    grid = '<w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid/>'
    table = f"<w:tbl>{grid}<w:tr>{row}</w:tr></w:tbl>"
    data = make_docx(p(r("Body text.")) + table + p(r("2024-01-31")))
    units = {u.plain: u.id for u in open_document(data).units()}
    output = translate(data, {units["Body text."]: "نص.", units["Total"]: "المجموع"}, "ar")
    paragraphs = body_of(output).iter(f"{{{W}}}p")
    assert [q.find(f"{{{W}}}pPr/{{{W}}}bidi") is not None for q in paragraphs] == [True] * 5
    assert _runs(one(body_of(output), f"{{{W}}}tbl")) == [
        ("المجموع", True, False),
        ("A-100", False, False),
        ("540", False, False),
    ]
    untouched = body_of(translate(data, {}, "ar"))
    assert untouched.find(f".//{{{W}}}bidi") is None
