"""Content controls (``w:sdt``) at block, run, row and cell level, also in headers:
their text is extracted; their properties are kept."""

from __future__ import annotations

from iris.docx import UnitKind
from iris.docx.verification.check import identity_differences
from tests.docx.builders import (
    Part,
    W,
    all_text,
    body_of,
    make_docx,
    one,
    p,
    r,
    story,
    translate,
    units_by_id,
)

PR = '<w:sdtPr><w:alias w:val="Title"/><w:id w:val="7"/></w:sdtPr>'
BLOCK = f"<w:sdt>{PR}<w:sdtContent>{p(r('Block control text.'))}</w:sdtContent></w:sdt>"
RUN = p(
    r("Dear ") + f"<w:sdt>{PR}<w:sdtContent>{r('customer')}</w:sdtContent></w:sdt>" + r(", hi.")
)
CELL = (
    '<w:tbl><w:tr><w:sdt><w:sdtPr><w:id w:val="8"/></w:sdtPr><w:sdtContent><w:tc>'
    f"{p(r('Cell control.'))}</w:tc></w:sdtContent></w:sdt></w:tr></w:tbl>"
)
HEADER = Part("word/header1.xml", "header", story("hdr", BLOCK.replace("Block", "Header")))


def _document() -> bytes:
    return make_docx(BLOCK + RUN + CELL, parts=[HEADER])


def test_every_level_of_content_control_is_extracted() -> None:
    units = units_by_id(_document())
    found = {(u.source, u.kind) for u in units.values()}
    assert ("Block control text.", UnitKind.CONTENT_CONTROL) in found
    assert ("Dear <g1>customer</g1>, hi.", UnitKind.BODY) in found
    assert ("Cell control.", UnitKind.TABLE_CELL) in found
    assert ("Header control text.", UnitKind.CONTENT_CONTROL) in found
    run_unit = next(u for u in units.values() if u.source.startswith("Dear"))
    assert run_unit.tags == {1: "content-control"}


def test_run_level_control_keeps_its_properties() -> None:
    output = translate(_document(), {"word/document.xml#p1.s0": "Liebe <g1>Kundin</g1>, hallo."})
    sdts = [
        s
        for s in body_of(output).iter(f"{{{W}}}sdt")
        if s.find(f"{{{W}}}sdtPr/{{{W}}}alias") is not None
    ]
    run_sdt = next(s for s in sdts if "Kundin" in all_text(s))
    assert one(run_sdt, f"{{{W}}}sdtPr/{{{W}}}id").get(f"{{{W}}}val") == "7"


def test_content_controls_round_trip_exactly() -> None:
    assert identity_differences(_document()) == []
