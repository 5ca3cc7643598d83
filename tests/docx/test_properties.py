"""Core document properties (title, subject, description) are units; applying a
translation writes them and sets ``dc:language``."""

from __future__ import annotations

from iris.docx import UnitKind
from tests.docx.builders import NAMESPACES, make_docx, p, r, read_part, translate, units_by_id

DC = NAMESPACES["dc"]


def test_title_and_subject_are_property_units() -> None:
    units = units_by_id(make_docx(p(r("Body.")), title="Annual &amp; final report"))
    title = units["docProps/core.xml#title"]
    assert (title.kind, title.source, title.plain) == (
        UnitKind.PROPERTY,
        "Annual &amp; final report",
        "Annual & final report",
    )
    assert units["docProps/core.xml#subject"].source == "Testing subject"


def test_apply_writes_properties_and_language() -> None:
    data = make_docx(p(r("Body.")))
    output = translate(data, {"docProps/core.xml#title": "Testdokument &lt;1&gt;"}, "de")
    core = read_part(output, "docProps/core.xml")
    assert core.findtext(f"{{{DC}}}title") == "Testdokument <1>"
    assert core.findtext(f"{{{DC}}}subject") == "Testing subject"
    assert core.findtext(f"{{{DC}}}language") == "de-DE"
