"""CJK targets: ``w:lang/@w:eastAsia``; an East Asian font that follows the class of the
run's Latin font (sans-serif → Gothic/Hei, serif → Mincho/Song/Batang), resolved through
styles and theme fonts, overridable per language; ``w:hint="eastAsia"`` when the Latin
font has no CJK glyphs; line-breaking settings per language; no space kept between
Japanese or Chinese sentences."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from iris.docx import open_document
from iris.docx.text.pseudo import pseudo_targets
from tests.docx.builders import Part, W, body_of, make_docx, one, p, r, read_part, translate
from tests.docx.conftest import corpus_dir, require_corpus

UNIT = "word/document.xml#p0.s0"
CALIBRI = '<w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsiaTheme="minorEastAsia"/>'
BODY = p(r("Hello world.", CALIBRI))
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
THEME_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"


def _run(output: bytes) -> etree._Element:
    return next(body_of(output).iter(f"{{{W}}}r"))


def _east_asian(run: etree._Element) -> str | None:
    return one(run, f"{{{W}}}rPr/{{{W}}}rFonts").get(f"{{{W}}}eastAsia")


def _font(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}"/>'


def test_japanese_sans_serif_run_gets_gothic_language_and_hint() -> None:
    run = _run(translate(make_docx(BODY), {UNIT: "こんにちは世界。"}, "ja"))
    fonts = one(run, f"{{{W}}}rPr/{{{W}}}rFonts")
    assert fonts.get(f"{{{W}}}eastAsia") == "Yu Gothic"
    assert fonts.get(f"{{{W}}}hint") == "eastAsia"
    assert fonts.get(f"{{{W}}}eastAsiaTheme") is None
    assert fonts.get(f"{{{W}}}ascii") == "Calibri"
    assert one(run, f"{{{W}}}rPr/{{{W}}}lang").get(f"{{{W}}}eastAsia") == "ja-JP"


def test_font_class_chooses_the_face_per_language() -> None:
    expected = {
        "ja": ("Yu Gothic", "Yu Mincho"),
        "zh-CN": ("Microsoft YaHei", "SimSun"),
        "zh-Hant": ("Microsoft JhengHei", "PMingLiU"),
        "ko": ("Malgun Gothic", "Batang"),
    }
    for lang, (sans, serif) in expected.items():
        for font, face in (("Arial", sans), ("Segoe UI", sans), ("Aptos", sans)):
            data = make_docx(p(r("Hello.", _font(font))))
            assert _east_asian(_run(translate(data, {UNIT: "你好。"}, lang))) == face, font
        for font in ("Times New Roman", "Georgia", "Garamond", "Cambria"):
            data = make_docx(p(r("Hello.", _font(font))))
            assert _east_asian(_run(translate(data, {UNIT: "你好。"}, lang))) == serif, font


def test_font_map_overrides_both_classes() -> None:
    for font in ("Arial", "Times New Roman"):
        data = make_docx(p(r("Hello.", _font(font))))
        custom = open_document(data).apply({UNIT: "안녕하세요."}, "ko", font_map={"ko": "Gulim"})
        assert _east_asian(_run(custom)) == "Gulim"


def test_cjk_font_needs_no_hint() -> None:
    body = p(r("Hello.", _font("MS Mincho")))
    run = _run(translate(make_docx(body), {UNIT: "こんにちは。"}, "ja"))
    fonts = one(run, f"{{{W}}}rPr/{{{W}}}rFonts")
    assert fonts.get(f"{{{W}}}hint") is None
    assert fonts.get(f"{{{W}}}eastAsia") == "Yu Mincho"


def _with_styles_and_theme(body: str, styles: str, major: str, minor: str) -> bytes:
    """A package whose styles part holds ``styles`` and whose theme names two fonts."""
    theme = (
        f'<a:theme xmlns:a="{A}" name="T"><a:themeElements><a:fontScheme name="F">'
        f'<a:majorFont><a:latin typeface="{major}"/></a:majorFont>'
        f'<a:minorFont><a:latin typeface="{minor}"/></a:minorFont>'
        "</a:fontScheme></a:themeElements></a:theme>"
    )
    source = zipfile.ZipFile(io.BytesIO(make_docx(body)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name in source.namelist():
            text = source.read(name).decode()
            if name == "word/styles.xml":
                text = text.replace("</w:docDefaults>", "</w:docDefaults>" + styles)
                text = text.replace(
                    "<w:rPr><w:lang", '<w:rPr><w:rFonts w:asciiTheme="minorHAnsi"/><w:lang'
                )
            elif name == "word/_rels/document.xml.rels":
                rel = f'<Relationship Id="rIdTheme" Type="{THEME_REL}" Target="theme/theme1.xml"/>'
                text = text.replace("</Relationships>", rel + "</Relationships>")
            elif name == "[Content_Types].xml":
                kind = "application/vnd.openxmlformats-officedocument.theme+xml"
                override = f'<Override PartName="/word/theme/theme1.xml" ContentType="{kind}"/>'
                text = text.replace("</Types>", override + "</Types>")
            out.writestr(name, text)
        out.writestr("word/theme/theme1.xml", theme)
    return buffer.getvalue()


STYLES = (
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "</w:style>"
    '<w:style w:type="paragraph" w:styleId="Base"><w:name w:val="Base"/>'
    '<w:rPr><w:rFonts w:asciiTheme="majorHAnsi" w:hAnsiTheme="majorHAnsi"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
    '<w:basedOn w:val="Base"/></w:style>'
    '<w:style w:type="character" w:styleId="Quote"><w:name w:val="Quote"/>'
    '<w:rPr><w:rFonts w:ascii="Georgia" w:hAnsi="Georgia"/></w:rPr></w:style>'
)


def test_fonts_resolve_through_styles_and_theme() -> None:
    body = (
        p(r("Plain body text."))
        + p(r("A heading."), '<w:pStyle w:val="Heading1"/>')
        + p(r("Quoted text.", '<w:rStyle w:val="Quote"/>'), '<w:pStyle w:val="Heading1"/>')
        + p(r("Unknown face.", _font("Frobnicate Display")))
    )
    data = _with_styles_and_theme(body, STYLES, major="Calibri Light", minor="Cambria")
    units = {u.plain: u.id for u in open_document(data).units()}
    targets = dict.fromkeys(units.values(), "日本語の文。")
    runs = list(body_of(translate(data, targets, "ja")).iter(f"{{{W}}}r"))
    faces = [_east_asian(run) for run in runs]
    # body: theme minor Cambria (serif); heading: Base → theme major Calibri Light (sans);
    # character style Georgia wins over the paragraph style; an unknown face takes the
    # class of the default font (Cambria).
    assert faces == ["Yu Mincho", "Yu Gothic", "Yu Mincho", "Yu Mincho"]
    sans_default = _with_styles_and_theme(body, STYLES, major="Calibri Light", minor="Aptos")
    runs = list(body_of(translate(sans_default, targets, "ja")).iter(f"{{{W}}}r"))
    assert [_east_asian(run) for run in runs] == [
        "Yu Gothic",
        "Yu Gothic",
        "Yu Mincho",
        "Yu Gothic",
    ]


def _local(element: etree._Element) -> str:
    return str(element.tag).rpartition("}")[2]


def test_line_breaking_settings_per_language_in_schema_order() -> None:
    ppr = (
        '<w:pStyle w:val="Normal"/><w:kinsoku w:val="0"/><w:overflowPunct w:val="0"/>'
        '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:jc w:val="both"/>'
    )
    data = make_docx(p(r("Hello world."), ppr))
    japanese = one(body_of(translate(data, {UNIT: "こんにちは。"}, "ja")), f"{{{W}}}p/{{{W}}}pPr")
    assert [(_local(c), c.get(f"{{{W}}}val")) for c in japanese] == [
        ("pStyle", "Normal"),
        ("kinsoku", None),
        ("overflowPunct", None),
        ("autoSpaceDE", None),
        ("autoSpaceDN", None),
        ("jc", "both"),
    ]
    korean = one(body_of(translate(data, {UNIT: "안녕하세요."}, "ko")), f"{{{W}}}p/{{{W}}}pPr")
    assert [(_local(c), c.get(f"{{{W}}}val")) for c in korean] == [
        ("pStyle", "Normal"),
        ("kinsoku", "0"),
        ("wordWrap", None),
        ("overflowPunct", "0"),
        ("autoSpaceDE", "0"),
        ("autoSpaceDN", "0"),
        ("jc", "both"),
    ]
    german = one(body_of(translate(data, {UNIT: "Hallo Welt."}, "de")), f"{{{W}}}p/{{{W}}}pPr")
    assert len(german) == 6
    assert german.find(f"{{{W}}}wordWrap") is None


def _paragraph_text(output: bytes) -> str:
    return "".join(t.text or "" for t in body_of(output).iter(f"{{{W}}}t"))


def test_no_space_between_joined_japanese_and_chinese_sentences() -> None:
    data = make_docx(p(r("Hello there. How are you? Fine.")))
    ids = [u.id for u in open_document(data).units() if u.part == "word/document.xml"]
    assert len(ids) == 3
    # Engines keep each source sentence's trailing space (iris.engines.base.with_outer_space).
    japanese = {ids[0]: "こんにちは。 ", ids[1]: "お元気ですか？ ", ids[2]: "元気です。"}
    assert (
        _paragraph_text(translate(data, japanese, "ja")) == "こんにちは。お元気ですか？元気です。"
    )
    chinese = {ids[0]: "你好。 ", ids[1]: "你好吗？ ", ids[2]: "很好。"}
    assert _paragraph_text(translate(data, chinese, "zh-CN")) == "你好。你好吗？很好。"
    korean = {ids[0]: "안녕하세요. ", ids[1]: "잘 지내세요? ", ids[2]: "좋아요."}
    assert _paragraph_text(translate(data, korean, "ko")) == "안녕하세요. 잘 지내세요? 좋아요."
    # A sentence left in its source keeps its space; so does one ending in Latin text.
    kept = {ids[1]: "Windows 10 ", ids[2]: "元気です。"}
    assert _paragraph_text(translate(data, kept, "ja")) == "Hello there. Windows 10 元気です。"


def test_corpus_fonts_follow_styles() -> None:
    """oxmlsdk__bookmark.docx: Times New Roman defaults, headings based on an Arial
    style, code in Lucida Console, direct Arial on the title page."""
    path = corpus_dir() / "oxmlsdk__bookmark.docx"
    data = require_corpus(path if path.exists() else None).read_bytes()
    document = open_document(data)
    body = body_of(document.apply(pseudo_targets(document.units()), "ja"))
    faces: dict[str, set[str | None]] = {}
    for paragraph in body.iter(f"{{{W}}}p"):
        style = paragraph.find(f"{{{W}}}pPr/{{{W}}}pStyle")
        name = "Normal" if style is None else str(style.get(f"{{{W}}}val"))
        for run in paragraph.iterchildren(f"{{{W}}}r"):
            if "~" not in "".join(t.text or "" for t in run.iter(f"{{{W}}}t")):
                continue
            fonts = run.find(f"{{{W}}}rPr/{{{W}}}rFonts")
            direct = None if fonts is None else fonts.get(f"{{{W}}}ascii")
            if run.find(f"{{{W}}}rPr/{{{W}}}rStyle") is None:
                key = f"direct {direct}" if direct else name
                faces.setdefault(key, set()).add(_east_asian(run))
    assert faces["direct Arial"] == {"Yu Gothic"}
    assert faces["Normal"] == {"Yu Mincho"}
    assert faces["Heading2"] == {"Yu Gothic"}
    assert faces["Code"] == {"Yu Gothic"}


def test_drawing_runs_get_an_east_asian_face_by_class() -> None:
    chart = (
        f'<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        f'xmlns:a="{A}"><c:chart><c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r>'
        '<a:rPr lang="en-US"><a:latin typeface="Arial"/></a:rPr><a:t>Sales</a:t></a:r>'
        "</a:p></c:rich></c:tx></c:title></c:chart></c:chartSpace>"
    )
    data = make_docx(p(r("A chart.")), parts=[Part("word/charts/chart1.xml", "chart", chart)])
    unit = next(u.id for u in open_document(data).units() if u.part.endswith("chart1.xml"))
    output = read_part(translate(data, {unit: "売上"}, "ja"), "word/charts/chart1.xml")
    rpr = one(output, f".//{{{A}}}r/{{{A}}}rPr")
    assert rpr.get("lang") == "ja-JP"
    assert one(rpr, f"{{{A}}}ea").get("typeface") == "Yu Gothic"
