"""Content controls bound to XML data (``w:dataBinding``): the bound node of a custom
XML part (or of the core properties) receives the control's translated text, since Word
refills a bound control from its node when it opens the document. A node that holds a
value rather than the shown text (an ISO date, a dropdown item's value) and a path that
is not a simple one are left and reported."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from iris.docx import open_document
from iris.docx.text.pseudo import pseudo_targets
from iris.docx.verification.check import identity_differences
from tests.docx.builders import NAMESPACES, make_docx, p, r, read_part
from tests.docx.conftest import corpus_dir, require_corpus

STORE = "{1A2B3C4D-0000-4000-8000-00000000ABCD}"
ORDER_NS = "urn:example:order"
ITEM = (
    f'<order xmlns="{ORDER_NS}" status="Waiting for payment">'
    "<customer>Joe Bloggs ordered apples.</customer>"
    "<due>March 12, 2024</due><empty/><shipped>2024-03-12T00:00:00Z</shipped>"
    "<method>express</method><note>Leave the parcel at the door.</note>"
    "<items><item>Pears</item><item>Plums</item></items></order>"
)
PROPS = (
    '<ds:datastoreItem xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/'
    f'customXml" ds:itemID="{STORE}"><ds:schemaRefs/></ds:datastoreItem>'
)
ITEM_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/customXmlProps" Target="itemProps1.xml"/></Relationships>'
)
MAPPING = f"xmlns:ns0='{ORDER_NS}'"


def control(xpath: str, text: str, kind: str = "<w:text/>", store: str = STORE) -> str:
    """A block-level content control bound to ``xpath`` showing ``text``."""
    binding = (
        f'<w:dataBinding w:prefixMappings="{MAPPING}" w:xpath="{xpath}" w:storeItemID="{store}"/>'
    )
    properties = f"<w:sdtPr>{binding}{kind}</w:sdtPr>"
    return f"<w:sdt>{properties}<w:sdtContent>{p(r(text))}</w:sdtContent></w:sdt>"


DATE = '<w:date w:fullDate="2024-03-12T00:00:00Z"><w:dateFormat w:val="d MMMM yyyy"/></w:date>'
DROPDOWN = (
    '<w:dropDownList><w:listItem w:displayText="Express delivery" w:value="express"/>'
    '<w:listItem w:displayText="Standard delivery" w:value="standard"/></w:dropDownList>'
)
COMBO = '<w:comboBox><w:listItem w:displayText="Ring the bell" w:value="bell"/></w:comboBox>'
BODY = (
    control("/ns0:order[1]/ns0:customer[1]", "Joe Bloggs ordered apples.")
    + control("/ns0:order[1]/ns0:customer[1]", "Joe Bloggs ordered apples.")
    + control("/ns0:order[1]/ns0:due[1]", "March 12, 2024", DATE)
    + control("/ns0:order[1]/ns0:shipped[1]", "12 March 2024", DATE)
    + control("/ns0:order[1]/ns0:method[1]", "Express delivery", DROPDOWN)
    + control("/ns0:order[1]/ns0:note[1]", "Leave the parcel at the door.", COMBO)
    + control("/ns0:order[1]/@status", "Waiting for payment")
    + control("/ns0:order[1]/ns0:items/ns0:item[last()]", "Plums are sweet.")
    + control(
        "/ns0:coreProperties[1]/ns1:subject[1]",
        "Testing subject",
        store="{6C3C8BC8-F283-45AE-878A-BAB7291924A1}",
    ).replace(MAPPING, f"xmlns:ns0='{NAMESPACES['cp']}' xmlns:ns1='{NAMESPACES['dc']}'")
)


def bound_document(body: str = BODY) -> bytes:
    """A document with one custom XML part (``customXml/item1.xml``) and ``body``."""
    data = make_docx(body)
    extra = {
        "customXml/item1.xml": ITEM,
        "customXml/itemProps1.xml": PROPS,
        "customXml/_rels/item1.xml.rels": ITEM_RELS,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as out:
        for info in source.infolist():
            out.writestr(info, source.read(info.filename))
        for name, text in extra.items():
            out.writestr(name, text)
    return buffer.getvalue()


def pseudo_translated(data: bytes) -> tuple[bytes, list[str], dict[str, object]]:
    document = open_document(data)
    output = document.apply(pseudo_targets(document.units()), "de")
    changes = document.policy_changes()
    return output, changes.bindings_left, changes.as_json()


def order_value(data: bytes, path: str) -> str:
    found = read_part(data, "customXml/item1.xml").xpath(path, namespaces={"o": ORDER_NS})
    assert isinstance(found, list)
    assert len(found) == 1
    value = found[0]
    return value if isinstance(value, str) else (value.text or "")  # type: ignore[union-attr]


def shown(data: bytes, source: str) -> str:
    """The translated text of the first control that showed ``source``."""
    document = open_document(data)
    targets = pseudo_targets(document.units())
    unit = next(u for u in document.units() if u.plain == source)
    return targets[unit.id]


def test_plain_text_node_gets_the_translation() -> None:
    data = bound_document()
    output, _, _ = pseudo_translated(data)
    expected = shown(data, "Joe Bloggs ordered apples.")
    assert order_value(output, "/o:order/o:customer") == expected != "Joe Bloggs ordered apples."


def test_date_node_holding_the_shown_text_gets_the_translation() -> None:
    data = bound_document()
    output, _, _ = pseudo_translated(data)
    assert order_value(output, "/o:order/o:due") == shown(data, "March 12, 2024")


def test_attribute_node_gets_the_translation() -> None:
    data = bound_document()
    output, _, _ = pseudo_translated(data)
    assert order_value(output, "/o:order/@status") == shown(data, "Waiting for payment")


def test_combo_box_free_text_gets_the_translation() -> None:
    data = bound_document()
    output, _, _ = pseudo_translated(data)
    expected = shown(data, "Leave the parcel at the door.")
    assert order_value(output, "/o:order/o:note") == expected


def test_values_are_kept_and_the_date_value_is_reported() -> None:
    output, left, _ = pseudo_translated(bound_document())
    # Word formats the ISO date and maps the item value to its (translated) display text.
    assert order_value(output, "/o:order/o:shipped") == "2024-03-12T00:00:00Z"
    assert order_value(output, "/o:order/o:method") == "express"
    assert any("ns0:shipped" in line and "holds a value" in line for line in left)
    assert not any("ns0:method" in line for line in left)


def test_a_path_that_is_not_simple_is_left_and_reported() -> None:
    output, left, _ = pseudo_translated(bound_document())
    assert order_value(output, "/o:order/o:items/o:item[2]") == "Plums"
    assert any("item[last()]" in line and "not a simple" in line for line in left)


def test_core_property_binding_is_written() -> None:
    data = bound_document()
    output, _, _ = pseudo_translated(data)
    subject = read_part(output, "docProps/core.xml").find(f"{{{NAMESPACES['dc']}}}subject")
    assert subject is not None
    assert subject.text == shown(data, "Testing subject")


def test_one_node_is_written_once_and_counted() -> None:
    _, left, compact = pseudo_translated(bound_document())
    # customer (two controls, one node), due, note, status, subject
    assert compact["data_bindings"] == {"updated": 5, "left": len(left)}
    assert len(left) == 2


def test_controls_that_disagree_keep_the_first_translation() -> None:
    document = open_document(bound_document())
    first, second = (u for u in document.units() if u.plain == "Joe Bloggs ordered apples.")
    output = document.apply({first.id: "Erste.", second.id: "Zweite."}, "de")
    assert order_value(output, "/o:order/o:customer") == "Erste."
    assert any("wrote first" in line for line in document.policy_changes().bindings_left)


def test_nothing_translated_changes_nothing() -> None:
    data = bound_document()
    assert identity_differences(data) == []
    document = open_document(data)
    output = document.apply({}, "de")
    assert read_part(output, "customXml/item1.xml").xpath("string(.)") == etree.fromstring(
        ITEM
    ).xpath("string(.)")
    assert document.policy_changes().as_json() == {}


@pytest.mark.parametrize(
    ("name", "path", "source"),
    [
        ("docx4j__invoice.docx", "customXml/item3.xml", "Joe Bloggs"),
        ("oxmlsdk__Complex01.docx", "customXml/item1.xml", "This is my interesting abstract"),
    ],
)
def test_corpus_bound_nodes_get_the_translation(name: str, path: str, source: str) -> None:
    found = corpus_dir() / name
    data = require_corpus(found if found.is_file() else None).read_bytes()
    before = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(path))
    output, left, compact = pseudo_translated(data)
    after = read_part(output, path)
    old = [e for e in before.iter() if (e.text or "").strip() == source]
    assert len(old) == 1
    new = after.getroottree().xpath(before.getroottree().getpath(old[0]))
    assert isinstance(new, list)
    assert len(new) == 1
    assert isinstance(new[0], etree._Element)
    assert new[0].text not in (None, source)
    assert compact["data_bindings"]["updated"] >= 1  # type: ignore[index]
    assert left == []


def test_empty_node_of_a_control_showing_its_placeholder_is_left_silently() -> None:
    placeholder = control("/ns0:order[1]/ns0:empty[1]", "Click here to enter text.").replace(
        "<w:text/>", "<w:showingPlcHdr/><w:text/>"
    )
    data = bound_document(placeholder)
    output, left, compact = pseudo_translated(data)
    assert order_value(output, "/o:order/o:empty") == ""
    assert left == []
    assert compact == {}
