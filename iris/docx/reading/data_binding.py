"""Content controls bound to XML data: the bound node gets the control's translation.

A content control with ``w:sdtPr/w:dataBinding`` shows the value of one node of an XML
data store: a custom XML part (``customXml/itemN.xml``, named by the ``ds:itemID`` of
its ``customXml/itemPropsN.xml``) or the core or extended properties part. Word refills
the control from that node when it opens the document, so a translated control whose
node still holds the source text shows the source again. `find_bindings` records each
bound control's plain text after normalisation; `write_bindings`, after the paragraphs
are rewritten, puts the control's new plain text into its node.

Rules (each case left alone is reported, never guessed):

* A node is written only when it holds exactly the control's source text: otherwise
  the node is a value the control formats (a date picker's ISO date, a dropdown's item
  value) or a placeholder is shown, and Word does not show the node's text verbatim.
  A dropdown or combo box whose node holds the value of one of its list items is left
  as it is: Word shows that item's display text (translated under ``list_items``); so
  is an empty node of a control showing its placeholder (``w:showingPlcHdr``).
* Only simple paths are evaluated: ``/a[1]/b/c[2]`` with prefixes from
  ``w:prefixMappings``, optionally ending in ``/@attr``; the path must select one
  element without child elements, or one attribute.
* Several controls bound to one node write it once; when their translations differ,
  the first in document order wins and the others are reported.
* Rich-text controls bound to XML (Word 2013's ``w15:dataBinding``) are not rewritten:
  their node holds the content as an escaped flat-OPC package, which the library does
  not write. They are reported; Word may show their source content.
* A core property that is also extracted as a ``property`` unit ends with that unit's
  translation (values are written after bindings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from iris.docx.opc.names import word_names_for
from iris.docx.opc.package import Package

CORE_PROPERTIES_ID = "{6C3C8BC8-F283-45AE-878A-BAB7291924A1}"
EXTENDED_PROPERTIES_ID = "{6668398D-A668-4E3E-A5EB-62B293D839F1}"
DS_NAMESPACES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/customXml",
    "http://purl.oclc.org/ooxml/officeDocument/customXml",
)
W15_NS = "http://schemas.microsoft.com/office/word/2012/wordml"
_W15_BINDING = f"{{{W15_NS}}}dataBinding"
_PREFIX = re.compile(r"xmlns:([A-Za-z_][\w.-]*)\s*=\s*(['\"])(.*?)\2")
_NAME = r"(?:[A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*"
_SIMPLE_PATH = re.compile(rf"(?:/{_NAME}(?:\[\d+\])?)+(?:/@{_NAME})?")


@dataclass(frozen=True)
class Binding:
    """One bound control: where it is (its rank among a part's bound controls), what it
    binds to, and its plain text when the document was read."""

    part: str
    rank: int
    store: str
    xpath: str
    prefixes: dict[str, str]
    source: str
    list_values: frozenset[str] = frozenset()
    placeholder: bool = False


@dataclass
class BindingReport:
    """What `write_bindings` did: nodes written and controls left, with the reason."""

    updated: int = 0
    left: list[str] = field(default_factory=list)


def find_bindings(package: Package, parts: list[str]) -> tuple[list[Binding], list[str]]:
    """Bound controls of the story ``parts`` and the rich-text bindings left alone."""
    found: list[Binding] = []
    rich: list[str] = []
    for part in parts:
        root = package.xml(part)
        names = word_names_for(root.tag)
        for rank, sdt in enumerate(_bound_controls(root, names.q("dataBinding"))):
            binding = _binding(part, rank, sdt, names.q("dataBinding"))
            if binding is not None:
                found.append(binding)
        for element in root.iter(_W15_BINDING):
            xpath = element.get(f"{{{W15_NS}}}xpath", "")
            rich.append(f"{part}: rich-text control bound to {xpath!r} not rewritten")
    return found, rich


def _bound_controls(root: etree._Element, tag: str) -> list[etree._Element]:
    controls = []
    for element in root.iter(tag):
        properties = element.getparent()
        sdt = properties.getparent() if properties is not None else None
        if sdt is not None:
            controls.append(sdt)
    return controls


def _binding(part: str, rank: int, sdt: etree._Element, tag: str) -> Binding | None:
    names = word_names_for(sdt.tag)
    element = sdt.find(f"{names.sdtPr}/{tag}")
    if element is None:
        return None
    properties = element.getparent()
    assert properties is not None
    values = frozenset(
        item.get(names.q("value"), "") for item in properties.iter(names.q("listItem"))
    )
    return Binding(
        part,
        rank,
        element.get(names.q("storeItemID"), "").upper(),
        element.get(names.q("xpath"), ""),
        _prefixes(element.get(names.q("prefixMappings"), "")),
        control_text(sdt),
        values,
        properties.find(names.q("showingPlcHdr")) is not None,
    )


def _prefixes(mappings: str) -> dict[str, str]:
    return {prefix: uri for prefix, _, uri in _PREFIX.findall(mappings)}


def control_text(sdt: etree._Element) -> str:
    """A control's plain text: its ``w:t`` texts, tabs, breaks and paragraph ends."""
    names = word_names_for(sdt.tag)
    content = sdt.find(names.sdtContent)
    if content is None:
        return ""
    pieces: list[str] = []
    for element in content.iter(names.t, names.tab, names.br, names.cr, names.p):
        if element.tag == names.t:
            pieces.append(element.text or "")
        elif element.tag == names.p:
            if pieces:
                pieces.append("\n")
        else:
            pieces.append("\t" if element.tag == names.tab else "\n")
    return "".join(pieces)


def write_bindings(package: Package, bindings: list[Binding]) -> tuple[BindingReport, set[str]]:
    """Write the translated text of each bound control into its node.

    Returns what was done and the data-store parts changed (to be re-serialised).
    """
    report = BindingReport()
    changed = [(b, text) for b, text in _current_texts(package, bindings) if text != b.source]
    if not changed:
        return report, set()
    stores = _data_stores(package)
    written: dict[tuple[etree._Element, str], str] = {}
    modified: set[str] = set()
    for binding, text in changed:
        problem = _write_one(package, stores, binding, text, written, modified)
        if problem:
            report.left.append(f"{binding.part}: control bound to {binding.xpath!r} {problem}")
    report.updated = len(written)
    return report, modified


def _current_texts(package: Package, bindings: list[Binding]) -> list[tuple[Binding, str]]:
    controls: dict[str, list[etree._Element]] = {}
    found = []
    for binding in bindings:
        if binding.part not in controls:
            root = package.xml(binding.part)
            controls[binding.part] = _bound_controls(
                root, word_names_for(root.tag).q("dataBinding")
            )
        in_part = controls[binding.part]
        if binding.rank < len(in_part):
            found.append((binding, control_text(in_part[binding.rank])))
    return found


def _write_one(
    package: Package,
    stores: dict[str, str],
    binding: Binding,
    text: str,
    written: dict[tuple[etree._Element, str], str],
    modified: set[str],
) -> str:
    store = stores.get(binding.store)
    if store is None:
        return f"left: no data store {binding.store or '(unnamed)'} in the package"
    if not _SIMPLE_PATH.fullmatch(binding.xpath):
        return "left: the path is not a simple element or attribute path"
    node = _node(package.xml(store), binding)
    if node is None:
        return "left: the path does not select one text node"
    element, attribute = node
    key = (element, attribute or "")  # the key keeps the proxy, so it stays the same
    if key in written:
        return "" if written[key] == text else "left: another control bound there wrote first"
    current = element.text or "" if attribute is None else element.get(attribute, "")
    if current in binding.list_values:
        return ""  # Word shows the display text of the item with this value
    if binding.placeholder and not current:
        return ""  # Word shows the placeholder text (a glossary building block)
    if current != binding.source:
        return "left: the node holds a value, not the control's text"
    if attribute is None:
        element.text = text
    else:
        element.set(attribute, text)
    written[key] = text
    modified.add(store)
    return ""


def _node(root: etree._Element, binding: Binding) -> tuple[etree._Element, str | None] | None:
    try:
        result = root.getroottree().xpath(binding.xpath, namespaces=binding.prefixes)
    except etree.XPathError:
        return None
    if not isinstance(result, list) or len(result) != 1:
        return None
    found = result[0]
    if isinstance(found, etree._Element):
        return None if len(found) else (found, None)
    if isinstance(found, str) and getattr(found, "is_attribute", False):
        parent = found.getparent()  # type: ignore[attr-defined]
        return (parent, found.attrname) if parent is not None else None  # type: ignore[attr-defined]
    return None


def _data_stores(package: Package) -> dict[str, str]:
    """Store item id (upper case) -> part name, for custom XML and property parts."""
    stores: dict[str, str] = {}
    for suffix, store_id in (
        ("core-properties", CORE_PROPERTIES_ID),
        ("extended-properties", EXTENDED_PROPERTIES_ID),
    ):
        for name in package.related("", suffix):
            stores[store_id] = name
    for name in list(package.names):
        if not name.lower().startswith("customxml/") or "/_rels/" in name.lower():
            continue
        for props in package.related(name, "customXmlProps"):
            item_id = _item_id(package.xml(props))
            if item_id:
                stores.setdefault(item_id, name)
    return stores


def _item_id(properties: etree._Element) -> str:
    for ns in DS_NAMESPACES:
        found = properties.get(f"{{{ns}}}itemID")
        if found:
            return found.upper()
    return ""
