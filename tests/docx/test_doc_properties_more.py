"""Document properties by category (``Policy.properties``): core keywords, description
and category, app company and manager, custom string values (off by default)."""

from __future__ import annotations

import io
import zipfile
from typing import Literal

import pytest

from iris.docx import Policy, UnitKind
from tests.docx.attribute_checks import assert_all_translated, corpus_file, pseudo_round_trip
from tests.docx.builders import make_docx, p, r, read_part, translate, units_by_id

CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
CU = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
Category = Literal["core", "app", "custom"]
ALL: frozenset[Category] = frozenset({"core", "app", "custom"})

CORE = (
    f'<cp:coreProperties xmlns:cp="{CP}" xmlns:dc="{DC}">'
    "<dc:title>Annual report</dc:title><dc:subject>Finance</dc:subject>"
    "<dc:creator>Jane Doe</dc:creator><cp:keywords>budget; forecast</cp:keywords>"
    "<dc:description>Draft for the board &amp; auditors</dc:description>"
    "<cp:category>Internal reports</cp:category><cp:revision>3</cp:revision>"
    "</cp:coreProperties>"
)
APP = (
    f'<Properties xmlns="{EP}" xmlns:vt="{VT}"><Template>Normal.dotm</Template>'
    "<Application>Microsoft Office Word</Application>"
    '<TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>Annual report</vt:lpstr>'
    "</vt:vector></TitlesOfParts><Manager>Head of finance</Manager>"
    "<Company>Example Trading Company</Company></Properties>"
)
CUSTOM = (
    f'<Properties xmlns="{CU}" xmlns:vt="{VT}">'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Department">'
    "<vt:lpwstr>Accounting and payroll</vt:lpwstr></property>"
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="Reviewed">'
    "<vt:bool>true</vt:bool></property>"
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="4" name="Workflow state">'
    "<vt:lpwstr>Awaiting approval</vt:lpwstr></property></Properties>"
)


def _with_properties() -> bytes:
    """A generated document whose package also has app and custom properties."""
    data = make_docx(p(r("The body text.")))
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            text = source.read(name).decode()
            if name == "[Content_Types].xml":
                text = text.replace(
                    "</Types>",
                    '<Override PartName="/docProps/app.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.extended-properties+xml"/>'
                    '<Override PartName="/docProps/custom.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>',
                )
            elif name == "_rels/.rels":
                text = text.replace(
                    "</Relationships>",
                    f'<Relationship Id="rIdApp" Type="{REL}extended-properties" '
                    'Target="docProps/app.xml"/>'
                    f'<Relationship Id="rIdCustom" Type="{REL}custom-properties" '
                    'Target="docProps/custom.xml"/></Relationships>',
                )
            elif name == "docProps/core.xml":
                text = text[: text.index("<cp:coreProperties")] + CORE
            archive.writestr(name, text)
        archive.writestr("docProps/app.xml", APP)
        archive.writestr("docProps/custom.xml", CUSTOM)
    return buffer.getvalue()


def _properties(data: bytes, policy: Policy | None = None) -> dict[str, str]:
    units = units_by_id(data, policy=policy or Policy())
    return {uid: u.plain for uid, u in units.items() if u.kind is UnitKind.PROPERTY}


def test_default_reads_core_and_app_but_not_custom_properties() -> None:
    assert _properties(_with_properties()) == {
        "docProps/core.xml#title": "Annual report",
        "docProps/core.xml#subject": "Finance",
        "docProps/core.xml#description": "Draft for the board & auditors",
        "docProps/core.xml#keywords": "budget; forecast",
        "docProps/core.xml#category": "Internal reports",
        "docProps/app.xml#Company": "Example Trading Company",
        "docProps/app.xml#Manager": "Head of finance",
    }


@pytest.mark.parametrize(
    ("categories", "parts"),
    [
        (frozenset[Category](), set()),
        (frozenset[Category]({"core"}), {"docProps/core.xml"}),
        (frozenset[Category]({"app"}), {"docProps/app.xml"}),
        (frozenset[Category]({"custom"}), {"docProps/custom.xml"}),
        (ALL, {"docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"}),
    ],
)
def test_each_category_is_its_own_switch(categories: frozenset[Category], parts: set[str]) -> None:
    found = _properties(_with_properties(), Policy(properties=categories))
    assert {uid.partition("#")[0] for uid in found} == parts


def test_custom_properties_give_string_values_only_never_names() -> None:
    units = units_by_id(_with_properties(), policy=Policy(properties=ALL))
    custom = {uid: u for uid, u in units.items() if uid.startswith("docProps/custom.xml")}
    assert {uid: u.plain for uid, u in custom.items()} == {
        "docProps/custom.xml#pid2": "Accounting and payroll",
        "docProps/custom.xml#pid4": "Awaiting approval",
    }
    assert custom["docProps/custom.xml#pid4"].location == "custom property Workflow state"


def test_apply_writes_values_and_keeps_names_and_other_properties() -> None:
    targets = {
        "docProps/core.xml#keywords": "Budget; Prognose",
        "docProps/core.xml#category": "Interne Berichte &amp; Notizen",
        "docProps/app.xml#Company": "Beispiel Handelsgesellschaft",
        "docProps/custom.xml#pid2": "Buchhaltung &lt;Lohn&gt;",
    }
    output = translate(_with_properties(), targets, policy=Policy(properties=ALL))
    core = read_part(output, "docProps/core.xml")
    assert core.findtext(f"{{{CP}}}keywords") == "Budget; Prognose"
    assert core.findtext(f"{{{CP}}}category") == "Interne Berichte & Notizen"
    assert core.findtext(f"{{{DC}}}creator") == "Jane Doe"
    app = read_part(output, "docProps/app.xml")
    assert app.findtext(f"{{{EP}}}Company") == "Beispiel Handelsgesellschaft"
    assert app.findtext(f"{{{EP}}}Manager") == "Head of finance"
    assert app.findtext(f".//{{{VT}}}lpstr") == "Annual report"
    custom = read_part(output, "docProps/custom.xml")
    assert [(c.get("name"), c[0].text) for c in custom] == [
        ("Department", "Buchhaltung <Lohn>"),
        ("Reviewed", "true"),
        ("Workflow state", "Awaiting approval"),
    ]


def test_custom_values_stay_untouched_by_default() -> None:
    output = translate(_with_properties(), {"docProps/custom.xml#pid2": "Buchhaltung"})
    custom = read_part(output, "docProps/custom.xml")
    assert custom[0][0].text == "Accounting and payroll"


def test_generated_document_round_trips_with_every_category() -> None:
    pairs = pseudo_round_trip(_with_properties(), {UnitKind.PROPERTY}, Policy(properties=ALL))
    assert len(pairs) == 9
    assert_all_translated(pairs)


def test_corpus_keywords_category_company_and_custom_value_are_translated() -> None:
    """oxmlsdk__complex0.docx: keywords, description, category, Company and one custom
    string property ("Microsoft Theme" = "citrus 011")."""
    data = corpus_file("oxmlsdk__complex0.docx")
    pairs = pseudo_round_trip(data, {UnitKind.PROPERTY}, Policy(properties=ALL))
    assert {uid: texts[0] for uid, texts in pairs.items()} == {
        "docProps/core.xml#title": "Word Complex Document ",
        "docProps/core.xml#subject": "Perf. testing",
        "docProps/core.xml#description": "Watermark added by IanF",
        "docProps/core.xml#keywords": "Complex;Performance",
        "docProps/core.xml#category": "Word Perf. Complex",
        "docProps/app.xml#Company": "Microsoft",
        "docProps/custom.xml#pid2": "citrus 011",
    }
    assert_all_translated(pairs)
