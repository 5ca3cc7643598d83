"""Text that lives in XML attributes of story parts, read as value units.

Each switch of the `Policy` adds one family; every value is a `ValueEntry` whose
``attribute`` names where the translation is written (lxml escapes it), so one
mechanism serves them all:

* ``alt_text``: ``@descr`` and ``@title`` of ``wp:docPr`` and of the ``cNvPr`` of
  pictures, shapes and groups (pictures, shapes, charts, SmartArt), and the ``@alt`` and
  ``@title`` of VML shapes. ``v:imagedata/@o:title`` is not alt text (Word writes the
  picture's original file name there) and ``@name`` is an identifier: both stay. Older
  Word versions wrote the picture's path or file name as its description
  (``C:\\…\\logo.png``, ``mohr_result``): an alt text that is a URL, a path, a file
  name with an extension or one token joined by underscores is a unit marked not
  translatable.
* ``watermarks``: ``v:textpath/@string``, the text of WordArt and of watermarks (a
  watermark is such a shape in a header).
* ``list_items``: ``w:listItem/@w:displayText`` of dropdown and combo-box content
  controls, never ``@w:value`` (what the control stores, and what data binding or
  macros read). ``legacy_list_entries``: ``w:ddList/w:listEntry/@w:val`` of legacy
  dropdown form fields, where the entry is the value too (off by default).
* ``form_help``: ``w:ffData/w:helpText/@w:val`` and ``w:statusText/@w:val`` of legacy
  form fields, unless ``@w:type`` is ``autoText`` (the value names an AutoText entry
  then). Their translations are cut to the schema's lengths (256 and 140 characters).
* ``HYPERLINK`` in ``field_literals``: ``w:hyperlink/@w:tooltip``, the screen tip of a
  link, as the ``\\o`` tooltip of a HYPERLINK field is (never the address or anchor).

Unit ids are ``<part>#<element><n>@<attribute>``, ``n`` counting the part's elements of
that local name in document order, so they are stable for the same input and for
its translation. A text repeated in one object (the ``pic:cNvPr`` description that
repeats the ``wp:docPr`` one, the VML fallback of a DrawingML shape) is a unit at each
place: sharing one unit would make the set of units depend on the translation (two
texts an engine happens to translate alike would merge), and identical segments cost
nothing more in translation memory. Text inside deleted or moved-away revisions is not
read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from lxml import etree

from iris.docx.model import Policy, UnitKind
from iris.docx.opc.names import V_NS, WORD_NAMESPACES, local_name, namespace_of
from iris.docx.reading.extract import Extraction, ValueEntry
from iris.docx.text.units import value_unit

_DRAWING_NAMESPACES = (
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing",
    "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "http://purl.oclc.org/ooxml/drawingml/picture",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
)
_HELP_LENGTHS = {"helpText": 256, "statusText": 140}
_REMOVED = frozenset({"del", "moveFrom"})


_FILE_LIKE_RE = re.compile(
    r"""^\s*(?:
        [a-z][a-z0-9+.-]*://\S*            # URL
      | (?:[a-z]:\\|\\\\|/)\S.*        # Windows, UNC or POSIX path
      | [^\s/\\]+\.(?:png|jpe?g|gif|bmp|emf|wmf|tiff?|svg|ico|eps|pdf)  # file name
      | [\w-]*_[\w-]*                       # identifier joined by underscores
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class _Found:
    element: etree._Element
    attribute: str
    kind: UnitKind
    label: str
    max_length: int | None = None


def extract_attribute_texts(extraction: Extraction, policy: Policy) -> None:
    """Add the attribute texts the policy asks for, of every story part, as value units."""
    tags = _tags(policy)
    if not tags:
        return
    for part in extraction.story_parts:
        _read_part(extraction, part, extraction.package.xml(part), tags, policy)


def _tags(policy: Policy) -> list[str]:
    tags: list[str] = []
    if policy.alt_text:
        tags += [f"{{{ns}}}docPr" for ns in _DRAWING_NAMESPACES[:2]]
        tags += [f"{{{ns}}}cNvPr" for ns in _DRAWING_NAMESPACES[2:]]
    if policy.alt_text or policy.watermarks:
        tags.append(f"{{{V_NS}}}*")
    for ns in WORD_NAMESPACES:
        if policy.list_items:
            tags.append(f"{{{ns}}}listItem")
        if policy.legacy_list_entries:
            tags.append(f"{{{ns}}}listEntry")
        if policy.form_help:
            tags += [f"{{{ns}}}helpText", f"{{{ns}}}statusText"]
        if "HYPERLINK" in policy.field_literals:
            tags.append(f"{{{ns}}}hyperlink")
    return tags


def _read_part(
    extraction: Extraction, part: str, root: etree._Element, tags: list[str], policy: Policy
) -> None:
    counters: dict[str, int] = {}
    short = part.rpartition("/")[2]
    for element in root.iter(*tags):
        local = local_name(element.tag)
        index = counters.get(local, 0)
        counters[local] = index + 1
        found = list(_attribute_texts(element, local, policy))
        if not found or _removed(element):
            continue
        for item in found:
            unit = value_unit(
                f"{part}#{local}{index}@{local_name(item.attribute)}",
                part,
                item.kind,
                f"{item.label} ({short})",
                element.get(item.attribute) or "",
            )
            if item.kind is UnitKind.ALT_TEXT and _FILE_LIKE_RE.match(unit.plain):
                unit = replace(unit, translatable=False)
            extraction.values.append(
                ValueEntry(unit, element, item.attribute, max_length=item.max_length)
            )


def _attribute_texts(element: etree._Element, local: str, policy: Policy) -> Iterator[_Found]:
    """The attributes of ``element`` holding text to read, with a kind and a label."""
    ns = namespace_of(element.tag)
    if ns == V_NS:
        if policy.watermarks and local == "textpath":
            yield from _present(element, "string", UnitKind.WATERMARK, "WordArt text")
        if policy.alt_text and local != "imagedata":
            yield from _present(element, "alt", UnitKind.ALT_TEXT, "VML alt text")
            yield from _present(element, "title", UnitKind.ALT_TEXT, "VML title")
        return
    if ns in _DRAWING_NAMESPACES:
        name = element.get("name") or local
        yield from _present(element, "descr", UnitKind.ALT_TEXT, f"alt text of {name}")
        yield from _present(element, "title", UnitKind.ALT_TEXT, f"title of {name}")
        return
    parent = element.getparent()
    holder = local_name(parent.tag) if parent is not None else ""
    if local == "listItem" and holder in ("dropDownList", "comboBox"):
        yield from _present(
            element, f"{{{ns}}}displayText", UnitKind.LIST_ITEM, f"{holder} list item"
        )
    elif local == "listEntry" and holder == "ddList":
        yield from _present(element, f"{{{ns}}}val", UnitKind.LIST_ITEM, "form dropdown entry")
    elif local in _HELP_LENGTHS and holder == "ffData":
        yield from _help_text(element, local, ns)
    elif local == "hyperlink":
        yield from _present(element, f"{{{ns}}}tooltip", UnitKind.FIELD_TEXT, "hyperlink tooltip")


def _help_text(element: etree._Element, local: str, ns: str) -> Iterator[_Found]:
    """Help or status text typed in, not an AutoText entry's name."""
    if element.get(f"{{{ns}}}type") == "autoText":
        return
    label = "form field help" if local == "helpText" else "form field status text"
    yield from _present(element, f"{{{ns}}}val", UnitKind.FORM_HELP, label, _HELP_LENGTHS[local])


def _present(
    element: etree._Element,
    attribute: str,
    kind: UnitKind,
    label: str,
    max_length: int | None = None,
) -> Iterator[_Found]:
    if (element.get(attribute) or "").strip():
        yield _Found(element, attribute, kind, label, max_length)


def _removed(element: etree._Element) -> bool:
    """True inside a deleted or moved-away revision (kept when revisions are kept)."""
    parent = element.getparent()
    while parent is not None:
        tag = parent.tag
        if local_name(tag) in _REMOVED and namespace_of(tag) in WORD_NAMESPACES:
            return True
        parent = parent.getparent()
    return False
