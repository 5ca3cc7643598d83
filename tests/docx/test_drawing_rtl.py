"""DrawingML text (chart titles, SmartArt nodes and their cached drawing) in a
right-to-left target: ``a:rPr/a:rtl`` only on stretches of right-to-left script, runs
split where the direction changes (ECMA-376 Annex I.2 makes ``a:rtl`` the twin of
``w:rtl``), every other run property kept; a left-to-right target removes ``a:rtl``
from what it translated, except on right-to-left script left in it."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from iris.docx import UnitKind, open_document
from iris.docx.opc.names import local_name
from iris.docx.writing.bidi import A_RPR_ORDER, RTL_SCRIPT_RE
from tests.docx.builders import NAMESPACES, Part, make_docx, p, r, read_part, translate, xpath
from tests.docx.conftest import corpus_dir, require_corpus

C, A, DGM, DSP = NAMESPACES["c"], NAMESPACES["a"], NAMESPACES["dgm"], NAMESPACES["dsp"]
ARABIC_TITLE = "المبيعات في 2024 حسب Microsoft Excel (تقرير)."
ARABIC_NODE = "خطط العمل مع Project 365"


def _chart(title: str, rpr: str) -> str:
    return (
        f'<c:chartSpace xmlns:c="{C}" xmlns:a="{A}"><c:chart><c:title><c:tx><c:rich>'
        f"<a:bodyPr/><a:p><a:r>{rpr}<a:t>{title}</a:t></a:r></a:p></c:rich></c:tx>"
        "</c:title></c:chart></c:chartSpace>"
    )


def _document(title: str, node: str, rpr: str, ppr: str = "") -> bytes:
    paragraph = f"<a:p>{ppr}<a:r>{rpr}<a:t>{node}</a:t></a:r></a:p>"
    data = (
        f'<dgm:dataModel xmlns:dgm="{DGM}" xmlns:a="{A}"><dgm:ptLst><dgm:pt modelId="2">'
        f"<dgm:t><a:bodyPr/>{paragraph}</dgm:t></dgm:pt></dgm:ptLst></dgm:dataModel>"
    )
    drawing = (
        f'<dsp:drawing xmlns:dsp="{DSP}" xmlns:a="{A}"><dsp:spTree><dsp:sp modelId="9">'
        f"<dsp:txBody><a:bodyPr/>{paragraph}</dsp:txBody></dsp:sp></dsp:spTree></dsp:drawing>"
    )
    parts = [
        Part("word/charts/chart1.xml", "chart", _chart(title, rpr)),
        Part("word/diagrams/data1.xml", "diagramData", data),
        Part("word/diagrams/drawing1.xml", "diagramDrawing", drawing),
    ]
    return make_docx(p(r("A chart and a diagram follow.")), parts=parts)


def _drawing_targets(data: bytes, chart: str, node: str) -> dict[str, str]:
    units = open_document(data).units()
    return {
        u.id: chart if u.kind is UnitKind.CHART else node
        for u in units
        if u.kind in (UnitKind.CHART, UnitKind.SMARTART)
    }


def _runs(root: etree._Element) -> list[tuple[str, bool]]:
    """(text, has a:rtl) of every a:r, each checked to hold exactly one a:t."""
    out = []
    for run in xpath(root, "//a:r"):
        (t,) = xpath(run, "a:t")
        out.append((t.text or "", bool(xpath(run, "a:rPr/a:rtl"))))
    return out


def _assert_marked_by_script(root: etree._Element) -> None:
    """a:rtl exactly on runs of right-to-left script, in schema order, on its own."""
    for text, rtl in _runs(root):
        assert rtl == bool(RTL_SCRIPT_RE.search(text)), (text, rtl)
    for rpr in xpath(root, "//a:r/a:rPr"):
        order = [A_RPR_ORDER.index(local_name(child.tag)) for child in rpr]
        assert order == sorted(order)
        for marker in xpath(rpr, "a:rtl"):
            assert marker.get("val") is None


def test_chart_title_runs_are_split_by_script() -> None:
    data = _document("Sales in 2024 by Microsoft Excel (report).", "Plan", '<a:rPr b="1"/>')
    output = translate(data, _drawing_targets(data, ARABIC_TITLE, ARABIC_NODE), "ar")
    chart = read_part(output, "word/charts/chart1.xml")
    runs = _runs(chart)
    assert "".join(text for text, _ in runs) == ARABIC_TITLE
    assert runs == [  # digits stay left-to-right, as in Word runs
        ("المبيعات في ", True),
        ("2024", False),
        (" حسب ", True),
        ("Microsoft Excel", False),
        (" (تقرير).", True),
    ]
    for rpr in xpath(chart, "//a:r/a:rPr"):
        assert (rpr.get("b"), rpr.get("lang")) == ("1", "ar-SA")
        assert xpath(rpr, "a:cs")
    assert xpath(chart, "//a:p/a:pPr")[0].get("rtl") == "1"
    _assert_marked_by_script(chart)


def test_smartart_data_and_cached_drawing_are_split_alike() -> None:
    data = _document("Sales", "Plan the work with Project 365", '<a:rPr lang="en-US"/>')
    output = translate(data, _drawing_targets(data, "المبيعات", ARABIC_NODE), "ar")
    texts = []
    for name in ("word/diagrams/data1.xml", "word/diagrams/drawing1.xml"):
        root = read_part(output, name)
        _assert_marked_by_script(root)
        texts.append(_runs(root))
    assert texts[0] == texts[1]
    assert texts[0] == [("خطط العمل مع ", True), ("Project 365", False)]
    chart = read_part(output, "word/charts/chart1.xml")
    assert _runs(chart) == [("المبيعات", True)]


def test_left_to_right_target_removes_rtl_but_from_arabic_script_left_in_it() -> None:
    rpr = '<a:rPr lang="ar-SA"><a:cs typeface="Arial"/><a:rtl/></a:rPr>'
    data = _document("المبيعات", "خطط العمل", rpr, '<a:pPr rtl="1"/>')
    targets = _drawing_targets(data, "Ventes de المبيعات", "Planifier le travail")
    output = translate(data, targets, "fr")
    chart = read_part(output, "word/charts/chart1.xml")
    assert _runs(chart) == [("Ventes de ", False), ("المبيعات", True)]
    _assert_marked_by_script(chart)
    node = read_part(output, "word/diagrams/data1.xml")
    assert _runs(node) == [("Planifier le travail", False)]
    assert xpath(node, "//a:p/a:pPr")[0].get("rtl") is None
    assert xpath(node, "//a:r/a:rPr/a:cs")  # only the direction goes


def test_corpus_chart_titles_in_arabic_are_split_by_script() -> None:
    path = require_corpus(corpus_dir() / "oxmlsdk__chart3.docx")
    data = Path(path).read_bytes()
    units = [u for u in open_document(data).units() if u.kind is UnitKind.CHART]
    titles = {u.id for u in units if "#a" in u.id}  # chart text in a:p, not caches
    assert titles
    targets = {u.id: f"عنوان {u.source} 2002" for u in units}
    output = translate(data, targets, "ar")
    seen = 0
    for name in sorted({u.part for u in units}):
        root = read_part(output, name)
        _assert_marked_by_script(root)
        seen += sum(not rtl for _, rtl in _runs(root))
    assert seen >= len(titles)  # each title's Latin source word stayed left-to-right
