"""Watermark and WordArt text (``v:textpath/@string``), list items of dropdown and
combo-box content controls (display text only), legacy dropdown entries (opt-in) and
legacy form-field help and status texts, each behind its `Policy` switch."""

from __future__ import annotations

from iris.docx import Policy, UnitKind, find_leftovers
from tests.docx.attribute_checks import assert_all_translated, corpus_file, pseudo_round_trip
from tests.docx.builders import (
    NAMESPACES,
    Part,
    make_docx,
    one,
    p,
    r,
    read_part,
    story,
    translate,
    units_by_id,
    xpath,
)

V = NAMESPACES["v"]
W = NAMESPACES["w"]
BODY = "word/document.xml"
HEADER = "word/header1.xml"

WATERMARK = (
    "<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val='Watermarks'/>"
    "</w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:r><w:pict>"
    '<v:shape id="PowerPlusWaterMarkObject1" style="position:absolute;width:400pt">'
    '<v:fill opacity=".5"/><v:textpath style="font-family:Calibri" '
    'string="CONFIDENTIAL &amp; &quot;DRAFT&quot;"/></v:shape>'
    "</w:pict></w:r></w:p></w:sdtContent></w:sdt>"
)
DROPDOWN = (
    "<w:sdt><w:sdtPr><w:alias w:val='Region'/><w:dropDownList>"
    '<w:listItem w:value=""/>'
    '<w:listItem w:displayText="Northern region" w:value="NORTH"/>'
    '<w:listItem w:displayText="Southern region" w:value="SOUTH"/>'
    "</w:dropDownList></w:sdtPr><w:sdtContent>" + r("Northern region") + "</w:sdtContent></w:sdt>"
)
COMBO = (
    "<w:sdt><w:sdtPr><w:comboBox>"
    '<w:listItem w:displayText="Choose an item." w:value=""/>'
    '<w:listItem w:displayText="Very satisfied" w:value="5"/>'
    "</w:comboBox></w:sdtPr><w:sdtContent>" + r("Choose an item.") + "</w:sdtContent></w:sdt>"
)
LEGACY = (
    '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Dropdown1"/>'
    '<w:enabled/><w:calcOnExit w:val="0"/>'
    '<w:helpText w:type="text" w:val="Pick the office you work in."/>'
    '<w:statusText w:type="text" w:val="Office of the employee"/>'
    '<w:ddList><w:result w:val="1"/><w:listEntry w:val="Head office"/>'
    '<w:listEntry w:val="Branch office"/></w:ddList></w:ffData></w:fldChar></w:r>'
    '<w:r><w:instrText xml:space="preserve"> FORMDROPDOWN </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
)
AUTOTEXT = (
    '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Text1"/><w:enabled/>'
    '<w:helpText w:type="autoText" w:val="Signature block"/><w:textInput/></w:ffData>'
    '</w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> FORMTEXT </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    + r("Your name")
    + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
)


def _document() -> bytes:
    header = Part(HEADER, "header", story("hdr", p(r("Header text.")) + WATERMARK))
    body = (
        p(r("Region: ") + DROPDOWN)
        + p(r("Satisfaction: ") + COMBO)
        + p(r("Office: ") + LEGACY)
        + p(r("Name: ") + AUTOTEXT)
    )
    return make_docx(body, parts=[header])


def _of(data: bytes, kind: UnitKind, policy: Policy | None = None) -> dict[str, str]:
    units = units_by_id(data, policy=policy or Policy())
    return {uid: u.plain for uid, u in units.items() if u.kind is kind}


def test_watermark_text_is_a_unit_written_back_into_the_textpath() -> None:
    data = _document()
    assert _of(data, UnitKind.WATERMARK) == {
        f"{HEADER}#textpath0@string": 'CONFIDENTIAL & "DRAFT"',
    }
    output = translate(data, {f"{HEADER}#textpath0@string": "VERTRAULICH &amp; &lt;ENTWURF&gt;"})
    textpath = one(read_part(output, HEADER), f".//{{{V}}}textpath")
    assert textpath.get("string") == "VERTRAULICH & <ENTWURF>"
    assert textpath.get("style") == "font-family:Calibri"


def test_watermarks_switched_off() -> None:
    data = _document()
    policy = Policy(watermarks=False)
    assert _of(data, UnitKind.WATERMARK, policy) == {}
    output = translate(data, {f"{HEADER}#textpath0@string": "VERTRAULICH"}, policy=policy)
    textpath = one(read_part(output, HEADER), f".//{{{V}}}textpath")
    assert textpath.get("string") == 'CONFIDENTIAL & "DRAFT"'


def test_list_items_give_display_texts_and_never_values() -> None:
    data = _document()
    assert _of(data, UnitKind.LIST_ITEM) == {
        f"{BODY}#listItem1@displayText": "Northern region",
        f"{BODY}#listItem2@displayText": "Southern region",
        f"{BODY}#listItem3@displayText": "Choose an item.",
        f"{BODY}#listItem4@displayText": "Very satisfied",
    }
    targets = {
        f"{BODY}#listItem1@displayText": "Nordregion",
        f"{BODY}#listItem4@displayText": "Sehr zufrieden",
    }
    items = xpath(read_part(translate(data, targets), BODY), "//w:listItem")
    assert [(i.get(f"{{{W}}}displayText"), i.get(f"{{{W}}}value")) for i in items] == [
        (None, ""),
        ("Nordregion", "NORTH"),
        ("Southern region", "SOUTH"),
        ("Choose an item.", ""),
        ("Sehr zufrieden", "5"),
    ]


def test_list_items_switched_off() -> None:
    assert _of(_document(), UnitKind.LIST_ITEM, Policy(list_items=False)) == {}


def test_legacy_dropdown_entries_are_values_and_read_only_when_asked() -> None:
    data = _document()
    policy = Policy(legacy_list_entries=True)
    assert _of(data, UnitKind.LIST_ITEM, Policy(list_items=False)) == {}
    assert _of(data, UnitKind.LIST_ITEM, Policy(list_items=False, legacy_list_entries=True)) == {
        f"{BODY}#listEntry0@val": "Head office",
        f"{BODY}#listEntry1@val": "Branch office",
    }
    output = translate(data, {f"{BODY}#listEntry1@val": "Filiale"}, policy=policy)
    root = read_part(output, BODY)
    assert [e.get(f"{{{W}}}val") for e in xpath(root, "//w:listEntry")] == [
        "Head office",
        "Filiale",
    ]
    assert one(root, f".//{{{W}}}ddList/{{{W}}}result").get(f"{{{W}}}val") == "1"


def test_form_help_and_status_texts_but_not_autotext_names() -> None:
    data = _document()
    assert _of(data, UnitKind.FORM_HELP) == {
        f"{BODY}#helpText0@val": "Pick the office you work in.",
        f"{BODY}#statusText0@val": "Office of the employee",
    }
    assert _of(data, UnitKind.FORM_HELP, Policy(form_help=False)) == {}


def test_form_help_translations_are_cut_to_the_schema_lengths() -> None:
    targets = {f"{BODY}#helpText0@val": "H" * 300, f"{BODY}#statusText0@val": "S" * 300}
    root = read_part(translate(_document(), targets), BODY)
    help_text = one(root, f".//{{{W}}}helpText").get(f"{{{W}}}val") or ""
    status = one(root, f".//{{{W}}}statusText").get(f"{{{W}}}val") or ""
    assert (len(help_text), len(status)) == (256, 140)


def test_generated_document_round_trips_and_translates_every_new_kind() -> None:
    kinds = {UnitKind.WATERMARK, UnitKind.LIST_ITEM, UnitKind.FORM_HELP}
    policy = Policy(legacy_list_entries=True)
    pairs = pseudo_round_trip(_document(), kinds, policy)
    assert len(pairs) == 9
    assert_all_translated(pairs)


def test_corpus_watermark_and_dropdown_items_are_translated() -> None:
    """oxmlsdk__Complex01.docx: a "CONFIDENTIAL" watermark in header2.xml and two
    dropdown/combo-box controls with three display texts each."""
    data = corpus_file("oxmlsdk__Complex01.docx")
    pairs = pseudo_round_trip(data, {UnitKind.WATERMARK, UnitKind.LIST_ITEM})
    assert pairs["word/header2.xml#textpath1@string"][0] == "CONFIDENTIAL"
    assert sorted(texts[0] for uid, texts in pairs.items() if "listItem" in uid) == sorted(
        ["One", "Two", "Three"] * 2
    )
    assert_all_translated(pairs)


def test_corpus_strict_watermark_and_list_items_are_translated() -> None:
    """oxmlsdk__Strict01.docx: the same content in Strict OOXML namespaces."""
    data = corpus_file("oxmlsdk__Strict01.docx")
    pairs = pseudo_round_trip(data, {UnitKind.WATERMARK, UnitKind.LIST_ITEM})
    assert len(pairs) == 7
    assert_all_translated(pairs)


def test_corpus_content_control_list_of_34_items() -> None:
    """pandoc__sdt_elements.docx: a dropdown whose first item has a value and no display
    text (it stays), and 33 items with display texts."""
    data = corpus_file("pandoc__sdt_elements.docx")
    pairs = pseudo_round_trip(data, {UnitKind.LIST_ITEM})
    assert len(pairs) == 33
    assert "word/document.xml#listItem0@displayText" not in pairs
    assert_all_translated(pairs)


def test_the_leftover_check_reads_watermarks_while_they_are_extracted() -> None:
    data = _document()
    untranslated = translate(data, {})  # nothing written: every text left as it was
    left = left_in(data, untranslated)
    assert {(HEADER, "CONFIDENTIAL"), (HEADER, "DRAFT")} <= left
    translated = translate(data, {f"{HEADER}#textpath0@string": "VERTRAULICH"})
    assert not {text for part, text in left_in(data, translated) if part == HEADER} & {
        "CONFIDENTIAL",
        "DRAFT",
    }
    # Switched off, a watermark is neither extracted nor read by the check.
    off = Policy(watermarks=False)
    assert not {text for _, text in left_in(data, untranslated, off)} & {"CONFIDENTIAL"}


def left_in(source: bytes, output: bytes, policy: Policy | None = None) -> set[tuple[str, str]]:
    return {(found.part, found.text) for found in find_leftovers(source, output, policy)}


def _linked() -> bytes:
    link = (
        '<w:hyperlink r:id="rIdLink" w:tooltip="Open the user manual" w:history="1">'
        + r("the manual")
        + "</w:hyperlink>"
    )
    anchor = '<w:hyperlink w:anchor="intro">' + r("Introduction") + "</w:hyperlink>"
    return make_docx(p(r("Read ") + link + r(".")) + p(anchor))


def test_hyperlink_tooltips_are_units_written_back_and_never_the_address() -> None:
    data = _linked()
    assert _of(data, UnitKind.FIELD_TEXT) == {f"{BODY}#hyperlink0@tooltip": "Open the user manual"}
    output = translate(data, {f"{BODY}#hyperlink0@tooltip": "Das Handbuch öffnen"})
    first, second = xpath(read_part(output, BODY), "//w:hyperlink")
    assert first.get(f"{{{W}}}tooltip") == "Das Handbuch öffnen"
    assert first.get(f"{{{NAMESPACES['r']}}}id") == "rIdLink"
    assert second.get(f"{{{W}}}anchor") == "intro"
    no_links = Policy(field_literals=frozenset({"FILLIN"}))
    assert _of(data, UnitKind.FIELD_TEXT, no_links) == {}
