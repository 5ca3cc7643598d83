"""Charts and SmartArt: chart titles (``c:rich``) and string caches are translated,
numbers and formulas are not; SmartArt data points are translated and the cached
drawing gets the same translation."""

from __future__ import annotations

from iris.docx import UnitKind
from iris.docx.verification.check import identity_differences
from tests.docx.builders import (
    NAMESPACES,
    Part,
    make_docx,
    p,
    r,
    read_part,
    translate,
    units_by_id,
    xpath,
)

C, A, DGM, DSP = NAMESPACES["c"], NAMESPACES["a"], NAMESPACES["dgm"], NAMESPACES["dsp"]
CHART = (
    f'<c:chartSpace xmlns:c="{C}" xmlns:a="{A}"><c:date1904 val="0"/><c:chart>'
    '<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:rPr lang="en-US" b="1"/>'
    "<a:t>Sales by region</a:t></a:r></a:p></c:rich></c:tx></c:title>"
    "<c:plotArea><c:barChart><c:ser>"
    '<c:tx><c:strRef><c:f>Sheet1!$B$1</c:f><c:strCache><c:ptCount val="1"/>'
    '<c:pt idx="0"><c:v>Revenue</c:v></c:pt></c:strCache></c:strRef></c:tx>'
    "<c:cat><c:strRef><c:f>Sheet1!$A$2</c:f><c:strCache>"
    '<c:pt idx="0"><c:v>North</c:v></c:pt></c:strCache></c:strRef></c:cat>'
    "<c:val><c:numRef><c:f>Sheet1!$B$2</c:f><c:numCache>"
    '<c:pt idx="0"><c:v>42</c:v></c:pt></c:numCache></c:numRef></c:val>'
    "</c:ser></c:barChart></c:plotArea></c:chart></c:chartSpace>"
)


def _point(model_id: int, kind: str, text: str) -> str:
    kind_attribute = f' type="{kind}"' if kind else ""
    run = f'<a:r><a:rPr lang="en-US"/><a:t>{text}</a:t></a:r>' if text else "<a:endParaRPr/>"
    body = f"<dgm:t><a:bodyPr/><a:p>{run}</a:p></dgm:t>"
    return f'<dgm:pt modelId="{model_id}"{kind_attribute}>{body}</dgm:pt>'


DATA = (
    f'<dgm:dataModel xmlns:dgm="{DGM}" xmlns:a="{A}"><dgm:ptLst>'
    + _point(1, "doc", "")
    + _point(2, "", "Plan the work")
    + _point(3, "node", "Work the plan")
    + _point(4, "parTrans", "connector")
    + "</dgm:ptLst></dgm:dataModel>"
)
DRAWING = (
    f'<dsp:drawing xmlns:dsp="{DSP}" xmlns:a="{A}"><dsp:spTree><dsp:sp modelId="9"><dsp:txBody>'
    '<a:bodyPr/><a:p><a:r><a:rPr lang="en-US"/><a:t>Plan the work</a:t></a:r></a:p>'
    "</dsp:txBody></dsp:sp></dsp:spTree></dsp:drawing>"
)


def _document() -> bytes:
    parts = [
        Part("word/charts/chart1.xml", "chart", CHART),
        Part("word/diagrams/data1.xml", "diagramData", DATA),
        Part("word/diagrams/drawing1.xml", "diagramDrawing", DRAWING),
    ]
    return make_docx(p(r("A chart and a diagram follow.")), parts=parts)


def test_chart_titles_and_labels_are_units_numbers_are_not() -> None:
    chart = [u for u in units_by_id(_document()).values() if u.kind is UnitKind.CHART]
    assert sorted(u.source for u in chart) == ["North", "Revenue", "Sales by region"]


def test_smartart_nodes_are_units_and_the_drawing_shares_them() -> None:
    smartart = [u for u in units_by_id(_document()).values() if u.kind is UnitKind.SMARTART]
    assert [(u.part, u.source) for u in smartart] == [
        ("word/diagrams/data1.xml", "Plan the work"),
        ("word/diagrams/data1.xml", "Work the plan"),
    ]


def test_translation_reaches_caches_drawing_and_chart_language() -> None:
    data = _document()
    units = units_by_id(data)
    targets = {
        u.id: u.source.upper()
        for u in units.values()
        if u.kind in (UnitKind.CHART, UnitKind.SMARTART)
    }
    output = translate(data, targets, "fr")
    chart = read_part(output, "word/charts/chart1.xml")
    assert [v.text for v in xpath(chart, "//c:v")] == ["REVENUE", "NORTH", "42"]
    assert xpath(chart, "//c:f")[0].text == "Sheet1!$B$1"
    assert [t.text for t in xpath(chart, "//a:t")] == ["SALES BY REGION"]
    assert xpath(chart, "//a:rPr")[0].get("lang") == "fr-FR"
    assert xpath(chart, "/c:chartSpace/c:lang")[0].get("val") == "fr-FR"
    drawing = read_part(output, "word/diagrams/drawing1.xml")
    assert [t.text for t in xpath(drawing, "//a:t")] == ["PLAN THE WORK"]
    data_part = read_part(output, "word/diagrams/data1.xml")
    assert [t.text for t in xpath(data_part, "//a:t")] == [
        "PLAN THE WORK",
        "WORK THE PLAN",
        "connector",
    ]


def test_charts_and_diagrams_round_trip_exactly() -> None:
    assert identity_differences(_document()) == []
